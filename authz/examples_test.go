package authz

import (
	"errors"
	"strings"
	"testing"
)

// The worked examples of spec abac-conditions.md §9, cases 1-28, as decisions. Each request is one data
// action on one repository, which the token service asks as the matching token action.

const (
	cr       = "Microsoft.ContainerRegistry/registries/repositories/"
	nm       = nameAttr
	regR2Sib = rg + "/providers/Microsoft.ContainerRegistry/registries/R2"
)

func targets(actions ...string) string {
	parts := make([]string, len(actions))
	for i, a := range actions {
		parts[i] = "!(ActionMatches{'" + a + "'})"
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}

func block(actions []string, expr string) string {
	return "(" + targets(actions...) + " OR (" + expr + "))"
}

var readActions = []string{cr + "content/read", cr + "metadata/read"}

// tokenAction maps a repository data action to the token action whose grant it decides.
var tokenAction = map[string]string{
	cr + "content/read": ActPull, cr + "metadata/read": ActMetadataRead, cr + "content/write": ActPush,
	cr + "content/delete": ActDelete, cr + "metadata/write": ActMetadataWrite,
}

type exAssignment struct {
	role  string // a built-in role GUID, or "custom"
	scope string
	cond  string
}

type exRequest struct {
	action, repo, registry string
	allow                  bool
}

func TestWorkedExamples(t *testing.T) {
	cExact := block(readActions, nm+" StringEqualsIgnoreCase 'nginx'")
	cPrefix := block(readActions, nm+" StringStartsWithIgnoreCase 'backend/'")
	cNoSlash := block(readActions, nm+" StringStartsWithIgnoreCase 'backend'")
	cTwo := block(readActions, nm+" StringStartsWithIgnoreCase 'backend/' OR "+nm+" StringStartsWithIgnoreCase 'frontend/js/'")
	writerAll := []string{cr + "content/read", cr + "content/write", cr + "metadata/read", cr + "metadata/write"}
	custom := RoleDefinition{ID: "11111111-2222-4333-8444-555555555555", Name: "Custom repository role",
		Permissions: []Permission{{DataActions: []string{cr + "*"}, NotDataActions: []string{cr + "content/delete"}}}}
	read := func(repo string, allow bool) exRequest { return exRequest{cr + "content/read", repo, regR, allow} }
	tests := []struct {
		n        string
		asg      []exAssignment
		denies   []DenyAssignment
		requests []exRequest
	}{
		{"1-3", []exAssignment{{RoleRepositoryReader, regR, cExact}}, nil, []exRequest{
			read("nginx", true), read("backend/nginx", false), {cr + "metadata/read", "nginx-proxy", regR, false}}},
		{"4-6", []exAssignment{{RoleRepositoryReader, regR, cPrefix}}, nil, []exRequest{
			read("backend/redis", true), read("backend-infra/k8s", false), read("backend", false)}},
		{"7", []exAssignment{{RoleRepositoryReader, regR, cNoSlash}}, nil, []exRequest{
			read("backend-infra/k8s", true), read("backendsvc/containers", true), read("backend", true)}},
		{"8", []exAssignment{{RoleRepositoryReader, regR, cTwo}}, nil, []exRequest{read("frontend/js/vue", true), read("frontend/css/app", false)}},
		{"9", []exAssignment{{RoleRepositoryReader, regR, block(readActions, nm+" StringEquals 'Nginx'")}}, nil, []exRequest{read("nginx", false)}},
		{"10-11", []exAssignment{{RoleRepositoryWriter, regR, cPrefix}}, nil, []exRequest{
			{cr + "content/write", "other/app", regR, true}, read("other/app", false)}},
		{"12", []exAssignment{{RoleRepositoryReader, regR, cPrefix}, {RoleRepositoryReader, rg, ""}}, nil, []exRequest{read("other/app", true)}},
		{"13", []exAssignment{{RoleRepositoryReader, regR, cPrefix}, {RoleRepositoryWriter, regR, block(writerAll, nm+" StringStartsWithIgnoreCase 'team-b/'")}}, nil, []exRequest{
			{cr + "content/write", "team-b/x", regR, true}, read("backend/y", true), {cr + "content/write", "backend/y", regR, false},
			{cr + "content/delete", "team-b/x", regR, false}}},
		{"14", []exAssignment{{RoleRepositoryWriter, regR, "((!(ActionMatches{'" + cr + "content/write'})) OR (NOT " + nm + " StringStartsWithIgnoreCase 'prod/'))"}}, nil, []exRequest{
			{cr + "content/write", "prod/api", regR, false}, {cr + "content/write", "dev/api", regR, true}, read("prod/api", true)}},
		{"15", []exAssignment{{RoleRepositoryContributor, regR, "((!(ActionMatches{'" + cr + "*'})) OR (" + nm + " StringStartsWithIgnoreCase 'team-a/'))"}}, nil, []exRequest{
			{cr + "content/delete", "team-b/x", regR, false}, {cr + "content/delete", "team-a/x", regR, true}}},
		{"16", []exAssignment{{RoleRepositoryReader, regR, "((!(ActionMatches{'Microsoft.ContainerRegistry/registries/*/read'})) OR (" + nm + " StringEqualsIgnoreCase 'nginx'))"}}, nil, []exRequest{read("redis", false)}},
		{"17", []exAssignment{{RoleRepositoryReader, regR, strings.Replace(cExact, cr+"content/read", "microsoft.containerregistry/registries/repositories/CONTENT/read", 1)}}, nil, []exRequest{read("redis", false)}},
		{"18", []exAssignment{{RoleRepositoryContributor, regR,
			block([]string{cr + "content/delete", cr + "metadata/delete"}, nm+" StringStartsWithIgnoreCase 'scratch/'") + " AND " +
				block([]string{cr + "content/write", cr + "metadata/write"}, nm+" StringStartsWithIgnoreCase 'scratch/' OR "+nm+" StringStartsWithIgnoreCase 'dev/'")}}, nil, []exRequest{
			read("prod/a", true), {cr + "content/write", "dev/a", regR, true}, {cr + "content/delete", "dev/a", regR, false}, {cr + "content/delete", "scratch/a", regR, true}}},
		{"20", []exAssignment{{RoleRepositoryReader, regR, "((!(ActionMatches{'" + cr + "content/read'} AND SubOperationMatches{'Blob.List'})) OR (" + nm + " StringEqualsIgnoreCase 'nginx'))"}}, nil, []exRequest{read("redis", true)}},
		{"21", []exAssignment{{"custom", regR, "((!(ActionMatches{'" + cr + "*'})) OR (" + nm + " StringStartsWithIgnoreCase 'team-a/'))"}}, nil, []exRequest{
			{cr + "content/delete", "team-a/x", regR, false}}},
		{"22", []exAssignment{{"custom", regR, "((!(ActionMatches{'" + cr + "*'})) OR (" + nm + " StringStartsWithIgnoreCase 'team-a/'))"}, {RoleRepositoryContributor, rg, ""}}, nil, []exRequest{
			{cr + "content/delete", "team-b/x", regR, true}}},
		{"23", []exAssignment{{RoleRepositoryContributor, regR, ""}}, []DenyAssignment{{ID: "deny", Scope: regR, Principals: []string{AllPrincipals},
			Permissions: []Permission{{DataActions: []string{cr + "content/delete"}}}}}, []exRequest{{cr + "content/delete", "a/b", regR, false}, read("a/b", true)}},
		{"24", []exAssignment{{RoleRepositoryReader, rg, block(readActions, nm+" StringStartsWithIgnoreCase 'shared/'")}}, nil, []exRequest{
			{cr + "content/read", "shared/base", regR2Sib, true}, {cr + "content/read", "shared/base", otherR, false}}},
		{"25", []exAssignment{{RoleRepositoryReader, regR, "((!(ActionMatches{'" + cr + "content/read'})) OR (" + nm + " ForAnyOfAnyValues:StringEqualsIgnoreCase {'nginx', 'redis'}))"}}, nil, []exRequest{read("redis", true)}},
		{"26", []exAssignment{{RoleRepositoryReader, regR, "((!(ActionMatches{'" + cr + "content/read'})) OR (" + nm + " StringLikeIgnoreCase 'team-?/*'))"}}, nil, []exRequest{
			read("team-a/api", true), read("team-ab/api", false), read("team-a", false)}},
	}
	for _, tt := range tests {
		t.Run("case "+tt.n, func(t *testing.T) {
			var as []Assignment
			for i, a := range tt.asg {
				x := Assignment{ID: tt.n + "/" + string(rune('a'+i)), Scope: a.scope, RoleDefinitionID: a.role, PrincipalID: userP}
				if a.role == "custom" {
					x.RoleDefinitionID = custom.ID
				}
				if a.cond != "" {
					x.Condition = mustCondition(t, a.cond)
				}
				as = append(as, x)
			}
			s := NewSnapshot(append(BuiltInRoles(), custom), as, nil, WithDenyAssignments(tt.denies...))
			for _, r := range tt.requests {
				scope := Access{Type: TypeRepository, Name: r.repo, Actions: []string{tokenAction[r.action]}}
				d := Decide(s, Request{Principal: Principal{ObjectID: userP}, Registry: Registry{ID: r.registry, Mode: ModeABAC}, Scopes: []Access{scope}})
				if got := len(d.Granted) == 1; got != r.allow {
					t.Errorf("%s on %s in %s: allowed %v, want %v\n%s", r.action, r.repo, r.registry, got, r.allow, d.Trace)
				}
			}
		})
	}
	// Case 19: the catalog is the Catalog Lister's, whatever the Reader's condition.
	s := NewSnapshot(BuiltInRoles(), []Assignment{{ID: "r", Scope: regR, RoleDefinitionID: RoleRepositoryReader, PrincipalID: userP, Condition: mustCondition(t, cPrefix)},
		{ID: "l", Scope: regR, RoleDefinitionID: RoleCatalogLister, PrincipalID: userP}}, nil)
	if d := Decide(s, Request{Principal: Principal{ObjectID: userP}, Registry: Registry{ID: regR, Mode: ModeABAC}, Scopes: []Access{catalog}}); len(d.Granted) != 1 {
		t.Errorf("case 19: catalog refused\n%s", d.Trace)
	}
}

// TestWriteTimeExamples covers cases 27 and 28 and the role rule: refused with ARM's message.
func TestWriteTimeExamples(t *testing.T) {
	roles := BuiltInRoles()
	find := func(id string) *RoleDefinition {
		for i := range roles {
			if roles[i].ID == id {
				return &roles[i]
			}
		}
		t.Fatalf("no role %s", id)
		return nil
	}
	reader, lister := find(RoleRepositoryReader), find(RoleCatalogLister)
	valid := block(readActions, nm+" StringEqualsIgnoreCase 'nginx'")
	tests := []struct {
		name, cond, version string
		role                *RoleDefinition
		wantVersion         string
		ok                  bool
	}{
		{"27 unquoted value", block(readActions, nm+" StringEqualsIgnoreCase nginx"), "2.0", reader, "", false},
		{"28 version 1.0", valid, "1.0", reader, "", false},
		{"version defaults to 2.0", valid, "", reader, "2.0", true},
		{"catalog lister refuses conditions", valid, "2.0", lister, "", false},
		{"no condition", "", "", lister, "", true},
		{"version without condition", "", "2.0", reader, "", false},
	}
	for _, tt := range tests {
		v, err := CheckCondition(tt.role, tt.cond, tt.version)
		if (err == nil) != tt.ok || v != tt.wantVersion {
			t.Errorf("%s: version %q, error %v; want %q ok=%v", tt.name, v, err, tt.wantVersion, tt.ok)
		}
		if err != nil && (!errors.Is(err, ErrInvalidCondition) || !strings.HasPrefix(err.Error(), "The given role assignment condition is invalid.")) {
			t.Errorf("%s: error %q does not carry ARM's message", tt.name, err)
		}
	}
}
