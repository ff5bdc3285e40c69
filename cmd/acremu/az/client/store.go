package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Files of the config directory.
const (
	profileFile = "azureProfile.json"
	tokensFile  = "accessTokens.json"
)

// Profile is the saved login state: the endpoint signed in to, the subscriptions found, and what is needed
// to obtain fresh tokens.
type Profile struct {
	Endpoint      string         `json:"endpoint,omitempty"`
	Subscriptions []Subscription `json:"subscriptions"`
	Credential    *Credential    `json:"credential,omitempty"`
}

// Subscription is one subscription of the signed-in account, shaped as az's azureProfile.json entries.
type Subscription struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	State            string `json:"state"`
	TenantID         string `json:"tenantId"`
	HomeTenantID     string `json:"homeTenantId"`
	IsDefault        bool   `json:"isDefault"`
	EnvironmentName  string `json:"environmentName"`
	User             User   `json:"user"`
	ManagedByTenants []any  `json:"managedByTenants"`
}

// User names the signed-in identity: type is "user" or "servicePrincipal".
type User struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Credential is what the client presents to the emulated Entra for a new token.
type Credential struct {
	// Type is "user" (password grant) or "servicePrincipal" (client credentials).
	Type     string `json:"type"`
	Username string `json:"username"`
	Secret   string `json:"secret"`
	// Tenant is the tenant id the account signed in to.
	Tenant string `json:"tenant"`
}

// cachedToken is an access token kept until shortly before it expires.
type cachedToken struct {
	AccessToken string    `json:"accessToken"`
	ExpiresOn   time.Time `json:"expiresOn"`
}

// store reads and writes the config directory.
type store struct{ dir string }

func (s *store) path(name string) string { return filepath.Join(s.dir, name) }

// loadProfile returns the saved profile, or an empty one when there is none.
func (s *store) loadProfile() (*Profile, error) {
	p := &Profile{}
	if err := s.read(profileFile, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *store) saveProfile(p *Profile) error { return s.write(profileFile, p) }

func (s *store) loadTokens() map[string]cachedToken {
	t := map[string]cachedToken{}
	if err := s.read(tokensFile, &t); err != nil {
		return map[string]cachedToken{}
	}
	return t
}

func (s *store) saveTokens(t map[string]cachedToken) error { return s.write(tokensFile, t) }

// clear removes the login state.
func (s *store) clear() error {
	var errs []error
	for _, f := range []string{profileFile, tokensFile} {
		if err := os.Remove(s.path(f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *store) read(name string, v any) error {
	b, err := os.ReadFile(s.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s is corrupt (remove it and run 'az login' again): %w", s.path(name), err)
	}
	return nil
}

// write replaces a file atomically, readable by its owner only.
func (s *store) write(name string, v any) error {
	if s.dir == "" {
		return errors.New("no config directory: set ACREMU_CONFIG_DIR")
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.dir, name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path(name))
}
