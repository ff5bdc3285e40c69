package acr

import (
	"net/http"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// ShowOptions are the flags of `az acr show`, `az acr list` and `az acr delete`.
type ShowOptions struct {
	F             *cmdutil.Factory
	Name          string
	ResourceGroup string
	Yes           bool
}

func nameFlags(cmd *cobra.Command, opts *ShowOptions) {
	cmd.Flags().StringVarP(&opts.Name, "name", "n", "", "The name of the container registry. You can configure the default registry name using `az configure --defaults acr=<registry name>`.")
	cmd.Flags().StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Name of resource group.")
}

// NewCmdShow returns `az acr show`.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{F: f}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Get the details of an Azure Container Registry.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "name"); err != nil {
				return err
			}
			var err error
			if opts.Name, err = checkName(f, opts.Name); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			c, err := opts.F.ARMClient()
			if err != nil {
				return err
			}
			reg, _, err := lookup(cmd.Context(), opts.F, c, opts.Name, opts.ResourceGroup)
			if err != nil {
				return err
			}
			return opts.F.Print(Shape(reg), Table)
		},
	}
	nameFlags(cmd, opts)
	return cmd
}

// NewCmdList returns `az acr list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{F: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List container registries and show the results in a table.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
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
			regs, err := c.ARMList(cmd.Context(), scope+"/providers/"+registryType, client.APIVersionRegistries)
			if err != nil {
				return err
			}
			out := make([]any, len(regs))
			for i, r := range regs {
				out[i] = Shape(r)
			}
			return opts.F.Print(out, Table)
		},
	}
	cmd.Flags().StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Name of resource group.")
	return cmd
}

// NewCmdDelete returns `az acr delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{F: f}
	cmd := &cobra.Command{
		Use:   "delete",
		Short: "Delete an Azure Container Registry.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "name"); err != nil {
				return err
			}
			var err error
			if opts.Name, err = checkName(f, opts.Name); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return deleteRun(cmd, opts)
		},
	}
	nameFlags(cmd, opts)
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Do not prompt for confirmation.")
	return cmd
}

func deleteRun(cmd *cobra.Command, opts *ShowOptions) error {
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	_, rg, err := lookup(cmd.Context(), opts.F, c, opts.Name, opts.ResourceGroup)
	if err != nil {
		return err
	}
	if !opts.Yes {
		if err := opts.F.Confirm("Are you sure you want to delete the registry '" + opts.Name + "'?"); err != nil {
			return err
		}
	}
	id, err := registryPath(c, rg, opts.Name)
	if err != nil {
		return err
	}
	_, err = c.ARM(cmd.Context(), http.MethodDelete, id, client.APIVersionRegistries, nil)
	return err
}
