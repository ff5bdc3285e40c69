package seed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acremu/acremu/storage"
)

const common = `
tenant: 11111111-1111-4111-8111-111111111111
subscription: 22222222-2222-4222-8222-222222222222
resourceGroups: [{name: rg}]
users: [{name: alice@contoso.com, password: p}]
servicePrincipals: [{name: sp, secret: s}]
`

const (
	baseGroups     = "groups: [{name: team, members: [alice@contoso.com, inner]}, {name: inner, members: [sp]}]\n"
	baseRegistries = "registries: [{name: myregistry, resourceGroup: rg}]\n"
	base           = common + baseGroups + baseRegistries
)

const regScope = "/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry"

func openDB(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func apply(t *testing.T, db *storage.DB, yaml string) error {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := ReadFile(path)
	if err != nil {
		return err
	}
	return db.Update(func(tx *storage.Tx) error { return Apply(tx, s, Options{DefaultLoginServer: "localhost:5000"}) })
}

func TestApplyBadSeeds(t *testing.T) {
	tests := []struct {
		name, extra, entry, reason string
	}{
		{"unknown role", "roleAssignments: [{role: AcrPul, assignee: sp, scope: " + regScope + "}]", "roleAssignments[0]", `unknown role "AcrPul"`},
		{"unknown assignee", "roleAssignments: [{role: AcrPull, assignee: nobody, scope: " + regScope + "}]", "roleAssignments[0]", `unknown assignee "nobody"`},
		{"scope of an undeclared registry", "roleAssignments: [{role: AcrPull, assignee: sp, scope: " + regScope + "x}]", "roleAssignments[0]", "names no declared"},
		{"scope in another subscription", "roleAssignments: [{role: AcrPull, assignee: sp, scope: /subscriptions/33333333-3333-4333-8333-333333333333}]", "roleAssignments[0]", "is not in subscription"},
		{"malformed condition", "roleAssignments: [{role: Container Registry Repository Reader, assignee: sp, scope: " + regScope + ", condition: \"@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase nginx\"}]", "roleAssignments[0]", "The given role assignment condition is invalid."},
		{"condition version 1.0", "roleAssignments: [{role: Container Registry Repository Reader, assignee: sp, scope: " + regScope + ", conditionVersion: '1.0', condition: \"@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'nginx'\"}]", "roleAssignments[0]", "The given role assignment condition is invalid."},
		{"condition on catalog lister", "roleAssignments: [{role: Container Registry Repository Catalog Lister, assignee: sp, scope: " + regScope + ", condition: \"@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'nginx'\"}]", "roleAssignments[0]", "does not support conditions"},
		{"bad registry name", "registries: [{name: my-registry, resourceGroup: rg}]", "registries[0]", "invalid registry name"},
		{"registry in undeclared group", "registries: [{name: otherregistry, resourceGroup: nope}]", "registries[0]", `resource group "nope" is not declared`},
		{"bad mode", "registries: [{name: otherregistry, resourceGroup: rg, roleAssignmentMode: abac}]", "registries[0]", "unknown role assignment mode"},
		{"unknown group member", "groups: [{name: g2, members: [ghost]}]", "groups[0]", `unknown member "ghost"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			yaml := common
			if !strings.HasPrefix(tt.extra, "groups:") {
				yaml += baseGroups
			}
			if !strings.HasPrefix(tt.extra, "registries:") {
				yaml += baseRegistries
			}
			err := apply(t, db, yaml+tt.extra+"\n")
			var ee *EntryError
			if !errors.As(err, &ee) {
				t.Fatalf("error %v, want an EntryError", err)
			}
			if ee.Entry != tt.entry || !strings.Contains(ee.Reason, tt.reason) {
				t.Errorf("got %s: %s; want %s: ...%s...", ee.Entry, ee.Reason, tt.entry, tt.reason)
			}
			if db.State().Directory.TenantID != "" {
				t.Error("a refused seed left a tenant behind: the transaction was not rolled back")
			}
		})
	}
}

func TestApplyUnknownField(t *testing.T) {
	if err := apply(t, openDB(t), common+"registries: [{name: myregistry, resourceGroup: rg, colour: blue}]\n"); err == nil {
		t.Fatal("unknown field accepted")
	}
}

func TestApplyResolvesAndReseeds(t *testing.T) {
	db := openDB(t)
	seed := base + "roleAssignments: [{role: AcrPush, assignee: team, scope: " + regScope + "}]\n"
	if err := apply(t, db, seed); err != nil {
		t.Fatal(err)
	}
	st := db.State()
	alice, _ := st.UserByUPN("alice@contoso.com")
	sp := st.ByDisplayName("sp")[0]
	team := st.ByDisplayName("team")[0]
	inner := st.ByDisplayName("inner")[0]
	if got := st.Authz.Groups(sp.ObjectID); len(got) != 2 || !strings.EqualFold(got[0], inner.ObjectID) || !strings.EqualFold(got[1], team.ObjectID) {
		t.Errorf("sp's groups %v, want inner then team", got)
	}
	if got := st.Authz.Groups(alice.ObjectID); len(got) != 1 {
		t.Errorf("alice's groups %v, want one", got)
	}
	reg, _ := st.Registry("MyRegistry")
	if reg.LoginServer != "localhost:5000" || reg.Mode != "LegacyRegistryPermissions" || reg.ModeEpoch != 0 {
		t.Errorf("registry %+v", reg)
	}
	// The same seed again changes nothing; a mode change moves the epoch.
	if err := apply(t, db, seed); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.State().UserByUPN("alice@contoso.com"); again.ObjectID != alice.ObjectID {
		t.Error("object ids changed between two applications of one seed")
	}
	if err := apply(t, db, strings.Replace(seed, "resourceGroup: rg}", "resourceGroup: rg, roleAssignmentMode: rbac-abac}", 1)); err != nil {
		t.Fatal(err)
	}
	if reg, _ := db.State().Registry("myregistry"); reg.Mode != "AbacRepositoryPermissions" || reg.ModeEpoch != 1 {
		t.Errorf("after mode change: mode %s epoch %d, want AbacRepositoryPermissions 1", reg.Mode, reg.ModeEpoch)
	}
	if n := len(db.State().RoleAssignments()); n != 1 {
		t.Errorf("%d assignments, want 1", n)
	}
}

func TestDefaultSeedApplies(t *testing.T) {
	db := openDB(t)
	if err := db.Update(func(tx *storage.Tx) error { return Apply(tx, Default(), Options{DefaultLoginServer: "localhost:5000"}) }); err != nil {
		t.Fatal(err)
	}
	st := db.State()
	if p, ok := st.ByAppID(DevSPAppID); !ok || !p.CheckSecret(DevSPSecret) || p.ObjectID != DevSPObjectID {
		t.Errorf("development service principal missing or wrong: %+v", p)
	}
	if u, ok := st.UserByUPN(DevUser); !ok || !u.CheckSecret(DevUserPassword) || u.CheckSecret("wrong") {
		t.Error("development user missing or its password check is wrong")
	}
	if n := len(st.RoleAssignments()); n != 2 {
		t.Errorf("%d role assignments, want 2", n)
	}
}

func TestDefaultRegistryIsTheSeedsFirst(t *testing.T) {
	db := openDB(t)
	if err := apply(t, db, common+"registries: [{name: zzzregistry, resourceGroup: rg}, {name: aaaregistry, resourceGroup: rg}]\n"); err != nil {
		t.Fatal(err)
	}
	z, _ := db.State().Registry("zzzregistry")
	a, _ := db.State().Registry("aaaregistry")
	if !z.Default || a.Default {
		t.Errorf("default flags: zzzregistry %v, aaaregistry %v; want the first declared", z.Default, a.Default)
	}
}
