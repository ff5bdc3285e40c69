package authz

import (
	"reflect"
	"strings"
	"testing"

	"github.com/acremu/acremu/authz/condition"
)

const (
	sub    = "/subscriptions/s"
	rg     = sub + "/resourceGroups/rg"
	regR   = rg + "/providers/Microsoft.ContainerRegistry/registries/R"
	regR2  = rg + "/providers/Microsoft.ContainerRegistry/registries/R2"
	otherR = sub + "/resourceGroups/other/providers/Microsoft.ContainerRegistry/registries/R3"
	userP  = "p-oid"
	groupG = "g-oid"
	groupH = "h-oid" // G is a member of H
)

func pull(repo string) Access {
	return Access{Type: TypeRepository, Name: repo, Actions: []string{ActPull}}
}

var catalog = Access{Type: TypeRegistry, Name: NameCatalog, Actions: []string{Wildcard}}

func TestDecideRBAC(t *testing.T) {
	pushPull := Access{Type: TypeRepository, Name: "app", Actions: []string{ActPull, ActPush}}
	del := Access{Type: TypeRepository, Name: "app", Actions: []string{ActDelete}}
	tests := []struct {
		name        string
		assignments []Assignment
		scopes      []Access
		want        []Access
	}{
		{"no role", nil, []Access{pushPull, catalog}, nil},
		{"AcrPull pulls and lists", []Assignment{{Scope: regR, RoleDefinitionID: RoleAcrPull, PrincipalID: userP}},
			[]Access{pushPull, catalog, del}, []Access{pull("app"), catalog}},
		{"AcrPush pushes", []Assignment{{Scope: regR, RoleDefinitionID: RoleAcrPush, PrincipalID: userP}},
			[]Access{pushPull, del}, []Access{pushPull}},
		{"AcrDelete deletes only", []Assignment{{Scope: regR, RoleDefinitionID: RoleAcrDelete, PrincipalID: userP}},
			[]Access{pushPull, del}, []Access{del}},
		{"Reader reads", []Assignment{{Scope: regR, RoleDefinitionID: RoleReader, PrincipalID: userP}},
			[]Access{pushPull, catalog}, []Access{pull("app"), catalog}},
		{"Owner at subscription", []Assignment{{Scope: sub, RoleDefinitionID: RoleOwner, PrincipalID: userP}},
			[]Access{pushPull, del, catalog}, []Access{pushPull, del, catalog}},
		{"Contributor at resource group", []Assignment{{Scope: rg, RoleDefinitionID: RoleContributor, PrincipalID: userP}},
			[]Access{pushPull, del}, []Access{pushPull, del}},
		{"role on another registry", []Assignment{{Scope: regR2, RoleDefinitionID: RoleAcrPush, PrincipalID: userP}},
			[]Access{pushPull}, nil},
		{"role in another resource group", []Assignment{{Scope: otherR, RoleDefinitionID: RoleOwner, PrincipalID: userP}},
			[]Access{pushPull}, nil},
		{"scope prefix is not ancestry", []Assignment{{Scope: regR + "X", RoleDefinitionID: RoleOwner, PrincipalID: userP}},
			[]Access{pushPull}, nil},
		{"scope case-insensitive", []Assignment{{Scope: strings.ToUpper(regR), RoleDefinitionID: RoleAcrPull, PrincipalID: userP}},
			[]Access{pushPull}, []Access{pull("app")}},
		{"through a nested group", []Assignment{{Scope: regR, RoleDefinitionID: RoleAcrPush, PrincipalID: groupH}},
			[]Access{pushPull}, []Access{pushPull}},
		{"repository roles have no effect", []Assignment{{Scope: regR, RoleDefinitionID: RoleRepositoryContributor, PrincipalID: userP},
			{Scope: regR, RoleDefinitionID: RoleCatalogLister, PrincipalID: userP}}, []Access{pushPull, del, catalog}, nil},
		{"Data Importer pulls in rbac", []Assignment{{Scope: regR, RoleDefinitionID: RoleDataImporterAndReader, PrincipalID: userP}},
			[]Access{pushPull, catalog}, []Access{pull("app"), catalog}},
		{"wildcard repository honoured", []Assignment{{Scope: regR, RoleDefinitionID: RoleAcrPull, PrincipalID: userP}},
			[]Access{{Type: TypeRepository, Name: "*", Actions: []string{ActPull}}}, []Access{{Type: TypeRepository, Name: "*", Actions: []string{ActPull}}}},
		{"star action granted as star", []Assignment{{Scope: regR, RoleDefinitionID: RoleOwner, PrincipalID: userP}},
			[]Access{{Type: TypeRepository, Name: "app", Actions: []string{"*"}}}, []Access{{Type: TypeRepository, Name: "app", Actions: []string{"*"}}}},
		{"star action narrowed to what is held", []Assignment{{Scope: regR, RoleDefinitionID: RoleAcrPush, PrincipalID: userP}},
			[]Access{{Type: TypeRepository, Name: "app", Actions: []string{"*"}}},
			[]Access{{Type: TypeRepository, Name: "app", Actions: []string{ActPull, ActPush, ActMetadataRead}}}},
		{"unknown action and type ignored", []Assignment{{Scope: regR, RoleDefinitionID: RoleOwner, PrincipalID: userP}},
			[]Access{{Type: TypeRepository, Name: "app", Actions: []string{"fly"}}, {Type: "helm", Name: "x", Actions: []string{ActPull}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSnapshot(BuiltInRoles(), tt.assignments, map[string][]string{userP: {groupG}, groupG: {groupH}})
			d := Decide(s, Request{Principal: Principal{ObjectID: userP}, Registry: Registry{ID: regR, Mode: ModeRBAC}, Scopes: tt.scopes})
			if !reflect.DeepEqual(d.Granted, tt.want) {
				t.Errorf("granted %v, want %v\n%s", d.Granted, tt.want, d.Trace)
			}
		})
	}
}

func mustCondition(t *testing.T, src string) *condition.Condition {
	t.Helper()
	c, err := condition.Parse(src)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return c
}

const (
	nameAttr      = "@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
	readTargeted  = "(!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'}) AND !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}))"
	condExact     = "(" + readTargeted + " OR (" + nameAttr + " StringEqualsIgnoreCase 'hello-world'))"
	condPrefix    = "(" + readTargeted + " OR (" + nameAttr + " StringStartsWithIgnoreCase 'backend/'))"
	condNoSlash   = "(" + readTargeted + " OR (" + nameAttr + " StringStartsWithIgnoreCase 'backend'))"
	condTwoPrefix = "(" + readTargeted + " OR (" + nameAttr + " StringStartsWithIgnoreCase 'backend/' OR " + nameAttr + " StringStartsWithIgnoreCase 'frontend/js/'))"
)

func TestDecideABAC(t *testing.T) {
	readAll := func(repo string) Access {
		return Access{Type: TypeRepository, Name: repo, Actions: []string{ActPull, ActMetadataRead}}
	}
	pushPull := func(repo string) Access {
		return Access{Type: TypeRepository, Name: repo, Actions: []string{ActPull, ActPush}}
	}
	type asg struct {
		role, cond, scope string
	}
	tests := []struct {
		name   string
		asgs   []asg
		scopes []Access
		want   []Access
	}{
		{"reader exact repo", []asg{{RoleRepositoryReader, condExact, regR}}, []Access{readAll("hello-world")}, []Access{readAll("hello-world")}},
		{"reader exact, other repo", []asg{{RoleRepositoryReader, condExact, regR}}, []Access{readAll("other")}, nil},
		{"reader never pushes", []asg{{RoleRepositoryReader, condExact, regR}}, []Access{pushPull("hello-world")}, []Access{pull("hello-world")}},
		{"reader no catalog", []asg{{RoleRepositoryReader, "", regR}}, []Access{catalog}, nil},
		{"catalog lister", []asg{{RoleRepositoryReader, condExact, regR}, {RoleCatalogLister, "", regR}}, []Access{catalog}, []Access{catalog}},
		{"prefix allows backend/nginx", []asg{{RoleRepositoryReader, condPrefix, regR}}, []Access{pull("backend/nginx")}, []Access{pull("backend/nginx")}},
		{"prefix refuses backend-infra", []asg{{RoleRepositoryReader, condPrefix, regR}}, []Access{pull("backend-infra/k8s"), pull("backend")}, nil},
		{"no slash lets siblings in", []asg{{RoleRepositoryReader, condNoSlash, regR}},
			[]Access{pull("backend-infra/k8s"), pull("backend"), pull("backendsvc/containers")},
			[]Access{pull("backend-infra/k8s"), pull("backend"), pull("backendsvc/containers")}},
		{"two prefixes", []asg{{RoleRepositoryReader, condTwoPrefix, regR}},
			[]Access{pull("frontend/js/vue"), pull("frontend/css/app"), pull("backend/api")},
			[]Access{pull("frontend/js/vue"), pull("backend/api")}},
		{"reader condition on writer leaves push open", []asg{{RoleRepositoryWriter, condExact, regR}},
			[]Access{pushPull("other/app")}, []Access{{Type: TypeRepository, Name: "other/app", Actions: []string{ActPush}}}},
		{"unconditional assignment wins", []asg{{RoleRepositoryReader, condPrefix, regR}, {RoleRepositoryReader, "", rg}},
			[]Access{pull("other/app")}, []Access{pull("other/app")}},
		{"AcrPull not honoured", []asg{{RoleAcrPull, "", regR}}, []Access{pull("a"), catalog}, nil},
		{"AcrPush not honoured", []asg{{RoleAcrPush, "", regR}}, []Access{pushPull("a")}, nil},
		{"Owner control plane only", []asg{{RoleOwner, "", sub}}, []Access{pushPull("a"), catalog}, nil},
		{"contributor repo deletes", []asg{{RoleRepositoryContributor, "", regR}},
			[]Access{{Type: TypeRepository, Name: "a", Actions: []string{ActDelete}}}, []Access{{Type: TypeRepository, Name: "a", Actions: []string{ActDelete}}}},
		{"wildcard repository dropped", []asg{{RoleRepositoryContributor, "", regR}},
			[]Access{{Type: TypeRepository, Name: "*", Actions: []string{ActPull}}}, nil},
		{"data importer reads and lists", []asg{{RoleDataImporterAndReader, "", regR}}, []Access{pushPull("a"), catalog}, []Access{pull("a"), catalog}},
		{"rg scope covers sibling registry only in rg", []asg{{RoleRepositoryReader, condPrefix, rg}}, []Access{pull("backend/x")}, []Access{pull("backend/x")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var as []Assignment
			for i, a := range tt.asgs {
				x := Assignment{ID: string(rune('a' + i)), Scope: a.scope, RoleDefinitionID: a.role, PrincipalID: userP}
				if a.cond != "" {
					x.Condition = mustCondition(t, a.cond)
				}
				as = append(as, x)
			}
			s := NewSnapshot(BuiltInRoles(), as, nil)
			d := Decide(s, Request{Principal: Principal{ObjectID: userP}, Registry: Registry{ID: regR, Mode: ModeABAC}, Scopes: tt.scopes})
			if !reflect.DeepEqual(d.Granted, tt.want) {
				t.Errorf("granted %v, want %v\n%s", d.Granted, tt.want, d.Trace)
			}
		})
	}
}

func TestTraceVerdicts(t *testing.T) {
	s := NewSnapshot(BuiltInRoles(), []Assignment{
		{ID: "owner", Scope: sub, RoleDefinitionID: RoleOwner, PrincipalID: userP},
		{ID: "acrpull", Scope: regR, RoleDefinitionID: RoleAcrPull, PrincipalID: userP},
		{ID: "elsewhere", Scope: regR2, RoleDefinitionID: RoleRepositoryReader, PrincipalID: userP},
		{ID: "reader", Scope: regR, RoleDefinitionID: RoleRepositoryReader, PrincipalID: userP, Condition: mustCondition(t, condExact)},
		{ID: "ghost", Scope: regR, RoleDefinitionID: "00000000-0000-0000-0000-00000000dead", PrincipalID: userP},
	}, nil)
	d := Decide(s, Request{Principal: Principal{ObjectID: userP}, Registry: Registry{ID: regR, Mode: ModeABAC}, Scopes: []Access{pull("backend/nginx")}})
	if len(d.Granted) != 0 || len(d.Trace.Checks) != 1 {
		t.Fatalf("granted %v, checks %d; want nothing and one check", d.Granted, len(d.Trace.Checks))
	}
	want := map[string]Verdict{"owner": VerdictControlPlaneOnly, "acrpull": VerdictNotHonoured,
		"elsewhere": VerdictOutOfScope, "reader": VerdictConditionFalse, "ghost": VerdictUnknownRole}
	for _, a := range d.Trace.Checks[0].Assignments {
		if a.Verdict != want[a.AssignmentID] {
			t.Errorf("%s: verdict %q, want %q", a.AssignmentID, a.Verdict, want[a.AssignmentID])
		}
		if a.AssignmentID == "reader" && !strings.Contains(a.Detail, "backend/nginx") {
			t.Errorf("condition detail %q does not show the repository name it saw", a.Detail)
		}
	}
	if !strings.Contains(d.Trace.String(), "DENIED") {
		t.Errorf("trace text lacks the outcome:\n%s", d.Trace)
	}
	// rbac mode: conditioned assignments are not evaluated, repository roles have no effect.
	d = Decide(s, Request{Principal: Principal{ObjectID: userP}, Registry: Registry{ID: regR, Mode: ModeRBAC}, Scopes: []Access{pull("a")}})
	want = map[string]Verdict{"owner": VerdictGranted, "acrpull": VerdictGranted, "elsewhere": VerdictOutOfScope,
		"reader": VerdictNotHonoured, "ghost": VerdictUnknownRole}
	for _, a := range d.Trace.Checks[0].Assignments {
		if a.Verdict != want[a.AssignmentID] {
			t.Errorf("rbac %s: verdict %q, want %q", a.AssignmentID, a.Verdict, want[a.AssignmentID])
		}
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": ModeRBAC, "rbac": ModeRBAC, "RBAC-ABAC": ModeABAC,
		"AbacRepositoryPermissions": ModeABAC, "legacyregistrypermissions": ModeRBAC} {
		got, err := ParseMode(in)
		if err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseMode("abac"); err == nil {
		t.Error("ParseMode(abac) succeeded, want an error")
	}
}

func TestDecideAction(t *testing.T) {
	s := NewSnapshot(BuiltInRoles(), []Assignment{
		{ID: "contrib", Scope: rg, RoleDefinitionID: RoleContributor, PrincipalID: userP},
		{ID: "reader", Scope: regR, RoleDefinitionID: RoleRepositoryReader, PrincipalID: groupG},
		{ID: "uaa", Scope: sub, RoleDefinitionID: RoleUserAccessAdministrator, PrincipalID: groupH},
	}, map[string][]string{userP: {groupG}, groupG: {groupH}})
	p := Principal{ObjectID: userP}
	tests := []struct {
		target, action string
		want           bool
	}{
		{regR, "Microsoft.ContainerRegistry/registries/write", true},
		{regR, "Microsoft.ContainerRegistry/registries/read", true},
		{otherR, "Microsoft.ContainerRegistry/registries/read", true}, // User Access Administrator reads everything
		{otherR, "Microsoft.ContainerRegistry/registries/write", false},
		{regR + "/providers/Microsoft.Authorization/roleAssignments/x", "Microsoft.Authorization/roleAssignments/write", true}, // through UAA on the subscription
	}
	for _, tt := range tests {
		if got := DecideAction(s, p, tt.target, tt.action); got.Allowed != tt.want {
			t.Errorf("%s on %s: %v, want %v\n%+v", tt.action, tt.target, got.Allowed, tt.want, got.Check)
		}
	}
	// Contributor alone cannot write role assignments (NotActions Microsoft.Authorization/*/Write).
	s = NewSnapshot(BuiltInRoles(), []Assignment{{ID: "c", Scope: sub, RoleDefinitionID: RoleContributor, PrincipalID: userP}}, nil)
	if DecideAction(s, p, regR, "Microsoft.Authorization/roleAssignments/write").Allowed {
		t.Error("Contributor may write role assignments")
	}
	// Repository roles carry no control-plane action: az acr show is refused.
	s = NewSnapshot(BuiltInRoles(), []Assignment{{ID: "r", Scope: regR, RoleDefinitionID: RoleRepositoryContributor, PrincipalID: userP}}, nil)
	if DecideAction(s, p, regR, "Microsoft.ContainerRegistry/registries/read").Allowed {
		t.Error("Repository Contributor may read the registry resource")
	}
}

func TestTraceDenials(t *testing.T) {
	s := NewSnapshot(BuiltInRoles(), []Assignment{{ID: "p", Scope: regR, RoleDefinitionID: RoleAcrPull, PrincipalID: userP}}, nil)
	d := Decide(s, Request{Principal: Principal{ObjectID: userP}, Registry: Registry{ID: regR, Mode: ModeABAC},
		Scopes: []Access{pull("a"), {Type: TypeRepository, Name: "*", Actions: []string{ActPull}}}})
	got := d.Trace.Denials()
	if len(got) != 2 || !strings.Contains(got[0], "AcrPull at "+regR+" role not honoured in this mode") ||
		!strings.Contains(got[1], "drops repository wildcard") {
		t.Errorf("denials %q", got)
	}
}
