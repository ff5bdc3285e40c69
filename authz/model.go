package authz

import (
	"fmt"
	"strings"

	"github.com/acremu/acremu/authz/condition"
)

// Mode is a registry's role assignment permissions mode (spec acr-dataplane-auth.md §5).
type Mode int

// The two modes.
const (
	// ModeRBAC is "RBAC Registry Permissions": legacy roles grant registry-wide data access.
	ModeRBAC Mode = iota
	// ModeABAC is "RBAC Registry + ABAC Repository Permissions": only data actions count, narrowed by conditions.
	ModeABAC
)

// Wire names of the modes: the ARM property values and the az CLI flag values (spec acr-dataplane-auth.md §5.1).
const (
	ModeRBACARM = "LegacyRegistryPermissions"
	ModeABACARM = "AbacRepositoryPermissions"
	ModeRBACCLI = "rbac"
	ModeABACCLI = "rbac-abac"
)

// ParseMode accepts the CLI names (rbac, rbac-abac) and the ARM names, case-insensitively; "" means rbac.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", ModeRBACCLI, strings.ToLower(ModeRBACARM):
		return ModeRBAC, nil
	case ModeABACCLI, strings.ToLower(ModeABACARM):
		return ModeABAC, nil
	}
	return ModeRBAC, fmt.Errorf("unknown role assignment mode %q: want %s or %s", s, ModeRBACCLI, ModeABACCLI)
}

// String returns the ARM property value.
func (m Mode) String() string {
	if m == ModeABAC {
		return ModeABACARM
	}
	return ModeRBACARM
}

// CLIName returns the az CLI spelling (rbac or rbac-abac).
func (m Mode) CLIName() string {
	if m == ModeABAC {
		return ModeABACCLI
	}
	return ModeRBACCLI
}

// Assignment is a role assignment as the decision core sees it.
type Assignment struct {
	// ID is the assignment's full ARM id; Name its GUID.
	ID   string
	Name string
	// Scope is the ARM id the assignment applies to (and everything beneath it).
	Scope            string
	RoleDefinitionID string // the role definition's GUID
	PrincipalID      string // object id of the user, group, service principal or managed identity
	// Condition is the compiled ABAC condition, nil when the assignment has none.
	Condition *condition.Condition
}

// Principal is the caller of a request.
type Principal struct {
	ObjectID string
	// Kind is User, Group, ServicePrincipal or ManagedIdentity.
	Kind string
	// Name is what logs and traces show: a UPN, an app id or a display name.
	Name string
}

// Registry is the registry a data-plane request targets.
type Registry struct {
	ID   string // ARM resource id
	Name string
	Mode Mode
}

// Token scope vocabulary (spec acr-dataplane-auth.md §1.8).
const (
	TypeRepository     = "repository"
	TypeRegistry       = "registry"
	NameCatalog        = "catalog"
	NameDeletedCatalog = "deleted_catalog"
	Wildcard           = "*"

	ActPull           = "pull"
	ActPush           = "push"
	ActDelete         = "delete"
	ActMetadataRead   = "metadata_read"
	ActMetadataWrite  = "metadata_write"
	ActDeletedRead    = "deleted_read"
	ActDeletedRestore = "deleted_restore"
)

// RepositoryActions lists every action a repository scope can carry, in the order grants are written.
var repositoryActions = [...]string{ActPull, ActPush, ActDelete, ActMetadataRead, ActMetadataWrite, ActDeletedRead, ActDeletedRestore}

// Access is one entry of a token scope or of a JWT access claim: {type, name, actions}.
type Access struct {
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// String formats the access as a token scope: type:name:action,action.
func (a Access) String() string {
	return a.Type + ":" + a.Name + ":" + strings.Join(a.Actions, ",")
}

// Covers reports whether the access entries grant action on (typ, name). A "*" action covers every action;
// a "*" repository name covers every repository (spec acr-dataplane-auth.md §1.8 wildcards).
func Covers(entries []Access, typ, name, action string) bool {
	for _, e := range entries {
		if e.Type != typ || (e.Name != name && e.Name != Wildcard) {
			continue
		}
		for _, a := range e.Actions {
			if a == action || a == Wildcard {
				return true
			}
		}
	}
	return false
}

// requirement says what grants one token action in each mode (spec acr-dataplane-auth.md §3.2, §5.3; the
// choices for open points are listed in docs/fidelity.md).
type requirement struct {
	// legacy lists control-plane Actions, any of which grants the token action in rbac mode.
	legacy []string
	// data is the DataAction that grants it in rbac-abac mode; "" when no role grants it there.
	data string
}

// requirementFor returns what grants action on a resource of type typ named name, and false for an action
// the type does not have.
func requirementFor(typ, name, action string) (requirement, bool) {
	switch typ {
	case TypeRepository:
		switch action {
		case ActPull:
			return requirement{[]string{ActionPullRead}, DataContentRead}, true
		case ActPush:
			return requirement{[]string{ActionPushWrite}, DataContentWrite}, true
		case ActDelete:
			return requirement{[]string{ActionArtifactsDelete}, DataContentDelete}, true
		case ActMetadataRead:
			return requirement{[]string{ActionPullRead, ActionMetadataRead}, DataMetadataRead}, true
		case ActMetadataWrite:
			return requirement{[]string{ActionMetadataWrite}, DataMetadataWrite}, true
		case ActDeletedRead:
			return requirement{[]string{ActionDeletedRead}, ""}, true
		case ActDeletedRestore:
			return requirement{[]string{ActionDeletedRestore}, ""}, true
		}
	case TypeRegistry:
		if action != Wildcard {
			return requirement{}, false
		}
		switch name {
		case NameCatalog:
			return requirement{[]string{ActionPullRead}, DataCatalogRead}, true
		case NameDeletedCatalog:
			return requirement{[]string{ActionDeletedRead}, ""}, true
		}
	}
	return requirement{}, false
}
