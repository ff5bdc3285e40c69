package tokens

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/registry/errcode"
	"github.com/acremu/acremu/storage"
	"github.com/acremu/acremu/tokens/entra"
	"github.com/acremu/acremu/tokens/signing"
)

// Token service routes and form fields (spec acr-dataplane-auth.md §1.4-§1.6).
const (
	RouteToken    = "/oauth2/token"
	RouteExchange = "/oauth2/exchange"

	// NullGUIDUser is the user name meaning "the password is an ACR refresh token".
	NullGUIDUser = "00000000-0000-0000-0000-000000000000"

	grantTypeAccessToken        = "access_token"
	grantTypeAccessTokenRefresh = "access_token_refresh_token"
	grantTypeRefreshToken       = "refresh_token"
	grantTypePassword           = "password"

	// HeaderDecisionID names the authorization decision behind a token or a refusal.
	HeaderDecisionID = "X-Acremu-Decision-Id"
)

// Service is ACR's token service for every registry of the emulator.
type Service struct {
	db        *storage.DB
	signer    *signing.Signer
	entra     *entra.Service
	now       func() time.Time
	log       *slog.Logger
	decisions *DecisionLog
	verified  *verifiedCache
}

// New returns the token service. signer signs ACR tokens; entraSvc verifies the Entra tokens presented at
// /oauth2/exchange.
func New(db *storage.DB, signer *signing.Signer, entraSvc *entra.Service, now func() time.Time, log *slog.Logger) *Service {
	return &Service{db: db, signer: signer, entra: entraSvc, now: now, log: log, decisions: NewDecisionLog(1024),
		verified: newVerifiedCache(4096)}
}

// Decisions returns the log of recent authorization decisions.
func (s *Service) Decisions() *DecisionLog { return s.decisions }

// Resolver finds the registry a request addresses, with the State it was found in.
type Resolver func(r *http.Request) (*storage.State, *storage.Registry, bool)

// HostResolver resolves by Host: a registry's login server, then <name>.azurecr.io (any port), then the
// listener's default registry.
func HostResolver(db *storage.DB, defaultRegistry string) Resolver {
	return func(r *http.Request) (*storage.State, *storage.Registry, bool) {
		st := db.State()
		host := strings.ToLower(r.Host)
		if reg, ok := st.RegistryByLoginServer(host); ok {
			return st, reg, true
		}
		h := host
		if hh, _, err := net.SplitHostPort(host); err == nil {
			h = hh
		}
		if name, ok := strings.CutSuffix(h, ".azurecr.io"); ok {
			if reg, ok := st.Registry(name); ok {
				return st, reg, true
			}
		}
		reg, ok := st.Registry(defaultRegistry)
		return st, reg, ok
	}
}

// Register adds the token routes, for registries found by resolve.
func (s *Service) Register(r *mux.Router, resolve Resolver) {
	h := &handler{s: s, resolve: resolve}
	r.HandleFunc(RouteToken, h.getToken).Methods(http.MethodGet)
	r.HandleFunc(RouteToken, h.postToken).Methods(http.MethodPost)
	r.HandleFunc(RouteExchange, h.exchange).Methods(http.MethodPost)
}

// Identity is an authenticated caller of the data plane.
type Identity struct {
	Kind      string             // KindEntra, KindAdmin or KindAnonymous
	Principal *storage.Principal // for KindEntra
	Subject   string
}

func entraIdentity(p *storage.Principal) Identity {
	sub := p.UPN
	if sub == "" {
		sub = p.AppID
	}
	return Identity{Kind: KindEntra, Principal: p, Subject: sub}
}

// Anonymous is the caller without credentials.
var Anonymous = Identity{Kind: KindAnonymous}

func unauthorized(msg string) *errcode.Error {
	return errcode.New(http.StatusUnauthorized, errcode.CodeUnauthorized, msg)
}

// AuthenticateBasic resolves Basic credentials: the null GUID with a refresh token, the admin user, or a
// service principal's app id and secret (spec acr-dataplane-auth.md §1.3-§1.4).
func (s *Service) AuthenticateBasic(st *storage.State, reg *storage.Registry, user, pass string) (Identity, error) {
	switch {
	case user == NullGUIDUser:
		return s.identityFromRefresh(st, reg, pass)
	case reg.AdminUserEnabled && strings.EqualFold(user, reg.Name):
		if pass != "" && (pass == reg.AdminPasswords[0] || pass == reg.AdminPasswords[1]) {
			return Identity{Kind: KindAdmin, Subject: reg.Name}, nil
		}
		return Identity{}, unauthorized(errcode.MsgBadClientSecret)
	case storage.IsGUID(user):
		p, ok := st.ByAppID(user)
		if !ok || !p.CheckSecret(pass) {
			return Identity{}, unauthorized(errcode.MsgBadClientSecret)
		}
		return entraIdentity(p), nil
	}
	return Identity{}, unauthorized(errcode.MsgClientIDNotGUID)
}

