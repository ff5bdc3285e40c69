package role

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// scopeWarning is az's SCOPE_WARNING, printed when --scope is left out.
const scopeWarning = "--scope argument will become required for creating a role assignment in the breaking change release of the fall of 2023. Please explicitly specify --scope."

// defaultConditionVersion is what az sends when --condition comes without --condition-version.
const defaultConditionVersion = "2.0"

// AssignmentOptions are the flags of the `az role assignment` commands (each uses a subset).
type AssignmentOptions struct {
	F                     *cmdutil.Factory
	Role                  string
	Assignee              string
	AssigneeObjectID      string
	AssigneePrincipalType string
	Scope                 string
	ResourceGroup         string
	Description           string
	Condition             string
	ConditionVersion      string
	Name                  string
	IDs                   []string
	All                   bool
	IncludeInherited      bool
	IncludeGroups         bool
	Yes                   bool
	RoleAssignment        string
}

// NewCmdAssignmentCreate returns `az role assignment create`.
func NewCmdAssignmentCreate(f *cmdutil.Factory, runF func(*AssignmentOptions) error) *cobra.Command {
	opts := &AssignmentOptions{F: f}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a new role assignment for a user, group, or service principal.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "role"); err != nil {
				return err
			}
			if opts.AssigneePrincipalType != "" {
				var err error
				if opts.AssigneePrincipalType, err = cmdutil.Choice(cmd, "assignee-principal-type", opts.AssigneePrincipalType, principalTypes...); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return createRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Role, "role", "", "Role name or id.")
	fl.StringVar(&opts.Assignee, "assignee", "", "Represent a user or service principal. Supported format: object id, user sign-in name, or service principal name.")
	fl.StringVar(&opts.AssigneeObjectID, "assignee-object-id", "", "Use this parameter instead of '--assignee' to bypass Graph API invocation in case of insufficient privileges.")
	fl.StringVar(&opts.AssigneePrincipalType, "assignee-principal-type", "", "Use with --assignee-object-id to avoid errors caused by propagation latency in Microsoft Graph.  Allowed values: Device, ForeignGroup, Group, ServicePrincipal, User.")
	fl.StringVar(&opts.Scope, "scope", "", "Scope at which the role assignment or definition applies to.")
	fl.StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Use it only if the role or assignment was added at the level of a resource group.")
	fl.StringVar(&opts.Description, "description", "", "Description of role assignment.")
	fl.StringVar(&opts.Condition, "condition", "", "Condition under which the user can be granted permission.")
	fl.StringVar(&opts.ConditionVersion, "condition-version", "", "Version of the condition syntax. If --condition is specified without --condition-version, default to 2.0.")
	fl.StringVar(&opts.Name, "name", "", "A GUID for the role assignment. It must be unique and different for each role assignment.")
	return cmd
}

// createRun is az's create_role_assignment: check the arguments, resolve the assignee through the directory
// and the role through ARM, PUT the assignment; an existing identical assignment is returned instead.
func createRun(ctx context.Context, opts *AssignmentOptions) error {
	f := opts.F
	if opts.Scope == "" {
		f.Warnf("%s", scopeWarning)
	}
	if (opts.Assignee == "") == (opts.AssigneeObjectID == "") {
		return errors.New("usage error: --assignee STRING | --assignee-object-id GUID")
	}
	if opts.AssigneePrincipalType != "" && opts.AssigneeObjectID == "" {
		return errors.New("usage error: --assignee-object-id GUID --assignee-principal-type TYPE")
	}
	if opts.Condition != "" && opts.ConditionVersion == "" {
		opts.ConditionVersion = defaultConditionVersion
	}
	if opts.ConditionVersion != "" && opts.Condition == "" {
		return errors.New("usage error: When --condition-version is set, --condition must be set as well.")
	}
	c, err := f.ARMClient()
	if err != nil {
		return err
	}
	var who client.Assignee
	if opts.Assignee != "" {
		if who, err = c.ResolveAssignee(ctx, opts.Assignee, true, f.Warnf); err != nil {
			return err
		}
	} else {
		who = client.Assignee{ObjectID: opts.AssigneeObjectID, PrincipalType: opts.AssigneePrincipalType}
		if who.PrincipalType == "" {
			f.Warnf("RBAC service might reject creating role assignment without --assignee-principal-type in the future. Better to specify --assignee-principal-type manually.")
			who.PrincipalType = c.PrincipalTypeOfID(ctx, who.ObjectID, f.Warnf)
		}
	}
	scope, err := c.BuildScope(opts.ResourceGroup, opts.Scope)
	if err != nil {
		return err
	}
	roleID, err := c.ResolveRole(ctx, opts.Role, scope)
	if err != nil {
		return err
	}
	a, exists, err := c.PutAssignment(ctx, client.AssignmentRequest{Name: opts.Name, Scope: scope, RoleDefinitionID: roleID,
		PrincipalID: who.ObjectID, PrincipalType: who.PrincipalType, Description: opts.Description,
		Condition: opts.Condition, ConditionVersion: opts.ConditionVersion})
	if exists {
		found, lerr := c.SearchAssignments(ctx, client.AssignmentQuery{Scope: scope, AssigneeObjectID: who.ObjectID, RoleDefinitionID: roleID})
		if lerr == nil && len(found) > 0 {
			return f.Print(ShapeAssignment(found[0]), nil)
		}
	}
	if err != nil {
		return err
	}
	return f.Print(ShapeAssignment(a), nil)
}

