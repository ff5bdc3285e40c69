// Package entra emulates the parts of Microsoft Entra ID that container registry clients touch: the v2.0
// token endpoint (client credentials and password grants), OpenID discovery and its key set, and
// verification of the tokens it issues for the ACR token exchange.
package entra

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/mux"

	"github.com/acremu/acremu/storage"
	"github.com/acremu/acremu/tokens/signing"
)

// Audiences the emulated Entra issues tokens for (spec acr-dataplane-auth.md §1.5).
const (
	// AudienceACR is the resource of ACR-scoped tokens (scope https://containerregistry.azure.net/.default).
	AudienceACR = "https://containerregistry.azure.net"
	// AudienceARM and AudienceARMLegacy are Azure Resource Manager's two resource URIs.
	AudienceARM       = "https://management.azure.com/"
	AudienceARMLegacy = "https://management.core.windows.net/"
	// AudienceGraph is Microsoft Graph, which the directory commands (az ad …) call.
	AudienceGraph = "https://graph.microsoft.com"
	// TokenLifetime is the lifetime of Entra access tokens (Entra's default is 60 to 90 minutes).
	TokenLifetime = time.Hour
	// defaultScopeSuffix ends the scope of a client-credentials request.
	defaultScopeSuffix = "/.default"
)

// Routes of the emulated Entra, relative to the listener root.
const (
	RouteToken     = "/{tenant}/oauth2/v2.0/token"
	RouteDiscovery = "/{tenant}/v2.0/.well-known/openid-configuration"
	RouteKeys      = "/{tenant}/discovery/v2.0/keys"
)

// Grant types of the token endpoint.
const (
	grantClientCredentials = "client_credentials"
	grantPassword          = "password"
)

// Claims is the payload of an Entra access token, shaped as Entra's v1.0 tokens for ARM and ACR resources.
type Claims struct {
	jwt.RegisteredClaims
	TenantID   string   `json:"tid"`
	ObjectID   string   `json:"oid"`
	AppID      string   `json:"appid,omitempty"`
	AppIDACR   string   `json:"appidacr,omitempty"`
	UPN        string   `json:"upn,omitempty"`
	UniqueName string   `json:"unique_name,omitempty"`
	Name       string   `json:"name,omitempty"`
	IDType     string   `json:"idtyp"`
	Groups     []string `json:"groups,omitempty"`
	Version    string   `json:"ver"`
}

// Service is the emulated Entra ID.
type Service struct {
	db     *storage.DB
	signer *signing.Signer
	now    func() time.Time
}

// New returns the Entra emulation over the store's directory.
func New(db *storage.DB, signer *signing.Signer, now func() time.Time) *Service {
	return &Service{db: db, signer: signer, now: now}
}

// Register adds the Entra routes to r.
func (s *Service) Register(r *mux.Router) {
	r.HandleFunc(RouteToken, s.token).Methods(http.MethodPost)
	r.HandleFunc(RouteDiscovery, s.discovery).Methods(http.MethodGet)
	r.HandleFunc(RouteKeys, s.keys).Methods(http.MethodGet)
}

// Issuer returns the iss of tokens for a tenant, as Entra's v1.0 tokens spell it.
func Issuer(tenantID string) string { return "https://sts.windows.net/" + tenantID + "/" }

// tenant resolves the {tenant} path segment: the tenant id, its domain, or organizations/common.
func (s *Service) tenant(r *http.Request) (*storage.State, bool) {
	st := s.db.State()
	t := strings.ToLower(mux.Vars(r)["tenant"])
	switch t {
	case st.Directory.TenantID, strings.ToLower(st.Directory.Domain), "organizations", "common":
		return st, st.Directory.TenantID != ""
	}
	return st, false
}

