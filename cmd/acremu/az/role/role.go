// Package role holds `az role`: role assignments (with ABAC conditions) and role definitions.
package role

import (
	"path"
	"strings"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// NewCmdRole returns the `az role` group.
func NewCmdRole(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("role", "Manage Azure role-based access control (Azure RBAC).",
		cmdutil.NewGroup("assignment", "Manage role assignments.",
			NewCmdAssignmentCreate(f, nil), NewCmdAssignmentList(f, nil), NewCmdAssignmentDelete(f, nil), NewCmdAssignmentUpdate(f, nil)),
		cmdutil.NewGroup("definition", "Manage role definitions.", NewCmdDefinitionList(f, nil)))
}

// principalTypes are the values of --assignee-principal-type.
var principalTypes = []string{"User", "Group", "ServicePrincipal", "ForeignGroup", "Device"}

// ShapeAssignment is a role assignment as `az role assignment create` prints it in Microsoft's ABAC article:
// the properties flattened into the top level, with canDelegate (always null).
func ShapeAssignment(a client.Object) map[string]any {
	p, _ := a["properties"].(map[string]any)
	if p == nil {
		p = a
	}
	return map[string]any{"canDelegate": nil, "condition": p["condition"], "conditionVersion": p["conditionVersion"],
		"description": p["description"], "id": a["id"], "name": a["name"], "principalId": p["principalId"],
		"principalType": p["principalType"], "roleDefinitionId": p["roleDefinitionId"], "scope": p["scope"], "type": a["type"]}
}

// assignmentTable is az's transform_assignment_list.
func assignmentTable(v any) any {
	var rows []*cmdutil.Ordered
	for _, x := range v.([]any) {
		m, _ := x.(map[string]any)
		rows = append(rows, cmdutil.NewOrdered("Principal", m["principalName"], "Role", m["roleDefinitionName"], "Scope", m["scope"]))
	}
	return rows
}

// ShapeDefinition is a role definition as az prints it (the properties flattened; the role's own type is
// roleType).
func ShapeDefinition(d client.Object) map[string]any {
	p, _ := d["properties"].(map[string]any)
	return map[string]any{"assignableScopes": p["assignableScopes"], "createdBy": p["createdBy"], "createdOn": p["createdOn"],
		"description": p["description"], "id": d["id"], "name": d["name"], "permissions": p["permissions"],
		"roleName": p["roleName"], "roleType": p["type"], "type": d["type"], "updatedBy": p["updatedBy"], "updatedOn": p["updatedOn"]}
}

// definitionTable is az's transform_definition_list.
func definitionTable(v any) any {
	var rows []*cmdutil.Ordered
	for _, x := range v.([]any) {
		m, _ := x.(map[string]any)
		rows = append(rows, cmdutil.NewOrdered("Name", m["roleName"], "Type", m["roleType"], "Description", m["description"]))
	}
	return rows
}

// roleGUID returns the last segment of a role definition id, lower-cased.
func roleGUID(id string) string { return strings.ToLower(path.Base(id)) }
