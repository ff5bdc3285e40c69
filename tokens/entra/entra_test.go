package entra_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/storage/seed"
	"github.com/acremu/acremu/tokens/entra"
)

// TestTokenEndpoint checks the grants, the audiences and AADSTS errors of the emulated Entra ID.
func TestTokenEndpoint(t *testing.T) {
	srv := acremutest.NewServer(t, "")
	post := func(tenant string, form url.Values) (int, map[string]any) {
		resp, err := http.PostForm(srv.URL()+"/"+tenant+"/oauth2/v2.0/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	cc := func(id, secret, scope string) url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {scope}}
	}
	tests := []struct {
		name, tenant string
		form         url.Values
		status       int
		errCode      string
		aadsts       string
		aud          string
	}{
		{"sp for ACR", seed.DevTenantID, cc(seed.DevSPAppID, seed.DevSPSecret, "https://containerregistry.azure.net/.default"), 200, "", "", entra.AudienceACR},
		{"sp for ARM, az's double slash", "organizations", cc(seed.DevSPAppID, seed.DevSPSecret, "https://management.azure.com//.default"), 200, "", "", entra.AudienceARM},
		{"user password", "acremu.onmicrosoft.com", url.Values{"grant_type": {"password"}, "username": {seed.DevUser}, "password": {seed.DevUserPassword},
			"scope": {"https://management.core.windows.net//.default openid profile offline_access"}}, 200, "", "", entra.AudienceARMLegacy},
		{"wrong secret", seed.DevTenantID, cc(seed.DevSPAppID, "nope", "https://containerregistry.azure.net/.default"), 401, "invalid_client", "AADSTS7000215", ""},
		{"unknown app", seed.DevTenantID, cc("99999999-9999-4999-8999-999999999999", "x", "https://containerregistry.azure.net/.default"), 400, "unauthorized_client", "AADSTS700016", ""},
		{"wrong password", seed.DevTenantID, url.Values{"grant_type": {"password"}, "username": {seed.DevUser}, "password": {"nope"}, "scope": {"https://management.azure.com/.default"}}, 400, "invalid_grant", "AADSTS50126", ""},
		{"unknown tenant", "contoso.example", cc(seed.DevSPAppID, seed.DevSPSecret, "https://management.azure.com/.default"), 400, "invalid_request", "AADSTS90002", ""},
		{"unknown resource", seed.DevTenantID, cc(seed.DevSPAppID, seed.DevSPSecret, "https://vault.azure.net/.default"), 400, "invalid_resource", "AADSTS500011", ""},
		{"no scope", seed.DevTenantID, cc(seed.DevSPAppID, seed.DevSPSecret, ""), 400, "invalid_request", "", ""},
		{"unsupported grant", seed.DevTenantID, url.Values{"grant_type": {"device_code"}, "scope": {"https://management.azure.com/.default"}}, 400, "unsupported_grant_type", "AADSTS70003", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(tt.tenant, tt.form)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, body)
			}
			if tt.errCode != "" {
				desc, _ := body["error_description"].(string)
				if body["error"] != tt.errCode || !strings.HasPrefix(desc, tt.aadsts) {
					t.Errorf("error %v %q, want %s %s", body["error"], desc, tt.errCode, tt.aadsts)
				}
				return
			}
			tok, _ := body["access_token"].(string)
			c, err := srv.Entra().Verify(tok, tt.aud)
			if err != nil {
				t.Fatalf("issued token does not verify for %s: %v", tt.aud, err)
			}
			if c.TenantID != seed.DevTenantID || c.ObjectID == "" || c.Version != "1.0" {
				t.Errorf("claims %+v", c)
			}
			if _, err := srv.Entra().Verify(tok, "https://other.example"); err == nil {
				t.Error("token verifies for another audience")
			}
		})
	}
}

// TestDiscovery checks the OpenID configuration and key set that MSAL reads.
func TestDiscovery(t *testing.T) {
	srv := acremutest.NewServer(t, "")
	resp, err := http.Get(srv.URL() + "/" + seed.DevTenantID + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if doc["token_endpoint"] != srv.URL()+"/"+seed.DevTenantID+"/oauth2/v2.0/token" || doc["jwks_uri"] == nil {
		t.Errorf("discovery %v", doc)
	}
	resp, err = http.Get(doc["jwks_uri"].(string))
	if err != nil {
		t.Fatal(err)
	}
	var keys struct{ Keys []map[string]string }
	_ = json.NewDecoder(resp.Body).Decode(&keys)
	resp.Body.Close()
	if len(keys.Keys) != 1 || keys.Keys[0]["kty"] != "EC" || keys.Keys[0]["alg"] != "ES256" {
		t.Errorf("keys %v", keys)
	}
}
