// Package graph is the emulator's directory API, shaped like Microsoft Graph v1.0: users, groups and their
// members, service principals and applications, the signed-in user, and directoryObjects/getByIds. It is
// what `az ad` and the assignee lookups of `az role assignment` call.
//
// # Authentication and authorization
//
// Callers present an Entra token of this emulator for Graph's audience. Any principal of the tenant may read
// the directory. Writes need a directory role that the emulator does not model; it uses the nearest
// control-plane proxy instead: the caller must be allowed Microsoft.Authorization/roleAssignments/write on
// the subscription (Owner or User Access Administrator there).
//
// # Model
//
// Objects are storage.Principal records. An application and its service principal are one record: the
// application's object id is derived from the service principal's, creating an application creates the
// record, and creating the service principal of an existing application returns it. Every write is one
// storage.DB.Update.
package graph

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/storage"
	"github.com/acremu/acremu/tokens/entra"
)

// Audiences of Graph tokens: the resource URI (the one the emulated Entra issues) and the application id of
// Microsoft Graph.
const (
	AudienceGraph      = entra.AudienceGraph
	AudienceGraphAppID = "00000003-0000-0000-c000-000000000000"
)

// Version is the Graph version served.
const Version = "/v1.0"

// contextBase prefixes the @odata.context of responses.
const contextBase = "https://graph.microsoft.com/v1.0/$metadata#"

// writeAction is the control-plane Action whose grant on the subscription stands in for the directory write
// permission (see the package documentation).
const writeAction = "Microsoft.Authorization/roleAssignments/write"

// Server is the directory API.
type Server struct {
	db    *storage.DB
	entra *entra.Service
	now   func() time.Time
	log   *slog.Logger
}

// New returns the directory API over the store; entraSvc verifies the callers' tokens.
func New(db *storage.DB, entraSvc *entra.Service, now func() time.Time, log *slog.Logger) *Server {
	return &Server{db: db, entra: entraSvc, now: now, log: log}
}

// request is one call in flight.
type request struct {
	w      http.ResponseWriter
	r      *http.Request
	st     *storage.State
	caller *storage.Principal
	now    time.Time
}

// handlerFunc serves one route; a returned error is written by serve.
type handlerFunc func(s *Server, req *request) error

// route is one entry of the route table.
type route struct {
	name   string
	method string
	path   string
	// write routes need the write permission.
	write  bool
	handle handlerFunc
}

// Route names.
const (
	RouteMe                  = "me"
	RouteUsers               = "users.list"
	RouteUserCreate          = "users.create"
	RouteUser                = "users.get"
	RouteUserUpdate          = "users.update"
	RouteUserDelete          = "users.delete"
	RouteServicePrincipals   = "servicePrincipals.list"
	RouteServicePrincipalNew = "servicePrincipals.create"
	RouteServicePrincipal    = "servicePrincipals.get"
	RouteServicePrincipalDel = "servicePrincipals.delete"
	RouteApplications        = "applications.list"
	RouteApplicationCreate   = "applications.create"
	RouteApplication         = "applications.get"
	RouteApplicationUpdate   = "applications.update"
	RouteApplicationDelete   = "applications.delete"
	RouteAddPassword         = "applications.addPassword"
	RouteRemovePassword      = "applications.removePassword"
	RouteGroups              = "groups.list"
	RouteGroupCreate         = "groups.create"
	RouteGroup               = "groups.get"
	RouteGroupDelete         = "groups.delete"
	RouteMembers             = "groups.members.list"
	RouteMemberAdd           = "groups.members.add"
	RouteMemberRemove        = "groups.members.remove"
	RouteGetByIDs            = "directoryObjects.getByIds"
	RouteDirectoryObject     = "directoryObjects.get"
	RouteCheckMemberGroups   = "directoryObjects.checkMemberGroups"
)

