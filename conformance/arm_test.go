package conformance

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/storage/seed"
)

const armScope = "https://management.azure.com//.default"

// armClient calls the emulator's management API with an Entra token for ARM's audience.
type armClient struct {
	t     *testing.T
	base  string
	token string
}

func newARM(t *testing.T, srv *acremutest.Server, user, secret string) *armClient {
	return &armClient{t: t, base: srv.URL(), token: srv.EntraToken(t, user, secret, armScope)}
}

// do sends a request and returns the status and the decoded JSON body.
func (c *armClient) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

const (
	regAPI   = "?api-version=2025-03-01-preview"
	authzAPI = "?api-version=2022-04-01"
	groupAPI = "?api-version=2022-09-01"
)

func TestARMRegistriesAndRoleAssignments(t *testing.T) {
	srv := acremutest.NewServer(t, "")
	owner := newARM(t, srv, seed.DevUser, seed.DevUserPassword)
	sub := "/subscriptions/" + seed.DevSubscriptionID
	rg := sub + "/resourceGroups/abac-rg"

	if st, body := owner.do("PUT", rg+groupAPI, map[string]any{"location": "westeurope"}); st != 201 {
		t.Fatalf("create group: %d %v", st, body)
	}
	reg := rg + "/providers/Microsoft.ContainerRegistry/registries/abacregistry"
	st, body := owner.do("PUT", reg+regAPI, map[string]any{"location": "westeurope", "sku": map[string]string{"name": "Premium"},
		"properties": map[string]any{"roleAssignmentMode": "AbacRepositoryPermissions"}})
	if st != 201 {
		t.Fatalf("create registry: %d %v", st, body)
	}
	props := body["properties"].(map[string]any)
	if props["roleAssignmentMode"] != "AbacRepositoryPermissions" || props["loginServer"] != "abacregistry.azurecr.io" || props["provisioningState"] != "Succeeded" {
		t.Errorf("registry properties %v", props)
	}
	// The new registry answers on a listener of its own, so docker reaches it without DNS.
	own := srv.RegistryAddr("abacregistry")
	if own == "" {
		t.Fatal("the registry created through ARM has no listener")
	}
	if r := do(t, mustRequest(t, "GET", "http://"+own+"/v2/")); r.status != 401 || !strings.Contains(r.challenge, `service="abacregistry.azurecr.io"`) {
		t.Errorf("own listener: %d %q", r.status, r.challenge)
	}
	// 2025-04-01 has no roleAssignmentMode.
	if _, body := owner.do("GET", reg+"?api-version=2025-04-01", nil); body["properties"].(map[string]any)["roleAssignmentMode"] != nil {
		t.Error("roleAssignmentMode present in api-version 2025-04-01")
	}

	// A condition, written and read back byte for byte.
	cond := "( (  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})  AND  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}) ) OR  (  @Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'hello-world' ))"
	name := "0a1b2c3d-0000-4000-8000-000000000001"
	ra := reg + "/providers/Microsoft.Authorization/roleAssignments/" + name
	put := func(cond, version string) (int, map[string]any) {
		p := map[string]any{"roleDefinitionId": sub + "/providers/Microsoft.Authorization/roleDefinitions/b93aa761-3e63-49ed-ac28-beffa264f7ac",
			"principalId": seed.DevSPObjectID, "description": "hello-world readers"}
		if cond != "" {
			p["condition"] = cond
		}
		if version != "" {
			p["conditionVersion"] = version
		}
		return owner.do("PUT", ra+authzAPI, map[string]any{"properties": p})
	}
	if st, body := put(cond, ""); st != 201 {
		t.Fatalf("create assignment: %d %v", st, body)
	} else if p := body["properties"].(map[string]any); p["condition"] != cond || p["conditionVersion"] != "2.0" || p["principalType"] != "ServicePrincipal" || p["scope"] != reg {
		t.Errorf("assignment properties %v", p)
	}
	// The same tuple under another name is a conflict; the same name may change its condition.
	other := reg + "/providers/Microsoft.Authorization/roleAssignments/0a1b2c3d-0000-4000-8000-000000000002"
	if st, body := owner.do("PUT", other+authzAPI, map[string]any{"properties": map[string]any{
		"roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/b93aa761-3e63-49ed-ac28-beffa264f7ac", "principalId": seed.DevSPObjectID}}); st != 409 || errCode(body) != "RoleAssignmentExists" {
		t.Errorf("duplicate assignment: %d %v", st, body)
	}
	before := len(srv.DB().State().RoleAssignments())
	for _, bad := range []struct{ cond, version, why string }{
		{"@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase nginx", "2.0", "unquoted value"},
		{cond, "1.0", "version 1.0"},
	} {
		st, body := put(bad.cond, bad.version)
		e, _ := body["error"].(map[string]any)
		if st != 400 || errCode(body) != "InvalidRoleAssignmentCondition" || e["message"] != "The given role assignment condition is invalid." {
			t.Errorf("%s: %d %v", bad.why, st, body)
		}
	}
	if after := len(srv.DB().State().RoleAssignments()); after != before {
		t.Errorf("refused writes changed the store: %d assignments, want %d", after, before)
	}
	if a, _ := srv.DB().State().RoleAssignment(name); a.Condition != cond {
		t.Errorf("stored condition changed by a refused update: %q", a.Condition)
	}
	// Unknown role, unknown principal.
	for _, tt := range []struct{ role, principal, code string }{
		{"00000000-0000-0000-0000-000000000bad", seed.DevSPObjectID, "RoleDefinitionDoesNotExist"},
		{"7f951dda-4ed3-4680-a7ca-43fe172d538d", "00000000-0000-0000-0000-000000000bad", "PrincipalNotFound"},
	} {
		st, body := owner.do("PUT", reg+"/providers/Microsoft.Authorization/roleAssignments/0a1b2c3d-0000-4000-8000-000000000003"+authzAPI,
			map[string]any{"properties": map[string]any{"roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/" + tt.role, "principalId": tt.principal}})
		if st != 400 || errCode(body) != tt.code {
			t.Errorf("%s: %d %v", tt.code, st, body)
		}
	}
	// atScope() lists the assignments at the registry and above it (the Owner's, at the subscription).
	if st, body := owner.do("GET", reg+"/providers/Microsoft.Authorization/roleAssignments"+authzAPI+"&$filter=atScope()", nil); st != 200 || len(body["value"].([]any)) != 2 {
		t.Errorf("list: %d %v", st, body)
	}
	if st, body := owner.do("GET", sub+"/providers/Microsoft.Authorization/roleAssignments"+authzAPI+"&$filter=principalId%20eq%20'"+seed.DevSPObjectID+"'", nil); st != 200 || len(body["value"].([]any)) != 2 {
		t.Errorf("list by principal from the subscription (AcrPush and the reader beneath): %d %v", st, body)
	}
	if st, body := owner.do("GET", sub+"/providers/Microsoft.Authorization/roleDefinitions"+authzAPI+"&$filter=roleName%20eq%20'Container%20Registry%20Repository%20Reader'", nil); st != 200 || len(body["value"].([]any)) != 1 {
		t.Errorf("role definition by name: %d %v", st, body)
	}

	// The service principal holds AcrPush on myregistry only: no control plane anywhere.
	sp := newARM(t, srv, seed.DevSPAppID, seed.DevSPSecret)
	if st, body := sp.do("GET", reg+regAPI, nil); st != 403 || errCode(body) != "AuthorizationFailed" ||
		!strings.Contains(body["error"].(map[string]any)["message"].(string), "Microsoft.ContainerRegistry/registries/read") {
		t.Errorf("registry read without a role: %d %v", st, body)
	}
	if st, body := sp.do("PUT", rg+"/providers/Microsoft.ContainerRegistry/registries/spregistry"+regAPI, map[string]any{"location": "westeurope", "sku": map[string]string{"name": "Basic"}}); st != 403 {
		t.Errorf("registry create without a role: %d %v", st, body)
	}
	// Bad input: names, missing api-version, missing sku, unknown group, no token.
	for _, tt := range []struct {
		method, path string
		body         any
		status       int
		code         string
	}{
		{"PUT", rg + "/providers/Microsoft.ContainerRegistry/registries/bad-name" + regAPI, map[string]any{"location": "x", "sku": map[string]string{"name": "Basic"}}, 400, "InvalidResourceName"},
		{"PUT", rg + "/providers/Microsoft.ContainerRegistry/registries/nosku12" + regAPI, map[string]any{"location": "x"}, 400, "InvalidSku"},
		{"GET", reg, nil, 400, "MissingApiVersionParameter"},
		{"GET", reg + "?api-version=1999-01-01", nil, 400, "NoRegisteredProviderFound"},
		{"GET", sub + "/resourceGroups/nope/providers/Microsoft.ContainerRegistry/registries/abcde" + regAPI, nil, 404, "ResourceGroupNotFound"},
		{"GET", rg + "/providers/Microsoft.ContainerRegistry/registries/missing1" + regAPI, nil, 404, "ResourceNotFound"},
		{"PATCH", reg + regAPI, map[string]any{"properties": map[string]any{"roleAssignmentMode": "Abac"}}, 400, "InvalidRoleAssignmentMode"},
	} {
		st, body := owner.do(tt.method, tt.path, tt.body)
		if st != tt.status || errCode(body) != tt.code {
			t.Errorf("%s %s: %d %v, want %d %s", tt.method, tt.path, st, body, tt.status, tt.code)
		}
	}
	anon := &armClient{t: t, base: srv.URL()}
	if st, body := anon.do("GET", reg+regAPI, nil); st != 401 || errCode(body) != "InvalidAuthenticationToken" && errCode(body) != "AuthenticationFailed" {
		t.Errorf("no token: %d %v", st, body)
	}
	acrAud := &armClient{t: t, base: srv.URL(), token: srv.EntraToken(t, seed.DevUser, seed.DevUserPassword, "https://containerregistry.azure.net/.default")}
	if st, body := acrAud.do("GET", reg+regAPI, nil); st != 401 || errCode(body) != "InvalidAuthenticationTokenAudience" {
		t.Errorf("ACR-audience token at ARM: %d %v", st, body)
	}
	// A user-assigned managed identity: created, found as a principal, assignable.
	mi := rg + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/builder" + "?api-version=2023-01-31"
	st, body = owner.do("PUT", mi, map[string]any{"location": "westeurope"})
	if st != 201 {
		t.Fatalf("create identity: %d %v", st, body)
	}
	miProps := body["properties"].(map[string]any)
	if p, ok := srv.DB().State().Principal(miProps["principalId"].(string)); !ok || p.AppID != miProps["clientId"] {
		t.Errorf("identity %v is not a principal of the directory", miProps)
	}
	if st, body := owner.do("GET", sub+"/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2023-01-31", nil); st != 200 || len(body["value"].([]any)) != 1 {
		t.Errorf("list identities: %d %v", st, body)
	}

	// Deleting the group deletes the registry.
	if st, _ := owner.do("DELETE", rg+groupAPI, nil); st != 200 {
		t.Errorf("delete group: %d", st)
	}
	if _, ok := srv.DB().State().Registry("abacregistry"); ok {
		t.Error("registry survived its group")
	}
	if _, err := http.Get("http://" + own + "/v2/"); err == nil {
		t.Error("the deleted registry's listener still answers")
	}
}
