package acr

import (
	"errors"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// NewCmdCredential returns the `az acr credential` group.
func NewCmdCredential(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("credential", "Manage login credentials for Azure Container Registries.",
		NewCmdCredentialShow(f, nil), NewCmdCredentialRenew(f, nil))
}

// CredentialOptions are the flags of `az acr credential show|renew`.
type CredentialOptions struct {
	F             *cmdutil.Factory
	Name          string
	ResourceGroup string
	PasswordName  string
}

func newCredentialCmd(f *cmdutil.Factory, use, short string, required []string, runF func(*CredentialOptions) error) (*cobra.Command, *CredentialOptions) {
	opts := &CredentialOptions{F: f}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, required...); err != nil {
				return err
			}
			var err error
			if opts.Name, err = checkName(f, opts.Name); err != nil {
				return err
			}
			if opts.PasswordName != "" {
				if opts.PasswordName, err = cmdutil.Choice(cmd, "password-name", opts.PasswordName, "password", "password2"); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return credentialRun(cmd, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Name, "name", "n", "", "The name of the container registry.")
	cmd.Flags().StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Name of resource group.")
	return cmd, opts
}

// NewCmdCredentialShow returns `az acr credential show`.
func NewCmdCredentialShow(f *cmdutil.Factory, runF func(*CredentialOptions) error) *cobra.Command {
	cmd, _ := newCredentialCmd(f, "show", "Get the login credentials for an Azure Container Registry.", []string{"name"}, runF)
	return cmd
}

// NewCmdCredentialRenew returns `az acr credential renew`.
func NewCmdCredentialRenew(f *cmdutil.Factory, runF func(*CredentialOptions) error) *cobra.Command {
	cmd, opts := newCredentialCmd(f, "renew", "Regenerate login credentials for an Azure Container Registry.", []string{"name", "password-name"}, runF)
	cmd.Flags().StringVar(&opts.PasswordName, "password-name", "", "The name of password to regenerate.  Allowed values: password, password2.")
	return cmd
}

// credentialRun lists (show) or regenerates (renew) the admin user's passwords; az refuses both when the
// admin user is disabled.
func credentialRun(cmd *cobra.Command, opts *CredentialOptions) error {
	ctx := cmd.Context()
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	reg, rg, err := lookup(ctx, opts.F, c, opts.Name, opts.ResourceGroup)
	if err != nil {
		return err
	}
	if enabled, _ := Shape(reg)["adminUserEnabled"].(bool); !enabled {
		return errors.New("Run 'az acr update -n " + opts.Name + " --admin-enabled true' to enable admin first.")
	}
	id, err := registryPath(c, rg, opts.Name)
	if err != nil {
		return err
	}
	var v any
	if opts.PasswordName == "" {
		v, err = c.ARM(ctx, http.MethodPost, id+"/listCredentials", client.APIVersionRegistries, nil)
	} else {
		v, err = c.ARM(ctx, http.MethodPost, id+"/regenerateCredential", client.APIVersionRegistries, map[string]any{"name": opts.PasswordName})
	}
	if err != nil {
		return err
	}
	return opts.F.Print(v, credentialTable)
}

// credentialTable is az's credential_format.
func credentialTable(v any) any {
	m, _ := v.(map[string]any)
	row := cmdutil.NewOrdered("USERNAME", value(m["username"]))
	pw, _ := m["passwords"].([]any)
	for i, name := range []string{"PASSWORD", "PASSWORD2"} {
		if i < len(pw) {
			p, _ := pw[i].(map[string]any)
			row.Set(name, value(p["value"]))
		}
	}
	return []*cmdutil.Ordered{row}
}
