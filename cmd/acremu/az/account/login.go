// Package account holds `az login`, `az logout` and `az account`: sign-in with a password or a service
// principal secret against the emulated Entra ID, and the signed-in subscription.
package account

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// LoginOptions are the flags of `az login`.
type LoginOptions struct {
	F                *cmdutil.Factory
	Username         string
	Password         string
	Tenant           string
	ServicePrincipal bool
	DeviceCode       bool
}

// NewCmdLogin returns `az login`. runF, when set, replaces the run function (tests).
func NewCmdLogin(f *cmdutil.Factory, runF func(*LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{F: f}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in to the acremu server's emulated Entra ID.",
		Long: `Log in with a user name and password (az login -u USER -p PASSWORD) or as a service principal
(az login --service-principal -u APP_ID -p SECRET --tenant TENANT). Interactive and device-code logins are not
emulated.`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return loginRun(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Username, "username", "u", "", "User name, service principal (application id), or managed identity.")
	fl.StringVarP(&opts.Password, "password", "p", "", "Credentials like user password, or for a service principal, provide client secret.")
	fl.StringVarP(&opts.Tenant, "tenant", "t", "", "The Microsoft Entra tenant, must be provided when using a service principal.")
	fl.BoolVar(&opts.ServicePrincipal, "service-principal", false, "Log in with a service principal.")
	fl.BoolVar(&opts.DeviceCode, "use-device-code", false, "Use device code flow (not emulated).")
	fl.Bool("allow-no-subscriptions", false, "Support accessing tenants without subscriptions.")
	return cmd
}

func loginRun(cmd *cobra.Command, opts *LoginOptions) error {
	switch {
	case opts.DeviceCode || opts.Username == "":
		return errors.New("acremu emulates password and service principal sign-in only: az login -u USER -p PASSWORD, or az login --service-principal -u APP_ID -p SECRET --tenant TENANT.")
	case opts.Password == "":
		return errors.New("Please specify both username and password in non-interactive mode.")
	case opts.ServicePrincipal && opts.Tenant == "":
		return errors.New(`Please supply tenant using "--tenant"`)
	}
	c, err := opts.F.Client()
	if err != nil {
		return err
	}
	subs, err := c.Login(cmd.Context(), client.LoginRequest{Username: opts.Username, Password: opts.Password,
		Tenant: opts.Tenant, ServicePrincipal: opts.ServicePrincipal})
	if err != nil {
		return err
	}
	out := make([]any, len(subs))
	for i, s := range subs {
		out[i] = loginEntry(s)
	}
	return opts.F.Print(out, nil)
}

// loginEntry is one subscription as `az login` prints it (with cloudName, where `az account show` has
// environmentName).
func loginEntry(s client.Subscription) map[string]any {
	return map[string]any{"cloudName": s.EnvironmentName, "homeTenantId": s.HomeTenantID, "id": s.ID,
		"isDefault": s.IsDefault, "managedByTenants": s.ManagedByTenants, "name": s.Name, "state": s.State,
		"tenantId": s.TenantID, "user": map[string]any{"name": s.User.Name, "type": s.User.Type}}
}
