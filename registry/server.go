package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"

	v2 "github.com/distribution/distribution/v3/registry/api/v2"
	"github.com/gorilla/mux"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/registry/errcode"
	"github.com/acremu/acremu/storage"
	"github.com/acremu/acremu/tokens"
)

// Header names the data plane writes (OCI distribution-spec v1.1).
const (
	HeaderOCISubject     = "OCI-Subject"
	HeaderFiltersApplied = "OCI-Filters-Applied"
	// maxManifestSize is ACR's manifest size limit (4 MiB).
	maxManifestSize = 4 << 20
)

// Server is the data plane of every registry in the emulator.
type Server struct {
	tokens   *tokens.Service
	backends *backends
	log      *slog.Logger
	router   *mux.Router // distribution's route table, used to classify requests
}

// New returns the data plane. Blobs go under blobs.Root (one directory per registry), or to memory.
func New(ctx context.Context, ts *tokens.Service, blobs Blobs, log *slog.Logger) *Server {
	return &Server{tokens: ts, backends: &backends{ctx: ctx, blobs: blobs, byKey: map[string]*backend{}},
		log: log, router: v2.Router()}
}

// Register adds /v2/ and /acr/v1/ to r, for registries found by resolve.
func (s *Server) Register(r *mux.Router, resolve tokens.Resolver) {
	h := &dataPlane{s: s, resolve: resolve}
	r.PathPrefix("/v2/").Handler(h)
	r.Path("/v2").Handler(http.RedirectHandler("/v2/", http.StatusMovedPermanently))
	r.PathPrefix("/acr/v1/").Handler(h)
}

// need is one access a request requires; alternatives lists other actions that satisfy it as well.
type need struct {
	authz.Access
	alternatives []string
}

// route is a classified data-plane request.
type route struct {
	name  string // distribution route name, or one of ours
	repo  string
	ref   string
	needs []need
}

// Route names the emulator adds to distribution's.
const (
	routeReferrers       = "referrers"
	routeACRCatalog      = "acr-catalog"
	routeACRRepository   = "acr-repository"
	routeACRTags         = "acr-tags"
	routeACRTag          = "acr-tag"
	routeACRManifests    = "acr-manifests"
	routeACRManifest     = "acr-manifest"
	acrPrefix            = "/acr/v1/"
	referrersPathSegment = "/referrers/"
)

func repoNeed(repo string, actions ...string) need {
	return need{Access: authz.Access{Type: authz.TypeRepository, Name: repo, Actions: actions[:1]}, alternatives: actions[1:]}
}

// classify maps a request to its route and the access it needs (spec acr-dataplane-auth.md §3.2; the
// choices for open points are in docs/fidelity.md: tags/list and referrers accept pull or metadata_read).
func (s *Server) classify(r *http.Request) (route, bool) {
	p := r.URL.Path
	if strings.HasPrefix(p, acrPrefix) {
		return classifyACR(strings.TrimPrefix(p, acrPrefix), r.Method)
	}
	if i := strings.LastIndex(p, referrersPathSegment); i > len("/v2/") && strings.HasPrefix(p, "/v2/") {
		repo := p[len("/v2/"):i]
		return route{name: routeReferrers, repo: repo, ref: p[i+len(referrersPathSegment):],
			needs: []need{repoNeed(repo, authz.ActPull, authz.ActMetadataRead)}}, true
	}
	var m mux.RouteMatch
	if !s.router.Match(r, &m) || m.Route == nil {
		return route{}, false
	}
	rt := route{name: m.Route.GetName(), repo: m.Vars["name"], ref: m.Vars["reference"]}
	if rt.ref == "" {
		rt.ref = m.Vars["digest"]
	}
	switch rt.name {
	case v2.RouteNameBase:
	case v2.RouteNameCatalog:
		rt.needs = []need{{Access: authz.Access{Type: authz.TypeRegistry, Name: authz.NameCatalog, Actions: []string{authz.Wildcard}}}}
	case v2.RouteNameTags:
		rt.needs = []need{repoNeed(rt.repo, authz.ActPull, authz.ActMetadataRead)}
	case v2.RouteNameManifest, v2.RouteNameBlob:
		switch r.Method {
		case http.MethodGet:
			rt.needs = []need{repoNeed(rt.repo, authz.ActPull)}
		case http.MethodHead:
			// Every push client checks existence first; a pusher may learn what exists (docs/fidelity.md D3).
			rt.needs = []need{repoNeed(rt.repo, authz.ActPull, authz.ActPush)}
		case http.MethodPut:
			rt.needs = []need{repoNeed(rt.repo, authz.ActPush)}
		case http.MethodDelete:
			rt.needs = []need{repoNeed(rt.repo, authz.ActDelete)}
		}
	case v2.RouteNameBlobUpload, v2.RouteNameBlobUploadChunk:
		rt.needs = []need{repoNeed(rt.repo, authz.ActPush)}
		if from := r.URL.Query().Get("from"); from != "" && r.URL.Query().Get("mount") != "" && from != rt.repo {
			rt.needs = append(rt.needs, repoNeed(from, authz.ActPull))
		}
	}
	return rt, true
}

