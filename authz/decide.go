package authz

import (
	"fmt"
	"strings"

	"github.com/acremu/acremu/authz/condition"
)

// Snapshot is an immutable view of role definitions, role assignments and group memberships, indexed by
// principal. Build it with NewSnapshot; read it from any goroutine without locks.
type Snapshot struct {
	roles       map[string]*RoleDefinition
	byPrincipal map[string][]*indexed
	memberOf    map[string][]string
	denies      []DenyAssignment
	count       int
}

type indexed struct {
	Assignment
	scope   string // lower-cased, without a trailing slash
	role    *RoleDefinition
	profile *roleProfile
}

// roleProfile is what a role grants, worked out once per snapshot so that decisions match no patterns.
type roleProfile struct {
	legacy     map[string]bool // token requirement key → an Action grants it in rbac mode
	data       map[string]bool // token requirement key → the DataAction is granted in rbac-abac mode
	dataRole   bool            // carries repository or catalog data actions (counts only in rbac-abac)
	privileged bool            // Owner, Contributor, Reader: control plane only in rbac-abac
}

// requirementKeys lists every (type, name, action) a token can ask for, as requirementFor knows them.
var requirementKeys = func() [][3]string {
	var out [][3]string
	for _, a := range repositoryActions {
		out = append(out, [3]string{TypeRepository, "", a})
	}
	return append(out, [3]string{TypeRegistry, NameCatalog, Wildcard}, [3]string{TypeRegistry, NameDeletedCatalog, Wildcard})
}()

func reqKey(typ, name, action string) string {
	if typ == TypeRepository {
		name = ""
	}
	return typ + ":" + name + ":" + action
}

func profile(r *RoleDefinition) *roleProfile {
	p := &roleProfile{legacy: map[string]bool{}, data: map[string]bool{}, dataRole: dataRoleWouldGrant(r), privileged: isPrivileged(r)}
	for _, k := range requirementKeys {
		req, _ := requirementFor(k[0], k[1], k[2])
		key := reqKey(k[0], k[1], k[2])
		for _, a := range req.legacy {
			if r.GrantsAction(a) {
				p.legacy[key] = true
			}
		}
		p.data[key] = req.data != "" && r.GrantsDataAction(req.data)
	}
	return p
}

