// Package seed reads the YAML seed file that declares a tenant, principals, groups, registries and role
// assignments, and applies it to the store in one transaction.
package seed

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/storage"
)

// Seed is the content of a seed file.
type Seed struct {
	Tenant            string             `json:"tenant"`
	Domain            string             `json:"domain"`
	Subscription      string             `json:"subscription"`
	SubscriptionName  string             `json:"subscriptionName"`
	ResourceGroups    []ResourceGroup    `json:"resourceGroups"`
	Users             []User             `json:"users"`
	ServicePrincipals []ServicePrincipal `json:"servicePrincipals"`
	Groups            []Group            `json:"groups"`
	ManagedIdentities []ManagedIdentity  `json:"managedIdentities"`
	Registries        []Registry         `json:"registries"`
	RoleAssignments   []RoleAssignment   `json:"roleAssignments"`
}

// ResourceGroup declares a resource group.
type ResourceGroup struct {
	Name     string `json:"name"`
	Location string `json:"location"`
}

// User declares a user: Name is the UPN.
type User struct {
	Name        string `json:"name"`
	Password    string `json:"password"`
	ObjectID    string `json:"objectId"`
	DisplayName string `json:"displayName"`
}

// ServicePrincipal declares an application's service principal.
type ServicePrincipal struct {
	Name     string `json:"name"`
	AppID    string `json:"appId"`
	Secret   string `json:"secret"`
	ObjectID string `json:"objectId"`
}

// Group declares a security group; Members name users (UPN), service principals (name or appId), managed
// identities, other groups (name) or any object id.
type Group struct {
	Name     string   `json:"name"`
	Members  []string `json:"members"`
	ObjectID string   `json:"objectId"`
}

// ManagedIdentity declares a user-assigned managed identity.
type ManagedIdentity struct {
	Name          string `json:"name"`
	ResourceGroup string `json:"resourceGroup"`
	ClientID      string `json:"clientId"`
	PrincipalID   string `json:"principalId"`
}

// Registry declares a container registry.
type Registry struct {
	Name                 string `json:"name"`
	ResourceGroup        string `json:"resourceGroup"`
	Location             string `json:"location"`
	SKU                  string `json:"sku"`
	RoleAssignmentMode   string `json:"roleAssignmentMode"`
	AdminUserEnabled     bool   `json:"adminUserEnabled"`
	AnonymousPullEnabled bool   `json:"anonymousPullEnabled"`
	// LoginServer defaults to <name>.azurecr.io, or to the listener's address for the default registry.
	LoginServer string `json:"loginServer"`
	// Listen gives the registry a listener of its own (host:port), so docker reaches it without DNS.
	Listen string `json:"listen"`
}

// RoleAssignment declares a role assignment.
type RoleAssignment struct {
	Name             string `json:"name"`
	Role             string `json:"role"`
	Assignee         string `json:"assignee"`
	Scope            string `json:"scope"`
	Condition        string `json:"condition"`
	ConditionVersion string `json:"conditionVersion"`
	Description      string `json:"description"`
}

// ReadFile parses a seed file, refusing unknown fields.
func ReadFile(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	s := new(Seed)
	if err := yaml.UnmarshalStrict(data, s); err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	return s, nil
}

// Options completes a seed with what only the server knows.
type Options struct {
	// DefaultLoginServer is the login server of a registry that declares neither loginServer nor listen and is
	// the first registry of the seed: the main listener's own address.
	DefaultLoginServer string
}

// EntryError says which entry of a seed is wrong and why.
type EntryError struct {
	Entry  string // e.g. roleAssignments[2]
	Reason string
}

func (e *EntryError) Error() string { return e.Entry + ": " + e.Reason }

func entryErr(section string, i int, format string, args ...any) error {
	return &EntryError{Entry: fmt.Sprintf("%s[%d]", section, i), Reason: fmt.Sprintf(format, args...)}
}