func (s *Service) token(w http.ResponseWriter, r *http.Request) {
	st, ok := s.tenant(r)
	if !ok {
		writeError(w, errTenantNotFound(mux.Vars(r)["tenant"]))
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, errInvalidRequest("The request body must contain the following parameter: 'grant_type'."))
		return
	}
	aud, err := audience(r.PostForm.Get("scope"))
	if err != nil {
		writeError(w, err)
		return
	}
	var p *storage.Principal
	switch gt := r.PostForm.Get("grant_type"); gt {
	case grantClientCredentials:
		p, err = clientCredentials(st, r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"))
	case grantPassword:
		p, err = password(st, r.PostForm.Get("username"), r.PostForm.Get("password"))
	case "":
		err = errInvalidRequest("The request body must contain the following parameter: 'grant_type'.")
	default:
		err = errUnsupportedGrant(gt)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	tok, err := s.Issue(st, p, aud)
	if err != nil {
		writeError(w, err)
		return
	}
	resp := map[string]any{"token_type": "Bearer", "expires_in": int(TokenLifetime.Seconds()),
		"ext_expires_in": int(TokenLifetime.Seconds()), "access_token": tok}
	if p.Kind == storage.KindUser {
		info, _ := json.Marshal(map[string]string{"uid": p.ObjectID, "utid": st.Directory.TenantID})
		resp["client_info"] = base64.RawURLEncoding.EncodeToString(info)
		resp["scope"] = r.PostForm.Get("scope")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	_ = json.NewEncoder(w).Encode(resp)
}

// audience maps a v2.0 scope list to the resource the token is for.
func audience(scope string) (string, error) {
	for _, sc := range strings.Fields(scope) {
		switch strings.ToLower(sc) {
		case "openid", "profile", "offline_access", "email":
			continue
		}
		res := strings.TrimSuffix(sc, defaultScopeSuffix)
		switch strings.TrimRight(strings.ToLower(res), "/") {
		case strings.TrimRight(AudienceACR, "/"):
			return AudienceACR, nil
		case strings.TrimRight(AudienceARM, "/"):
			return AudienceARM, nil
		case strings.TrimRight(AudienceARMLegacy, "/"):
			return AudienceARMLegacy, nil
		case AudienceGraph:
			return AudienceGraph, nil
		}
		return "", errResourceNotFound(res)
	}
	return "", errInvalidRequest("The provided request must include a 'scope' input parameter.")
}

func clientCredentials(st *storage.State, clientID, secret string) (*storage.Principal, error) {
	if clientID == "" {
		return nil, errInvalidRequest("The request body must contain the following parameter: 'client_id'.")
	}
	p, ok := st.ByAppID(clientID)
	if !ok || p.Kind != storage.KindServicePrincipal {
		return nil, errAppNotFound(clientID, st.Directory.TenantID)
	}
	if !p.CheckSecret(secret) {
		return nil, errInvalidSecret(clientID)
	}
	return p, nil
}

func password(st *storage.State, user, pass string) (*storage.Principal, error) {
	p, ok := st.UserByUPN(user)
	if !ok || !p.CheckSecret(pass) {
		return nil, errBadPassword()
	}
	return p, nil
}

// Issue mints an Entra access token for the principal and audience.
func (s *Service) Issue(st *storage.State, p *storage.Principal, aud string) (string, error) {
	now := s.now()
	c := &Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: Issuer(st.Directory.TenantID), Subject: p.ObjectID, Audience: jwt.ClaimStrings{aud},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(TokenLifetime)), ID: storage.DeterministicGUID("uti", p.ObjectID, now.String()),
		},
		TenantID: st.Directory.TenantID, ObjectID: p.ObjectID, Groups: st.Authz.Groups(p.ObjectID), Version: "1.0",
	}
	switch p.Kind {
	case storage.KindUser:
		c.IDType, c.UPN, c.UniqueName, c.Name = "user", p.UPN, p.UPN, p.DisplayName
		c.AppID = AzureCLIClientID
	default:
		c.IDType, c.AppID, c.AppIDACR = "app", p.AppID, "1"
	}
	return s.signer.Sign(c)
}

// AzureCLIClientID is the public client id of the Azure CLI, which user tokens name as their appid.
const AzureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

// ErrTokenInvalid wraps every reason Verify refuses a token.
var ErrTokenInvalid = errors.New("entra token invalid")

// Verify checks an Entra access token this emulator issued: signature, tenant issuer, expiry, and that its
// audience is one of audiences. It returns the claims.
func (s *Service) Verify(raw string, audiences ...string) (*Claims, error) {
	st := s.db.State()
	c := new(Claims)
	if err := s.signer.Verify(raw, c, s.now(), jwt.WithIssuer(Issuer(st.Directory.TenantID)), jwt.WithLeeway(5*time.Minute)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTokenInvalid, err)
	}
	for _, a := range c.Audience {
		for _, want := range audiences {
			if strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(want, "/")) {
				return c, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: audience %v is not accepted", ErrTokenInvalid, c.Audience)
}

func (s *Service) discovery(w http.ResponseWriter, r *http.Request) {
	st, ok := s.tenant(r)
	if !ok {
		writeError(w, errTenantNotFound(mux.Vars(r)["tenant"]))
		return
	}
	base := baseURL(r) + "/" + st.Directory.TenantID
	doc := map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"issuer":                                base + "/v2.0",
		"tenant_region_scope":                   "NA",
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"ES256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(doc)
}

func (s *Service) keys(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": []signing.JWK{s.signer.JWK()}})
}

// baseURL is the scheme and host the client used.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
