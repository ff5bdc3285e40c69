package conformance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/tokens"
)

// The conditions of Microsoft's ABAC article (seed 003), flattened as its `cat <<'EOF' | tr -d '\n'` does.
const (
	articleReadActions = "( (  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})  AND  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}) ) OR  (  "
	articleName        = "@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
	condHelloWorld     = articleReadActions + articleName + " StringEqualsIgnoreCase 'hello-world' ))"
	condBackendPrefix  = articleReadActions + articleName + " StringStartsWithIgnoreCase 'backend/' ))"
	condBackendNoSlash = articleReadActions + articleName + " StringStartsWithIgnoreCase 'backend' ))"
	condTwoPrefixes    = articleReadActions + articleName + " StringStartsWithIgnoreCase 'backend/'  OR  " + articleName + " StringStartsWithIgnoreCase 'frontend/js/' ))"
)

const abacRegistryScope = "/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/abacregistry"

// abacSeed declares an rbac-abac registry, an Owner user (to seed images and switch modes), a service
// principal "reader" with the given assignments, and the roles around it.
func abacSeed(assignments ...string) string {
	return `
tenant: 11111111-1111-4111-8111-111111111111
subscription: 22222222-2222-4222-8222-222222222222
resourceGroups: [{name: rg}]
users:
  - {name: owner@contoso.com, password: owner-pass}
servicePrincipals:
  - {name: reader, appId: 00000000-0000-4000-8000-0000000000aa, secret: reader-secret}
  - {name: seeder, appId: 00000000-0000-4000-8000-0000000000bb, secret: seeder-secret}
registries:
  - {name: abacregistry, resourceGroup: rg, sku: Premium, roleAssignmentMode: rbac-abac}
roleAssignments:
  - {role: Owner, assignee: owner@contoso.com, scope: /subscriptions/22222222-2222-4222-8222-222222222222}
  - {role: Container Registry Repository Contributor, assignee: seeder, scope: ` + abacRegistryScope + `}
  - {role: AcrPush, assignee: seeder, scope: ` + abacRegistryScope + `}
` + strings.Join(assignments, "\n") + "\n"
}

func readerAssignment(role, cond string) string {
	if cond == "" {
		return fmt.Sprintf("  - {role: %s, assignee: reader, scope: %s}", role, abacRegistryScope)
	}
	return fmt.Sprintf("  - role: %s\n    assignee: reader\n    scope: %s\n    conditionVersion: \"2.0\"\n    condition: \"%s\"", role, abacRegistryScope, cond)
}

var (
	readerSP = &authn.Basic{Username: "00000000-0000-4000-8000-0000000000aa", Password: "reader-secret"}
	seederSP = &authn.Basic{Username: "00000000-0000-4000-8000-0000000000bb", Password: "seeder-secret"}
)

// abacStep is one operation and whether it must succeed.
type abacStep struct {
	op      op
	repo    string
	allowed bool
}

// runSteps seeds each step's repository, runs the operation with auth and checks the outcome.
func runSteps(t *testing.T, srv *acremutest.Server, auth authn.Authenticator, steps []abacStep) {
	t.Helper()
	for _, s := range steps {
		seeded := seedImageAs(t, srv.Host, s.repo, seederSP)
		err := ggcrDo(t, s.op, srv.Host, s.repo, auth, seeded)
		switch {
		case s.allowed && err != nil:
			t.Errorf("%s %s: %v, want success", s.op, s.repo, err)
		case !s.allowed && err == nil:
			t.Errorf("%s %s succeeded, want refusal", s.op, s.repo)
		case !s.allowed:
			wantDenied(t, err)
		}
	}
}

