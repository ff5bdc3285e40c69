package arm

import (
	"strings"
)

type pathKind int

const (
	pathUnknown pathKind = iota
	pathSubscriptions
	pathResourceGroups
	pathResourceGroup
	pathRegistries
	pathRegistry
	pathRegistryAction
	pathRoleAssignments
	pathRoleAssignment
	pathRoleDefinitions
	pathRoleDefinition
	pathIdentities
	pathIdentity
)

// Provider segments, matched case-insensitively as ARM does.
const (
	providerAuthorization = "microsoft.authorization"
	providerRegistry      = "microsoft.containerregistry"
	typeRoleAssignments   = "roleassignments"
	typeRoleDefinitions   = "roledefinitions"
	typeRegistries        = "registries"
	providerIdentity      = "microsoft.managedidentity"
	typeIdentities        = "userassignedidentities"
)

// armPath is a parsed ARM path.
type armPath struct {
	kind          pathKind
	subscription  string
	resourceGroup string
	registry      string
	identity      string // user-assigned managed identity name
	action        string // registry action, e.g. listCredentials
	scope         string // for role assignments and definitions: the scope they live at
	name          string // role assignment or definition name
}

// parsePath parses the ARM paths this server answers. Segment names (resourceGroups, providers...) are
// case-insensitive; names keep the caller's spelling.
func parsePath(p string) (armPath, error) {
	p = strings.TrimRight(p, "/")
	// Authorization resources live under any scope: split at the last /providers/Microsoft.Authorization/.
	lower := strings.ToLower(p)
	if i := strings.LastIndex(lower, "/providers/"+providerAuthorization+"/"); i >= 0 {
		scope := p[:i]
		if scope == "" {
			scope = "/"
		}
		rest := strings.Split(p[i+len("/providers/"+providerAuthorization+"/"):], "/")
		out := armPath{scope: scope}
		if sp, err := parsePath(scope); err == nil || scope == "/" {
			out.subscription, out.resourceGroup, out.registry = sp.subscription, sp.resourceGroup, sp.registry
		} else {
			return armPath{}, err
		}
		switch {
		case len(rest) == 1 && strings.EqualFold(rest[0], typeRoleAssignments):
			out.kind = pathRoleAssignments
		case len(rest) == 2 && strings.EqualFold(rest[0], typeRoleAssignments):
			out.kind, out.name = pathRoleAssignment, rest[1]
		case len(rest) == 1 && strings.EqualFold(rest[0], typeRoleDefinitions):
			out.kind = pathRoleDefinitions
		case len(rest) == 2 && strings.EqualFold(rest[0], typeRoleDefinitions):
			out.kind, out.name = pathRoleDefinition, rest[1]
		default:
			return armPath{}, errNotFoundPath(p)
		}
		return out, nil
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	eq := func(i int, want string) bool { return i < len(segs) && strings.EqualFold(segs[i], want) }
	if !eq(0, "subscriptions") {
		return armPath{}, errNotFoundPath(p)
	}
	out := armPath{}
	if len(segs) == 1 {
		out.kind = pathSubscriptions
		return out, nil
	}
	out.subscription = segs[1]
	rest := segs[2:]
	switch {
	case len(rest) == 0:
		out.kind = pathSubscriptions
		return out, nil
	case len(rest) == 1 && strings.EqualFold(rest[0], "resourceGroups"):
		out.kind = pathResourceGroups
		return out, nil
	case strings.EqualFold(rest[0], "resourceGroups") && len(rest) >= 2:
		out.resourceGroup = rest[1]
		rest = rest[2:]
		if len(rest) == 0 {
			out.kind = pathResourceGroup
			return out, nil
		}
	}
	// providers/Microsoft.ContainerRegistry/registries[/{name}[/{action}]]
	if len(rest) >= 3 && strings.EqualFold(rest[0], "providers") && strings.EqualFold(rest[1], providerRegistry) &&
		strings.EqualFold(rest[2], typeRegistries) {
		switch len(rest) {
		case 3:
			out.kind = pathRegistries
		case 4:
			out.kind, out.registry = pathRegistry, rest[3]
		case 5:
			out.kind, out.registry, out.action = pathRegistryAction, rest[3], rest[4]
		default:
			return armPath{}, errNotFoundPath(p)
		}
		if out.kind != pathRegistries && out.resourceGroup == "" {
			return armPath{}, errNotFoundPath(p)
		}
		return out, nil
	}
	// providers/Microsoft.ManagedIdentity/userAssignedIdentities[/{name}]
	if len(rest) >= 3 && strings.EqualFold(rest[0], "providers") && strings.EqualFold(rest[1], providerIdentity) &&
		strings.EqualFold(rest[2], typeIdentities) {
		switch {
		case len(rest) == 3:
			out.kind = pathIdentities
			return out, nil
		case len(rest) == 4 && out.resourceGroup != "":
			out.kind, out.identity = pathIdentity, rest[3]
			return out, nil
		}
	}
	return armPath{}, errNotFoundPath(p)
}
