package arm

import (
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/storage"
)

// Microsoft.Authorization api-versions: conditions need 2020-03-01-preview or later, descriptions
// 2020-04-01-preview (spec abac-conditions.md §1).
var authorizationAPIVersions = []string{"2015-07-01", "2018-01-01-preview", "2018-09-01-preview", "2020-03-01-preview",
	"2020-04-01-preview", "2020-08-01-preview", "2020-10-01-preview", "2021-04-01-preview", "2022-04-01",
	"2022-05-01-preview", "2022-08-01-preview"}

// Control-plane Actions of Microsoft.Authorization.
const (
	actionAssignmentRead   = "Microsoft.Authorization/roleAssignments/read"
	actionAssignmentWrite  = "Microsoft.Authorization/roleAssignments/write"
	actionAssignmentDelete = "Microsoft.Authorization/roleAssignments/delete"
	actionDefinitionRead   = "Microsoft.Authorization/roleDefinitions/read"
	assignmentType         = "Microsoft.Authorization/roleAssignments"
	definitionType         = "Microsoft.Authorization/roleDefinitions"
	// maxDescription is the description limit (spec abac-conditions.md §8).
	maxDescription = 2048
)

// RoleAssignmentProperties is the properties bag of a role assignment (spec policy-ca-arm.md §4.2).
type RoleAssignmentProperties struct {
	RoleDefinitionID                   string     `json:"roleDefinitionId"`
	PrincipalID                        string     `json:"principalId"`
	PrincipalType                      string     `json:"principalType,omitempty"`
	Scope                              string     `json:"scope,omitempty"`
	Condition                          *string    `json:"condition"`
	ConditionVersion                   *string    `json:"conditionVersion"`
	Description                        *string    `json:"description"`
	CreatedOn                          *time.Time `json:"createdOn,omitempty"`
	UpdatedOn                          *time.Time `json:"updatedOn,omitempty"`
	CreatedBy                          *string    `json:"createdBy"`
	UpdatedBy                          *string    `json:"updatedBy"`
	DelegatedManagedIdentityResourceID *string    `json:"delegatedManagedIdentityResourceId"`
}

