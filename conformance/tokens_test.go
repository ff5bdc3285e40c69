package conformance

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/tokens"
)

// basicToken asks GET /oauth2/token for an access token with Basic credentials.
func basicToken(t *testing.T, host, user, pass string, scopes ...string) string {
	t.Helper()
	q := url.Values{"service": {host}, "scope": scopes}
	req, _ := http.NewRequest(http.MethodGet, "http://"+host+"/oauth2/token?"+q.Encode(), nil)
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&out) != nil {
		t.Fatalf("GET /oauth2/token as %s: status %d", user, resp.StatusCode)
	}
	return out.AccessToken
}

// mustRequest builds a request without a body.
func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// basicRequest builds a GET with Basic credentials.
func basicRequest(t *testing.T, url, user, pass string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, pass)
	return req
}

type response struct {
	status    int
	challenge string
	body      string
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header.Get("WWW-Authenticate"), string(b)}
}

func bearerGet(t *testing.T, host, path, tok string) response {
	req, _ := http.NewRequest(http.MethodGet, "http://"+host+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	return do(t, req)
}

// TestAccessTokenClaims checks the shape of ACR's access token (spec acr-dataplane-auth.md §1.9) and the
// intersection rule: a partial grant is not an error.
func TestAccessTokenClaims(t *testing.T) {
	srv := acremutest.NewServer(t, rbacSeed)
	tok := basicToken(t, srv.Host, "00000000-0000-4000-8000-000000000001", "s1", "repository:app:pull,push,delete", "registry:catalog:*")
	c, err := tokens.DecodeUnverified(tok)
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := srv.DB().State().Registry("myregistry")
	if c.Issuer != "Azure Container Registry" || c.Audience != reg.LoginServer || c.Version != "1.0" || c.GrantType != "access_token" {
		t.Errorf("claims iss=%q aud=%q version=%q grant_type=%q", c.Issuer, c.Audience, c.Version, c.GrantType)
	}
	if got := c.ExpiresAt - c.IssuedAt; got != int64(tokens.AccessTokenLifetime.Seconds()) {
		t.Errorf("lifetime %ds, want %v", got, tokens.AccessTokenLifetime)
	}
	want := `[{"type":"repository","name":"app","actions":["pull"]},{"type":"registry","name":"catalog","actions":["*"]}]`
	if got, _ := json.Marshal(c.Access); string(got) != want {
		t.Errorf("access %s, want %s", got, want)
	}
	if c.DecisionID == "" {
		t.Error("access token carries no decision id")
	}
	resp, err := http.Get(srv.URL() + "/_acremu/decisions/" + c.DecisionID)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"verdict":"granted"`) || !strings.Contains(string(b), `"AcrPull"`) {
		t.Errorf("decision %s: %d %s", c.DecisionID, resp.StatusCode, b)
	}
}

// TestRefusedBearerTokens covers forged, expired, wrong-audience, alg=none and malformed tokens: each gets
// 401 with error="invalid_token" and ACR's body.
func TestRefusedBearerTokens(t *testing.T) {
	srv := acremutest.NewServer(t, rbacSeed)
	owner := func() string {
		return basicToken(t, srv.Host, "00000000-0000-4000-8000-000000000005", "s5", "repository:app:pull")
	}
	valid := owner()
	parts := strings.Split(valid, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	_ = json.Unmarshal(payload, &claims)

	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	forged, _ := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims(claims)).SignedString(otherKey)
	claims["alg"] = "none"
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims(claims)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	wrongAud := map[string]any{}
	for k, v := range claims {
		wrongAud[k] = v
	}
	wrongAud["aud"] = "other.azurecr.io"
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(mustJSON(wrongAud)) + "." + parts[2]

	expired := owner()
	srv.Clock.Advance(tokens.AccessTokenLifetime + 2*time.Minute)

	for name, tok := range map[string]string{"forged": forged, "alg none": none, "tampered audience": tampered,
		"expired": expired, "garbage": "not.a.jwt"} {
		t.Run(name, func(t *testing.T) {
			r := bearerGet(t, srv.Host, "/v2/app/tags/list", tok)
			if r.status != http.StatusUnauthorized || !strings.Contains(r.challenge, `error="invalid_token"`) {
				t.Errorf("status %d challenge %q, want 401 invalid_token", r.status, r.challenge)
			}
			if !strings.Contains(r.body, `"code":"UNAUTHORIZED"`) {
				t.Errorf("body %s", r.body)
			}
		})
	}
	// A fresh token after the clock moved still works.
	if r := bearerGet(t, srv.Host, "/v2/", owner()); r.status != http.StatusOK {
		t.Errorf("fresh token: status %d, want 200", r.status)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestTokenEndpointBadInput checks ACR's status and message for bad credentials and malformed requests.
func TestTokenEndpointBadInput(t *testing.T) {
	srv := acremutest.NewServer(t, rbacSeed)
	get := func(q string, hdr func(*http.Request)) response {
		req, _ := http.NewRequest(http.MethodGet, "http://"+srv.Host+"/oauth2/token?service="+srv.Host+"&"+q, nil)
		if hdr != nil {
			hdr(req)
		}
		return do(t, req)
	}
	basic := func(u, p string) func(*http.Request) { return func(r *http.Request) { r.SetBasicAuth(u, p) } }
	tests := []struct {
		name   string
		query  string
		hdr    func(*http.Request)
		status int
		msg    string
	}{
		{"wrong secret", "scope=repository:a:pull", basic("00000000-0000-4000-8000-000000000001", "nope"), 401, "Invalid clientid or client secret."},
		{"unknown client id", "scope=repository:a:pull", basic("99999999-0000-4000-8000-000000000001", "s1"), 401, "Invalid clientid or client secret."},
		{"non-GUID client id", "scope=repository:a:pull", basic("not-a-guid", "s1"), 401, "aad access token with sp failed client id must be guid"},
		{"malformed Basic header", "scope=repository:a:pull", func(r *http.Request) { r.Header.Set("Authorization", "Basic !!!") }, 401, "authentication required"},
		{"no credentials, anonymous pull disabled", "scope=repository:a:pull", nil, 401, "authentication required"},
		{"malformed scope", "scope=repository-a-pull", basic("00000000-0000-4000-8000-000000000001", "s1"), 400, "Invalid scope"},
		{"scope without actions", "scope=repository:a:", basic("00000000-0000-4000-8000-000000000001", "s1"), 400, "Invalid scope"},
		{"stale null-GUID refresh token", "scope=repository:a:pull", basic(tokens.NullGUIDUser, "eyJhbGciOiJFUzI1NiJ9.e30.sig"), 401, "refresh token is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(tt.query, tt.hdr)
			if r.status != tt.status || !strings.Contains(r.body, tt.msg) {
				t.Errorf("got %d %s, want %d containing %q", r.status, r.body, tt.status, tt.msg)
			}
			if !strings.HasPrefix(r.body, `{"errors":[{"code":`) {
				t.Errorf("body %s is not ACR's error envelope", r.body)
			}
		})
	}
	// POST /oauth2/exchange with an unusable Entra token, and with a wrong grant type.
	for name, form := range map[string]url.Values{
		"bad entra token":  {"grant_type": {"access_token"}, "service": {srv.Host}, "access_token": {"x.y.z"}},
		"bad grant type":   {"grant_type": {"magic"}, "service": {srv.Host}},
		"refresh as token": {"grant_type": {"refresh_token"}, "service": {srv.Host}, "refresh_token": {"x"}},
	} {
		t.Run("exchange "+name, func(t *testing.T) {
			resp, err := http.PostForm("http://"+srv.Host+"/oauth2/exchange", form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 401 && resp.StatusCode != 400 {
				t.Errorf("status %d, want 400 or 401", resp.StatusCode)
			}
		})
	}
}

// TestDataPlaneBadInput checks ACR's status and code for malformed manifests, oversized manifests and
// invalid repository names, and that what was stored before survives.
func TestDataPlaneBadInput(t *testing.T) {
	srv := acremutest.NewServer(t, rbacSeed)
	seeded := seedImage(t, srv.Host, "bad/input")
	tok := basicToken(t, srv.Host, "00000000-0000-4000-8000-000000000005", "s5", "repository:bad/input:pull,push,delete")
	put := func(body string, mediaType string) response {
		req, _ := http.NewRequest(http.MethodPut, "http://"+srv.Host+"/v2/bad/input/manifests/v2", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", mediaType)
		return do(t, req)
	}
	const oci = "application/vnd.oci.image.manifest.v1+json"
	tests := []struct {
		name, body, mediaType string
		status                int
		code                  string
	}{
		{"not JSON", "{not json", oci, 400, "MANIFEST_INVALID"},
		{"unknown blobs", `{"schemaVersion":2,"mediaType":"` + oci + `","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:` + strings.Repeat("a", 64) + `","size":2},"layers":[]}`, oci, 400, "MANIFEST_BLOB_UNKNOWN"},
		{"over 4 MiB", `{"schemaVersion":2,"annotations":{"x":"` + strings.Repeat("a", 4<<20) + `"}}`, oci, 413, "MANIFEST_INVALID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := put(tt.body, tt.mediaType)
			if r.status != tt.status || !strings.Contains(r.body, `"code":"`+tt.code+`"`) {
				t.Errorf("got %d %.200s, want %d %s", r.status, r.body, tt.status, tt.code)
			}
		})
	}
	for _, path := range []string{"/v2/UPPER/manifests/v1", "/v2/a..b/tags/list", "/v2/-bad/tags/list"} {
		r := bearerGet(t, srv.Host, path, tok)
		if r.status != 404 || !strings.Contains(r.body, `"code":"NAME_UNKNOWN"`) {
			t.Errorf("GET %s: %d %s, want 404 NAME_UNKNOWN", path, r.status, r.body)
		}
	}
	// The image stored before is intact.
	if r := bearerGet(t, srv.Host, "/v2/bad/input/manifests/"+seeded.DigestStr(), tok); r.status != 200 {
		t.Errorf("seeded manifest after bad input: %d", r.status)
	}
}
