package ad

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// UserOptions are the flags of the `az ad user` commands (each uses a subset).
type UserOptions struct {
	F                  *cmdutil.Factory
	ID                 string
	DisplayName        string
	Password           string
	UPN                string
	MailNickname       string
	ForceChangePasword cmdutil.TriState
	Filter             string
}

// NewCmdUser returns the `az ad user` group.
func NewCmdUser(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("user", "Manage Microsoft Entra users.",
		NewCmdUserCreate(f, nil), NewCmdUserShow(f, nil), NewCmdUserList(f, nil), NewCmdUserDelete(f, nil))
}

func newUserCmd(f *cmdutil.Factory, use, short string, required []string, runF, run func(*cobra.Command, *UserOptions) error) (*cobra.Command, *UserOptions) {
	opts := &UserOptions{F: f}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, required...); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return run(cmd, opts)
		},
	}, opts
}

func userRunF(runF func(*UserOptions) error) func(*cobra.Command, *UserOptions) error {
	if runF == nil {
		return nil
	}
	return func(_ *cobra.Command, o *UserOptions) error { return runF(o) }
}

// NewCmdUserCreate returns `az ad user create`.
func NewCmdUserCreate(f *cmdutil.Factory, runF func(*UserOptions) error) *cobra.Command {
	cmd, opts := newUserCmd(f, "create", "Create a user.", []string{"display-name", "password", "user-principal-name"}, userRunF(runF), userCreateRun)
	fl := cmd.Flags()
	fl.StringVar(&opts.DisplayName, "display-name", "", "Object's display name or its prefix.")
	fl.StringVar(&opts.Password, "password", "", "The password that should be assigned to the user for authentication.")
	fl.StringVar(&opts.UPN, "user-principal-name", "", "The user principal name (someuser@contoso.com). It must contain one of the verified domains for the tenant.")
	fl.StringVar(&opts.MailNickname, "mail-nickname", "", "Mail alias. Defaults to user principal name.")
	cmdutil.TriStateVar(fl, &opts.ForceChangePasword, "force-change-password-next-sign-in", "", "Marks this user as needing to update their password the next time they authenticate.")
	fl.String("immutable-id", "", "This property is used to associate an on-premises Active Directory user account to their Microsoft Entra user object.")
	return cmd
}

func userCreateRun(cmd *cobra.Command, opts *UserOptions) error {
	c, err := opts.F.Client()
	if err != nil {
		return err
	}
	nick := opts.MailNickname
	if nick == "" {
		nick, _, _ = strings.Cut(opts.UPN, "@")
	}
	force := opts.ForceChangePasword.Ptr() != nil && *opts.ForceChangePasword.Ptr()
	u, err := c.GraphPost(cmd.Context(), "/users", map[string]any{"accountEnabled": true, "displayName": opts.DisplayName,
		"mailNickname": nick, "userPrincipalName": opts.UPN,
		"passwordProfile": map[string]any{"forceChangePasswordNextSignIn": force, "password": opts.Password}})
	if err != nil {
		return err
	}
	return opts.F.Print(u, nil)
}

// NewCmdUserShow returns `az ad user show`.
func NewCmdUserShow(f *cmdutil.Factory, runF func(*UserOptions) error) *cobra.Command {
	cmd, opts := newUserCmd(f, "show", "Get the details of a user.", []string{"id"}, userRunF(runF), func(cmd *cobra.Command, opts *UserOptions) error {
		c, err := opts.F.Client()
		if err != nil {
			return err
		}
		u, err := c.GraphGet(cmd.Context(), "/users/"+url.PathEscape(opts.ID))
		if err != nil {
			return err
		}
		return opts.F.Print(u, nil)
	})
	cmd.Flags().StringVar(&opts.ID, "id", "", "User's object id or principal name.")
	return cmd
}

// NewCmdUserList returns `az ad user list`.
func NewCmdUserList(f *cmdutil.Factory, runF func(*UserOptions) error) *cobra.Command {
	cmd, opts := newUserCmd(f, "list", "List users.", nil, userRunF(runF), func(cmd *cobra.Command, opts *UserOptions) error {
		c, err := opts.F.Client()
		if err != nil {
			return err
		}
		users, err := c.GraphList(cmd.Context(), "/users", listFilter(opts.Filter, eq("userPrincipalName", opts.UPN), startsWith("displayName", opts.DisplayName)))
		if err != nil {
			return err
		}
		return printList(opts.F, users)
	})
	fl := cmd.Flags()
	fl.StringVar(&opts.UPN, "upn", "", "User principal name, e.g. john.doe@contoso.com.")
	fl.StringVar(&opts.DisplayName, "display-name", "", "Object's display name or its prefix.")
	fl.StringVar(&opts.Filter, "filter", "", "OData filter, e.g. --filter \"displayname eq 'test' and servicePrincipalType eq 'Application'\".")
	return cmd
}

// NewCmdUserDelete returns `az ad user delete`.
func NewCmdUserDelete(f *cmdutil.Factory, runF func(*UserOptions) error) *cobra.Command {
	cmd, opts := newUserCmd(f, "delete", "Delete a user.", []string{"id"}, userRunF(runF), func(cmd *cobra.Command, opts *UserOptions) error {
		c, err := opts.F.Client()
		if err != nil {
			return err
		}
		_, err = c.Graph(cmd.Context(), http.MethodDelete, "/users/"+url.PathEscape(opts.ID), nil, nil)
		return err
	})
	cmd.Flags().StringVar(&opts.ID, "id", "", "User's object id or principal name.")
	return cmd
}
