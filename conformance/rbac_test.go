package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/tokens"
)

// rbacSeed declares one service principal per role under test, a second registry with its own listener,
// a group, and users, all in rbac mode.
const rbacSeed = `
tenant: 11111111-1111-4111-8111-111111111111
subscription: 22222222-2222-4222-8222-222222222222
resourceGroups:
  - {name: rg}
  - {name: other}
users:
  - {name: alice@contoso.com, password: alice-pass}
  - {name: bob@contoso.com, password: bob-pass}
servicePrincipals:
  - {name: sp-pull, appId: 00000000-0000-4000-8000-000000000001, secret: s1}
  - {name: sp-push, appId: 00000000-0000-4000-8000-000000000002, secret: s2}
  - {name: sp-delete, appId: 00000000-0000-4000-8000-000000000003, secret: s3}
  - {name: sp-reader, appId: 00000000-0000-4000-8000-000000000004, secret: s4}
  - {name: sp-owner, appId: 00000000-0000-4000-8000-000000000005, secret: s5}
  - {name: sp-contrib, appId: 00000000-0000-4000-8000-000000000006, secret: s6}
  - {name: sp-none, appId: 00000000-0000-4000-8000-000000000007, secret: s7}
  - {name: sp-group, appId: 00000000-0000-4000-8000-000000000008, secret: s8}
  - {name: sp-elsewhere, appId: 00000000-0000-4000-8000-000000000009, secret: s9}
  - {name: sp-rg, appId: 00000000-0000-4000-8000-00000000000a, secret: s10}
  - {name: sp-repo-roles, appId: 00000000-0000-4000-8000-00000000000b, secret: s11}
groups:
  - {name: inner, members: [sp-group]}
  - {name: pushers, members: [inner]}
registries:
  - {name: myregistry, resourceGroup: rg}
  - {name: secondregistry, resourceGroup: other, listen: "127.0.0.1:0"}
roleAssignments:
  - {role: AcrPull, assignee: sp-pull, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
  - {role: AcrPush, assignee: sp-push, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
  - {role: AcrDelete, assignee: sp-delete, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
  - {role: AcrPull, assignee: sp-delete, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
  - {role: Reader, assignee: sp-reader, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
  - {role: Owner, assignee: sp-owner, scope: /subscriptions/22222222-2222-4222-8222-222222222222}
  - {role: b24988ac-6180-42a0-ab88-20f7382dd24c, assignee: sp-contrib, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg}
  - {role: AcrPush, assignee: pushers, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
  - {role: AcrPush, assignee: sp-elsewhere, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/other/providers/Microsoft.ContainerRegistry/registries/secondregistry}
  - {role: AcrPush, assignee: sp-rg, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/other}
  - {role: Container Registry Repository Contributor, assignee: sp-repo-roles, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
  - {role: Container Registry Repository Catalog Lister, assignee: sp-repo-roles, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
  - {role: AcrPush, assignee: alice@contoso.com, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
`

// op is one data-plane operation a scenario performs with go-containerregistry.
type op string

const (
	opPush    op = "push"
	opPull    op = "pull"
	opDelete  op = "delete"
	opTags    op = "tags"
	opCatalog op = "catalog"
)