// Apply writes the seed in the transaction. Any error leaves the caller to roll back; nothing partial stays.
func Apply(tx *storage.Tx, s *Seed, opts Options) error {
	if s.Tenant == "" || !storage.IsGUID(s.Tenant) {
		return &EntryError{Entry: "tenant", Reason: fmt.Sprintf("want a GUID, got %q", s.Tenant)}
	}
	if s.Subscription == "" || !storage.IsGUID(s.Subscription) {
		return &EntryError{Entry: "subscription", Reason: fmt.Sprintf("want a GUID, got %q", s.Subscription)}
	}
	dir := storage.Directory{TenantID: strings.ToLower(s.Tenant), Domain: s.Domain,
		SubscriptionID: strings.ToLower(s.Subscription), SubscriptionName: s.SubscriptionName}
	if dir.Domain == "" {
		dir.Domain = "acremu.onmicrosoft.com"
	}
	if dir.SubscriptionName == "" {
		dir.SubscriptionName = "acremu subscription"
	}
	if err := tx.PutDirectory(dir); err != nil {
		return err
	}
	sub := dir.SubscriptionID
	a := &applier{tx: tx, names: map[string]string{}, kinds: map[string]string{}, rgs: map[string]bool{}, regs: map[string]string{}}
	for i, g := range s.ResourceGroups {
		if !storage.ValidResourceGroupName(g.Name) {
			return entryErr("resourceGroups", i, "invalid resource group name %q", g.Name)
		}
		if g.Location == "" {
			g.Location = "eastus"
		}
		a.rgs[strings.ToLower(g.Name)] = true
		if err := tx.PutResourceGroup(storage.ResourceGroup{ID: storage.ResourceGroupID(sub, g.Name), Name: g.Name, Location: g.Location}); err != nil {
			return err
		}
	}
	for i, u := range s.Users {
		if !strings.Contains(u.Name, "@") {
			return entryErr("users", i, "name must be a user principal name (user@domain), got %q", u.Name)
		}
		if u.Password == "" {
			return entryErr("users", i, "password is required")
		}
		id, err := objectID(u.ObjectID, "user", u.Name)
		if err != nil {
			return entryErr("users", i, "%v", err)
		}
		display := u.DisplayName
		if display == "" {
			display = strings.SplitN(u.Name, "@", 2)[0]
		}
		if err := a.put(storage.Principal{ObjectID: id, Kind: storage.KindUser, DisplayName: display, UPN: u.Name,
			SecretHash: storage.HashSecret(u.Password)}, u.Name); err != nil {
			return entryErr("users", i, "%v", err)
		}
	}
	for i, sp := range s.ServicePrincipals {
		if sp.Name == "" || sp.Secret == "" {
			return entryErr("servicePrincipals", i, "name and secret are required")
		}
		appID, err := objectID(sp.AppID, "app", sp.Name)
		if err != nil {
			return entryErr("servicePrincipals", i, "appId: %v", err)
		}
		id, err := objectID(sp.ObjectID, "sp", sp.Name)
		if err != nil {
			return entryErr("servicePrincipals", i, "objectId: %v", err)
		}
		if err := a.put(storage.Principal{ObjectID: id, Kind: storage.KindServicePrincipal, DisplayName: sp.Name,
			AppID: appID, SecretHash: storage.HashSecret(sp.Secret)}, sp.Name, appID); err != nil {
			return entryErr("servicePrincipals", i, "%v", err)
		}
	}
	for i, mi := range s.ManagedIdentities {
		if !a.rgs[strings.ToLower(mi.ResourceGroup)] {
			return entryErr("managedIdentities", i, "resource group %q is not declared", mi.ResourceGroup)
		}
		clientID, err := objectID(mi.ClientID, "mi-client", mi.ResourceGroup, mi.Name)
		if err != nil {
			return entryErr("managedIdentities", i, "clientId: %v", err)
		}
		id, err := objectID(mi.PrincipalID, "mi", mi.ResourceGroup, mi.Name)
		if err != nil {
			return entryErr("managedIdentities", i, "principalId: %v", err)
		}
		if err := a.put(storage.Principal{ObjectID: id, Kind: storage.KindManagedIdentity, DisplayName: mi.Name,
			AppID: clientID, ResourceGroup: mi.ResourceGroup}, mi.Name, clientID); err != nil {
			return entryErr("managedIdentities", i, "%v", err)
		}
	}
	// Groups first get their ids, so that members may name groups declared later.
	groupIDs := make([]string, len(s.Groups))
	for i, g := range s.Groups {
		id, err := objectID(g.ObjectID, "group", g.Name)
		if err != nil {
			return entryErr("groups", i, "%v", err)
		}
		groupIDs[i] = id
		if err := a.name(g.Name, id, storage.KindGroup); err != nil {
			return entryErr("groups", i, "%v", err)
		}
	}
	for i, g := range s.Groups {
		var members []string
		for _, m := range g.Members {
			id, ok := a.resolve(m)
			if !ok {
				return entryErr("groups", i, "unknown member %q", m)
			}
			members = append(members, id)
		}
		if err := tx.PutPrincipal(storage.Principal{ObjectID: groupIDs[i], Kind: storage.KindGroup, DisplayName: g.Name, Members: members}); err != nil {
			return err
		}
	}
	for i, r := range s.Registries {
		reg, err := a.registry(sub, r, i == 0, opts)
		if err != nil {
			return entryErr("registries", i, "%v", err)
		}
		prev, found, err := tx.Registry(reg.Name)
		if err != nil {
			return err
		}
		if found {
			// Re-seeding keeps what the registry already had; a mode change moves the epoch, which refuses
			// credentials issued under the earlier mode.
			reg.Created, reg.ModeEpoch = prev.Created, prev.ModeEpoch
			if prev.Mode != reg.Mode {
				reg.ModeEpoch++
			}
		}
		if err := tx.PutRegistry(reg); err != nil {
			return err
		}
	}
	for i, ra := range s.RoleAssignments {
		rec, err := a.assignment(sub, ra)
		if err != nil {
			return entryErr("roleAssignments", i, "%v", err)
		}
		if err := tx.PutRoleAssignment(rec); err != nil {
			return err
		}
	}
	return nil
}

