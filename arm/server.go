// Package arm is the ARM-compatible management API: subscriptions, resource groups, container registries,
// role assignments and role definitions, with ARM's error envelope and api-version handling. Every request
// is authenticated with an Entra token for ARM's audience and authorized through authz with control-plane
// Actions; writes go to the store in one transaction.
package arm

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/storage"
	"github.com/acremu/acremu/tokens/entra"
)

// Server is the management API.
type Server struct {
	db    *storage.DB
	entra *entra.Service
	now   func() time.Time
	log   *slog.Logger
}

// New returns the management API over the store; entraSvc verifies the callers' tokens.
func New(db *storage.DB, entraSvc *entra.Service, now func() time.Time, log *slog.Logger) *Server {
	return &Server{db: db, entra: entraSvc, now: now, log: log}
}

// Register adds the ARM routes: everything under /subscriptions and the tenant-level
// /providers/Microsoft.Authorization.
func (s *Server) Register(r *mux.Router) {
	r.Path("/subscriptions").Handler(s)
	r.PathPrefix("/subscriptions/").Handler(s)
	r.PathPrefix("/providers/Microsoft.Authorization/").Handler(s)
}

// caller is the authenticated principal of an ARM request.
type caller struct {
	p    *storage.Principal
	name string
}

// request is one ARM request in flight.
type request struct {
	w   http.ResponseWriter
	r   *http.Request
	st  *storage.State
	who caller
	now time.Time
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := s.serve(w, r); err != nil {
		var ae *Error
		if !errors.As(err, &ae) {
			s.log.Error("arm", "method", r.Method, "path", r.URL.Path, "err", err)
			ae = &Error{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: "Encountered internal server error."}
		}
		s.log.Info("arm request refused", "method", r.Method, "path", r.URL.Path, "status", ae.Status, "code", ae.Code)
		ae.Write(w)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) error {
	who, err := s.authenticate(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("api-version") == "" {
		return errMissingAPIVersion()
	}
	req := &request{w: w, r: r, st: s.db.State(), who: who, now: s.now()}
	p, err := parsePath(r.URL.Path)
	if err != nil {
		return err
	}
	if p.subscription != "" && !strings.EqualFold(p.subscription, req.st.Directory.SubscriptionID) {
		return errSubscriptionNotFound(p.subscription)
	}
	switch p.kind {
	case pathSubscriptions:
		return s.subscriptions(req, p)
	case pathResourceGroups, pathResourceGroup:
		return s.resourceGroups(req, p)
	case pathRegistries, pathRegistry, pathRegistryAction:
		return s.registries(req, p)
	case pathRoleAssignments, pathRoleAssignment:
		return s.roleAssignments(req, p)
	case pathRoleDefinitions, pathRoleDefinition:
		return s.roleDefinitions(req, p)
	case pathIdentities, pathIdentity:
		return s.identities(req, p)
	}
	return errNotFoundPath(r.URL.Path)
}

// authenticate verifies the bearer token: an Entra token for ARM's audience.
func (s *Server) authenticate(r *http.Request) (caller, error) {
	h := r.Header.Get("Authorization")
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return caller{}, errMissingAuth()
	}
	c, err := s.entra.Verify(raw, entra.AudienceARM, entra.AudienceARMLegacy)
	if err != nil {
		if _, aerr := s.entra.Verify(raw, entra.AudienceACR); aerr == nil {
			return caller{}, errWrongAudience()
		}
		return caller{}, errInvalidToken()
	}
	p, ok := s.db.State().Principal(c.ObjectID)
	if !ok {
		return caller{}, errInvalidToken()
	}
	name := p.UPN
	if name == "" {
		name = p.AppID
	}
	return caller{p: p, name: name}, nil
}

// authorize checks a control-plane Action at a scope for the caller.
func (req *request) authorize(scope, action string) error {
	d := authz.DecideAction(req.st.Authz, req.who.p.AuthzPrincipal(), scope, action)
	if !d.Allowed {
		return errAuthorizationFailed(req.who.name, req.who.p.ObjectID, action, scope)
	}
	return nil
}

// checkAPIVersion refuses an api-version the resource type does not have.
func (req *request) checkAPIVersion(resourceType string, supported []string) error {
	v := req.r.URL.Query().Get("api-version")
	if !slices.Contains(supported, v) {
		return errUnsupportedAPIVersion(v, resourceType, supported)
	}
	return nil
}

func (req *request) decode(v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(req.w, req.r.Body, 1<<20))
	if err := dec.Decode(v); err != nil {
		return errBadRequest("InvalidRequestContent", "The request content was invalid and could not be deserialized: '"+err.Error()+"'.")
	}
	return nil
}

func (req *request) reply(status int, v any) error {
	req.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	req.w.WriteHeader(status)
	return json.NewEncoder(req.w).Encode(v)
}

// list is ARM's list envelope.
type list[T any] struct {
	Value []T `json:"value"`
}
