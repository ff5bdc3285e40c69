package acr

import (
	"net/http"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// UpdateOptions are the flags of `az acr update`.
type UpdateOptions struct {
	F                    *cmdutil.Factory
	Name                 string
	ResourceGroup        string
	SKU                  string
	AdminEnabled         cmdutil.TriState
	AnonymousPullEnabled cmdutil.TriState
	PublicNetworkEnabled cmdutil.TriState
	RoleAssignmentMode   string
	Tags                 []string
	TagsSet              bool
}

// NewCmdUpdate returns `az acr update`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(*UpdateOptions) error) *cobra.Command {
	opts := &UpdateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Update an Azure Container Registry.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "name"); err != nil {
				return err
			}
			var err error
			if opts.SKU != "" {
				if opts.SKU, err = cmdutil.Choice(cmd, "sku", opts.SKU, skus...); err != nil {
					return err
				}
			}
			if opts.RoleAssignmentMode != "" {
				if opts.RoleAssignmentMode, err = cmdutil.Choice(cmd, "role-assignment-mode", opts.RoleAssignmentMode, "rbac", "rbac-abac"); err != nil {
					return err
				}
			}
			if opts.Name, err = checkName(f, opts.Name); err != nil {
				return err
			}
			opts.TagsSet = cmd.Flags().Changed("tags")
			if runF != nil {
				return runF(opts)
			}
			return updateRun(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Name, "name", "n", "", "The name of the container registry.")
	fl.StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Name of resource group.")
	fl.StringVar(&opts.SKU, "sku", "", "The SKU of the container registry.  Allowed values: Basic, Premium, Standard.")
	cmdutil.TriStateVar(fl, &opts.AdminEnabled, "admin-enabled", "", "Indicates whether the admin user is enabled.")
	cmdutil.TriStateVar(fl, &opts.AnonymousPullEnabled, "anonymous-pull-enabled", "", "Enable registry-wide pull from unauthenticated clients.")
	cmdutil.TriStateVar(fl, &opts.PublicNetworkEnabled, "public-network-enabled", "", "Allow public network access for the container registry.")
	fl.StringVar(&opts.RoleAssignmentMode, "role-assignment-mode", "", "Role assignment mode of the registry.  Allowed values: rbac, rbac-abac.")
	fl.StringSliceVar(&opts.Tags, "tags", nil, "Space-separated tags: key[=value] [key[=value] ...]. Use \"\" to clear existing tags.")
	cmdutil.Multi(fl, "tags")
	return cmd
}

// updateRun is az's generic update: read the registry, then PATCH only what the flags change.
func updateRun(cmd *cobra.Command, opts *UpdateOptions) error {
	ctx := cmd.Context()
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	_, rg, err := lookup(ctx, opts.F, c, opts.Name, opts.ResourceGroup)
	if err != nil {
		return err
	}
	props := map[string]any{}
	if p := opts.AdminEnabled.Ptr(); p != nil {
		props["adminUserEnabled"] = *p
	}
	if p := opts.AnonymousPullEnabled.Ptr(); p != nil {
		props["anonymousPullEnabled"] = *p
	}
	if p := opts.PublicNetworkEnabled.Ptr(); p != nil {
		props["publicNetworkAccess"] = map[bool]string{true: "Enabled", false: "Disabled"}[*p]
	}
	if opts.RoleAssignmentMode != "" {
		props["roleAssignmentMode"] = roleAssignmentModes[opts.RoleAssignmentMode]
	}
	body := map[string]any{"properties": props}
	if opts.SKU != "" {
		body["sku"] = map[string]any{"name": opts.SKU}
	}
	if opts.TagsSet {
		body["tags"] = cmdutil.ParseTags(opts.Tags)
	}
	id, err := registryPath(c, rg, opts.Name)
	if err != nil {
		return err
	}
	v, err := c.ARM(ctx, http.MethodPatch, id, client.APIVersionRegistries, body)
	if err != nil {
		return err
	}
	return opts.F.Print(Shape(v), Table)
}