// ggcrDo runs one operation against repo and returns the client's error.
func ggcrDo(t *testing.T, o op, host, repo string, auth authn.Authenticator, seeded name.Digest) error {
	t.Helper()
	r, err := name.NewRepository(host+"/"+repo, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	opt := remote.WithAuth(auth)
	switch o {
	case opPush:
		img, err := random.Image(512, 1)
		if err != nil {
			t.Fatal(err)
		}
		return remote.Write(r.Tag("pushed"), img, opt)
	case opPull:
		img, err := remote.Image(seeded, opt)
		if err != nil {
			return err
		}
		layers, err := img.Layers()
		if err != nil {
			return err
		}
		rc, err := layers[0].Compressed()
		if err != nil {
			return err
		}
		return rc.Close()
	case opDelete:
		return remote.Delete(seeded, opt)
	case opTags:
		_, err := remote.List(r, opt)
		return err
	case opCatalog:
		reg, err := name.NewRegistry(host, name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		_, err = remote.Catalog(t.Context(), reg, opt)
		return err
	}
	t.Fatalf("unknown op %s", o)
	return nil
}

// seedImage pushes an image as rbacSeed's subscription Owner and returns its digest.
func seedImage(t *testing.T, host, repo string) name.Digest {
	t.Helper()
	return seedImageAs(t, host, repo, &authn.Basic{Username: "00000000-0000-4000-8000-000000000005", Password: "s5"})
}

// seedImageAs pushes a fresh image tagged v1 with the given credentials and returns its digest.
func seedImageAs(t *testing.T, host, repo string, auth authn.Authenticator) name.Digest {
	t.Helper()
	img, err := random.Image(1024, 1)
	if err != nil {
		t.Fatal(err)
	}
	tag, _ := name.NewTag(host+"/"+repo+":v1", name.Insecure)
	if err := remote.Write(tag, img, remote.WithAuth(auth)); err != nil {
		t.Fatalf("seed image %s: %v", repo, err)
	}
	d, _ := img.Digest()
	return tag.Context().Digest(d.String())
}

// wantDenied checks that a refused operation failed with ACR's 401 UNAUTHORIZED.
func wantDenied(t *testing.T, err error) {
	t.Helper()
	var te *transport.Error
	if !errors.As(err, &te) {
		t.Fatalf("error %v, want a registry error", err)
	}
	if te.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401 (%v)", te.StatusCode, err)
	}
	for _, d := range te.Errors {
		if d.Code != transport.UnauthorizedErrorCode {
			t.Errorf("code %s, want UNAUTHORIZED", d.Code)
		}
		if !strings.Contains(d.Message, "aka.ms/acr/authorization") {
			t.Errorf("message %q lacks ACR's authorization hint", d.Message)
		}
	}
}

func TestRBACScenariosGGCR(t *testing.T) {
	srv := acremutest.NewServer(t, rbacSeed)
	host := srv.Host
	sp := func(n int, secret string) authn.Authenticator {
		return &authn.Basic{Username: fmt.Sprintf("00000000-0000-4000-8000-%012x", n), Password: secret}
	}
	// alice signs in to Entra, exchanges her token and logs in with the null GUID, as `az acr login` does.
	aliceRefresh := srv.RefreshToken(t, host, srv.EntraToken(t, "alice@contoso.com", "alice-pass", "https://containerregistry.azure.net/.default"))
	alice := &authn.Basic{Username: tokens.NullGUIDUser, Password: aliceRefresh}
	bobRefresh := srv.RefreshToken(t, host, srv.EntraToken(t, "bob@contoso.com", "bob-pass", "https://management.azure.com//.default"))
	bob := &authn.Basic{Username: tokens.NullGUIDUser, Password: bobRefresh}

	all := []op{opPull, opTags, opCatalog, opPush, opDelete}
	tests := []struct {
		name    string
		auth    authn.Authenticator
		allowed []op
	}{
		{"AcrPull", sp(1, "s1"), []op{opPull, opTags, opCatalog}},
		{"AcrPush", sp(2, "s2"), []op{opPull, opTags, opCatalog, opPush}},
		{"AcrDelete+AcrPull", sp(3, "s3"), []op{opPull, opTags, opCatalog, opDelete}},
		{"Reader", sp(4, "s4"), []op{opPull, opTags, opCatalog}},
		{"Owner at subscription", sp(5, "s5"), all},
		{"Contributor at resource group", sp(6, "s6"), all},
		{"no role", sp(7, "s7"), nil},
		{"AcrPush through nested group", sp(8, "s8"), []op{opPull, opTags, opCatalog, opPush}},
		{"AcrPush on another registry", sp(9, "s9"), nil},
		{"AcrPush on another resource group", sp(10, "s10"), nil},
		{"repository roles in rbac mode", sp(11, "s11"), nil},
		{"user via exchange refresh token (AcrPush)", alice, []op{opPull, opTags, opCatalog, opPush}},
		{"user with no role via ARM-audience exchange", bob, nil},
		{"anonymous", authn.Anonymous, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, o := range all {
				repo := "scenario/" + strings.ReplaceAll(strings.ToLower(tt.name), " ", "-")
				repo = strings.NewReplacer("(", "", ")", "", "+", "-").Replace(repo)
				seeded := seedImage(t, host, repo)
				err := ggcrDo(t, o, host, repo, tt.auth, seeded)
				allowed := false
				for _, a := range tt.allowed {
					allowed = allowed || a == o
				}
				if allowed && err != nil {
					t.Errorf("%s: %v, want success", o, err)
				}
				if !allowed {
					if err == nil {
						t.Errorf("%s succeeded, want refusal", o)
						continue
					}
					wantDenied(t, err)
				}
			}
		})
	}
}

// TestRBACOtherRegistryListener checks a second registry on its own listener: its principal pushes there,
// and a token minted for one registry is refused by the other.
func TestRBACOtherRegistryListener(t *testing.T) {
	srv := acremutest.NewServer(t, rbacSeed)
	second := srv.RegistryAddr("secondregistry")
	if second == "" {
		t.Fatal("secondregistry has no listener of its own")
	}
	elsewhere := &authn.Basic{Username: "00000000-0000-4000-8000-000000000009", Password: "s9"}
	r, _ := name.NewRepository(second+"/app", name.Insecure)
	img, _ := random.Image(256, 1)
	if err := remote.Write(r.Tag("v1"), img, remote.WithAuth(elsewhere)); err != nil {
		t.Fatalf("push to secondregistry: %v", err)
	}
	// On the main listener, the Host header selects the registry by its login server.
	req, _ := http.NewRequest(http.MethodGet, "http://"+srv.Host+"/v2/", nil)
	req.Host = "secondregistry.azurecr.io"
	if r := do(t, req); r.status != 401 || !strings.Contains(r.challenge, `service="secondregistry.azurecr.io"`) {
		t.Errorf("Host routing: %d %q", r.status, r.challenge)
	}
	// A bearer token from myregistry's token service, replayed at secondregistry.
	tok := basicToken(t, srv.Host, "00000000-0000-4000-8000-000000000005", "s5", "repository:app:pull")
	req, _ = http.NewRequest(http.MethodGet, "http://"+second+"/v2/app/tags/list", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("replayed token: status %d, challenge %q; want 401 invalid_token", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if !strings.Contains(buf.String(), `"code":"UNAUTHORIZED"`) {
		t.Errorf("body %s, want UNAUTHORIZED", buf.String())
	}
}
