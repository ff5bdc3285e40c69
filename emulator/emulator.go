// Package emulator assembles the whole acremu server: the metadata store, the emulated Entra ID, ACR's
// token service and the data plane of every registry, served on one listener (plus one per registry that
// asks for its own). `acremu serve` runs it, and Go test suites embed it in-process.
package emulator

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"

	"github.com/acremu/acremu/arm"
	"github.com/acremu/acremu/arm/graph"
	"github.com/acremu/acremu/registry"
	"github.com/acremu/acremu/storage"
	"github.com/acremu/acremu/storage/seed"
	"github.com/acremu/acremu/tokens"
	"github.com/acremu/acremu/tokens/entra"
	"github.com/acremu/acremu/tokens/signing"
)

// Config configures an Emulator.
type Config struct {
	// Addr is the main listener's address; ":0" picks a free port.
	Addr string
	// DataDir holds the bbolt file, the blobs and the TLS CA. Ignored when InMemory is set.
	DataDir string
	// InMemory keeps nothing after Close: metadata and blobs live in a temporary directory removed then.
	InMemory bool
	// SeedFile, when set, is applied at start in one transaction.
	SeedFile string
	// TLS serves HTTPS with a certificate from a CA generated into the data dir.
	TLS bool
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Emulator is a running acremu server.
type Emulator struct {
	cfg       Config
	db        *storage.DB
	tokens    *tokens.Service
	entra     *entra.Service
	data      *registry.Server
	arm       *arm.Server
	graph     *graph.Server
	tlsConfig *tls.Config
	// CAFile is the PEM file of the CA that signed the server certificate, when TLS is on.
	CAFile  string
	dataDir string
	tempDir string
	mu      sync.Mutex
	servers map[string]*http.Server // registry name ("" for main) → its server
	addrs   map[string]string       // registry name ("" for main) → bound address
	cancel  context.CancelFunc
	// defaultReg is the registry the main listener serves when the Host names none.
	defaultReg string
	log        *slog.Logger
}

// ErrBadSeed wraps every reason a seed file is refused.
var ErrBadSeed = errors.New("bad seed")

// New opens the store, applies the seed (or, on an empty store without one, the development seed) and
// prepares the handlers. Call Start to listen.
func New(cfg Config) (*Emulator, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:5000"
	}
	e := &Emulator{cfg: cfg, log: cfg.Logger, addrs: map[string]string{}, servers: map[string]*http.Server{}}
	routeDistributionLogs(cfg.Logger)
	dir := cfg.DataDir
	if cfg.InMemory {
		tmp, err := os.MkdirTemp("", "acremu-")
		if err != nil {
			return nil, fmt.Errorf("temporary data dir: %w", err)
		}
		e.tempDir, dir = tmp, tmp
	}
	if dir == "" {
		return nil, errors.New("a data dir is required unless running in memory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	e.dataDir = dir
	db, err := storage.Open(filepath.Join(dir, "acremu.db"), storage.WithClock(cfg.Now))
	if err != nil {
		e.cleanup()
		return nil, err
	}
	e.db = db
	if err := e.seed(); err != nil {
		e.cleanup()
		return nil, err
	}
	acrKey, err := signing.LoadOrCreateSigner(db, "acr")
	if err == nil {
		var entraKey *signing.Signer
		if entraKey, err = signing.LoadOrCreateSigner(db, "entra"); err == nil {
			e.entra = entra.New(db, entraKey, cfg.Now)
		}
		e.tokens = tokens.New(db, acrKey, e.entra, cfg.Now, cfg.Logger)
	}
	if err != nil {
		e.cleanup()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	// In memory or not, blobs go to the filesystem driver: distribution's in-memory driver loses tag
	// listings (a tag named "index" is never listed), so --in-memory uses a temporary directory instead.
	blobs := registry.Blobs{Root: filepath.Join(dir, "blobs")}
	e.data = registry.New(ctx, e.tokens, blobs, cfg.Logger)
	e.arm = arm.New(db, e.entra, cfg.Now, cfg.Logger)
	e.graph = graph.New(db, e.entra, cfg.Now, cfg.Logger)
	return e, nil
}

// seed applies the seed file, or the development seed when the store is empty and no file is given.
func (e *Emulator) seed() error {
	var s *seed.Seed
	switch {
	case e.cfg.SeedFile != "":
		var err error
		if s, err = seed.ReadFile(e.cfg.SeedFile); err != nil {
			return fmt.Errorf("%w: %v", ErrBadSeed, err)
		}
	case e.db.State().Directory.TenantID == "":
		s = seed.Default()
	default:
		return nil
	}
	opts := seed.Options{DefaultLoginServer: loginServerFor(e.cfg.Addr)}
	if err := e.db.Update(func(tx *storage.Tx) error { return seed.Apply(tx, s, opts) }); err != nil {
		if e.cfg.SeedFile != "" {
			return fmt.Errorf("%w: seed %s: %v", ErrBadSeed, e.cfg.SeedFile, err)
		}
		return fmt.Errorf("development seed: %w", err)
	}
	return nil
}

// loginServerFor turns a listen address into the host:port clients use (seed.LoopbackAsLocalhost), or ""
// while the port is still to be picked (":0").
func loginServerFor(addr string) string {
	if strings.HasSuffix(addr, ":0") {
		return ""
	}
	return seed.LoopbackAsLocalhost(addr)
}

// DB returns the metadata store.
func (e *Emulator) DB() *storage.DB { return e.db }

// Tokens returns the ACR token service.
func (e *Emulator) Tokens() *tokens.Service { return e.tokens }

// Entra returns the emulated Entra ID.
func (e *Emulator) Entra() *entra.Service { return e.entra }

// DataDir returns the directory holding the store, blobs and CA.
func (e *Emulator) DataDir() string { return e.dataDir }

// Handler returns the HTTP handler of a listener whose default registry is defaultRegistry.
func (e *Emulator) Handler(defaultRegistry string) http.Handler {
	r := mux.NewRouter()
	resolve := tokens.HostResolver(e.db, defaultRegistry)
	r.HandleFunc(RouteHealth, e.health).Methods(http.MethodGet)
	r.HandleFunc(RouteLive, ok).Methods(http.MethodGet)
	r.HandleFunc(RouteReady, ok).Methods(http.MethodGet)
	r.HandleFunc(RouteDecision, e.decision).Methods(http.MethodGet)
	r.HandleFunc(RouteDecisions, e.decisionList).Methods(http.MethodGet)
	e.tokens.Register(r, resolve)
	e.data.Register(r, resolve)
	e.entra.Register(r)
	e.arm.Register(r)
	e.graph.Register(r)
	return r
}

// Emulator-only routes.
const (
	RouteHealth    = "/_acremu/health"
	RouteLive      = "/livez"
	RouteReady     = "/readyz"
	RouteDecision  = "/_acremu/decisions/{id}"
	RouteDecisions = "/_acremu/decisions"
)

func ok(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) }

func (e *Emulator) health(w http.ResponseWriter, _ *http.Request) {
	st := e.db.State()
	regs := []map[string]any{}
	for _, r := range st.Registries() {
		addr := e.RegistryAddr(r.Name)
		if addr == "" {
			addr = e.Addr()
		}
		regs = append(regs, map[string]any{"name": r.Name, "loginServer": r.LoginServer, "listener": addr,
			"roleAssignmentMode": r.Mode, "modeEpoch": r.ModeEpoch})
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "tenantId": st.Directory.TenantID,
		"subscriptionId": st.Directory.SubscriptionID, "registries": regs, "roleAssignments": st.Authz.Len()})
}

func (e *Emulator) decision(w http.ResponseWriter, r *http.Request) {
	d, found := e.tokens.Decisions().Get(mux.Vars(r)["id"])
	if !found {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]string{"code": "DecisionNotFound",
			"message": "no decision with that id is in the log (it keeps the most recent 1024)"}})
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (e *Emulator) decisionList(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || n <= 0 {
		n = 20
	}
	writeJSON(w, http.StatusOK, map[string]any{"value": e.tokens.Decisions().Recent(n)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Start binds the main listener and every registry's own listener, and serves them in the background.
func (e *Emulator) Start() error {
	if e.cfg.TLS {
		cfg, caFile, err := e.loadTLS()
		if err != nil {
			return err
		}
		e.tlsConfig, e.CAFile = cfg, caFile
	}
	st := e.db.State()
	defaultReg := ""
	if regs := st.Registries(); len(regs) > 0 {
		defaultReg = regs[0].Name
		for _, r := range regs {
			if r.Default || r.Listen == "" && strings.EqualFold(r.LoginServer, loginServerFor(e.cfg.Addr)) {
				defaultReg = r.Name
				break
			}
		}
	}
	if err := e.listen("", e.cfg.Addr, defaultReg); err != nil {
		return err
	}
	e.defaultReg = defaultReg
	if err := e.syncListeners(st); err != nil {
		e.Close()
		return err
	}
	e.db.OnCommit(func(st *storage.State) {
		if err := e.syncListeners(st); err != nil {
			e.log.Error("registry listener", "err", err)
		}
	})
	if loginServerFor(e.cfg.Addr) == "" && defaultReg != "" {
		e.bindDefaultLoginServer(defaultReg)
	}
	return nil
}

// syncListeners gives every registry other than the main listener's default one a listener of its own: at
// its declared address, or else on a free port of the main listener's host, so that docker reaches it
// without any DNS change. Listeners of deleted registries are closed.
func (e *Emulator) syncListeners(st *storage.State) error {
	host, _, err := net.SplitHostPort(e.cfg.Addr)
	if err != nil {
		host = "127.0.0.1"
	}
	for _, r := range st.Registries() {
		key := strings.ToLower(r.Name)
		if key == strings.ToLower(e.defaultReg) && r.Listen == "" || e.RegistryAddr(key) != "" {
			continue
		}
		addr := r.Listen
		if addr == "" {
			addr = net.JoinHostPort(host, "0")
		}
		if err := e.listen(key, addr, r.Name); err != nil {
			return err
		}
	}
	e.mu.Lock()
	var stale []*http.Server
	for key, srv := range e.servers {
		if _, ok := st.Registry(key); key != "" && !ok {
			stale = append(stale, srv)
			delete(e.servers, key)
			delete(e.addrs, key)
		}
	}
	e.mu.Unlock()
	for _, srv := range stale {
		_ = srv.Close()
	}
	return nil
}

// bindDefaultLoginServer gives a registry seeded while the port was still unknown (":0") the bound address.
func (e *Emulator) bindDefaultLoginServer(name string) {
	login := loginServerFor(e.Addr())
	_ = e.db.Update(func(tx *storage.Tx) error {
		r, ok, err := tx.Registry(name)
		if err != nil || !ok || r.LoginServer != "" && !strings.HasSuffix(r.LoginServer, ".azurecr.io") {
			return err
		}
		r.LoginServer = login
		return tx.PutRegistry(r)
	})
}

func (e *Emulator) listen(key, addr, defaultReg string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	if e.tlsConfig != nil {
		ln = tls.NewListener(ln, e.tlsConfig)
	}
	srv := &http.Server{Handler: e.logRequests(e.Handler(defaultReg)), ReadHeaderTimeout: 10 * time.Second}
	e.mu.Lock()
	e.servers[key] = srv
	e.addrs[key] = ln.Addr().String()
	e.mu.Unlock()
	if key != "" {
		e.log.Info("registry listener", "registry", defaultReg, "addr", ln.Addr().String())
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.log.Error("listener stopped", "addr", addr, "err", err)
		}
	}()
	return nil
}

// Addr returns the main listener's bound address.
func (e *Emulator) Addr() string { return e.RegistryAddr("") }

// RegistryAddr returns the bound address of a registry's own listener ("" for the main one).
func (e *Emulator) RegistryAddr(name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.addrs[strings.ToLower(name)]
}

// URL returns the base URL of the main listener.
func (e *Emulator) URL() string {
	scheme := "http"
	if e.tlsConfig != nil {
		scheme = "https"
	}
	return scheme + "://" + e.Addr()
}

// Shutdown stops the listeners gracefully, then closes the store.
func (e *Emulator) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	servers := e.servers
	e.servers = map[string]*http.Server{}
	e.mu.Unlock()
	var errs []error
	for _, s := range servers {
		errs = append(errs, s.Shutdown(ctx))
	}
	errs = append(errs, e.cleanup())
	return errors.Join(errs...)
}

// Close stops everything at once.
func (e *Emulator) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return e.Shutdown(ctx)
}