// NewSnapshot indexes roles, assignments and direct group memberships (member object id → group object
// ids). Assignments naming an unknown role are kept, and traced as such.
func NewSnapshot(roles []RoleDefinition, assignments []Assignment, memberOf map[string][]string, opts ...SnapshotOption) *Snapshot {
	s := &Snapshot{
		roles:       make(map[string]*RoleDefinition, len(roles)),
		byPrincipal: make(map[string][]*indexed),
		memberOf:    make(map[string][]string, len(memberOf)),
		count:       len(assignments),
	}
	profiles := make(map[*RoleDefinition]*roleProfile, len(roles))
	for i := range roles {
		r := roles[i]
		s.roles[strings.ToLower(r.ID)] = &r
		profiles[&r] = profile(&r)
	}
	for _, a := range assignments {
		role := s.roles[strings.ToLower(a.RoleDefinitionID)]
		ix := &indexed{Assignment: a, scope: normScope(a.Scope), role: role, profile: profiles[role]}
		k := strings.ToLower(a.PrincipalID)
		s.byPrincipal[k] = append(s.byPrincipal[k], ix)
	}
	for m, gs := range memberOf {
		k := strings.ToLower(m)
		for _, g := range gs {
			s.memberOf[k] = append(s.memberOf[k], strings.ToLower(g))
		}
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Role returns the role definition with the given GUID.
func (s *Snapshot) Role(id string) (*RoleDefinition, bool) {
	r, ok := s.roles[strings.ToLower(id)]
	return r, ok
}

// Len returns the number of role assignments in the snapshot.
func (s *Snapshot) Len() int { return s.count }

// Groups returns the object ids of every group the principal belongs to, directly or through nested groups.
func (s *Snapshot) Groups(objectID string) []string {
	if len(s.memberOf[strings.ToLower(objectID)]) == 0 {
		return nil
	}
	var out []string
	seen := map[string]bool{strings.ToLower(objectID): true}
	queue := []string{strings.ToLower(objectID)}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, g := range s.memberOf[cur] {
			if !seen[g] {
				seen[g] = true
				out = append(out, g)
				queue = append(queue, g)
			}
		}
	}
	return out
}

// normScope lower-cases an ARM id and drops a trailing slash, so that ancestry is a string prefix test.
func normScope(s string) string {
	s = strings.ToLower(s)
	if len(s) > 1 {
		s = strings.TrimRight(s, "/")
	}
	return s
}

// scopeCovers reports whether the (normalised) assignment scope is target or one of its ancestors
// (spec abac-conditions.md §6.3: segment-wise prefix, case-insensitive).
func scopeCovers(scope, target string) bool {
	if scope == "/" || scope == target {
		return true
	}
	return strings.HasPrefix(target, scope) && len(target) > len(scope) && target[len(scope)] == '/'
}

// Request asks which of the requested token scopes a principal may have on a registry.
type Request struct {
	Principal Principal
	Registry  Registry
	Scopes    []Access
}

// Decision is the answer: the granted part of each requested scope, and why.
type Decision struct {
	// Granted holds the intersection of what was asked and what is held; scopes with nothing granted are left
	// out (spec acr-dataplane-auth.md §1: a partial grant is never an error).
	Granted []Access
	Trace   Trace
}

// Decide answers a data-plane request. It performs no I/O and never fails: a deny or a partial grant is a
// value. Every candidate assignment is evaluated for every requested action, even after one has granted,
// so that the trace is complete.
func Decide(s *Snapshot, req Request) Decision {
	d := Decision{Trace: Trace{Principal: req.Principal, Registry: req.Registry}}
	d.Trace.Groups = s.Groups(req.Principal.ObjectID)
	candidates := s.candidates(req.Principal.ObjectID, d.Trace.Groups)
	target := normScope(req.Registry.ID)
	for _, sc := range req.Scopes {
		granted := Access{Type: sc.Type, Name: sc.Name}
		wantAll := false
		var actions []string
		for _, a := range sc.Actions {
			if a == Wildcard && sc.Type == TypeRepository {
				wantAll = true
				actions = append(actions, repositoryActions[:]...)
				continue
			}
			actions = append(actions, a)
		}
		for _, action := range dedupe(actions) {
			c := s.check(req.Registry, target, candidates, sc.Type, sc.Name, action)
			s.applyDenies(&c, req.Principal.ObjectID, d.Trace.Groups, req.Registry, target, sc.Type, sc.Name, action)
			d.Trace.Checks = append(d.Trace.Checks, c)
			if c.Granted {
				granted.Actions = append(granted.Actions, action)
			}
		}
		if wantAll && len(granted.Actions) == len(repositoryActions) {
			granted.Actions = []string{Wildcard}
		}
		if len(granted.Actions) > 0 {
			d.Granted = append(d.Granted, granted)
		}
	}
	return d
}

func dedupe(in []string) []string {
	out := in[:0:0]
	for _, a := range in {
		dup := false
		for _, b := range out {
			if a == b {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, a)
		}
	}
	return out
}

func (s *Snapshot) candidates(objectID string, groups []string) []*indexed {
	out := append([]*indexed(nil), s.byPrincipal[strings.ToLower(objectID)]...)
	for _, g := range groups {
		out = append(out, s.byPrincipal[g]...)
	}
	return out
}

// check decides one (resource, action) pair against every candidate assignment.
func (s *Snapshot) check(reg Registry, target string, candidates []*indexed, typ, name, action string) Check {
	c := Check{Type: typ, Name: name, Action: action}
	req, ok := requirementFor(typ, name, action)
	switch {
	case !ok:
		c.Rule = fmt.Sprintf("%q is not an action of %s:%s", action, typ, name)
		return c
	case reg.Mode == ModeABAC && typ == TypeRepository && name == Wildcard:
		c.Rule = "rbac-abac mode drops repository wildcard scopes (repository:*:...)"
		return c
	case reg.Mode == ModeABAC && req.data == "":
		c.Rule = fmt.Sprintf("no role grants %s in rbac-abac mode", action)
	}
	if len(candidates) == 0 && c.Rule == "" {
		c.Rule = "no role assignment for the principal or its groups"
	}
	key := reqKey(typ, name, action)
	c.Assignments = make([]Considered, 0, len(candidates))
	for _, ix := range candidates {
		v := s.verdict(reg, target, ix, req, key, name)
		if v.Verdict == VerdictGranted {
			c.Granted = true
		}
		c.Assignments = append(c.Assignments, v)
	}
	return c
}

// applyDenies refuses a granted check when a deny assignment blocks the action the registry's mode
// evaluates (spec abac-conditions.md §6.1 step 4: deny assignments take precedence).
func (s *Snapshot) applyDenies(c *Check, objectID string, groups []string, reg Registry, target, typ, name, action string) {
	if !c.Granted || len(s.denies) == 0 {
		return
	}
	req, _ := requirementFor(typ, name, action)
	var id string
	if reg.Mode == ModeABAC {
		id = s.denied(objectID, groups, target, req.data, true)
	} else {
		for _, a := range req.legacy {
			if id = s.denied(objectID, groups, target, a, false); id != "" {
				break
			}
		}
	}
	if id != "" {
		c.Granted = false
		c.Rule = "deny assignment " + id + " blocks it"
	}
}

// verdict applies one assignment to one requirement, under the registry's mode.
func (s *Snapshot) verdict(reg Registry, target string, ix *indexed, req requirement, key, repo string) Considered {
	v := Considered{AssignmentID: ix.ID, Scope: ix.Scope, PrincipalID: ix.PrincipalID, RoleID: ix.RoleDefinitionID}
	if ix.role != nil {
		v.RoleName = ix.role.Name
	}
	switch {
	case !scopeCovers(ix.scope, target):
		v.Verdict = VerdictOutOfScope
		return v
	case ix.role == nil:
		v.Verdict = VerdictUnknownRole
		return v
	}
	grantsLegacy, grantsData := ix.profile.legacy[key], ix.profile.data[key]
	if reg.Mode == ModeRBAC {
		switch {
		case grantsLegacy && ix.Condition != nil:
			v.Verdict = VerdictConditionUnsupported
		case grantsLegacy:
			v.Verdict = VerdictGranted
		case ix.profile.dataRole:
			v.Verdict = VerdictNotHonoured
		default:
			v.Verdict = VerdictNotInRole
		}
		return v
	}
	switch {
	case grantsData && ix.Condition == nil:
		v.Verdict = VerdictGranted
	case grantsData:
		env := condition.Env{Action: req.data}
		if repo != "" && req.data != DataCatalogRead {
			env.Attributes = []condition.Attribute{{Source: condition.SourceRequest,
				ID: condition.RepositoryNameAttribute, Value: condition.StringValue(repo)}}
		}
		r := ix.Condition.Eval(env)
		v.Detail = r.Reason
		if r.Value {
			v.Verdict = VerdictGranted
		} else {
			v.Verdict = VerdictConditionFalse
		}
	case grantsLegacy && ix.profile.privileged:
		v.Verdict = VerdictControlPlaneOnly
	case grantsLegacy:
		v.Verdict = VerdictNotHonoured
	default:
		v.Verdict = VerdictNotInRole
	}
	return v
}

// dataRoleWouldGrant reports whether the role carries repository or catalog data actions, the ones that count
// only in rbac-abac mode.
func dataRoleWouldGrant(r *RoleDefinition) bool {
	for _, a := range []string{DataContentRead, DataContentWrite, DataContentDelete, DataMetadataRead, DataMetadataWrite, DataCatalogRead} {
		if r.GrantsDataAction(a) {
			return true
		}
	}
	return false
}

// isPrivileged reports whether the role is one of the general roles (Owner, Contributor, Reader, and any role
// granting every read) that keep only control-plane rights in rbac-abac mode.
func isPrivileged(r *RoleDefinition) bool {
	return r.GrantsAction("Microsoft.ContainerRegistry/registries/read") &&
		r.GrantsAction("Microsoft.Storage/storageAccounts/read")
}

// PermissionsAt returns the union of the control-plane Actions and NotActions of the roles assigned to the
// principal (or its groups) at target or above: what ACR mirrors in a refresh token's permissions claim.
func PermissionsAt(s *Snapshot, objectID, target string) (actions, notActions []string) {
	t := normScope(target)
	seenA, seenN := map[string]bool{}, map[string]bool{}
	for _, ix := range s.candidates(objectID, s.Groups(objectID)) {
		if ix.role == nil || !scopeCovers(ix.scope, t) {
			continue
		}
		for _, p := range ix.role.Permissions {
			for _, a := range p.Actions {
				if !seenA[a] {
					seenA[a] = true
					actions = append(actions, a)
				}
			}
			for _, a := range p.NotActions {
				if !seenN[a] {
					seenN[a] = true
					notActions = append(notActions, a)
				}
			}
		}
	}
	if actions == nil {
		actions = []string{}
	}
	if notActions == nil {
		notActions = []string{}
	}
	return actions, notActions
}
