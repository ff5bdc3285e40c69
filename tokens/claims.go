package tokens

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/tokens/signing"
)

// ACR JWT constants (spec acr-dataplane-auth.md §1.9).
const (
	// Issuer is the iss of every token the registry mints.
	Issuer = "Azure Container Registry"
	// TokenVersion is the version claim.
	TokenVersion = "1.0"
	// GrantRefreshToken and GrantAccessToken are the grant_type claim values.
	GrantRefreshToken = "refresh_token"
	GrantAccessToken  = "access_token"
	// RefreshTokenLifetime is the lifetime of refresh tokens from /oauth2/exchange: the 3 hours the docs give
	// for `az acr login` credentials (fidelity notes: lifetimes).
	RefreshTokenLifetime = 3 * time.Hour
	// AccessTokenLifetime is the lifetime of access tokens: 75 minutes, as in AAD-OAuth.md's sample token.
	AccessTokenLifetime = 75 * time.Minute
	// leeway is the clock skew tolerated on exp and nbf, as distribution's token package allows.
	leeway = 60 * time.Second
)

// Permissions is the refresh token's mirror of the caller's Azure RBAC actions on the registry.
type Permissions struct {
	Actions    []string `json:"actions"`
	NotActions []string `json:"notActions"`
}

// Claims is the payload of ACR refresh and access tokens. ACR's own claims come first; the acremu_* claims
// are the emulator's (a private namespace, see docs/fidelity.md).
type Claims struct {
	JTI         string         `json:"jti"`
	Subject     string         `json:"sub"`
	NotBefore   int64          `json:"nbf"`
	ExpiresAt   int64          `json:"exp"`
	IssuedAt    int64          `json:"iat"`
	Issuer      string         `json:"iss"`
	Audience    string         `json:"aud"`
	Version     string         `json:"version"`
	GrantType   string         `json:"grant_type"`
	Tenant      string         `json:"tenant,omitempty"`
	Permissions *Permissions   `json:"permissions,omitempty"`
	Roles       []string       `json:"roles"`
	Access      []authz.Access `json:"access,omitempty"`
	// AADIdentity marks refresh tokens of rbac-abac registries (acr-cli detects ABAC by it).
	AADIdentity string `json:"aad_identity,omitempty"`

	// ObjectID is the Entra object id of the principal, empty for the admin user and anonymous callers.
	ObjectID string `json:"acremu_oid,omitempty"`
	// Kind says how the caller authenticated: entra, admin or anonymous.
	Kind string `json:"acremu_kind"`
	// ModeEpoch is the registry's mode epoch when the token was minted.
	ModeEpoch int64 `json:"acremu_mode_epoch"`
	// DecisionID names the authorization decision behind an access token's access claim.
	DecisionID string `json:"acremu_decision,omitempty"`
}

// Identity kinds carried in Claims.Kind.
const (
	KindEntra     = "entra"
	KindAdmin     = "admin"
	KindAnonymous = "anonymous"
)

var _ jwt.Claims = (*Claims)(nil)

// GetExpirationTime implements jwt.Claims.
func (c *Claims) GetExpirationTime() (*jwt.NumericDate, error) { return unix(c.ExpiresAt), nil }

// GetIssuedAt implements jwt.Claims.
func (c *Claims) GetIssuedAt() (*jwt.NumericDate, error) { return unix(c.IssuedAt), nil }

// GetNotBefore implements jwt.Claims.
func (c *Claims) GetNotBefore() (*jwt.NumericDate, error) { return unix(c.NotBefore), nil }

// GetIssuer implements jwt.Claims.
func (c *Claims) GetIssuer() (string, error) { return c.Issuer, nil }

// GetSubject implements jwt.Claims.
func (c *Claims) GetSubject() (string, error) { return c.Subject, nil }

// GetAudience implements jwt.Claims.
func (c *Claims) GetAudience() (jwt.ClaimStrings, error) { return jwt.ClaimStrings{c.Audience}, nil }

func unix(s int64) *jwt.NumericDate {
	if s == 0 {
		return nil
	}
	return jwt.NewNumericDate(time.Unix(s, 0))
}

// Errors from token verification.
var (
	// ErrInvalidToken: bad signature, algorithm, issuer, audience, timing or grant type.
	ErrInvalidToken = errors.New("invalid token")
	// ErrStaleMode: the token predates the registry's last role assignment mode change.
	ErrStaleMode = errors.New("token was issued before the registry's role assignment mode changed")
)

// verifyToken checks signature, algorithm, issuer, audience, expiry (with leeway) and grant type.
func verifyToken(s *signing.Signer, raw, audience, grantType string, now time.Time) (*Claims, error) {
	c := new(Claims)
	err := s.Verify(raw, c, now, jwt.WithIssuer(Issuer), jwt.WithAudience(audience), jwt.WithLeeway(leeway))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if c.GrantType != grantType {
		return nil, fmt.Errorf("%w: grant_type %q, want %q", ErrInvalidToken, c.GrantType, grantType)
	}
	return c, nil
}
