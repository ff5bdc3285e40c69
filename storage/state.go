package storage

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/authz/condition"
)

// State is an immutable snapshot of everything in the store, indexed for the request paths. Never modify a
// State or the records it returns.
type State struct {
	Directory   Directory
	principals  map[string]*Principal // by lower object id
	byUPN       map[string]*Principal
	byAppID     map[string]*Principal
	byName      map[string][]*Principal // by lower display name
	groups      map[string]*ResourceGroup
	registries  map[string]*Registry // by lower name
	byLogin     map[string]*Registry // by lower login server
	assignments map[string]*RoleAssignment
	// conditions holds the compiled condition of each assignment that has one.
	conditions map[string]*condition.Condition
	// Authz is the decision core's view of roles, assignments and group memberships.
	Authz *authz.Snapshot
}

// load reads every bucket into a new State. prev, when given, lends its compiled conditions, so that a
// condition is parsed once, when its assignment is written.
func load(tx *bbolt.Tx, prev *State) (*State, error) {
	s := &State{
		principals:  map[string]*Principal{},
		byUPN:       map[string]*Principal{},
		byAppID:     map[string]*Principal{},
		byName:      map[string][]*Principal{},
		groups:      map[string]*ResourceGroup{},
		registries:  map[string]*Registry{},
		byLogin:     map[string]*Registry{},
		assignments: map[string]*RoleAssignment{},
		conditions:  map[string]*condition.Condition{},
	}
	if _, err := getJSON(tx.Bucket(bucketMeta), string(keyDirectory), &s.Directory); err != nil {
		return nil, err
	}
	each := func(bucket []byte, fn func(data []byte) error) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			if err := fn(v); err != nil {
				return fmt.Errorf("%s/%s: %w", bucket, k, err)
			}
			return nil
		})
	}
	err := each(bucketPrincipals, func(v []byte) error {
		p := new(Principal)
		if err := json.Unmarshal(v, p); err != nil {
			return err
		}
		s.principals[strings.ToLower(p.ObjectID)] = p
		if p.UPN != "" {
			s.byUPN[strings.ToLower(p.UPN)] = p
		}
		if p.AppID != "" {
			s.byAppID[strings.ToLower(p.AppID)] = p
		}
		n := strings.ToLower(p.DisplayName)
		s.byName[n] = append(s.byName[n], p)
		return nil
	})
	if err == nil {
		err = each(bucketGroups, func(v []byte) error {
			g := new(ResourceGroup)
			if err := json.Unmarshal(v, g); err != nil {
				return err
			}
			s.groups[strings.ToLower(g.Name)] = g
			return nil
		})
	}
	if err == nil {
		err = each(bucketRegistries, func(v []byte) error {
			r := new(Registry)
			if err := json.Unmarshal(v, r); err != nil {
				return err
			}
			s.registries[strings.ToLower(r.Name)] = r
			s.byLogin[strings.ToLower(r.LoginServer)] = r
			return nil
		})
	}
	var azs []authz.Assignment
	if err == nil {
		err = each(bucketAssignments, func(v []byte) error {
			a := new(RoleAssignment)
			if err := json.Unmarshal(v, a); err != nil {
				return err
			}
			key := strings.ToLower(a.Name)
			s.assignments[key] = a
			ra := authz.Assignment{ID: a.ID, Name: a.Name, Scope: a.Scope,
				RoleDefinitionID: path.Base(a.RoleDefinitionID), PrincipalID: a.PrincipalID}
			if a.Condition != "" {
				c, cerr := s.compile(prev, key, a.Condition)
				if cerr != nil {
					// A stored condition that does not compile (written by hand, or before a check existed)
					// grants nothing: keep the assignment out of decisions.
					return nil
				}
				s.conditions[key] = c
				ra.Condition = c
			}
			azs = append(azs, ra)
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	memberOf := map[string][]string{}
	for _, p := range s.principals {
		if p.Kind == KindGroup {
			for _, m := range p.Members {
				k := strings.ToLower(m)
				memberOf[k] = append(memberOf[k], p.ObjectID)
			}
		}
	}
	s.Authz = authz.NewSnapshot(authz.BuiltInRoles(), azs, memberOf)
	return s, nil
}

func (s *State) compile(prev *State, key, src string) (*condition.Condition, error) {
	if prev != nil {
		if c, ok := prev.conditions[key]; ok && c.Source() == src {
			return c, nil
		}
	}
	return condition.Parse(src)
}

// Principal returns a principal by object id.
func (s *State) Principal(objectID string) (*Principal, bool) {
	p, ok := s.principals[strings.ToLower(objectID)]
	return p, ok
}

// UserByUPN returns a user by sign-in name.
func (s *State) UserByUPN(upn string) (*Principal, bool) {
	p, ok := s.byUPN[strings.ToLower(upn)]
	return p, ok
}

// ByAppID returns a service principal or managed identity by application (client) id.
func (s *State) ByAppID(appID string) (*Principal, bool) {
	p, ok := s.byAppID[strings.ToLower(appID)]
	return p, ok
}

// ByDisplayName returns every principal with that display name (case-insensitive).
func (s *State) ByDisplayName(name string) []*Principal { return s.byName[strings.ToLower(name)] }

// Principals returns every principal, ordered by object id.
func (s *State) Principals() []*Principal {
	out := make([]*Principal, 0, len(s.principals))
	for _, p := range s.principals {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ObjectID < out[j].ObjectID })
	return out
}

// ResourceGroup returns a resource group by name.
func (s *State) ResourceGroup(name string) (*ResourceGroup, bool) {
	g, ok := s.groups[strings.ToLower(name)]
	return g, ok
}

// Registry returns a registry by name.
func (s *State) Registry(name string) (*Registry, bool) {
	r, ok := s.registries[strings.ToLower(name)]
	return r, ok
}

// RegistryByLoginServer returns the registry answering on a login server host[:port].
func (s *State) RegistryByLoginServer(host string) (*Registry, bool) {
	r, ok := s.byLogin[strings.ToLower(host)]
	return r, ok
}

// Registries returns every registry, ordered by name.
func (s *State) Registries() []*Registry {
	out := make([]*Registry, 0, len(s.registries))
	for _, r := range s.registries {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RoleAssignment returns an assignment by name (GUID).
func (s *State) RoleAssignment(name string) (*RoleAssignment, bool) {
	a, ok := s.assignments[strings.ToLower(name)]
	return a, ok
}

// RoleAssignments returns every assignment, ordered by name.
func (s *State) RoleAssignments() []*RoleAssignment {
	out := make([]*RoleAssignment, 0, len(s.assignments))
	for _, a := range s.assignments {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// AuthzRegistry returns the decision core's view of a registry.
func (r *Registry) AuthzRegistry() authz.Registry {
	m, _ := authz.ParseMode(r.Mode)
	return authz.Registry{ID: r.ID, Name: r.Name, Mode: m}
}

// AuthzPrincipal returns the decision core's view of a principal.
func (p *Principal) AuthzPrincipal() authz.Principal {
	name := p.DisplayName
	switch {
	case p.UPN != "":
		name = p.UPN
	case p.AppID != "":
		name = p.AppID
	}
	return authz.Principal{ObjectID: p.ObjectID, Kind: p.Kind, Name: name}
}

// ResourceGroups returns every resource group, ordered by name.
func (s *State) ResourceGroups() []*ResourceGroup {
	out := make([]*ResourceGroup, 0, len(s.groups))
	for _, g := range s.groups {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