type applier struct {
	tx    *storage.Tx
	names map[string]string // lower name/UPN/appId/objectId → object id
	kinds map[string]string // object id → kind
	rgs   map[string]bool
	regs  map[string]string // lower registry name → ARM id
}

func (a *applier) name(n, id, kind string) error {
	k := strings.ToLower(n)
	if prev, ok := a.names[k]; ok && prev != id {
		return fmt.Errorf("name %q is already used by another principal", n)
	}
	a.names[k] = id
	a.names[id] = id
	a.kinds[id] = kind
	return nil
}

func (a *applier) put(p storage.Principal, names ...string) error {
	for _, n := range names {
		if err := a.name(n, p.ObjectID, p.Kind); err != nil {
			return err
		}
	}
	if err := a.name(p.ObjectID, p.ObjectID, p.Kind); err != nil {
		return err
	}
	return a.tx.PutPrincipal(p)
}

func (a *applier) resolve(n string) (string, bool) {
	id, ok := a.names[strings.ToLower(n)]
	return id, ok
}

func (a *applier) registry(sub string, r Registry, first bool, opts Options) (storage.Registry, error) {
	if !storage.ValidRegistryName(r.Name) {
		return storage.Registry{}, fmt.Errorf("invalid registry name %q: 5-50 alphanumeric characters", r.Name)
	}
	if !a.rgs[strings.ToLower(r.ResourceGroup)] {
		return storage.Registry{}, fmt.Errorf("resource group %q is not declared", r.ResourceGroup)
	}
	mode, err := authz.ParseMode(r.RoleAssignmentMode)
	if err != nil {
		return storage.Registry{}, err
	}
	sku := r.SKU
	switch strings.ToLower(sku) {
	case "":
		sku = "Standard"
	case "basic", "standard", "premium":
		sku = strings.ToUpper(sku[:1]) + strings.ToLower(sku[1:])
	default:
		return storage.Registry{}, fmt.Errorf("unknown sku %q: want Basic, Standard or Premium", r.SKU)
	}
	login := r.LoginServer
	switch {
	case login != "":
	case r.Listen != "" && !strings.HasSuffix(r.Listen, ":0"):
		login = LoopbackAsLocalhost(r.Listen)
	case r.Listen == "" && first && opts.DefaultLoginServer != "":
		login = opts.DefaultLoginServer
	default:
		login = strings.ToLower(r.Name) + ".azurecr.io"
	}
	loc := r.Location
	if loc == "" {
		loc = "eastus"
	}
	id := storage.RegistryID(sub, r.ResourceGroup, r.Name)
	a.regs[strings.ToLower(r.Name)] = id
	return storage.Registry{ID: id, Name: r.Name, ResourceGroup: r.ResourceGroup, Location: loc, SKU: sku,
		LoginServer: strings.ToLower(login), Mode: mode.String(), AdminUserEnabled: r.AdminUserEnabled,
		AdminPasswords:       [2]string{storage.DeterministicGUID("admin1", r.Name), storage.DeterministicGUID("admin2", r.Name)},
		AnonymousPullEnabled: r.AnonymousPullEnabled, Listen: r.Listen, Default: first && r.Listen == ""}, nil
}