// NewCmdAssignmentList returns `az role assignment list`.
func NewCmdAssignmentList(f *cmdutil.Factory, runF func(*AssignmentOptions) error) *cobra.Command {
	opts := &AssignmentOptions{F: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List role assignments.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	searchFlags(cmd, opts)
	fl := cmd.Flags()
	fl.BoolVar(&opts.All, "all", false, "Show all assignments under the current subscription.")
	fl.BoolVar(&opts.IncludeGroups, "include-groups", false, "Include extra assignments to the groups of which the user is a member (transitively).")
	fl.Bool("include-classic-administrators", false, "List default role assignments for subscription classic administrators, aka co-admins.")
	fl.Bool("fill-principal-name", true, "Fill principalName property with value from Microsoft Graph.")
	fl.Bool("fill-role-definition-name", true, "Fill roleDefinitionName property with role definition name.")
	return cmd
}

func searchFlags(cmd *cobra.Command, opts *AssignmentOptions) {
	fl := cmd.Flags()
	fl.StringVar(&opts.Assignee, "assignee", "", "Represent a user or service principal. Supported format: object id, user sign-in name, or service principal name.")
	fl.StringVar(&opts.Role, "role", "", "Role name or id.")
	fl.StringVar(&opts.Scope, "scope", "", "Scope at which the role assignment or definition applies to.")
	fl.StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Use it only if the role or assignment was added at the level of a resource group.")
	fl.BoolVar(&opts.IncludeInherited, "include-inherited", false, "Include assignments applied on parent scopes.")
}

// search runs az's _search_role_assignments for the search flags.
func search(ctx context.Context, c *client.Client, opts *AssignmentOptions, includeGroups bool) ([]client.Object, string, error) {
	scope := ""
	if !opts.All {
		var err error
		if scope, err = c.BuildScope(opts.ResourceGroup, opts.Scope); err != nil {
			return nil, "", err
		}
	} else if opts.ResourceGroup != "" || opts.Scope != "" {
		return nil, "", errors.New("group or scope are not required when --all is used")
	}
	q := client.AssignmentQuery{Scope: scope, IncludeInherited: opts.IncludeInherited, IncludeGroups: includeGroups}
	if opts.Assignee != "" {
		who, err := c.ResolveAssignee(ctx, opts.Assignee, true, opts.F.Warnf)
		if err != nil {
			return nil, "", err
		}
		q.AssigneeObjectID = who.ObjectID
	}
	if opts.Role != "" {
		roleScope := scope
		if roleScope == "" {
			roleScope, _ = c.SubscriptionPath()
		}
		id, err := c.ResolveRole(ctx, opts.Role, roleScope)
		if err != nil {
			return nil, "", err
		}
		q.RoleDefinitionID = id
	}
	found, err := c.SearchAssignments(ctx, q)
	return found, scope, err
}

// listRun is az's list_role_assignments: the assignments found, with roleDefinitionName and principalName
// filled in.
func listRun(ctx context.Context, opts *AssignmentOptions) error {
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	found, scope, err := search(ctx, c, opts, opts.IncludeGroups)
	if err != nil {
		return err
	}
	out := []any{}
	if len(found) == 0 {
		return opts.F.Print(out, assignmentTable)
	}
	if scope == "" {
		scope, _ = c.SubscriptionPath()
	}
	roleNames := map[string]string{}
	if defs, err := c.RoleDefinitions(ctx, scope); err == nil {
		for _, d := range defs {
			p, _ := d["properties"].(map[string]any)
			roleNames[roleGUID(client.Str(d, "id"))], _ = p["roleName"].(string)
		}
	}
	ids := map[string]bool{}
	var idList []string
	for _, a := range found {
		p, _ := a["properties"].(map[string]any)
		if id := client.Str(p, "principalId"); id != "" && !ids[id] {
			ids[id] = true
			idList = append(idList, id)
		}
	}
	principals := map[string]string{}
	if objs, err := c.ObjectsByIDs(ctx, idList); err == nil {
		for _, o := range objs {
			principals[strings.ToLower(client.Str(o, "id"))] = client.DisplayableName(o)
		}
	} else {
		opts.F.Infof("Failed to resolve graph object information per error '%s'", err)
	}
	for _, a := range found {
		m := ShapeAssignment(a)
		roleID, _ := m["roleDefinitionId"].(string)
		if n, ok := roleNames[roleGUID(roleID)]; ok {
			m["roleDefinitionName"] = n
		} else {
			m["roleDefinitionName"] = nil
		}
		pid, _ := m["principalId"].(string)
		m["principalName"] = principals[strings.ToLower(pid)]
		out = append(out, m)
	}
	return opts.F.Print(out, assignmentTable)
}

// NewCmdAssignmentDelete returns `az role assignment delete`.
func NewCmdAssignmentDelete(f *cmdutil.Factory, runF func(*AssignmentOptions) error) *cobra.Command {
	opts := &AssignmentOptions{F: f}
	cmd := &cobra.Command{
		Use:   "delete",
		Short: "Delete role assignments.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return deleteRun(cmd.Context(), opts)
		},
	}
	searchFlags(cmd, opts)
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.IDs, "ids", nil, "Space-separated role assignment ids.")
	cmdutil.Multi(fl, "ids")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "Currently no-op.")
	return cmd
}

