package acr

import (
	"net/http"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// CreateOptions are the flags of `az acr create`.
type CreateOptions struct {
	F                    *cmdutil.Factory
	Name                 string
	ResourceGroup        string
	SKU                  string
	Location             string
	AdminEnabled         cmdutil.TriState
	RoleAssignmentMode   string
	Tags                 []string
	PublicNetworkEnabled cmdutil.TriState
	ZoneRedundancy       string
	TagsSet              bool
}

// NewCmdCreate returns `az acr create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create an Azure Container Registry.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "name", "resource-group", "sku"); err != nil {
				return err
			}
			var err error
			if opts.SKU, err = cmdutil.Choice(cmd, "sku", opts.SKU, skus...); err != nil {
				return err
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
			return createRun(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Name, "name", "n", "", "The name of the container registry. It should be specified in lower case.")
	fl.StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Name of resource group.")
	fl.StringVar(&opts.SKU, "sku", "", "The SKU of the container registry.  Allowed values: Basic, Premium, Standard.")
	fl.StringVarP(&opts.Location, "location", "l", "", "Location. When not specified, the location of the resource group will be used.")
	cmdutil.TriStateVar(fl, &opts.AdminEnabled, "admin-enabled", "", "Indicates whether the admin user is enabled.")
	fl.StringVar(&opts.RoleAssignmentMode, "role-assignment-mode", "", "Role assignment mode of the registry.  Allowed values: rbac, rbac-abac.")
	fl.StringSliceVar(&opts.Tags, "tags", nil, "Space-separated tags: key[=value] [key[=value] ...].")
	cmdutil.Multi(fl, "tags")
	cmdutil.TriStateVar(fl, &opts.PublicNetworkEnabled, "public-network-enabled", "", "Allow public network access for the container registry.")
	fl.StringVar(&opts.ZoneRedundancy, "zone-redundancy", "", "Indicates whether or not zone redundancy should be enabled.  Allowed values: Disabled, Enabled.")
	return cmd
}

var upperRE, dashRE = regexp.MustCompile(`\w*[A-Z]\w*`), regexp.MustCompile(`\w*[-]\w*`)

func createRun(cmd *cobra.Command, opts *CreateOptions) error {
	if upperRE.MatchString(opts.Name) {
		return cmdutil.Usagef("argument error: Registry name must use only lowercase.")
	}
	if dashRE.MatchString(opts.Name) {
		return cmdutil.Usagef("argument error: Registry name cannot contain dashes.")
	}
	ctx := cmd.Context()
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
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
	props := map[string]any{"adminUserEnabled": opts.AdminEnabled.Ptr() != nil && *opts.AdminEnabled.Ptr()}
	if opts.RoleAssignmentMode != "" {
		props["roleAssignmentMode"] = roleAssignmentModes[opts.RoleAssignmentMode]
	}
	if p := opts.PublicNetworkEnabled.Ptr(); p != nil {
		props["publicNetworkAccess"] = map[bool]string{true: "Enabled", false: "Disabled"}[*p]
	}
	if opts.ZoneRedundancy != "" {
		props["zoneRedundancy"] = opts.ZoneRedundancy
	}
	body := map[string]any{"location": opts.Location, "sku": map[string]any{"name": opts.SKU}, "properties": props}
	if opts.TagsSet {
		body["tags"] = cmdutil.ParseTags(opts.Tags)
	}
	id, err := registryPath(c, opts.ResourceGroup, opts.Name)
	if err != nil {
		return err
	}
	v, err := c.ARM(ctx, http.MethodPut, id, client.APIVersionRegistries, body)
	if err != nil {
		return err
	}
	return opts.F.Print(Shape(v), Table)
}
