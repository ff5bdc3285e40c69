package client

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// Microsoft.Authorization paths (spec policy-ca-arm.md §4.2).
const (
	roleAssignmentsPath = "/providers/Microsoft.Authorization/roleAssignments"
	roleDefinitionsPath = "/providers/Microsoft.Authorization/roleDefinitions"
)

// isAssignmentExists matches, as az does, a 409 saying the role assignment already exists.
func isAssignmentExists(err error) bool {
	var ae *ARMError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusConflict && strings.Contains(ae.Message, "role assignment already exists")
}

// BuildScope is az's _build_role_scope: the given scope, else the resource group's id, else the
// subscription's.
func (c *Client) BuildScope(resourceGroup, scope string) (string, error) {
	switch {
	case scope != "" && resourceGroup != "":
		return "", fmt.Errorf("Resource group \"%s\" is redundant because scope is supplied", resourceGroup)
	case scope != "":
		return scope, nil
	case resourceGroup != "":
		return c.ResourceGroupPath(resourceGroup)
	}
	return c.SubscriptionPath()
}

var roleDefinitionIDRE = regexp.MustCompile(`(?i)^/subscriptions/.+/providers/Microsoft.Authorization/roleDefinitions/`)

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a GUID in its hyphenated form (az's is_guid).
func IsGUID(s string) bool { return guidRE.MatchString(s) }

// ResolveRole is az's _resolve_role_id: a full role definition id as is, a GUID in the subscription's form,
// else a role name looked up with $filter=roleName eq '...' at the scope.
func (c *Client) ResolveRole(ctx context.Context, role, scope string) (string, error) {
	if roleDefinitionIDRE.MatchString(role) {
		return role, nil
	}
	if IsGUID(role) {
		sub, err := c.SubscriptionPath()
		if err != nil {
			return "", err
		}
		return sub + roleDefinitionsPath + "/" + role, nil
	}
	defs, err := c.ARMList(ctx, strings.TrimRight(scope, "/")+roleDefinitionsPath+"?$filter="+url.QueryEscape("roleName eq '"+role+"'"), APIVersionAuthorization)
	if err != nil {
		return "", err
	}
	switch len(defs) {
	case 0:
		return "", fmt.Errorf("Role '%s' doesn't exist.", role)
	case 1:
		return Str(defs[0], "id"), nil
	}
	var ids []string
	for _, d := range defs {
		ids = append(ids, Str(d, "id"))
	}
	return "", fmt.Errorf("More than one role matches the given name '%s'. Please pick a value from '%s'", role, ids)
}

// RoleDefinitions lists the role definitions visible at a scope.
func (c *Client) RoleDefinitions(ctx context.Context, scope string) ([]Object, error) {
	return c.ARMList(ctx, strings.TrimRight(scope, "/")+roleDefinitionsPath, APIVersionAuthorization)
}

// Assignee is a resolved --assignee.
type Assignee struct {
	ObjectID      string
	PrincipalType string
}

// ResolveAssignee is az's _resolve_object_id_and_type through the directory API: a user by UPN (when the
// text has an @), a service principal by one of its names (its appId), an object id; acremu also accepts a
// service principal's or a group's display name. When the directory cannot be asked and the text is a
// GUID, fallback uses it as an object id with no type.
func (c *Client) ResolveAssignee(ctx context.Context, assignee string, fallback bool, warnf func(string, ...any)) (Assignee, error) {
	a, err := c.resolveAssignee(ctx, assignee)
	var ge *GraphError
	if errors.As(err, &ge) {
		warnf("Failed to query %s by invoking Graph API. If you don't have permission to query Graph API, please specify --assignee-object-id and --assignee-principal-type.", assignee)
		if fallback && IsGUID(assignee) {
			warnf("Assuming %s as an object ID.", assignee)
			return Assignee{ObjectID: assignee}, nil
		}
	}
	return a, err
}

func (c *Client) resolveAssignee(ctx context.Context, assignee string) (Assignee, error) {
	q := ODataEscape(assignee)
	if strings.Contains(assignee, "@") {
		users, err := c.GraphList(ctx, "/users", "userPrincipalName eq '"+q+"'")
		if err != nil {
			return Assignee{}, err
		}
		if len(users) > 0 {
			return Assignee{ObjectID: Str(users[0], "id"), PrincipalType: "User"}, nil
		}
	}
	sps, err := c.GraphList(ctx, "/servicePrincipals", "servicePrincipalNames/any(c:c eq '"+q+"')")
	if err != nil {
		return Assignee{}, err
	}
	if len(sps) > 0 {
		return Assignee{ObjectID: Str(sps[0], "id"), PrincipalType: "ServicePrincipal"}, nil
	}
	if IsGUID(assignee) {
		objs, err := c.ObjectsByIDs(ctx, []string{assignee})
		if err != nil {
			return Assignee{}, err
		}
		if len(objs) > 0 {
			return Assignee{ObjectID: Str(objs[0], "id"), PrincipalType: PrincipalTypeOf(objs[0])}, nil
		}
	}
	for _, kind := range []struct{ path, ptype string }{{"/servicePrincipals", "ServicePrincipal"}, {"/groups", "Group"}} {
		found, err := c.GraphList(ctx, kind.path, "displayName eq '"+q+"'")
		if err != nil {
			return Assignee{}, err
		}
		if len(found) == 1 {
			return Assignee{ObjectID: Str(found[0], "id"), PrincipalType: kind.ptype}, nil
		}
	}
	return Assignee{}, fmt.Errorf("Cannot find user or service principal in graph database for '%s'. If the assignee is an appId, make sure the corresponding service principal is created with 'az ad sp create --id %s'.", assignee, assignee)
}

// PrincipalTypeOfID asks the directory for an object's type, as az does for --assignee-object-id without
// --assignee-principal-type; it returns "" when the directory cannot say.
func (c *Client) PrincipalTypeOfID(ctx context.Context, id string, warnf func(string, ...any)) string {
	objs, err := c.ObjectsByIDs(ctx, []string{id})
	if err != nil {
		warnf("Failed to query --assignee-principal-type for --assignee-object-id %s by invoking Graph API.", id)
		return ""
	}
	if len(objs) == 0 {
		return ""
	}
	return PrincipalTypeOf(objs[0])
}

// AssignmentRequest is a role assignment to create or replace.
type AssignmentRequest struct {
	Name             string
	Scope            string
	RoleDefinitionID string
	PrincipalID      string
	PrincipalType    string
	Description      string
	Condition        string
	ConditionVersion string
}

// PutAssignment creates (or replaces) a role assignment with PUT {scope}/providers/Microsoft.Authorization/
// roleAssignments/{name}; an empty name gets a new GUID. It reports whether the server refused because the
// same principal, role and scope are already assigned.
func (c *Client) PutAssignment(ctx context.Context, r AssignmentRequest) (Object, bool, error) {
	if r.Name == "" {
		r.Name = NewGUID()
	}
	props := map[string]any{"roleDefinitionId": r.RoleDefinitionID, "principalId": r.PrincipalID}
	for k, v := range map[string]string{"principalType": r.PrincipalType, "description": r.Description,
		"condition": r.Condition, "conditionVersion": r.ConditionVersion} {
		if v != "" {
			props[k] = v
		}
	}
	v, err := c.ARM(ctx, http.MethodPut, strings.TrimRight(r.Scope, "/")+roleAssignmentsPath+"/"+r.Name, APIVersionAuthorization,
		map[string]any{"properties": props})
	if err != nil {
		return nil, isAssignmentExists(err), err
	}
	return asObject(v), false, nil
}

// GetAssignment reads one role assignment.
func (c *Client) GetAssignment(ctx context.Context, scope, name string) (Object, error) {
	v, err := c.ARM(ctx, http.MethodGet, strings.TrimRight(scope, "/")+roleAssignmentsPath+"/"+name, APIVersionAuthorization, nil)
	if err != nil {
		return nil, err
	}
	return asObject(v), nil
}

// DeleteAssignmentByID deletes a role assignment by its full id.
func (c *Client) DeleteAssignmentByID(ctx context.Context, id string) error {
	_, err := c.ARM(ctx, http.MethodDelete, id, APIVersionAuthorization, nil)
	return err
}

// AssignmentQuery selects role assignments as az's _search_role_assignments does.
type AssignmentQuery struct {
	// Scope, when set, lists with atScope() at that scope; else the whole subscription.
	Scope            string
	AssigneeObjectID string
	// RoleDefinitionID narrows to one role (compared by its GUID).
	RoleDefinitionID string
	IncludeInherited bool
	IncludeGroups    bool
}

// SearchAssignments lists role assignments and keeps those az keeps: at the scope exactly (or above it with
// IncludeInherited), of the role, of the assignee.
func (c *Client) SearchAssignments(ctx context.Context, q AssignmentQuery) ([]Object, error) {
	var p string
	switch {
	case q.Scope != "":
		f := "atScope()"
		if q.AssigneeObjectID != "" && q.IncludeGroups {
			f += " and assignedTo('" + q.AssigneeObjectID + "')"
		}
		p = strings.TrimRight(q.Scope, "/") + roleAssignmentsPath + "?$filter=" + url.QueryEscape(f)
	default:
		sub, err := c.SubscriptionPath()
		if err != nil {
			return nil, err
		}
		p = sub + roleAssignmentsPath
		if q.AssigneeObjectID != "" {
			f := "principalId eq '" + q.AssigneeObjectID + "'"
			if q.IncludeGroups {
				f = "assignedTo('" + q.AssigneeObjectID + "')"
			}
			p += "?$filter=" + url.QueryEscape(f)
		}
	}
	all, err := c.ARMList(ctx, p, APIVersionAuthorization)
	if err != nil {
		return nil, err
	}
	var out []Object
	for _, a := range all {
		props := asObject(a["properties"])
		s := Str(props, "scope")
		inScope := q.Scope == "" || strings.EqualFold(s, q.Scope) ||
			q.IncludeInherited && strings.HasPrefix(strings.ToLower(q.Scope), strings.ToLower(s))
		if !inScope {
			continue
		}
		if q.RoleDefinitionID != "" && !strings.EqualFold(path.Base(Str(props, "roleDefinitionId")), path.Base(q.RoleDefinitionID)) {
			continue
		}
		if q.AssigneeObjectID != "" && !q.IncludeGroups && !strings.EqualFold(Str(props, "principalId"), q.AssigneeObjectID) {
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// NewGUID returns a random (version 4) GUID, as az's _gen_guid.
func NewGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
