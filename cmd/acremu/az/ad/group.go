package ad

import (
	"context"
	"net/http"
	"net/url"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// GroupOptions are the flags of the `az ad group` commands (each uses a subset).
type GroupOptions struct {
	F            *cmdutil.Factory
	Group        string
	DisplayName  string
	MailNickname string
	Description  string
	Force        bool
	MemberID     string
	Filter       string
}

// NewCmdGroup returns the `az ad group` group.
func NewCmdGroup(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("group", "Manage Microsoft Entra groups.",
		NewCmdGroupCreate(f, nil), NewCmdGroupShow(f, nil), NewCmdGroupList(f, nil), NewCmdGroupDelete(f, nil),
		cmdutil.NewGroup("member", "Manage Microsoft Entra group membership.",
			NewCmdMemberAdd(f, nil), NewCmdMemberList(f, nil), NewCmdMemberRemove(f, nil), NewCmdMemberCheck(f, nil)))
}

func newGroupCmd(f *cmdutil.Factory, use, short string, required []string, runF func(*GroupOptions) error, run func(context.Context, *client.Client, *GroupOptions) error) (*cobra.Command, *GroupOptions) {
	opts := &GroupOptions{F: f}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, required...); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			c, err := opts.F.Client()
			if err != nil {
				return err
			}
			if opts.Group != "" {
				if opts.Group, err = resolveGroup(cmd.Context(), c, opts.Group); err != nil {
					return err
				}
			}
			return run(cmd.Context(), c, opts)
		},
	}, opts
}

func groupFlag(cmd *cobra.Command, opts *GroupOptions) {
	cmd.Flags().StringVarP(&opts.Group, "group", "g", "", "Group's object id or display name(prefix also works if there is a unique match).")
}

// NewCmdGroupCreate returns `az ad group create`.
func NewCmdGroupCreate(f *cmdutil.Factory, runF func(*GroupOptions) error) *cobra.Command {
	cmd, opts := newGroupCmd(f, "create", "Create a group.", []string{"display-name", "mail-nickname"}, runF, groupCreateRun)
	fl := cmd.Flags()
	fl.StringVar(&opts.DisplayName, "display-name", "", "Object's display name or its prefix.")
	fl.StringVar(&opts.MailNickname, "mail-nickname", "", "Mail nickname.")
	fl.StringVar(&opts.Description, "description", "", "Group description.")
	fl.BoolVar(&opts.Force, "force", false, "Always create a new group instead of updating the one with same display and mail nickname.")
	return cmd
}

// groupCreateRun is az's create_group: idempotent on display name and mail nickname unless --force.
func groupCreateRun(ctx context.Context, c *client.Client, opts *GroupOptions) error {
	if !opts.Force {
		found, err := c.GraphList(ctx, "/groups", listFilter(eq("displayName", opts.DisplayName), eq("mailNickname", opts.MailNickname)))
		if err != nil {
			return err
		}
		if len(found) > 0 {
			opts.F.Warnf("A group with the same display name and mail nickname already exists, returning.")
			return opts.F.Print(found[0], nil)
		}
	}
	body := map[string]any{"displayName": opts.DisplayName, "mailNickname": opts.MailNickname, "mailEnabled": false, "securityEnabled": true}
	if opts.Description != "" {
		body["description"] = opts.Description
	}
	g, err := c.GraphPost(ctx, "/groups", body)
	if err != nil {
		return err
	}
	return opts.F.Print(g, nil)
}

// NewCmdGroupShow returns `az ad group show`.
func NewCmdGroupShow(f *cmdutil.Factory, runF func(*GroupOptions) error) *cobra.Command {
	cmd, opts := newGroupCmd(f, "show", "Get group information from the directory.", []string{"group"}, runF, func(ctx context.Context, c *client.Client, opts *GroupOptions) error {
		g, err := c.GraphGet(ctx, "/groups/"+url.PathEscape(opts.Group))
		if err != nil {
			return err
		}
		return opts.F.Print(g, nil)
	})
	groupFlag(cmd, opts)
	return cmd
}