// identityFromRefresh verifies an ACR refresh token for the registry and returns its caller.
func (s *Service) identityFromRefresh(st *storage.State, reg *storage.Registry, raw string) (Identity, error) {
	c, err := verifyToken(s.signer, raw, reg.LoginServer, GrantRefreshToken, s.now())
	if err != nil {
		return Identity{}, unauthorized(MsgInvalidRefreshToken)
	}
	if c.ModeEpoch != reg.ModeEpoch {
		return Identity{}, unauthorized(MsgStaleCredentials)
	}
	p, ok := st.Principal(c.ObjectID)
	if !ok {
		return Identity{}, unauthorized(MsgInvalidRefreshToken)
	}
	return entraIdentity(p), nil
}

// Messages of the token endpoints that ACR's sources do not quote (fidelity notes).
const (
	MsgInvalidRefreshToken = "The refresh token is invalid or expired."
	MsgStaleCredentials    = "The credentials were issued before the registry's role assignment permissions mode changed; sign in again."
	MsgInvalidEntraToken   = "The AAD access token is invalid or expired."
	MsgInvalidScope        = "Invalid scope: "
	MsgAnonymousDisabled   = errcode.MsgAuthRequired
)

// Grant returns the part of the requested scopes the identity holds on the registry, and the id of the
// decision (empty when no decision log entry was made).
func (s *Service) Grant(st *storage.State, reg *storage.Registry, id Identity, scopes []authz.Access) ([]authz.Access, string) {
	switch id.Kind {
	case KindAdmin:
		return adminGrant(scopes), ""
	case KindAnonymous:
		if !reg.AnonymousPullEnabled {
			return nil, ""
		}
		return anonymousGrant(scopes), ""
	}
	req := authz.Request{Principal: id.Principal.AuthzPrincipal(), Registry: reg.AuthzRegistry(), Scopes: scopes}
	d := authz.Decide(st.Authz, req)
	did := s.decisions.Add(s.now(), req, d)
	// The texts are built only for the levels that are on: this is the token-issuance hot path.
	if s.log.Enabled(context.Background(), slog.LevelInfo) {
		if denials := d.Trace.Denials(); len(denials) > 0 {
			s.log.Info("authorization denied", "decision", did, "registry", reg.Name, "principal", req.Principal.Name,
				"mode", reg.Mode, "denials", denials)
		}
	}
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		s.log.Debug("authorization decision", "decision", did, "trace", d.Trace.String())
	}
	return d.Granted, did
}

// adminGrant gives the admin user every valid requested action (spec acr-dataplane-auth.md §7.1).
func adminGrant(scopes []authz.Access) []authz.Access {
	var out []authz.Access
	for _, sc := range scopes {
		if sc.Type == authz.TypeRepository || sc.Type == authz.TypeRegistry {
			out = append(out, sc)
		}
	}
	return out
}

