// Package acremutest starts an in-process emulator for tests: in memory, on a free loopback port, with a
// seed written from YAML, a controllable clock, and helpers to obtain Entra and ACR tokens over HTTP.
package acremutest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/acremu/acremu/emulator"
)

// Clock is a settable clock for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Server is a running in-process emulator.
type Server struct {
	*emulator.Emulator
	Clock *Clock
	// Host is the main listener's host:port.
	Host string
}

// Option adjusts the emulator configuration.
type Option func(*emulator.Config)

// WithTLS serves HTTPS.
func WithTLS() Option { return func(c *emulator.Config) { c.TLS = true } }

// NewServer starts an emulator seeded with seedYAML (the development seed when empty) and stops it when the
// test ends.
func NewServer(t testing.TB, seedYAML string, opts ...Option) *Server {
	t.Helper()
	clock := &Clock{t: time.Now()}
	cfg := emulator.Config{Addr: "127.0.0.1:0", InMemory: true, Now: clock.Now}
	if seedYAML != "" {
		path := filepath.Join(t.TempDir(), "seed.yaml")
		if err := os.WriteFile(path, []byte(seedYAML), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg.SeedFile = path
	}
	for _, o := range opts {
		o(&cfg)
	}
	em, err := emulator.New(cfg)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	if err := em.Start(); err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() { _ = em.Close() })
	return &Server{Emulator: em, Clock: clock, Host: em.Addr()}
}

// EntraToken obtains an Entra access token with the client-credentials grant (appID, secret) or, when
// appID contains '@', the password grant (UPN, password). scope is e.g.
// https://containerregistry.azure.net/.default.
func (s *Server) EntraToken(t testing.TB, appID, secret, scope string) string {
	t.Helper()
	st := s.DB().State()
	form := url.Values{"scope": {scope}}
	if strings.Contains(appID, "@") {
		form.Set("grant_type", "password")
		form.Set("username", appID)
		form.Set("password", secret)
		form.Set("client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46")
	} else {
		form.Set("grant_type", "client_credentials")
		form.Set("client_id", appID)
		form.Set("client_secret", secret)
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	s.postForm(t, s.URL()+"/"+st.Directory.TenantID+"/oauth2/v2.0/token", form, &out)
	return out.AccessToken
}

// RefreshToken trades an Entra token for an ACR refresh token at the registry reachable at host.
func (s *Server) RefreshToken(t testing.TB, host, entraToken string) string {
	t.Helper()
	st := s.DB().State()
	var out struct {
		RefreshToken string `json:"refresh_token"`
	}
	s.postForm(t, s.scheme()+"://"+host+"/oauth2/exchange", url.Values{"grant_type": {"access_token"},
		"service": {host}, "tenant": {st.Directory.TenantID}, "access_token": {entraToken}}, &out)
	return out.RefreshToken
}

func (s *Server) scheme() string {
	if strings.HasPrefix(s.URL(), "https") {
		return "https"
	}
	return "http"
}

func (s *Server) postForm(t testing.TB, u string, form url.Values, out any) {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		t.Fatalf("POST %s: status %d: %v", u, resp.StatusCode, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
}

// RegistryID returns the ARM id of a registry of the seed.
func (s *Server) RegistryID(t testing.TB, name string) string {
	t.Helper()
	r, ok := s.DB().State().Registry(name)
	if !ok {
		t.Fatalf("no registry %q", name)
	}
	return r.ID
}