// routes is the directory API's route table (Microsoft Graph v1.0 paths).
var routes = []route{
	{RouteMe, http.MethodGet, "/me", false, (*Server).me},
	{RouteUsers, http.MethodGet, "/users", false, (*Server).listUsers},
	{RouteUserCreate, http.MethodPost, "/users", true, (*Server).createUser},
	{RouteUser, http.MethodGet, "/users/{id}", false, (*Server).getUser},
	{RouteUserUpdate, http.MethodPatch, "/users/{id}", true, (*Server).updateUser},
	{RouteUserDelete, http.MethodDelete, "/users/{id}", true, (*Server).deleteUser},
	{RouteServicePrincipals, http.MethodGet, "/servicePrincipals", false, (*Server).listServicePrincipals},
	{RouteServicePrincipalNew, http.MethodPost, "/servicePrincipals", true, (*Server).createServicePrincipal},
	{RouteServicePrincipal, http.MethodGet, "/servicePrincipals/{id}", false, (*Server).getServicePrincipal},
	{RouteServicePrincipalDel, http.MethodDelete, "/servicePrincipals/{id}", true, (*Server).deleteServicePrincipal},
	{RouteApplications, http.MethodGet, "/applications", false, (*Server).listApplications},
	{RouteApplicationCreate, http.MethodPost, "/applications", true, (*Server).createApplication},
	{RouteApplication, http.MethodGet, "/applications/{id}", false, (*Server).getApplication},
	{RouteApplicationUpdate, http.MethodPatch, "/applications/{id}", true, (*Server).updateApplication},
	{RouteApplicationDelete, http.MethodDelete, "/applications/{id}", true, (*Server).deleteApplication},
	{RouteAddPassword, http.MethodPost, "/applications/{id}/addPassword", true, (*Server).addPassword},
	{RouteRemovePassword, http.MethodPost, "/applications/{id}/removePassword", true, (*Server).removePassword},
	{RouteGroups, http.MethodGet, "/groups", false, (*Server).listGroups},
	{RouteGroupCreate, http.MethodPost, "/groups", true, (*Server).createGroup},
	{RouteGroup, http.MethodGet, "/groups/{id}", false, (*Server).getGroup},
	{RouteGroupDelete, http.MethodDelete, "/groups/{id}", true, (*Server).deleteGroup},
	{RouteMembers, http.MethodGet, "/groups/{id}/members", false, (*Server).listMembers},
	{RouteMemberAdd, http.MethodPost, "/groups/{id}/members/$ref", true, (*Server).addMember},
	{RouteMemberRemove, http.MethodDelete, "/groups/{id}/members/{member}/$ref", true, (*Server).removeMember},
	{RouteGetByIDs, http.MethodPost, "/directoryObjects/getByIds", false, (*Server).getByIDs},
	{RouteDirectoryObject, http.MethodGet, "/directoryObjects/{id}", false, (*Server).getDirectoryObject},
	{RouteCheckMemberGroups, http.MethodPost, "/directoryObjects/{id}/checkMemberGroups", false, (*Server).checkMemberGroups},
}

// Register adds the routes under /v1.0.
func (s *Server) Register(r *mux.Router) {
	for _, rt := range routes {
		r.Handle(Version+rt.path, s.handler(rt)).Methods(rt.method).Name("graph." + rt.name)
	}
}

func (s *Server) handler(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := s.serve(rt, w, r)
		if err == nil {
			return
		}
		var ge *Error
		if !errors.As(err, &ge) {
			s.log.Error("graph", "route", rt.name, "err", err)
			ge = &Error{Status: http.StatusInternalServerError, Code: "generalException", Message: "General exception while processing."}
		}
		s.log.Info("graph request refused", "route", rt.name, "status", ge.Status, "code", ge.Code)
		ge.write(w, s.now())
	})
}

func (s *Server) serve(rt route, w http.ResponseWriter, r *http.Request) error {
	req := &request{w: w, r: r, st: s.db.State(), now: s.now()}
	if err := s.authenticate(req); err != nil {
		return err
	}
	if rt.write {
		// The directory write permission is approximated by the right to assign roles on the subscription.
		sub := storage.SubscriptionID(req.st.Directory.SubscriptionID)
		if !authz.DecideAction(req.st.Authz, req.caller.AuthzPrincipal(), sub, writeAction).Allowed {
			return errForbidden()
		}
	}
	return rt.handle(s, req)
}

// authenticate verifies the bearer token: an Entra token of this emulator for Graph's audience.
func (s *Server) authenticate(req *request) error {
	raw, ok := strings.CutPrefix(req.r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		return errToken("Access token is empty.")
	}
	c, err := s.entra.Verify(raw, AudienceGraph, AudienceGraphAppID)
	if err != nil {
		if _, aerr := s.entra.Verify(raw, entra.AudienceARM, entra.AudienceARMLegacy, entra.AudienceACR); aerr == nil {
			return errToken("Access token validation failure. Invalid audience.")
		}
		return errToken("Access token validation failure.")
	}
	p, ok := req.st.Principal(c.ObjectID)
	if !ok {
		return errToken("Access token validation failure.")
	}
	req.caller = p
	return nil
}

func (req *request) decode(v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(req.w, req.r.Body, 1<<20))
	if err := dec.Decode(v); err != nil {
		return errBadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	return nil
}

func (req *request) reply(status int, v any) error {
	req.w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	req.w.WriteHeader(status)
	return json.NewEncoder(req.w).Encode(v)
}

func (req *request) noContent() error {
	req.w.WriteHeader(http.StatusNoContent)
	return nil
}

// collection replies with a Graph collection.
func (req *request) collection(entitySet string, items []map[string]any) error {
	if items == nil {
		items = []map[string]any{}
	}
	return req.reply(http.StatusOK, map[string]any{"@odata.context": contextBase + entitySet, "value": items})
}

// entity replies with one object and its @odata.context.
func (req *request) entity(status int, entitySet string, obj map[string]any) error {
	obj["@odata.context"] = contextBase + entitySet + "/$entity"
	return req.reply(status, obj)
}

// update runs fn in one store transaction.
func (s *Server) update(fn func(tx *storage.Tx) error) error { return s.db.Update(fn) }
