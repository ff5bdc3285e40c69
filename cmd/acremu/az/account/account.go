package account

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// LogoutOptions are the flags of `az logout`.
type LogoutOptions struct {
	F        *cmdutil.Factory
	Username string
}

// NewCmdLogout returns `az logout`.
func NewCmdLogout(f *cmdutil.Factory, runF func(*LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{F: f}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Log out to remove access to the acremu server.",
		Args:  cmdutil.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			c, err := opts.F.Client()
			if err != nil {
				return err
			}
			return c.Logout()
		},
	}
	cmd.Flags().StringVar(&opts.Username, "username", "", "Account user, if missing, logout the current active account.")
	return cmd
}

// NewCmdAccount returns the `az account` group.
func NewCmdAccount(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("account", "Manage Azure subscription information.",
		NewCmdShow(f, nil), NewCmdList(f, nil), NewCmdSet(f, nil))
}

// ShowOptions are the flags of `az account show`.
type ShowOptions struct {
	F *cmdutil.Factory
}

// NewCmdShow returns `az account show`.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{F: f}
	return &cobra.Command{
		Use:   "show",
		Short: "Get the details of a subscription.",
		Args:  cmdutil.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			c, err := opts.F.ARMClient()
			if err != nil {
				return err
			}
			a, err := c.Account()
			if err != nil {
				return err
			}
			return opts.F.Print(Entry(*a), nil)
		},
	}
}

// Entry is a subscription as `az account show` and `az account list` print it.
func Entry(s client.Subscription) map[string]any {
	return map[string]any{"environmentName": s.EnvironmentName, "homeTenantId": s.HomeTenantID, "id": s.ID,
		"isDefault": s.IsDefault, "managedByTenants": s.ManagedByTenants, "name": s.Name, "state": s.State,
		"tenantId": s.TenantID, "user": map[string]any{"name": s.User.Name, "type": s.User.Type}}
}

// ListOptions are the flags of `az account list`.
type ListOptions struct {
	F *cmdutil.Factory
}

// NewCmdList returns `az account list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Get a list of subscriptions for the logged in account.",
		Args:  cmdutil.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			c, err := opts.F.Client()
			if err != nil {
				return err
			}
			a, err := c.Account()
			if errors.Is(err, client.ErrNotLoggedIn) {
				opts.F.Warnf("Please run \"az login\" to access your accounts.")
				return opts.F.Print([]any{}, nil)
			}
			if err != nil {
				return err
			}
			return opts.F.Print([]any{Entry(*a)}, table)
		},
	}
	cmd.Flags().Bool("all", false, "List all subscriptions from all clouds, rather than just 'Enabled' ones.")
	return cmd
}

// table is az's transform_account_list.
func table(v any) any {
	var rows []*cmdutil.Ordered
	for _, x := range v.([]any) {
		m, _ := x.(map[string]any)
		rows = append(rows, cmdutil.NewOrdered("Name", m["name"], "CloudName", m["environmentName"],
			"SubscriptionId", m["id"], "TenantId", m["tenantId"], "State", m["state"], "IsDefault", m["isDefault"]))
	}
	return rows
}

// SetOptions are the flags of `az account set`.
type SetOptions struct {
	F            *cmdutil.Factory
	Subscription string
}

// NewCmdSet returns `az account set`: the emulator has one subscription, so it only checks the name.
func NewCmdSet(f *cmdutil.Factory, runF func(*SetOptions) error) *cobra.Command {
	opts := &SetOptions{F: f}
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Set a subscription to be the current active subscription.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "subscription"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			c, err := opts.F.Client()
			if err != nil {
				return err
			}
			a, err := c.Account()
			if err != nil {
				return err
			}
			if !strings.EqualFold(a.ID, opts.Subscription) && !strings.EqualFold(a.Name, opts.Subscription) {
				return errors.New("The subscription of '" + opts.Subscription + "' doesn't exist in cloud 'AzureCloud'.")
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&opts.Subscription, "subscription", "s", "", "Name or ID of subscription.")
	return cmd
}
