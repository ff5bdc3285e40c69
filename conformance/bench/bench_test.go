// Package bench measures the emulator against the figures its issues name: tokens issued per second, and
// 1 MiB push and pull through the emulator against bare distribution on the same storage. Run with
// `make bench`.
package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distribution/distribution/v3/configuration"
	"github.com/distribution/distribution/v3/registry/handlers"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/filesystem" // bare distribution's driver
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/acremu/acremu/emulator"
	"github.com/acremu/acremu/storage/seed"
)

func startEmulator(b *testing.B, inMemory bool) string {
	b.Helper()
	em, err := emulator.New(emulator.Config{Addr: "127.0.0.1:0", InMemory: inMemory, DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	if err := em.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = em.Close() })
	return em.Addr()
}

func startDistribution(b *testing.B) string {
	b.Helper()
	cfg := &configuration.Configuration{}
	cfg.Storage = configuration.Storage{
		"filesystem":  configuration.Parameters{"rootdirectory": filepath.Join(b.TempDir(), "dist")},
		"delete":      configuration.Parameters{"enabled": true},
		"redirect":    configuration.Parameters{"disable": true},
		"maintenance": configuration.Parameters{"uploadpurging": map[any]any{"enabled": false}},
		"cache":       configuration.Parameters{"blobdescriptor": "inmemory"},
	}
	cfg.HTTP.Secret = "bench"
	srv := httptest.NewServer(handlers.NewApp(context.Background(), cfg))
	b.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

var devSP = &authn.Basic{Username: seed.DevSPAppID, Password: seed.DevSPSecret}

// BenchmarkTokenIssue measures GET /oauth2/token with a service principal's Basic credentials, from
// parallel clients over loopback keep-alive connections: sign-in check, decision, ES256 signature, HTTP.
func BenchmarkTokenIssue(b *testing.B) {
	host := startEmulator(b, true)
	u := "http://" + host + "/oauth2/token?" + url.Values{"service": {host}, "scope": {"repository:app:pull,push"}}.Encode()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	client := &http.Client{Transport: tr}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			req.SetBasicAuth(seed.DevSPAppID, seed.DevSPSecret)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func image1MiB(b *testing.B) v1.Image {
	img, err := random.Image(1<<20, 1)
	if err != nil {
		b.Fatal(err)
	}
	return img
}

// benchPushPull pushes (then pulls) a fresh 1 MiB single-layer image per iteration.
func benchPushPull(b *testing.B, host string, auth authn.Authenticator, pull bool) {
	opts := []remote.Option{remote.WithAuth(auth)}
	var ref name.Reference
	if pull {
		r, _ := name.NewTag(host+"/bench/pull:v1", name.Insecure)
		if err := remote.Write(r, image1MiB(b), opts...); err != nil {
			b.Fatal(err)
		}
		ref = r
	}
	imgs := make([]v1.Image, b.N)
	if !pull {
		for i := range imgs {
			imgs[i] = image1MiB(b)
		}
	}
	b.SetBytes(1 << 20)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if pull {
			img, err := remote.Image(ref, opts...)
			if err != nil {
				b.Fatal(err)
			}
			ls, _ := img.Layers()
			rc, err := ls[0].Compressed()
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 64<<10)
			for {
				if _, err := rc.Read(buf); err != nil {
					break
				}
			}
			_ = rc.Close()
			continue
		}
		t, _ := name.NewTag(fmt.Sprintf("%s/bench/push:v%d", host, i), name.Insecure)
		if err := remote.Write(t, imgs[i], opts...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPush1MiB(b *testing.B) {
	b.Run("distribution", func(b *testing.B) { benchPushPull(b, startDistribution(b), authn.Anonymous, false) })
	b.Run("acremu", func(b *testing.B) { benchPushPull(b, startEmulator(b, false), devSP, false) })
}

func BenchmarkPull1MiB(b *testing.B) {
	b.Run("distribution", func(b *testing.B) { benchPushPull(b, startDistribution(b), authn.Anonymous, true) })
	b.Run("acremu", func(b *testing.B) { benchPushPull(b, startEmulator(b, false), devSP, true) })
}