// RoleAssignmentResource is the ARM representation of a role assignment.
type RoleAssignmentResource struct {
	ID         string                   `json:"id,omitempty"`
	Name       string                   `json:"name,omitempty"`
	Type       string                   `json:"type,omitempty"`
	Properties RoleAssignmentProperties `json:"properties"`
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func assignmentResource(a *storage.RoleAssignment) RoleAssignmentResource {
	created, updated := a.CreatedOn.UTC(), a.UpdatedOn.UTC()
	return RoleAssignmentResource{ID: a.ID, Name: a.Name, Type: assignmentType, Properties: RoleAssignmentProperties{
		RoleDefinitionID: a.RoleDefinitionID, PrincipalID: a.PrincipalID, PrincipalType: a.PrincipalType, Scope: a.Scope,
		Condition: nilIfEmpty(a.Condition), ConditionVersion: nilIfEmpty(a.ConditionVersion), Description: nilIfEmpty(a.Description),
		CreatedOn: &created, UpdatedOn: &updated, CreatedBy: nilIfEmpty(a.CreatedBy), UpdatedBy: nilIfEmpty(a.CreatedBy)}}
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// checkScope verifies that a scope names something that exists: the subscription, a resource group or a
// registry.
func checkScope(st *storage.State, p armPath) error {
	switch {
	case p.registry != "":
		_, err := lookupRegistry(st, p)
		return err
	case p.resourceGroup != "":
		if _, ok := st.ResourceGroup(p.resourceGroup); !ok {
			return errResourceGroupNotFound(p.resourceGroup)
		}
	}
	return nil
}

func (s *Server) roleAssignments(req *request, p armPath) error {
	if err := req.checkAPIVersion(assignmentType, authorizationAPIVersions); err != nil {
		return err
	}
	if p.kind == pathRoleAssignments {
		if req.r.Method != http.MethodGet {
			return errMethodNotAllowed(req.r.Method)
		}
		if err := req.authorize(p.scope, actionAssignmentRead); err != nil {
			return err
		}
		return s.listAssignments(req, p)
	}
	id := storage.RoleAssignmentID(p.scope, p.name)
	existing, exists := req.st.RoleAssignment(p.name)
	if exists && !strings.EqualFold(existing.Scope, strings.TrimRight(p.scope, "/")) {
		exists = false // the name is taken at another scope: for this scope it does not exist
		if req.r.Method == http.MethodPut {
			return &Error{Status: http.StatusConflict, Code: "RoleAssignmentExists", Message: "The role assignment already exists."}
		}
	}
	switch req.r.Method {
	case http.MethodGet:
		if err := req.authorize(p.scope, actionAssignmentRead); err != nil {
			return err
		}
		if !exists {
			return &Error{Status: http.StatusNotFound, Code: "RoleAssignmentNotFound", Message: fmt.Sprintf("The role assignment '%s' is not found.", p.name)}
		}
		return req.reply(http.StatusOK, assignmentResource(existing))
	case http.MethodDelete:
		if err := req.authorize(p.scope, actionAssignmentDelete); err != nil {
			return err
		}
		if !exists {
			req.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		if err := s.db.Update(func(tx *storage.Tx) error { return tx.DeleteRoleAssignment(p.name) }); err != nil {
			return err
		}
		return req.reply(http.StatusOK, assignmentResource(existing))
	case http.MethodPut:
		if err := req.authorize(id, actionAssignmentWrite); err != nil {
			return err
		}
		return s.putAssignment(req, p, id, existing, exists)
	}
	return errMethodNotAllowed(req.r.Method)
}

// putAssignment creates a role assignment, or changes the condition, conditionVersion and description of
// an existing one (the only properties ARM lets change).
func (s *Server) putAssignment(req *request, p armPath, id string, existing *storage.RoleAssignment, exists bool) error {
	if !guidRE.MatchString(p.name) {
		return errBadRequest("InvalidRoleAssignmentId", fmt.Sprintf("The role assignment ID '%s' is not valid. The role assignment ID must be a GUID.", p.name))
	}
	if err := checkScope(req.st, p); err != nil {
		return err
	}
	var body RoleAssignmentResource
	if err := req.decode(&body); err != nil {
		return err
	}
	pr := body.Properties
	if pr.RoleDefinitionID == "" || pr.PrincipalID == "" {
		return errBadRequest("InvalidRequestContent", "The request content was invalid: 'roleDefinitionId' and 'principalId' are required.")
	}
	roleGUID := path.Base(pr.RoleDefinitionID)
	role, ok := req.st.Authz.Role(roleGUID)
	if !ok {
		return errBadRequest("RoleDefinitionDoesNotExist", fmt.Sprintf("The specified role definition with ID '%s' does not exist.", roleGUID))
	}
	principal, ok := req.st.Principal(pr.PrincipalID)
	if !ok {
		return errBadRequest("PrincipalNotFound", fmt.Sprintf("Principal %s does not exist in the directory %s. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype", strings.ReplaceAll(pr.PrincipalID, "-", ""), req.st.Directory.TenantID))
	}
	ptype := principal.Kind
	if ptype == storage.KindManagedIdentity {
		ptype = storage.KindServicePrincipal
	}
	if pr.PrincipalType != "" && !strings.EqualFold(pr.PrincipalType, ptype) {
		return errBadRequest("PrincipalTypeNotSupported", fmt.Sprintf("The principal type '%s' does not match the principal's type '%s'.", pr.PrincipalType, ptype))
	}
	cond, ver := deref(pr.Condition), deref(pr.ConditionVersion)
	version, err := authz.CheckCondition(role, cond, ver)
	if err != nil {
		return invalidCondition(err)
	}
	if desc := deref(pr.Description); len(desc) > maxDescription {
		return errBadRequest("InvalidRoleAssignmentDescription", fmt.Sprintf("The role assignment description exceeds the maximum length of %d characters.", maxDescription))
	}
	if exists {
		if !strings.EqualFold(path.Base(existing.RoleDefinitionID), roleGUID) || !strings.EqualFold(existing.PrincipalID, pr.PrincipalID) {
			return errBadRequest("RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.")
		}
	} else {
		for _, a := range req.st.RoleAssignments() {
			if strings.EqualFold(a.Scope, strings.TrimRight(p.scope, "/")) && strings.EqualFold(a.PrincipalID, pr.PrincipalID) &&
				strings.EqualFold(path.Base(a.RoleDefinitionID), roleGUID) {
				return &Error{Status: http.StatusConflict, Code: "RoleAssignmentExists", Message: "The role assignment already exists."}
			}
		}
	}
	rec := storage.RoleAssignment{ID: id, Name: strings.ToLower(p.name), Scope: strings.TrimRight(p.scope, "/"),
		RoleDefinitionID: pr.RoleDefinitionID, PrincipalID: principal.ObjectID, PrincipalType: ptype,
		Condition: cond, ConditionVersion: version, Description: deref(pr.Description), CreatedBy: req.who.p.ObjectID}
	status := http.StatusCreated
	if exists {
		rec.CreatedOn, rec.CreatedBy, status = existing.CreatedOn, existing.CreatedBy, http.StatusOK
	}
	if err := s.db.Update(func(tx *storage.Tx) error { return tx.PutRoleAssignment(rec) }); err != nil {
		return err
	}
	saved, _ := s.db.State().RoleAssignment(rec.Name)
	s.log.Info("role assignment written", "id", rec.ID, "role", role.Name, "principal", rec.PrincipalID, "conditional", cond != "", "by", req.who.name)
	return req.reply(status, assignmentResource(saved))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// invalidCondition is ARM's 400 for a refused condition, with the precise reason in details.
func invalidCondition(err error) *Error {
	reason := strings.TrimSpace(strings.TrimPrefix(err.Error(), authz.ErrInvalidCondition.Error()))
	return &Error{Status: http.StatusBadRequest, Code: "InvalidRoleAssignmentCondition", Message: authz.ErrInvalidCondition.Error(),
		Details: []*Error{{Code: "ConditionValidationFailed", Target: "properties.condition", Message: reason}}}
}

// listAssignments lists the assignments that apply at the scope (at it or above) and, unless filtered with
// atScope(), those beneath it; $filter principalId eq '{id}' and assignedTo('{id}') narrow to a principal.
func (s *Server) listAssignments(req *request, p armPath) error {
	filter := req.r.URL.Query().Get("$filter")
	atScope := strings.Contains(filter, "atScope()")
	var principal string
	if m := regexp.MustCompile(`(?i)(?:principalId eq|assignedTo\()\s*'([^']+)'`).FindStringSubmatch(filter); m != nil {
		principal = strings.ToLower(m[1])
	}
	scope := strings.ToLower(strings.TrimRight(p.scope, "/"))
	var groups map[string]bool
	if principal != "" && strings.Contains(strings.ToLower(filter), "assignedto") {
		groups = map[string]bool{principal: true}
		for _, g := range req.st.Authz.Groups(principal) {
			groups[g] = true
		}
	}
	out := list[RoleAssignmentResource]{Value: []RoleAssignmentResource{}}
	for _, a := range req.st.RoleAssignments() {
		as := strings.ToLower(a.Scope)
		above := as == scope || scope == "" || strings.HasPrefix(scope, as+"/") || as == "/"
		below := strings.HasPrefix(as, scope+"/")
		if !above && (atScope || !below) {
			continue
		}
		pid := strings.ToLower(a.PrincipalID)
		if principal != "" && pid != principal && !groups[pid] {
			continue
		}
		out.Value = append(out.Value, assignmentResource(a))
	}
	return req.reply(http.StatusOK, out)
}

// RoleDefinitionResource is the ARM representation of a role definition.
type RoleDefinitionResource struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Properties struct {
		RoleName         string             `json:"roleName"`
		Type             string             `json:"type"`
		Description      string             `json:"description"`
		AssignableScopes []string           `json:"assignableScopes"`
		Permissions      []authz.Permission `json:"permissions"`
		CreatedOn        *time.Time         `json:"createdOn"`
		UpdatedOn        *time.Time         `json:"updatedOn"`
		CreatedBy        *string            `json:"createdBy"`
		UpdatedBy        *string            `json:"updatedBy"`
	} `json:"properties"`
}

func definitionResource(scope string, r *authz.RoleDefinition) RoleDefinitionResource {
	var d RoleDefinitionResource
	// ARM names role definitions by their subscription, whatever scope they were read at.
	prefix := ""
	if segs := strings.SplitN(strings.TrimPrefix(scope, "/"), "/", 3); len(segs) >= 2 && strings.EqualFold(segs[0], "subscriptions") {
		prefix = "/subscriptions/" + segs[1]
	}
	d.ID, d.Name, d.Type = prefix+"/providers/"+definitionType+"/"+r.ID, r.ID, definitionType
	d.Properties.RoleName, d.Properties.Description, d.Properties.AssignableScopes = r.Name, r.Description, r.AssignableScopes
	d.Properties.Type = "BuiltInRole"
	d.Properties.Permissions = make([]authz.Permission, len(r.Permissions))
	for i, p := range r.Permissions {
		d.Properties.Permissions[i] = authz.Permission{Actions: nonNil(p.Actions), NotActions: nonNil(p.NotActions),
			DataActions: nonNil(p.DataActions), NotDataActions: nonNil(p.NotDataActions)}
	}
	return d
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// roleDefinitions serves GET of role definitions at a scope: one by GUID, or the list with
// $filter=roleName eq '{name}' or type eq 'BuiltInRole'.
func (s *Server) roleDefinitions(req *request, p armPath) error {
	if err := req.checkAPIVersion(definitionType, authorizationAPIVersions); err != nil {
		return err
	}
	if req.r.Method != http.MethodGet {
		return errMethodNotAllowed(req.r.Method)
	}
	if p.scope != "/" {
		if err := req.authorize(p.scope, actionDefinitionRead); err != nil {
			return err
		}
	}
	if p.kind == pathRoleDefinition {
		r, ok := req.st.Authz.Role(p.name)
		if !ok {
			return &Error{Status: http.StatusNotFound, Code: "RoleDefinitionDoesNotExist", Message: fmt.Sprintf("The specified role definition with ID '%s' does not exist.", p.name)}
		}
		return req.reply(http.StatusOK, definitionResource(p.scope, r))
	}
	var name string
	if m := regexp.MustCompile(`roleName eq '([^']*)'`).FindStringSubmatch(req.r.URL.Query().Get("$filter")); m != nil {
		name = m[1]
	}
	out := list[RoleDefinitionResource]{Value: []RoleDefinitionResource{}}
	for _, r := range authz.BuiltInRoles() {
		if name == "" || strings.EqualFold(r.Name, name) {
			out.Value = append(out.Value, definitionResource(p.scope, &r))
		}
	}
	return req.reply(http.StatusOK, out)
}
