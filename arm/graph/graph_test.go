package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/acremu/acremu/arm/graph"
	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/storage"
	"github.com/acremu/acremu/storage/seed"
	"github.com/acremu/acremu/tokens/entra"
)

// token mints an Entra token of the emulator for a principal and audience.
func token(t *testing.T, srv *acremutest.Server, objectID, aud string) string {
	t.Helper()
	st := srv.DB().State()
	p, ok := st.Principal(objectID)
	if !ok {
		t.Fatalf("no principal %s", objectID)
	}
	tok, err := srv.Entra().Issue(st, p, aud)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type call struct {
	method, path string
	body         any
	token        string
}

func do(t *testing.T, srv *acremutest.Server, c call) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if c.body != nil {
		b, _ := json.Marshal(c.body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(c.method, srv.URL()+graph.Version+c.path, rd)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func values(body map[string]any) []map[string]any {
	var out []map[string]any
	arr, _ := body["value"].([]any)
	for _, x := range arr {
		out = append(out, x.(map[string]any))
	}
	return out
}

// TestDirectory drives the routes az uses, in order, as the development Owner and service principal.
func TestDirectory(t *testing.T) {
	srv := acremutest.NewServer(t, "")
	owner := token(t, srv, seed.DevUserObjectID, graph.AudienceGraph)
	sp := token(t, srv, seed.DevSPObjectID, graph.AudienceGraph)
	armTok := token(t, srv, seed.DevUserObjectID, entra.AudienceARM)
	user := map[string]any{"accountEnabled": true, "displayName": "Dana", "mailNickname": "dana",
		"userPrincipalName": "dana@acremu.onmicrosoft.com", "passwordProfile": map[string]any{"password": "Dana-Passw0rd"}}
	weak := map[string]any{"accountEnabled": true, "displayName": "E", "mailNickname": "e",
		"userPrincipalName": "e@acremu.onmicrosoft.com", "passwordProfile": map[string]any{"password": "weak"}}
	foreign := map[string]any{"accountEnabled": true, "displayName": "E", "mailNickname": "e",
		"userPrincipalName": "e@elsewhere.example", "passwordProfile": map[string]any{"password": "Eve-Passw0rd"}}

	for _, tt := range []struct {
		name       string
		call       call
		wantStatus int
		wantCode   string
		check      func(map[string]any) bool
	}{
		{"no token", call{method: "GET", path: "/me"}, 401, "InvalidAuthenticationToken", nil},
		{"ARM audience", call{method: "GET", path: "/me", token: armTok}, 401, "InvalidAuthenticationToken", func(b map[string]any) bool {
			return strings.Contains(b["error"].(map[string]any)["message"].(string), "Invalid audience")
		}},
		{"me", call{"GET", "/me", nil, owner}, 200, "", func(b map[string]any) bool {
			return b["userPrincipalName"] == seed.DevUser && b["@odata.context"] == "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
		}},
		{"me as an application", call{"GET", "/me", nil, sp}, 400, "BadRequest", nil},
		{"create user", call{"POST", "/users", user, owner}, 201, "", func(b map[string]any) bool { return b["displayName"] == "Dana" }},
		{"same UPN", call{"POST", "/users", user, owner}, 400, "Request_BadRequest", nil},
		{"weak password", call{"POST", "/users", weak, owner}, 400, "Request_BadRequest", nil},
		{"unverified domain", call{"POST", "/users", foreign, owner}, 400, "Request_BadRequest", nil},
		{"create user without the right", call{"POST", "/users", user, sp}, 403, "Authorization_RequestDenied", nil},
		{"user by UPN", call{"GET", "/users/DANA@acremu.onmicrosoft.com", nil, sp}, 200, "", func(b map[string]any) bool { return b["displayName"] == "Dana" }},
		{"users by filter", call{"GET", "/users?$filter=userPrincipalName%20eq%20'dana@acremu.onmicrosoft.com'", nil, owner}, 200, "",
			func(b map[string]any) bool { return len(values(b)) == 1 }},
		{"unsupported filter", call{"GET", "/users?$filter=accountEnabled%20eq%20true", nil, owner}, 400, "Request_UnsupportedQuery", nil},
		{"missing user", call{"GET", "/users/nobody@acremu.onmicrosoft.com", nil, owner}, 404, "Request_ResourceNotFound", nil},
		{"sp by appId", call{"GET", "/servicePrincipals?$filter=servicePrincipalNames/any(c:c%20eq%20'" + seed.DevSPAppID + "')", nil, owner}, 200, "",
			func(b map[string]any) bool { v := values(b); return len(v) == 1 && v[0]["id"] == seed.DevSPObjectID }},
		{"sp by display name", call{"GET", "/servicePrincipals?$filter=displayName%20eq%20'" + seed.DevSPName + "'", nil, owner}, 200, "",
			func(b map[string]any) bool { return len(values(b)) == 1 }},
		{"getByIds", call{"POST", "/directoryObjects/getByIds", map[string]any{"ids": []string{seed.DevSPObjectID, seed.DevUserObjectID, "00000000-0000-0000-0000-000000000bad"},
			"types": []string{"user", "group", "servicePrincipal"}}, owner}, 200, "", func(b map[string]any) bool {
			v := values(b)
			return len(v) == 2 && v[0]["@odata.type"] == "#microsoft.graph.servicePrincipal" && v[1]["@odata.type"] == "#microsoft.graph.user"
		}},
		{"getByIds of users only", call{"POST", "/directoryObjects/getByIds", map[string]any{"ids": []string{seed.DevSPObjectID}, "types": []string{"user"}}, owner}, 200, "",
			func(b map[string]any) bool { return len(values(b)) == 0 }},
	} {
		status, body := do(t, srv, tt.call)
		if status != tt.wantStatus || errCode(body) != tt.wantCode || tt.check != nil && !tt.check(body) {
			t.Errorf("%s: %d %v, want %d %s", tt.name, status, body, tt.wantStatus, tt.wantCode)
		}
	}
	if _, ok := srv.DB().State().UserByUPN("e@acremu.onmicrosoft.com"); ok {
		t.Error("a refused user was created")
	}
	dana, _ := srv.DB().State().UserByUPN("dana@acremu.onmicrosoft.com")
	if !dana.CheckSecret("Dana-Passw0rd") {
		t.Error("the created user cannot sign in with its password")
	}

	// az ad sp create-for-rbac: application, password, service principal.
	_, app := do(t, srv, call{"POST", "/applications", map[string]any{"displayName": "ci", "keyCredentials": []any{}}, owner})
	appObj, appID := app["id"].(string), app["appId"].(string)
	_, pw := do(t, srv, call{"POST", "/applications/" + appObj + "/addPassword", map[string]any{"passwordCredential": map[string]any{"displayName": "rbac"}}, owner})
	secret, _ := pw["secretText"].(string)
	status, spObj := do(t, srv, call{"POST", "/servicePrincipals", map[string]any{"appId": appID, "accountEnabled": true}, owner})
	if status != 201 || spObj["appId"] != appID || len(secret) != 40 || pw["hint"] != secret[:3] {
		t.Fatalf("service principal: %d %v, password %v", status, spObj, pw)
	}
	if p, ok := srv.DB().State().ByAppID(appID); !ok || p.Kind != storage.KindServicePrincipal || !p.CheckSecret(secret) {
		t.Error("the application's service principal cannot sign in with the generated secret")
	}
	_, got := do(t, srv, call{"GET", "/applications/" + appObj, nil, owner})
	creds, _ := got["passwordCredentials"].([]any)
	if len(creds) != 1 {
		t.Fatalf("password credentials %v", got)
	}
	keyID := creds[0].(map[string]any)["keyId"]
	if status, _ := do(t, srv, call{"POST", "/applications/" + appObj + "/removePassword", map[string]any{"keyId": keyID}, owner}); status != 204 {
		t.Errorf("removePassword: %d", status)
	}
	if p, _ := srv.DB().State().ByAppID(appID); p.SecretHash != "" {
		t.Error("removePassword left the secret")
	}

	// az ad group create, member add/list/check, and removal with the member.
	status, g := do(t, srv, call{"POST", "/groups", map[string]any{"displayName": "Readers", "mailNickname": "readers", "mailEnabled": false, "securityEnabled": true}, owner})
	gid, _ := g["id"].(string)
	if status != 201 || g["mailNickname"] != "readers" {
		t.Fatalf("group: %d %v", status, g)
	}
	ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + dana.ObjectID}
	if status, _ := do(t, srv, call{"POST", "/groups/" + gid + "/members/$ref", ref, owner}); status != 204 {
		t.Errorf("add member: %d", status)
	}
	if status, body := do(t, srv, call{"POST", "/groups/" + gid + "/members/$ref", ref, owner}); status != 400 || errCode(body) != "Request_BadRequest" {
		t.Errorf("add member twice: %d %v", status, body)
	}
	if _, body := do(t, srv, call{"GET", "/groups/" + gid + "/members", nil, owner}); len(values(body)) != 1 || values(body)[0]["userPrincipalName"] != dana.UPN {
		t.Errorf("members: %v", body)
	}
	if _, body := do(t, srv, call{"POST", "/directoryObjects/" + dana.ObjectID + "/checkMemberGroups", map[string]any{"groupIds": []string{gid, seed.DevSPObjectID}}, owner}); len(body["value"].([]any)) != 1 {
		t.Errorf("checkMemberGroups: %v", body)
	}
	if got := srv.DB().State().Authz.Groups(dana.ObjectID); len(got) != 1 || !strings.EqualFold(got[0], gid) {
		t.Errorf("authorization sees groups %v", got)
	}
	if status, _ := do(t, srv, call{"DELETE", "/users/" + dana.ObjectID, nil, owner}); status != 204 {
		t.Errorf("delete user: %d", status)
	}
	if p, _ := srv.DB().State().Principal(gid); len(p.Members) != 0 {
		t.Errorf("the deleted user is still a member: %v", p.Members)
	}
}

func TestFilters(t *testing.T) {
	srv := acremutest.NewServer(t, `
tenant: 11111111-1111-4111-8111-111111111111
subscription: 22222222-2222-4222-8222-222222222222
users:
  - {name: alice@contoso.com, password: x}
servicePrincipals:
  - {name: o'brien, appId: 00000000-0000-4000-8000-0000000000aa, secret: s}
groups:
  - {name: Team Alpha, members: [alice@contoso.com]}
  - {name: Team Beta}
roleAssignments: []
`)
	st := srv.DB().State()
	alice, _ := st.UserByUPN("alice@contoso.com")
	tok := token(t, srv, alice.ObjectID, graph.AudienceGraphAppID)
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/groups?$filter=startswith(displayName,'team')", 2},
		{"/groups?$filter=displayName%20eq%20'team%20alpha'", 1},
		{"/groups?$filter=displayName%20eq%20'Team%20Alpha'%20and%20mailNickname%20eq%20'TeamAlpha'", 1},
		{"/servicePrincipals?$filter=displayName%20eq%20'o''brien'", 1},
		{"/servicePrincipals?$filter=servicePrincipalNames/any(x:x%20eq%20'00000000-0000-4000-8000-0000000000AA')", 1},
		{"/applications?$filter=appId%20eq%20'00000000-0000-4000-8000-0000000000aa'", 1},
		{"/users?$filter=startswith(displayName,'bob')", 0},
	} {
		status, body := do(t, srv, call{method: "GET", path: tt.path, token: tok})
		if status != 200 || len(values(body)) != tt.want {
			t.Errorf("%s: %d %d values, want %d (%v)", tt.path, status, len(values(body)), tt.want, body)
		}
	}
	for _, bad := range []string{"/users?$filter=displayName%20ne%20'x'", "/users?$filter=displayName%20eq%20'x'%20or%20displayName%20eq%20'y'"} {
		if status, body := do(t, srv, call{method: "GET", path: bad, token: tok}); status != 400 || errCode(body) != "Request_UnsupportedQuery" {
			t.Errorf("%s: %d %v", bad, status, body)
		}
	}
	// Alice reads the directory but, with no role, writes nothing.
	if status, body := do(t, srv, call{"POST", "/groups", map[string]any{"displayName": "x", "mailNickname": "x", "mailEnabled": false, "securityEnabled": true}, tok}); status != 403 || errCode(body) != "Authorization_RequestDenied" {
		t.Errorf("group create without the right: %d %v", status, body)
	}
}

// TestRoutes maps request URIs to route names, as the route table registers them.
func TestRoutes(t *testing.T) {
	r := mux.NewRouter()
	graph.New(nil, nil, nil, nil).Register(r)
	for _, tt := range []struct{ method, uri, want string }{
		{"GET", "/v1.0/me", graph.RouteMe},
		{"GET", "/v1.0/users/dana@contoso.com", graph.RouteUser},
		{"POST", "/v1.0/users", graph.RouteUserCreate},
		{"GET", "/v1.0/servicePrincipals", graph.RouteServicePrincipals},
		{"POST", "/v1.0/applications/0a/addPassword", graph.RouteAddPassword},
		{"POST", "/v1.0/groups/0a/members/$ref", graph.RouteMemberAdd},
		{"DELETE", "/v1.0/groups/0a/members/0b/$ref", graph.RouteMemberRemove},
		{"POST", "/v1.0/directoryObjects/getByIds", graph.RouteGetByIDs},
		{"GET", "/v1.0/directoryObjects/0a", graph.RouteDirectoryObject},
		{"POST", "/v1.0/directoryObjects/0a/checkMemberGroups", graph.RouteCheckMemberGroups},
		{"GET", "/v1.0/groups/0a/owners", ""},
		{"PUT", "/v1.0/users", ""},
	} {
		req, _ := http.NewRequest(tt.method, tt.uri, nil)
		var m mux.RouteMatch
		got := ""
		if r.Match(req, &m) && m.Route != nil && m.MatchErr == nil {
			got = strings.TrimPrefix(m.Route.GetName(), "graph.")
		}
		if got != tt.want {
			t.Errorf("%s %s: route %q, want %q", tt.method, tt.uri, got, tt.want)
		}
	}
}
