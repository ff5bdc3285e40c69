// Package group holds `az group`: resource groups of the emulator's subscription.
package group

import (
	"errors"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// NewCmdGroup returns the `az group` group.
func NewCmdGroup(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("group", "Manage resource groups and template deployments.",
		NewCmdCreate(f, nil), NewCmdShow(f, nil), NewCmdList(f, nil), NewCmdDelete(f, nil), NewCmdExists(f, nil))
}

// Options are the flags of the group commands (each uses a subset).
type Options struct {
	F         *cmdutil.Factory
	Name      string
	Location  string
	Tags      []string
	ManagedBy string
	Yes       bool
}

func newCmd(f *cmdutil.Factory, use, short string, required []string, runF, run func(*cobra.Command, *Options) error) (*cobra.Command, *Options) {
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
				return runF(cmd, opts)
			}
			return run(cmd, opts)
		},
	}
	return cmd, opts
}

func wrap(runF func(*Options) error) func(*cobra.Command, *Options) error {
	if runF == nil {
		return nil
	}
	return func(_ *cobra.Command, o *Options) error { return runF(o) }
}

// NewCmdCreate returns `az group create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd, opts := newCmd(f, "create", "Create a new resource group.", []string{"name", "location"}, wrap(runF), createRun)
	fl := cmd.Flags()
	fl.StringVarP(&opts.Name, "name", "n", "", "Name of the new resource group.")
	fl.StringVarP(&opts.Location, "location", "l", "", "Location. Values from: `az account list-locations`.")
	fl.StringSliceVar(&opts.Tags, "tags", nil, "Space-separated tags: key[=value] [key[=value] ...].")
	cmdutil.Multi(fl, "tags")
	fl.StringVar(&opts.ManagedBy, "managed-by", "", "The ID of the resource that manages this resource group.")
	return cmd
}

func createRun(cmd *cobra.Command, opts *Options) error {
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	id, err := c.ResourceGroupPath(opts.Name)
	if err != nil {
		return err
	}
	body := map[string]any{"location": opts.Location}
	if cmd.Flags().Changed("tags") {
		body["tags"] = cmdutil.ParseTags(opts.Tags)
	}
	if opts.ManagedBy != "" {
		body["managedBy"] = opts.ManagedBy
	}
	v, err := c.ARM(cmd.Context(), http.MethodPut, id, client.APIVersionResources, body)
	if err != nil {
		return err
	}
	return opts.F.Print(Shape(v), nil)
}

// NewCmdShow returns `az group show`.
func NewCmdShow(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd, opts := newCmd(f, "show", "Gets a resource group.", []string{"name|resource-group"}, wrap(runF), showRun)
	cmd.Flags().StringVarP(&opts.Name, "name", "n", "", "Name of resource group.")
	cmd.Flags().StringVarP(&opts.Name, "resource-group", "g", "", "Name of resource group.")
	cmd.Flags().Lookup("resource-group").Hidden = true
	return cmd
}

func showRun(cmd *cobra.Command, opts *Options) error {
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	id, err := c.ResourceGroupPath(opts.Name)
	if err != nil {
		return err
	}
	v, err := c.ARM(cmd.Context(), http.MethodGet, id, client.APIVersionResources, nil)
	if err != nil {
		return err
	}
	return opts.F.Print(Shape(v), nil)
}

// NewCmdList returns `az group list`.
func NewCmdList(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd, _ := newCmd(f, "list", "List resource groups.", nil, wrap(runF), listRun)
	cmd.Flags().String("tag", "", "A single tag in 'key[=value]' format.")
	return cmd
}

func listRun(cmd *cobra.Command, opts *Options) error {
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	sub, err := c.SubscriptionPath()
	if err != nil {
		return err
	}
	groups, err := c.ARMList(cmd.Context(), sub+"/resourcegroups", client.APIVersionResources)
	if err != nil {
		return err
	}
	out := make([]any, len(groups))
	for i, g := range groups {
		out[i] = Shape(g)
	}
	return opts.F.Print(out, Table)
}

// NewCmdDelete returns `az group delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd, opts := newCmd(f, "delete", "Delete a resource group.", []string{"name|resource-group"}, wrap(runF), deleteRun)
	cmd.Flags().StringVarP(&opts.Name, "name", "n", "", "Name of resource group.")
	cmd.Flags().StringVarP(&opts.Name, "resource-group", "g", "", "Name of resource group.")
	cmd.Flags().Lookup("resource-group").Hidden = true
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Do not prompt for confirmation.")
	cmd.Flags().Bool("no-wait", false, "Do not wait for the long-running operation to finish.")
	return cmd
}

func deleteRun(cmd *cobra.Command, opts *Options) error {
	if !opts.Yes {
		if err := opts.F.Confirm("Are you sure you want to perform this operation?"); err != nil {
			return err
		}
	}
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	id, err := c.ResourceGroupPath(opts.Name)
	if err != nil {
		return err
	}
	_, err = c.ARM(cmd.Context(), http.MethodDelete, id, client.APIVersionResources, nil)
	return err
}

// NewCmdExists returns `az group exists`.
func NewCmdExists(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd, opts := newCmd(f, "exists", "Check if a resource group exists.", []string{"name"}, wrap(runF), existsRun)
	cmd.Flags().StringVarP(&opts.Name, "name", "n", "", "Name of resource group.")
	return cmd
}

func existsRun(cmd *cobra.Command, opts *Options) error {
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	id, err := c.ResourceGroupPath(opts.Name)
	if err != nil {
		return err
	}
	_, err = c.ARM(cmd.Context(), http.MethodHead, id, client.APIVersionResources, nil)
	var se client.StatusError
	switch {
	case err == nil:
		return opts.F.Print(true, nil)
	case errors.As(err, &se) && se.HTTPStatus() == http.StatusNotFound:
		return opts.F.Print(false, nil)
	}
	return err
}

// Shape is a resource group as az prints it (the ResourceGroup model: properties not flattened).
func Shape(v any) map[string]any {
	o, _ := v.(map[string]any)
	return map[string]any{"id": o["id"], "location": o["location"], "managedBy": o["managedBy"], "name": o["name"],
		"properties": o["properties"], "tags": o["tags"], "type": o["type"]}
}

// Table is az's transform_resource_group_list.
func Table(v any) any {
	var rows []*cmdutil.Ordered
	for _, x := range v.([]any) {
		m, _ := x.(map[string]any)
		p, _ := m["properties"].(map[string]any)
		rows = append(rows, cmdutil.NewOrdered("Name", m["name"], "Location", m["location"], "Status", p["provisioningState"]))
	}
	return rows
}