func (a *applier) assignment(sub string, ra RoleAssignment) (storage.RoleAssignment, error) {
	role, ok := FindRole(ra.Role)
	if !ok {
		return storage.RoleAssignment{}, fmt.Errorf("unknown role %q", ra.Role)
	}
	pid, ok := a.resolve(ra.Assignee)
	if !ok {
		return storage.RoleAssignment{}, fmt.Errorf("unknown assignee %q", ra.Assignee)
	}
	scope, err := a.checkScope(sub, ra.Scope)
	if err != nil {
		return storage.RoleAssignment{}, err
	}
	version, err := authz.CheckCondition(role, ra.Condition, ra.ConditionVersion)
	if err != nil {
		return storage.RoleAssignment{}, err
	}
	name := ra.Name
	if name == "" {
		name = storage.DeterministicGUID("assignment", strings.ToLower(scope), role.ID, pid)
	} else if !storage.IsGUID(name) {
		return storage.RoleAssignment{}, fmt.Errorf("name must be a GUID, got %q", name)
	}
	ptype := a.kinds[pid]
	if ptype == storage.KindManagedIdentity {
		ptype = storage.KindServicePrincipal
	}
	return storage.RoleAssignment{ID: storage.RoleAssignmentID(scope, name), Name: name, Scope: scope,
		RoleDefinitionID: storage.RoleDefinitionID(sub, role.ID), PrincipalID: pid, PrincipalType: ptype,
		Condition: ra.Condition, ConditionVersion: version, Description: ra.Description}, nil
}

// checkScope accepts the subscription, a declared resource group or a declared registry, and returns the
// scope with its own spelling.
func (a *applier) checkScope(sub, scope string) (string, error) {
	if scope == "" {
		return "", errors.New("scope is required")
	}
	segs := strings.Split(strings.Trim(scope, "/"), "/")
	if len(segs) < 2 || !strings.EqualFold(segs[0], "subscriptions") || !strings.EqualFold(segs[1], sub) {
		return "", fmt.Errorf("scope %q is not in subscription %s", scope, sub)
	}
	switch {
	case len(segs) == 2:
	case len(segs) == 4 && strings.EqualFold(segs[2], "resourceGroups") && a.rgs[strings.ToLower(segs[3])]:
	case len(segs) == 8 && strings.EqualFold(segs[2], "resourceGroups") && strings.EqualFold(segs[4], "providers") &&
		strings.EqualFold(segs[5], "Microsoft.ContainerRegistry") && strings.EqualFold(segs[6], "registries") &&
		a.regs[strings.ToLower(segs[7])] != "":
	default:
		return "", fmt.Errorf("scope %q names no declared subscription, resource group or registry", scope)
	}
	return "/" + strings.Join(segs, "/"), nil
}

// FindRole finds a built-in role by name (case-insensitive) or GUID.
func FindRole(nameOrID string) (*authz.RoleDefinition, bool) {
	roles := authz.BuiltInRoles()
	for i := range roles {
		if strings.EqualFold(roles[i].Name, nameOrID) || strings.EqualFold(roles[i].ID, nameOrID) {
			return &roles[i], true
		}
	}
	return nil, false
}

func objectID(given string, parts ...string) (string, error) {
	if given == "" {
		return storage.DeterministicGUID(append([]string{"object"}, strings.ToLower(strings.Join(parts, "/")))...), nil
	}
	if !storage.IsGUID(given) {
		return "", fmt.Errorf("want a GUID, got %q", given)
	}
	return strings.ToLower(given), nil
}

// LoopbackAsLocalhost writes a listen address as clients reach it: loopback and unspecified hosts become
// localhost, which docker treats as a plain-HTTP registry.
func LoopbackAsLocalhost(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	switch host {
	case "", "0.0.0.0", "::", "127.0.0.1", "::1":
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