func (e *Emulator) cleanup() error {
	var errs []error
	if e.cancel != nil {
		e.cancel()
	}
	if e.db != nil {
		errs = append(errs, e.db.Close())
		e.db = nil
	}
	if e.tempDir != "" {
		errs = append(errs, os.RemoveAll(e.tempDir))
		e.tempDir = ""
	}
	return errors.Join(errs...)
}

// statusRecorder captures the status of a response for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests logs each request at debug level. The wrapper is left out unless debug logging is on: it
// hides the connection's io.ReaderFrom, which blob downloads use to copy without buffering.
func (e *Emulator) logRequests(h http.Handler) http.Handler {
	if !e.log.Enabled(context.Background(), slog.LevelDebug) {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		e.log.Debug("request", "method", r.Method, "host", r.Host, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start))
	})
}

// routeDistributionLogs sends distribution's logs, which go through logrus's process-wide logger, to the
// emulator's logger at debug level: its per-request lines (404s for absent blobs included) are noise at
// any other level.
func routeDistributionLogs(log *slog.Logger) {
	logrus.SetOutput(io.Discard)
	logrus.SetLevel(logrus.DebugLevel)
	logrus.StandardLogger().ReplaceHooks(logrus.LevelHooks{})
	logrus.AddHook(slogHook{log})
}

type slogHook struct{ log *slog.Logger }

func (slogHook) Levels() []logrus.Level { return logrus.AllLevels }

func (h slogHook) Fire(e *logrus.Entry) error {
	if !h.log.Enabled(context.Background(), slog.LevelDebug) {
		return nil
	}
	attrs := make([]any, 0, 2*len(e.Data))
	for k, v := range e.Data {
		attrs = append(attrs, k, v)
	}
	h.log.Debug("distribution: "+e.Message, attrs...)
	return nil
}