// classifyACR maps /acr/v1/... (spec acr-dataplane-auth.md §3.1); this build serves its read side.
func classifyACR(rest, method string) (route, bool) {
	if rest == "_catalog" {
		return route{name: routeACRCatalog, needs: []need{{Access: authz.Access{Type: authz.TypeRegistry,
			Name: authz.NameCatalog, Actions: []string{authz.Wildcard}}}}}, true
	}
	rt := route{name: routeACRRepository, repo: rest}
suffixes:
	for _, suffix := range []struct{ seg, name, item string }{
		{"/_tags", routeACRTags, routeACRTag}, {"/_manifests", routeACRManifests, routeACRManifest},
	} {
		if i := strings.LastIndex(rest, suffix.seg); i > 0 {
			tail := rest[i+len(suffix.seg):]
			switch {
			case tail == "":
				rt = route{name: suffix.name, repo: rest[:i]}
			case strings.HasPrefix(tail, "/") && !strings.Contains(tail[1:], "/"):
				rt = route{name: suffix.item, repo: rest[:i], ref: tail[1:]}
			default:
				continue
			}
			break suffixes
		}
	}
	switch {
	case rt.repo == "":
		return route{}, false
	case method == http.MethodGet:
		rt.needs = []need{repoNeed(rt.repo, authz.ActMetadataRead)}
	case method == http.MethodDelete && (rt.name == routeACRRepository || rt.name == routeACRTag):
		// Deleting a repository or untagging needs delete, the action az asks for (docs/fidelity.md D8).
		rt.needs = []need{repoNeed(rt.repo, authz.ActDelete)}
	default:
		return route{}, false
	}
	return rt, true
}

type dataPlane struct {
	s       *Server
	resolve tokens.Resolver
}

func (h *dataPlane) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st, reg, ok := h.resolve(r)
	if !ok {
		errcode.New(http.StatusNotFound, errcode.CodeNameUnknown, errcode.MsgRegistryNotFound).Write(w)
		return
	}
	rt, ok := h.s.classify(r)
	if !ok {
		errcode.New(http.StatusNotFound, errcode.CodeNameUnknown, errcode.MsgNameUnknown).Write(w)
		return
	}
	if e := h.authorize(r, st, reg, rt, w.Header()); e != nil {
		h.s.log.Info("request refused", "registry", reg.Name, "method", r.Method, "path", r.URL.Path,
			"status", e.Status, "challenge", e.Challenge)
		e.Write(w)
		return
	}
	b, err := h.s.backends.get(reg.Name)
	if err != nil {
		h.s.log.Error("registry backend", "registry", reg.Name, "err", err)
		errcode.New(http.StatusInternalServerError, errcode.CodeUnsupported, "registry backend unavailable").Write(w)
		return
	}
	switch {
	case rt.name == routeReferrers:
		serveReferrers(w, r, b, rt)
	case strings.HasPrefix(rt.name, "acr-"):
		serveACR(w, r, b, reg, rt)
	case rt.name == v2.RouteNameManifest && r.Method == http.MethodPut:
		putManifest(w, r, b)
	default:
		b.ServeHTTP(w, r)
	}
}