// NewCmdGroupList returns `az ad group list`.
func NewCmdGroupList(f *cmdutil.Factory, runF func(*GroupOptions) error) *cobra.Command {
	cmd, opts := newGroupCmd(f, "list", "List groups in the directory.", nil, runF, func(ctx context.Context, c *client.Client, opts *GroupOptions) error {
		gs, err := c.GraphList(ctx, "/groups", listFilter(opts.Filter, startsWith("displayName", opts.DisplayName)))
		if err != nil {
			return err
		}
		return printList(opts.F, gs)
	})
	cmd.Flags().StringVar(&opts.DisplayName, "display-name", "", "Object's display name or its prefix.")
	cmd.Flags().StringVar(&opts.Filter, "filter", "", "OData filter.")
	return cmd
}

// NewCmdGroupDelete returns `az ad group delete`.
func NewCmdGroupDelete(f *cmdutil.Factory, runF func(*GroupOptions) error) *cobra.Command {
	cmd, opts := newGroupCmd(f, "delete", "Delete a group from the directory.", []string{"group"}, runF, func(ctx context.Context, c *client.Client, opts *GroupOptions) error {
		_, err := c.Graph(ctx, http.MethodDelete, "/groups/"+url.PathEscape(opts.Group), nil, nil)
		return err
	})
	groupFlag(cmd, opts)
	return cmd
}

// NewCmdMemberAdd returns `az ad group member add`.
func NewCmdMemberAdd(f *cmdutil.Factory, runF func(*GroupOptions) error) *cobra.Command {
	cmd, opts := newGroupCmd(f, "add", "Add a member to a group.", []string{"group", "member-id"}, runF, func(ctx context.Context, c *client.Client, opts *GroupOptions) error {
		_, err := c.GraphPost(ctx, "/groups/"+url.PathEscape(opts.Group)+"/members/$ref", map[string]any{"@odata.id": objectURL(opts.MemberID)})
		return err
	})
	groupFlag(cmd, opts)
	cmd.Flags().StringVar(&opts.MemberID, "member-id", "", "The object ID of the contact, group, user, or service principal.")
	return cmd
}

// NewCmdMemberList returns `az ad group member list`.
func NewCmdMemberList(f *cmdutil.Factory, runF func(*GroupOptions) error) *cobra.Command {
	cmd, opts := newGroupCmd(f, "list", "Get the members of a group.", []string{"group"}, runF, func(ctx context.Context, c *client.Client, opts *GroupOptions) error {
		ms, err := c.GraphList(ctx, "/groups/"+url.PathEscape(opts.Group)+"/members", "")
		if err != nil {
			return err
		}
		return printList(opts.F, ms)
	})
	groupFlag(cmd, opts)
	return cmd
}

// NewCmdMemberRemove returns `az ad group member remove`.
func NewCmdMemberRemove(f *cmdutil.Factory, runF func(*GroupOptions) error) *cobra.Command {
	cmd, opts := newGroupCmd(f, "remove", "Remove a member from a group.", []string{"group", "member-id"}, runF, func(ctx context.Context, c *client.Client, opts *GroupOptions) error {
		_, err := c.Graph(ctx, http.MethodDelete, "/groups/"+url.PathEscape(opts.Group)+"/members/"+url.PathEscape(opts.MemberID)+"/$ref", nil, nil)
		return err
	})
	groupFlag(cmd, opts)
	cmd.Flags().StringVar(&opts.MemberID, "member-id", "", "The object ID of the contact, group, user, or service principal.")
	return cmd
}

// NewCmdMemberCheck returns `az ad group member check`.
func NewCmdMemberCheck(f *cmdutil.Factory, runF func(*GroupOptions) error) *cobra.Command {
	cmd, opts := newGroupCmd(f, "check", "Check if a member is in a group.", []string{"group", "member-id"}, runF, func(ctx context.Context, c *client.Client, opts *GroupOptions) error {
		v, err := c.GraphPost(ctx, "/directoryObjects/"+url.PathEscape(opts.MemberID)+"/checkMemberGroups", map[string]any{"groupIds": []string{opts.Group}})
		if err != nil {
			return err
		}
		in := false
		ids, _ := v["value"].([]any)
		for _, id := range ids {
			in = in || id == opts.Group
		}
		return opts.F.Print(map[string]any{"value": in}, nil)
	})
	groupFlag(cmd, opts)
	cmd.Flags().StringVar(&opts.MemberID, "member-id", "", "The object ID of the contact, group, user, or service principal.")
	return cmd
}
