package authz

import "strings"

// AllPrincipals is the principal id that makes a deny assignment apply to everyone (spec
// abac-conditions.md §6.4).
const AllPrincipals = "00000000-0000-0000-0000-000000000000"

// DenyAssignment blocks actions even where a role assignment grants them. Azure creates them (managed
// applications, deployment stacks); customers cannot, so the emulator takes them only from its callers.
type DenyAssignment struct {
	ID          string
	Scope       string
	Permissions []Permission
	// Principals lists object ids; AllPrincipals means everyone.
	Principals        []string
	ExcludePrincipals []string
	// DoNotApplyToChildScopes limits the deny to its own scope.
	DoNotApplyToChildScopes bool
}

// SnapshotOption adds optional content to a Snapshot.
type SnapshotOption func(*Snapshot)

// WithDenyAssignments adds deny assignments to a Snapshot.
func WithDenyAssignments(d ...DenyAssignment) SnapshotOption {
	return func(s *Snapshot) { s.denies = append(s.denies, d...) }
}

// denied returns the id of a deny assignment that blocks the action (a data action when data is set) for
// the principal or its groups at target, or "".
func (s *Snapshot) denied(objectID string, groups []string, target, action string, data bool) string {
	for _, d := range s.denies {
		scope := normScope(d.Scope)
		if d.DoNotApplyToChildScopes && scope != target || !scopeCovers(scope, target) {
			continue
		}
		if !d.appliesTo(objectID, groups) {
			continue
		}
		for _, p := range d.Permissions {
			allow, not := p.Actions, p.NotActions
			if data {
				allow, not = p.DataActions, p.NotDataActions
			}
			if matchesAny(allow, action) && !matchesAny(not, action) {
				return d.ID
			}
		}
	}
	return ""
}

func (d *DenyAssignment) appliesTo(objectID string, groups []string) bool {
	ids := append([]string{objectID}, groups...)
	for _, x := range d.ExcludePrincipals {
		for _, id := range ids {
			if strings.EqualFold(x, id) {
				return false
			}
		}
	}
	for _, p := range d.Principals {
		if p == AllPrincipals {
			return true
		}
		for _, id := range ids {
			if strings.EqualFold(p, id) {
				return true
			}
		}
	}
	return false
}