// authorize authenticates the caller and checks that its access covers every need of the route. A nil
// result lets the request through.
func (h *dataPlane) authorize(r *http.Request, st *storage.State, reg *storage.Registry, rt route, hdr http.Header) *errcode.Error {
	realm := scheme(r) + "://" + r.Host + tokens.RouteToken
	scope := challengeScope(rt.needs)
	var details []errcode.Detail
	for _, n := range rt.needs {
		details = append(details, errcode.Detail{Type: n.Type, Name: n.Name, Action: n.Actions[0]})
	}
	challenge := func(errParam string) *errcode.Error {
		e := errcode.New(http.StatusUnauthorized, errcode.CodeUnauthorized, errcode.MsgAuthRequired)
		e.Challenge = errcode.Bearer(realm, reg.LoginServer, scope, errParam)
		if len(details) > 0 {
			e.Detail = details
		}
		return e
	}
	var access []authz.Access
	authHeader := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(authHeader, "Bearer "):
		c, err := h.s.tokens.VerifyAccessToken(reg, strings.TrimPrefix(authHeader, "Bearer "))
		if err != nil {
			return challenge(errcode.ErrInvalidToken)
		}
		if c.DecisionID != "" {
			hdr.Set(tokens.HeaderDecisionID, c.DecisionID)
		}
		access = c.Access
	case strings.HasPrefix(authHeader, "Basic "):
		user, pass, ok := r.BasicAuth()
		if !ok {
			return basicFailure(errcode.MsgAuthRequired)
		}
		id, err := h.s.tokens.AuthenticateBasic(st, reg, user, pass)
		if err != nil {
			msg := errcode.MsgAuthRequired
			if e, ok := err.(*errcode.Error); ok {
				msg = e.Message
			}
			return basicFailure(msg)
		}
		var did string
		access, did = h.s.tokens.Grant(st, reg, id, requested(rt.needs))
		if did != "" {
			hdr.Set(tokens.HeaderDecisionID, did)
		}
		if !covered(access, rt.needs) {
			return challenge(errcode.ErrInsufficientScope)
		}
		return nil
	case authHeader == "":
		if reg.AnonymousPullEnabled && len(rt.needs) > 0 {
			access, _ = h.s.tokens.Grant(st, reg, tokens.Anonymous, requested(rt.needs))
			if covered(access, rt.needs) {
				return nil
			}
		}
		return challenge("")
	default:
		return challenge(errcode.ErrInvalidToken)
	}
	if !covered(access, rt.needs) {
		return challenge(errcode.ErrInsufficientScope)
	}
	return nil
}

// challengeScope formats the needs as a challenge scope: one type:name:actions entry per resource, entries
// separated by spaces (repository:app:pull,push).
func challengeScope(needs []need) string {
	var merged []authz.Access
	for _, n := range needs {
		i := 0
		for i < len(merged) && (merged[i].Type != n.Type || merged[i].Name != n.Name) {
			i++
		}
		if i == len(merged) {
			merged = append(merged, authz.Access{Type: n.Type, Name: n.Name})
		}
		merged[i].Actions = append(merged[i].Actions, n.Actions[0])
	}
	parts := make([]string, len(merged))
	for i, a := range merged {
		parts[i] = a.String()
	}
	return strings.Join(parts, " ")
}

func basicFailure(msg string) *errcode.Error {
	e := errcode.New(http.StatusUnauthorized, errcode.CodeUnauthorized, msg)
	e.Challenge = errcode.BasicChallenge
	return e
}

// requested turns needs into token scopes, asking for the alternatives too.
func requested(needs []need) []authz.Access {
	out := make([]authz.Access, len(needs))
	for i, n := range needs {
		out[i] = authz.Access{Type: n.Type, Name: n.Name, Actions: append(append([]string{}, n.Actions...), n.alternatives...)}
	}
	return out
}

func covered(access []authz.Access, needs []need) bool {
	for _, n := range needs {
		ok := authz.Covers(access, n.Type, n.Name, n.Actions[0])
		for _, alt := range n.alternatives {
			ok = ok || authz.Covers(access, n.Type, n.Name, alt)
		}
		if !ok {
			return false
		}
	}
	return true
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// putManifest buffers the manifest (refusing more than ACR's 4 MiB), lets distribution store it, and adds
// the OCI-Subject header when the manifest names a subject (OCI distribution-spec v1.1).
func putManifest(w http.ResponseWriter, r *http.Request, b *backend) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxManifestSize+1))
	if err != nil {
		errcode.New(http.StatusBadRequest, errcode.CodeManifestInv, "manifest invalid: "+err.Error()).Write(w)
		return
	}
	if len(body) > maxManifestSize {
		errcode.New(http.StatusRequestEntityTooLarge, errcode.CodeManifestInv, "manifest invalid: manifest exceeds the 4 MiB limit").Write(w)
		return
	}
	var m struct {
		Subject *struct {
			Digest string `json:"digest"`
		} `json:"subject"`
	}
	if json.Unmarshal(body, &m) == nil && m.Subject != nil && m.Subject.Digest != "" {
		w = &subjectWriter{ResponseWriter: w, subject: m.Subject.Digest}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	b.ServeHTTP(w, r)
}

// subjectWriter adds OCI-Subject to a successful manifest PUT response.
type subjectWriter struct {
	http.ResponseWriter
	subject string
}

func (sw *subjectWriter) WriteHeader(code int) {
	if code == http.StatusCreated {
		sw.Header().Set(HeaderOCISubject, sw.subject)
	}
	sw.ResponseWriter.WriteHeader(code)
}
