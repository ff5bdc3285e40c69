package registry

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"

	"github.com/distribution/distribution/v3"
	"github.com/distribution/distribution/v3/configuration"
	"github.com/distribution/distribution/v3/registry/handlers"
	dstorage "github.com/distribution/distribution/v3/registry/storage"
	"github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/distribution/v3/registry/storage/driver/factory"
	"github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
	"github.com/distribution/distribution/v3/registry/storage/driver/inmemory"
)

// CatalogMaxEntries is the page size cap of /v2/_catalog.
const CatalogMaxEntries = 1000

// sharedDriverName is the storage driver name under which a driver instance is handed to distribution's
// App, so that the App and the emulator's own handlers (referrers, /acr/v1) share one instance, which the
// in-memory driver requires.
const sharedDriverName = "acremu-shared"

// registerShared registers the shared-instance factory once per process: distribution keeps storage driver
// factories in a process-wide table and refuses a second registration.
var registerShared sync.Once

type sharedFactory struct{}

func (sharedFactory) Create(_ context.Context, params map[string]any) (driver.StorageDriver, error) {
	d, ok := params["instance"].(driver.StorageDriver)
	if !ok {
		return nil, fmt.Errorf("%s: no driver instance given", sharedDriverName)
	}
	return d, nil
}

// backend is one registry's distribution App and the storage namespace it serves.
type backend struct {
	app       *handlers.App
	namespace distribution.Namespace
}

// Blobs says where blobs live: a root directory for the filesystem driver, or distribution's in-memory
// driver when Root is empty (which loses some tag listings; the emulator itself always sets a root).
type Blobs struct {
	Root string
}

func (b Blobs) newDriver(registryName string) driver.StorageDriver {
	if b.Root == "" {
		return inmemory.New()
	}
	return filesystem.New(filesystem.DriverParameters{
		RootDirectory: filepath.Join(b.Root, strings.ToLower(registryName)),
		MaxThreads:    100,
	})
}

// newBackend builds the distribution App for one registry: delete enabled, redirects off (blobs are served
// directly, which ACR allows clients to rely on as well), upload purging off.
func newBackend(ctx context.Context, blobs Blobs, registryName string) (*backend, error) {
	registerShared.Do(func() { factory.Register(sharedDriverName, sharedFactory{}) })
	drv := blobs.newDriver(registryName)
	cfg := &configuration.Configuration{}
	cfg.Storage = configuration.Storage{
		sharedDriverName: configuration.Parameters{"instance": drv},
		"delete":         configuration.Parameters{"enabled": true},
		"redirect":       configuration.Parameters{"disable": true},
		"maintenance": configuration.Parameters{
			"uploadpurging": map[any]any{"enabled": false},
		},
		"cache": configuration.Parameters{"blobdescriptor": "inmemory"},
	}
	cfg.Catalog.MaxEntries = CatalogMaxEntries
	// Foreign (non-distributable) layers may point at any http(s) URL, as Windows base images do on ACR.
	cfg.Validation.Manifests.URLs.Allow = []string{"^https?://"}
	cfg.HTTP.Secret = "acremu-" + registryName
	var (
		app *handlers.App
		err error
	)
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("distribution: %v", r)
			}
		}()
		app = handlers.NewApp(ctx, cfg)
	}()
	if err != nil {
		return nil, fmt.Errorf("registry %s: %w", registryName, err)
	}
	ns, err := dstorage.NewRegistry(ctx, drv, dstorage.EnableDelete)
	if err != nil {
		return nil, fmt.Errorf("registry %s: storage: %w", registryName, err)
	}
	return &backend{app: app, namespace: ns}, nil
}

// ServeHTTP hands a request to distribution.
func (b *backend) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.app.ServeHTTP(w, r) }

// backends creates each registry's backend on first use.
type backends struct {
	ctx   context.Context
	blobs Blobs
	mu    sync.Mutex
	byKey map[string]*backend
}

func (bs *backends) get(registryName string) (*backend, error) {
	key := strings.ToLower(registryName)
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if b, ok := bs.byKey[key]; ok {
		return b, nil
	}
	b, err := newBackend(bs.ctx, bs.blobs, key)
	if err != nil {
		return nil, err
	}
	bs.byKey[key] = b
	return b, nil
}