// anonymousGrant gives pull and metadata_read on repositories (spec acr-dataplane-auth.md §7.3).
func anonymousGrant(scopes []authz.Access) []authz.Access {
	var out []authz.Access
	for _, sc := range scopes {
		if sc.Type != authz.TypeRepository {
			continue
		}
		g := authz.Access{Type: sc.Type, Name: sc.Name}
		for _, a := range sc.Actions {
			if a == authz.ActPull || a == authz.ActMetadataRead {
				g.Actions = append(g.Actions, a)
			}
		}
		if len(g.Actions) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// ParseScopes parses scope parameters: each value holds one or more space-separated type:name:actions.
func ParseScopes(values []string) ([]authz.Access, error) {
	var out []authz.Access
	for _, v := range values {
		for _, sc := range strings.Fields(v) {
			i, j := strings.IndexByte(sc, ':'), strings.LastIndexByte(sc, ':')
			if i <= 0 || j <= i+1 || j == len(sc)-1 {
				return nil, fmt.Errorf("%w %q", errBadScope, sc)
			}
			a := authz.Access{Type: sc[:i], Name: sc[i+1 : j]}
			for _, act := range strings.Split(sc[j+1:], ",") {
				if act != "" {
					a.Actions = append(a.Actions, act)
				}
			}
			if len(a.Actions) == 0 {
				return nil, fmt.Errorf("%w %q", errBadScope, sc)
			}
			out = append(out, a)
		}
	}
	return out, nil
}

var errBadScope = errors.New("malformed scope")

// IssueAccessToken signs an access token granting access on the registry.
func (s *Service) IssueAccessToken(reg *storage.Registry, id Identity, access []authz.Access, decisionID, tenant string) (string, error) {
	now := s.now()
	c := &Claims{JTI: newID(), Subject: id.Subject, IssuedAt: now.Unix(), NotBefore: now.Unix(),
		ExpiresAt: now.Add(AccessTokenLifetime).Unix(), Issuer: Issuer, Audience: reg.LoginServer,
		Version: TokenVersion, GrantType: GrantAccessToken, Tenant: tenant, Roles: []string{}, Access: access,
		Kind: id.Kind, ModeEpoch: reg.ModeEpoch, DecisionID: decisionID}
	if c.Access == nil {
		c.Access = []authz.Access{}
	}
	if id.Principal != nil {
		c.ObjectID = id.Principal.ObjectID
	}
	return s.signer.Sign(c)
}

// VerifyAccessToken checks a bearer token presented to the registry's data plane: signature, issuer,
// audience (the login server), expiry and, for Entra identities, the mode epoch.
func (s *Service) VerifyAccessToken(reg *storage.Registry, raw string) (*Claims, error) {
	now := s.now()
	c, ok := s.verified.get(raw, now)
	if !ok || c.Audience != reg.LoginServer {
		var err error
		if c, err = verifyToken(s.signer, raw, reg.LoginServer, GrantAccessToken, now); err != nil {
			return nil, err
		}
		s.verified.put(raw, c)
	}
	if c.Kind == KindEntra && c.ModeEpoch != reg.ModeEpoch {
		return nil, ErrStaleMode
	}
	return c, nil
}

type handler struct {
	s       *Service
	resolve Resolver
}

func (h *handler) registry(w http.ResponseWriter, r *http.Request) (*storage.State, *storage.Registry, bool) {
	st, reg, ok := h.resolve(r)
	if !ok {
		errcode.New(http.StatusNotFound, errcode.CodeNameUnknown, errcode.MsgRegistryNotFound).Write(w)
	}
	return st, reg, ok
}

// getToken serves GET /oauth2/token: Basic credentials or none (spec acr-dataplane-auth.md §1.4).
func (h *handler) getToken(w http.ResponseWriter, r *http.Request) {
	st, reg, ok := h.registry(w, r)
	if !ok {
		return
	}
	scopes, ok := requestedScopes(w, r.URL.Query()["scope"])
	if !ok {
		return
	}
	id, err := Anonymous, error(nil)
	if user, pass, ok := r.BasicAuth(); ok {
		id, err = h.s.AuthenticateBasic(st, reg, user, pass)
	} else if r.Header.Get("Authorization") != "" {
		err = unauthorized(errcode.MsgAuthRequired)
	} else if !reg.AnonymousPullEnabled {
		err = unauthorized(MsgAnonymousDisabled)
	}
	h.respond(w, r, st, reg, id, scopes, err)
}

// requestedScopes parses the scope parameters, answering 400 for a malformed one.
func requestedScopes(w http.ResponseWriter, values []string) ([]authz.Access, bool) {
	scopes, err := ParseScopes(values)
	if err != nil {
		errcode.New(http.StatusBadRequest, errcode.CodeUnsupported, MsgInvalidScope+strings.TrimPrefix(err.Error(), errBadScope.Error()+" ")).Write(w)
		return nil, false
	}
	return scopes, true
}

// postToken serves POST /oauth2/token: grant_type refresh_token or password (spec §1.6).
func (h *handler) postToken(w http.ResponseWriter, r *http.Request) {
	st, reg, ok := h.registry(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		errcode.New(http.StatusBadRequest, errcode.CodeUnsupported, "malformed form body").Write(w)
		return
	}
	scopes, ok := requestedScopes(w, r.PostForm["scope"])
	if !ok {
		return
	}
	var (
		id  Identity
		err error
	)
	switch gt := r.PostForm.Get("grant_type"); gt {
	case grantTypeRefreshToken:
		id, err = h.s.identityFromRefresh(st, reg, r.PostForm.Get("refresh_token"))
	case grantTypePassword:
		user, pass := r.PostForm.Get("username"), r.PostForm.Get("password")
		if user == "" && pass == "" {
			id = Anonymous
			if !reg.AnonymousPullEnabled {
				err = unauthorized(MsgAnonymousDisabled)
			}
		} else {
			id, err = h.s.AuthenticateBasic(st, reg, user, pass)
		}
	default:
		err = errcode.New(http.StatusBadRequest, errcode.CodeUnsupported, fmt.Sprintf("unsupported grant_type %q", gt))
	}
	h.respond(w, r, st, reg, id, scopes, err)
}

func (h *handler) respond(w http.ResponseWriter, r *http.Request, st *storage.State, reg *storage.Registry, id Identity, scopes []authz.Access, err error) {
	if err != nil {
		h.fail(w, r, reg, err)
		return
	}
	granted, did := h.s.Grant(st, reg, id, scopes)
	tok, err := h.s.IssueAccessToken(reg, id, granted, did, st.Directory.TenantID)
	if err != nil {
		h.fail(w, r, reg, err)
		return
	}
	if did != "" {
		w.Header().Set(HeaderDecisionID, did)
	}
	if h.s.log.Enabled(r.Context(), slog.LevelInfo) {
		h.s.log.Info("token issued", "registry", reg.Name, "subject", id.Subject, "kind", id.Kind,
			"requested", scopeStrings(scopes), "granted", scopeStrings(granted), "decision", did)
	}
	writeJSON(w, map[string]string{"access_token": tok})
}

func scopeStrings(in []authz.Access) []string {
	out := make([]string, len(in))
	for i, a := range in {
		out[i] = a.String()
	}
	return out
}

func (h *handler) fail(w http.ResponseWriter, r *http.Request, reg *storage.Registry, err error) {
	var e *errcode.Error
	if !errors.As(err, &e) {
		e = errcode.New(http.StatusInternalServerError, errcode.CodeUnsupported, "internal error")
		h.s.log.Error("token service", "path", r.URL.Path, "err", err)
	}
	h.s.log.Info("token refused", "registry", reg.Name, "path", r.URL.Path, "status", e.Status, "message", e.Message)
	e.Write(w)
}

// exchange serves POST /oauth2/exchange: an Entra access token for an ACR refresh token (spec §1.5).
func (h *handler) exchange(w http.ResponseWriter, r *http.Request) {
	st, reg, ok := h.registry(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		errcode.New(http.StatusBadRequest, errcode.CodeUnsupported, "malformed form body").Write(w)
		return
	}
	f := r.PostForm
	switch gt := f.Get("grant_type"); gt {
	case grantTypeAccessToken, grantTypeAccessTokenRefresh:
	default:
		h.fail(w, r, reg, errcode.New(http.StatusBadRequest, errcode.CodeUnsupported, fmt.Sprintf("unsupported grant_type %q", gt)))
		return
	}
	if t := f.Get("tenant"); t != "" && !strings.EqualFold(t, st.Directory.TenantID) {
		h.fail(w, r, reg, unauthorized(MsgInvalidEntraToken))
		return
	}
	c, err := h.s.entra.Verify(f.Get("access_token"), entra.AudienceACR, entra.AudienceARM, entra.AudienceARMLegacy)
	if err != nil {
		h.fail(w, r, reg, unauthorized(MsgInvalidEntraToken))
		return
	}
	p, ok := st.Principal(c.ObjectID)
	if !ok {
		h.fail(w, r, reg, unauthorized(errcode.MsgAppNotRegistered))
		return
	}
	id := entraIdentity(p)
	now := h.s.now()
	actions, notActions := authz.PermissionsAt(st.Authz, p.ObjectID, reg.ID)
	rc := &Claims{JTI: newID(), Subject: id.Subject, IssuedAt: now.Unix(), NotBefore: now.Unix(),
		ExpiresAt: now.Add(RefreshTokenLifetime).Unix(), Issuer: Issuer, Audience: reg.LoginServer,
		Version: TokenVersion, GrantType: GrantRefreshToken, Tenant: st.Directory.TenantID,
		Permissions: &Permissions{Actions: actions, NotActions: notActions}, Roles: []string{},
		ObjectID: p.ObjectID, Kind: KindEntra, ModeEpoch: reg.ModeEpoch}
	if reg.AuthzRegistry().Mode == authz.ModeABAC {
		rc.AADIdentity = id.Subject
	}
	tok, err := h.s.signer.Sign(rc)
	if err != nil {
		h.fail(w, r, reg, err)
		return
	}
	h.s.log.Info("refresh token issued", "registry", reg.Name, "subject", id.Subject)
	writeJSON(w, map[string]string{"refresh_token": tok})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

// DecodeUnverified returns a token's claims without checking its signature: for display only.
func DecodeUnverified(raw string) (*Claims, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, ErrInvalidToken
	}
	data, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	c := new(Claims)
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	return c, nil
}