// deleteRun is az's delete_role_assignments: by --ids, or every assignment the search flags select.
func deleteRun(ctx context.Context, opts *AssignmentOptions) error {
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	if len(opts.IDs) > 0 {
		for flag, set := range map[string]bool{"--assignee": opts.Assignee != "", "--role": opts.Role != "",
			"--resource-group": opts.ResourceGroup != "", "--scope": opts.Scope != "", "--include-inherited": opts.IncludeInherited} {
			if set {
				opts.F.Warnf("option '%s' will be ignored due to use of '--ids'.", flag)
			}
		}
		for _, id := range opts.IDs {
			if err := c.DeleteAssignmentByID(ctx, id); err != nil {
				return err
			}
		}
		return nil
	}
	if opts.Assignee == "" && opts.Role == "" && opts.ResourceGroup == "" && opts.Scope == "" && !opts.Yes {
		if err := opts.F.Confirm("This will delete all role assignments under the subscription. Are you sure?"); err != nil {
			if errors.Is(err, cmdutil.ErrCancelled) {
				return nil
			}
			return err
		}
	}
	found, _, err := search(ctx, c, opts, false)
	if err != nil {
		return err
	}
	if len(found) == 0 {
		return errors.New("No matched assignments were found to delete")
	}
	for _, a := range found {
		if err := c.DeleteAssignmentByID(ctx, client.Str(a, "id")); err != nil {
			return err
		}
	}
	return nil
}

// NewCmdAssignmentUpdate returns `az role assignment update`.
func NewCmdAssignmentUpdate(f *cmdutil.Factory, runF func(*AssignmentOptions) error) *cobra.Command {
	opts := &AssignmentOptions{F: f}
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Update an existing role assignment for a user, group, or service principal.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "role-assignment"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return updateRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.RoleAssignment, "role-assignment", "", "Description of an existing role assignment as JSON, or a path to a file containing a JSON description.")
	return cmd
}

// updateRun is az's update_role_assignment: the JSON (as `az role assignment list` prints it, or with a
// properties object) names the assignment by scope and name; condition, conditionVersion and description
// are what ARM lets change.
func updateRun(ctx context.Context, opts *AssignmentOptions) error {
	raw := []byte(opts.RoleAssignment)
	if b, err := os.ReadFile(opts.RoleAssignment); err == nil {
		raw = b
	}
	var in map[string]any
	if err := json.Unmarshal(raw, &in); err != nil {
		return errors.New("Failed to parse string as JSON:\n" + opts.RoleAssignment + "\nError detail: " + err.Error())
	}
	flat := ShapeAssignment(in)
	get := func(k string) string { s, _ := flat[k].(string); return s }
	scope, name := get("scope"), get("name")
	if id := get("id"); id != "" && (scope == "" || name == "") {
		if i := strings.LastIndex(strings.ToLower(id), "/providers/microsoft.authorization/roleassignments/"); i >= 0 {
			scope, name = id[:i], id[strings.LastIndex(id, "/")+1:]
		}
	}
	if scope == "" || name == "" {
		return errors.New("The role assignment must name its scope and name (or id).")
	}
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	orig, err := c.GetAssignment(ctx, scope, name)
	if err != nil {
		return err
	}
	origFlat := ShapeAssignment(orig)
	if ov, _ := origFlat["conditionVersion"].(string); strings.HasPrefix(ov, "2.") && strings.HasPrefix(get("conditionVersion"), "1.") {
		return errors.New("Condition version cannot be downgraded to '1.X'.")
	}
	req := client.AssignmentRequest{Name: name, Scope: scope, RoleDefinitionID: get("roleDefinitionId"), PrincipalID: get("principalId"),
		PrincipalType: get("principalType"), Description: get("description"), Condition: get("condition"), ConditionVersion: get("conditionVersion")}
	if req.PrincipalType == "" {
		req.PrincipalType, _ = origFlat["principalType"].(string)
	}
	if req.RoleDefinitionID == "" {
		req.RoleDefinitionID, _ = origFlat["roleDefinitionId"].(string)
	}
	if req.PrincipalID == "" {
		req.PrincipalID, _ = origFlat["principalId"].(string)
	}
	a, _, err := c.PutAssignment(ctx, req)
	if err != nil {
		return err
	}
	return opts.F.Print(ShapeAssignment(a), nil)
}
