package ad

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// SPOptions are the flags of the `az ad sp` commands (each uses a subset).
type SPOptions struct {
	F           *cmdutil.Factory
	ID          string
	DisplayName string
	Role        string
	Scopes      []string
	Years       int
	SPN         string
	Filter      string
	CreateCert  bool
}

// NewCmdSP returns the `az ad sp` group.
func NewCmdSP(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("sp", "Manage Microsoft Entra service principals.",
		NewCmdCreateForRBAC(f, nil), NewCmdSPCreate(f, nil), NewCmdSPShow(f, nil), NewCmdSPList(f, nil), NewCmdSPDelete(f, nil))
}

func newSPCmd(f *cmdutil.Factory, use, short string, required []string, runF func(*SPOptions) error, run func(*cobra.Command, *SPOptions) error) (*cobra.Command, *SPOptions) {
	opts := &SPOptions{F: f}
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
			return run(cmd, opts)
		},
	}, opts
}

// NewCmdCreateForRBAC returns `az ad sp create-for-rbac`.
func NewCmdCreateForRBAC(f *cmdutil.Factory, runF func(*SPOptions) error) *cobra.Command {
	cmd, opts := newSPCmd(f, "create-for-rbac", "Create an application and its associated service principal, optionally configure the service principal's RBAC role assignments.", nil, runF, createForRBACRun)
	fl := cmd.Flags()
	fl.StringVarP(&opts.DisplayName, "display-name", "n", "", "Display name of the service principal.")
	fl.StringVar(&opts.DisplayName, "name", "", "Display name of the service principal.")
	fl.StringVar(&opts.Role, "role", "", "Role of the service principal.")
	fl.StringSliceVar(&opts.Scopes, "scopes", nil, "Space-separated list of scopes the service principal's role assignment applies to.")
	cmdutil.Multi(fl, "scopes")
	fl.IntVar(&opts.Years, "years", 0, "Number of years for which the credentials will be valid. Default: 1 year.")
	fl.BoolVar(&opts.CreateCert, "create-cert", false, "Create a self-signed certificate to use for the credential (not emulated).")
	return cmd
}

func createForRBACRun(cmd *cobra.Command, opts *SPOptions) error {
	if (opts.Role == "") != (len(opts.Scopes) == 0) {
		return errors.New("Usage error: To create role assignments, specify both --role and --scopes.")
	}
	if opts.CreateCert {
		return errors.New("acremu emulates password credentials only: leave out --create-cert.")
	}
	c, err := opts.F.Client()
	if err != nil {
		return err
	}
	res, err := c.CreateForRBAC(cmd.Context(), client.RBACRequest{DisplayName: opts.DisplayName, Years: opts.Years,
		Role: opts.Role, Scopes: opts.Scopes}, opts.F.Warnf)
	if err != nil {
		return err
	}
	return opts.F.Print(map[string]any{"appId": res.AppID, "displayName": res.DisplayName, "password": res.Password, "tenant": res.Tenant}, nil)
}

// NewCmdSPCreate returns `az ad sp create`.
func NewCmdSPCreate(f *cmdutil.Factory, runF func(*SPOptions) error) *cobra.Command {
	cmd, opts := newSPCmd(f, "create", "Create a service principal.", []string{"id"}, runF, func(cmd *cobra.Command, opts *SPOptions) error {
		c, err := opts.F.Client()
		if err != nil {
			return err
		}
		appID := opts.ID
		if apps, err := c.GraphList(cmd.Context(), "/applications", "appId eq '"+client.ODataEscape(opts.ID)+"'"); err == nil && len(apps) > 0 {
			appID = client.Str(apps[0], "appId")
		}
		sp, err := c.GraphPost(cmd.Context(), "/servicePrincipals", map[string]any{"appId": appID, "accountEnabled": true})
		if err != nil {
			return err
		}
		return opts.F.Print(sp, nil)
	})
	cmd.Flags().StringVar(&opts.ID, "id", "", "Identifier uri, application id, or object id of the associated application.")
	return cmd
}

// NewCmdSPShow returns `az ad sp show`.
func NewCmdSPShow(f *cmdutil.Factory, runF func(*SPOptions) error) *cobra.Command {
	cmd, opts := newSPCmd(f, "show", "Get the details of a service principal.", []string{"id"}, runF, func(cmd *cobra.Command, opts *SPOptions) error {
		c, err := opts.F.Client()
		if err != nil {
			return err
		}
		id, err := resolveSP(cmd.Context(), c, opts.ID)
		if err != nil {
			return err
		}
		sp, err := c.GraphGet(cmd.Context(), "/servicePrincipals/"+url.PathEscape(id))
		if err != nil {
			return err
		}
		return opts.F.Print(sp, nil)
	})
	cmd.Flags().StringVar(&opts.ID, "id", "", "Service principal name, or object id.")
	return cmd
}

// NewCmdSPList returns `az ad sp list`.
func NewCmdSPList(f *cmdutil.Factory, runF func(*SPOptions) error) *cobra.Command {
	cmd, opts := newSPCmd(f, "list", "List service principals.", nil, runF, func(cmd *cobra.Command, opts *SPOptions) error {
		c, err := opts.F.Client()
		if err != nil {
			return err
		}
		filter := listFilter(opts.Filter, spnFilter(opts.SPN), startsWith("displayName", opts.DisplayName))
		sps, err := c.GraphList(cmd.Context(), "/servicePrincipals", filter)
		if err != nil {
			return err
		}
		if filter == "" && len(sps) > 100 {
			opts.F.Warnf("The result is not complete. You can still use '--all' to get all of them with long latency expected, or provide a filter through command arguments")
			sps = sps[:100]
		}
		return printList(opts.F, sps)
	})
	fl := cmd.Flags()
	fl.StringVar(&opts.SPN, "spn", "", "Service principal name.")
	fl.StringVar(&opts.DisplayName, "display-name", "", "Object's display name or its prefix.")
	fl.StringVar(&opts.Filter, "filter", "", "OData filter, e.g. --filter \"displayname eq 'test' and servicePrincipalType eq 'Application'\".")
	fl.Bool("all", false, "List all entities, expect long delay if under a big organization.")
	return cmd
}

func spnFilter(spn string) string {
	if spn == "" {
		return ""
	}
	return "servicePrincipalNames/any(c:c eq '" + client.ODataEscape(spn) + "')"
}

// NewCmdSPDelete returns `az ad sp delete`.
func NewCmdSPDelete(f *cmdutil.Factory, runF func(*SPOptions) error) *cobra.Command {
	cmd, opts := newSPCmd(f, "delete", "Delete a service principal.", []string{"id"}, runF, func(cmd *cobra.Command, opts *SPOptions) error {
		c, err := opts.F.Client()
		if err != nil {
			return err
		}
		id, err := resolveSP(cmd.Context(), c, opts.ID)
		if err != nil {
			return err
		}
		_, err = c.Graph(cmd.Context(), http.MethodDelete, "/servicePrincipals/"+url.PathEscape(id), nil, nil)
		return err
	})
	cmd.Flags().StringVar(&opts.ID, "id", "", "Service principal name, or object id.")
	return cmd
}
