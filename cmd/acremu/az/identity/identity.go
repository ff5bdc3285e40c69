// Package identity holds `az identity`: user-assigned managed identities
// (Microsoft.ManagedIdentity/userAssignedIdentities), which are principals of the emulated directory.
package identity

import (
	"net/http"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// identityType is the ARM resource type.
const identityType = "Microsoft.ManagedIdentity/userAssignedIdentities"

// Options are the flags of the identity commands (each uses a subset).
type Options struct {
	F             *cmdutil.Factory
	Name          string
	ResourceGroup string
	Location      string
	Tags          []string
}

// NewCmdIdentity returns the `az identity` group.
func NewCmdIdentity(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("identity", "Managed Identities.",
		NewCmdCreate(f, nil), NewCmdShow(f, nil), NewCmdList(f, nil), NewCmdDelete(f, nil))
}

func newCmd(f *cmdutil.Factory, use, short string, required []string, runF func(*Options) error, run func(*cobra.Command, *Options) error) (*cobra.Command, *Options) {
	opts := &Options{F: f}
	cmd := &cobra.Command{
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
	}
	cmd.Flags().StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Name of resource group.")
	return cmd, opts
}

func path(c *client.Client, rg, name string) (string, error) {
	p, err := c.ResourceGroupPath(rg)
	if err != nil {
		return "", err
	}
	return p + "/providers/" + identityType + "/" + name, nil
}

// NewCmdCreate returns `az identity create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd, opts := newCmd(f, "create", "Create Identities.", []string{"name", "resource-group"}, runF, func(cmd *cobra.Command, opts *Options) error {
		c, err := opts.F.ARMClient()
		if err != nil {
			return err
		}
		ctx := cmd.Context()
		if opts.Location == "" {
			rgID, err := c.ResourceGroupPath(opts.ResourceGroup)
			if err != nil {
				return err
			}
			rg, err := c.ARM(ctx, http.MethodGet, rgID, client.APIVersionResources, nil)
			if err != nil {
				return err
			}
			opts.Location, _ = rg.(map[string]any)["location"].(string)
		}
		body := map[string]any{"location": opts.Location}
		if cmd.Flags().Changed("tags") {
			body["tags"] = cmdutil.ParseTags(opts.Tags)
		}
		id, err := path(c, opts.ResourceGroup, opts.Name)
		if err != nil {
			return err
		}
		v, err := c.ARM(ctx, http.MethodPut, id, client.APIVersionIdentities, body)
		if err != nil {
			return err
		}
		return opts.F.Print(Shape(v), nil)
	})
	fl := cmd.Flags()
	fl.StringVarP(&opts.Name, "name", "n", "", "The name of the identity resource.")
	fl.StringVarP(&opts.Location, "location", "l", "", "Location. When not specified, the location of the resource group will be used.")
	fl.StringSliceVar(&opts.Tags, "tags", nil, "Space-separated tags: key[=value] [key[=value] ...].")
	cmdutil.Multi(fl, "tags")
	return cmd
}

// NewCmdShow returns `az identity show`.
func NewCmdShow(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd, opts := newCmd(f, "show", "Show an identity.", []string{"name", "resource-group"}, runF, func(cmd *cobra.Command, opts *Options) error {
		c, err := opts.F.ARMClient()
		if err != nil {
			return err
		}
		id, err := path(c, opts.ResourceGroup, opts.Name)
		if err != nil {
			return err
		}
		v, err := c.ARM(cmd.Context(), http.MethodGet, id, client.APIVersionIdentities, nil)
		if err != nil {
			return err
		}
		return opts.F.Print(Shape(v), nil)
	})
	cmd.Flags().StringVarP(&opts.Name, "name", "n", "", "The name of the identity resource.")
	return cmd
}

// NewCmdList returns `az identity list`.
func NewCmdList(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd, _ := newCmd(f, "list", "List Managed Identities.", nil, runF, func(cmd *cobra.Command, opts *Options) error {
		c, err := opts.F.ARMClient()
		if err != nil {
			return err
		}
		scope, err := c.SubscriptionPath()
		if opts.ResourceGroup != "" {
			scope, err = c.ResourceGroupPath(opts.ResourceGroup)
		}
		if err != nil {
			return err
		}
		ids, err := c.ARMList(cmd.Context(), scope+"/providers/"+identityType, client.APIVersionIdentities)
		if err != nil {
			return err
		}
		out := make([]any, len(ids))
		for i, x := range ids {
			out[i] = Shape(x)
		}
		return opts.F.Print(out, nil)
	})
	return cmd
}

// NewCmdDelete returns `az identity delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd, opts := newCmd(f, "delete", "Delete an identity.", []string{"name", "resource-group"}, runF, func(cmd *cobra.Command, opts *Options) error {
		c, err := opts.F.ARMClient()
		if err != nil {
			return err
		}
		id, err := path(c, opts.ResourceGroup, opts.Name)
		if err != nil {
			return err
		}
		_, err = c.ARM(cmd.Context(), http.MethodDelete, id, client.APIVersionIdentities, nil)
		return err
	})
	cmd.Flags().StringVarP(&opts.Name, "name", "n", "", "The name of the identity resource.")
	return cmd
}

// Shape is an identity as az prints it: the properties (clientId, principalId, tenantId) flattened.
func Shape(v any) map[string]any {
	o, _ := v.(map[string]any)
	p, _ := o["properties"].(map[string]any)
	return map[string]any{"clientId": p["clientId"], "id": o["id"], "location": o["location"], "name": o["name"],
		"principalId": p["principalId"], "systemData": o["systemData"], "tags": o["tags"], "tenantId": p["tenantId"], "type": o["type"]}
}