// TestABACArticleExamples runs every example of Microsoft's ABAC article with go-containerregistry.
func TestABACArticleExamples(t *testing.T) {
	tests := []struct {
		name        string
		assignments []string
		steps       []abacStep
	}{
		{"Repository Reader limited to hello-world", []string{readerAssignment("Container Registry Repository Reader", condHelloWorld)}, []abacStep{
			{opPull, "hello-world", true}, {opTags, "hello-world", true}, {opPull, "other", false},
			{opPush, "hello-world", false}, {opPush, "other", false}, {opCatalog, "hello-world", false}}},
		{"with Catalog Lister the catalog lists", []string{readerAssignment("Container Registry Repository Reader", condHelloWorld),
			readerAssignment("Container Registry Repository Catalog Lister", "")}, []abacStep{
			{opCatalog, "hello-world", true}, {opPull, "other", false}}},
		{"prefix backend/", []string{readerAssignment("Container Registry Repository Reader", condBackendPrefix)}, []abacStep{
			{opPull, "backend/nginx", true}, {opPull, "backend-infra/k8s", false}, {opPull, "backend", false}}},
		{"prefix backend without the slash", []string{readerAssignment("Container Registry Repository Reader", condBackendNoSlash)}, []abacStep{
			{opPull, "backend-infra/k8s", true}, {opPull, "backend", true}, {opPull, "backendsvc/containers", true}, {opPull, "frontend/x", false}}},
		{"two prefixes", []string{readerAssignment("Container Registry Repository Reader", condTwoPrefixes)}, []abacStep{
			{opPull, "backend/api", true}, {opPull, "frontend/js/vue", true}, {opPull, "frontend/css/app", false}}},
		{"the reader condition on a Writer leaves push open", []string{readerAssignment("Container Registry Repository Writer", condHelloWorld)}, []abacStep{
			{opPush, "anything/else", true}, {opPush, "hello-world", true}, {opPull, "hello-world", true}, {opPull, "anything/else", false}}},
		{"Repository Reader without condition is registry-wide", []string{readerAssignment("Container Registry Repository Reader", "")}, []abacStep{
			{opPull, "a/b", true}, {opPull, "c", true}, {opPush, "c", false}, {opDelete, "c", false}, {opCatalog, "c", false}}},
		{"Repository Contributor deletes", []string{readerAssignment("Container Registry Repository Contributor", "")}, []abacStep{
			{opDelete, "c", true}, {opPush, "c", true}}},
		{"AcrPull, AcrPush and Owner are not honoured", []string{readerAssignment("AcrPull", ""), readerAssignment("AcrPush", ""),
			readerAssignment("Owner", "")}, []abacStep{{opPull, "a", false}, {opPush, "a", false}, {opCatalog, "a", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := acremutest.NewServer(t, abacSeed(tt.assignments...))
			runSteps(t, srv, readerSP, tt.steps)
		})
	}
}

// TestABACModeSwitch switches the registry between the modes through ARM: legacy roles are honoured again
// in rbac, and credentials issued before a switch are refused with 401.
func TestABACModeSwitch(t *testing.T) {
	srv := acremutest.NewServer(t, abacSeed(readerAssignment("AcrPush", ""), readerAssignment("Container Registry Repository Reader", condHelloWorld)))
	owner := newARM(t, srv, "owner@contoso.com", "owner-pass")
	// In rbac-abac: the Reader's condition applies, AcrPush does not.
	runSteps(t, srv, readerSP, []abacStep{{opPull, "hello-world", true}, {opPull, "other", false}, {opPush, "other", false}})

	// A refresh token from an Entra sign-in, issued under rbac-abac, carries aad_identity.
	refresh := srv.RefreshToken(t, srv.Host, srv.EntraToken(t, readerSP.Username, readerSP.Password, "https://containerregistry.azure.net/.default"))
	if c, _ := tokens.DecodeUnverified(refresh); c == nil || c.AADIdentity == "" {
		t.Errorf("rbac-abac refresh token lacks aad_identity: %+v", c)
	}
	viaRefresh := &authn.Basic{Username: tokens.NullGUIDUser, Password: refresh}
	runSteps(t, srv, viaRefresh, []abacStep{{opPull, "hello-world", true}})

	setMode := func(mode string) {
		st, body := owner.do("PATCH", abacRegistryScope+regAPI, map[string]any{"properties": map[string]any{"roleAssignmentMode": mode}})
		if st != 200 || body["properties"].(map[string]any)["roleAssignmentMode"] != mode {
			t.Fatalf("switch to %s: %d %v", mode, st, body)
		}
	}
	setMode("LegacyRegistryPermissions")
	// The refresh token from before the switch is refused.
	q := "scope=repository:hello-world:pull&service=" + srv.Host
	r := do(t, basicRequest(t, "http://"+srv.Host+"/oauth2/token?"+q, tokens.NullGUIDUser, refresh))
	if r.status != 401 {
		t.Errorf("pre-switch refresh token: %d %s, want 401", r.status, r.body)
	}
	// In rbac: AcrPush is honoured, the Repository Reader has no effect.
	runSteps(t, srv, readerSP, []abacStep{{opPull, "other", true}, {opPush, "other", true}, {opDelete, "other", false}})

	setMode("AbacRepositoryPermissions")
	runSteps(t, srv, readerSP, []abacStep{{opPush, "other", false}, {opPull, "hello-world", true}})
}
