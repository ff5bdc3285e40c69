package role

import (
	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// DefinitionOptions are the flags of `az role definition list`.
type DefinitionOptions struct {
	F              *cmdutil.Factory
	Name           string
	Scope          string
	ResourceGroup  string
	CustomRoleOnly bool
}

// NewCmdDefinitionList returns `az role definition list`.
func NewCmdDefinitionList(f *cmdutil.Factory, runF func(*DefinitionOptions) error) *cobra.Command {
	opts := &DefinitionOptions{F: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List role definitions.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			c, err := opts.F.ARMClient()
			if err != nil {
				return err
			}
			scope, err := c.BuildScope(opts.ResourceGroup, opts.Scope)
			if err != nil {
				return err
			}
			defs, err := c.RoleDefinitions(cmd.Context(), scope)
			if err != nil {
				return err
			}
			return opts.F.Print(filterDefinitions(defs, opts.Name, opts.CustomRoleOnly), definitionTable)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Name, "name", "n", "", "A role's name, can be used to show details of a particular role.")
	fl.StringVar(&opts.Scope, "scope", "", "Scope at which the role assignment or definition applies to.")
	fl.StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Use it only if the role or assignment was added at the level of a resource group.")
	fl.BoolVar(&opts.CustomRoleOnly, "custom-role-only", false, "Custom roles only (vs. build-in ones).")
	return cmd
}

// filterDefinitions is az's _search_role_definitions: by GUID or role name (exact), custom roles only.
func filterDefinitions(defs []client.Object, name string, customOnly bool) []any {
	out := []any{}
	for _, d := range defs {
		m := ShapeDefinition(d)
		if name != "" && m["name"] != name && m["roleName"] != name {
			continue
		}
		if customOnly && m["roleType"] != "CustomRole" {
			continue
		}
		out = append(out, m)
	}
	return out
}
