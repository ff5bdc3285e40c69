package clients_test

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/crane"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/acremu/acremu/conformance/clients"
)

// TestMain stops the private Docker engine once every test is done.
func TestMain(m *testing.M) { clients.Main(m) }

// newRegistry serves an in-process OCI registry (go-containerregistry's) on 127.0.0.1 over plain HTTP,
// wrapped by wrap when it is not nil, and returns its host:port.
func newRegistry(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	var h http.Handler = registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// basicAuth refuses every request that lacks the given Basic credentials, with the challenge a
// registry sends.
func basicAuth(user, password string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u, p, ok := r.BasicAuth(); !ok || u != user || p != password {
				w.Header().Set("WWW-Authenticate", `Basic realm="clients-test"`)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// skopeoInspect is the part of `skopeo inspect` output that the tests read.
type skopeoInspect struct {
	Name   string
	Digest string
	Layers []string
}

// TestDockerImageAcrossClients pushes an image built by the Docker engine, pulls it back, and reads it
// with skopeo and crane: every client must see the same manifest digest.
func TestDockerImageAcrossClients(t *testing.T) {
	reg := newRegistry(t, nil)
	d := clients.StartDocker(t)
	repo := reg + "/harness/hello"
	ref := repo + ":v1"

	id := d.BuildTestImage(t, ref)
	if other := d.BuildTestImage(t, repo+":other"); other == id {
		t.Fatalf("two test images share the ID %s: content is not unique", id)
	}
	pushed := d.Push(t, ref)

	d.MustRun(t, "rmi", ref)
	if res := d.Run(t, "image", "inspect", ref); res.ExitCode == 0 {
		t.Fatalf("%s still present after docker rmi", ref)
	}
	if pulled := d.Pull(t, ref); pulled != pushed {
		t.Errorf("docker pull got digest %s, docker push reported %s", pulled, pushed)
	}
	if got := strings.TrimSpace(d.MustRun(t, "image", "inspect", "--format", "{{.Id}}", ref).Stdout); got != id {
		t.Errorf("pulled image ID %s, imported %s", got, id)
	}
	if got := d.MustRun(t, "image", "inspect", "--format", "{{json .RepoDigests}}", ref).Stdout; !strings.Contains(got, repo+"@"+pushed) {
		t.Errorf("RepoDigests %s lack %s@%s", got, repo, pushed)
	}

	// The engine treats localhost like 127.0.0.1: plain HTTP with no --insecure-registry.
	t.Run("localhost", func(t *testing.T) {
		local := "localhost:" + reg[strings.LastIndexByte(reg, ':')+1:] + "/harness/hello:local"
		d.MustRun(t, "tag", ref, local)
		if got := d.Push(t, local); got != pushed {
			t.Errorf("push through localhost got digest %s, want %s", got, pushed)
		}
	})

	t.Run("skopeo", func(t *testing.T) {
		res := clients.Skopeo(t, "inspect", "docker://"+ref)
		if res.ExitCode != 0 {
			t.Fatalf("skopeo inspect: %s", res)
		}
		var info skopeoInspect
		if err := json.Unmarshal([]byte(res.Stdout), &info); err != nil {
			t.Fatalf("skopeo inspect output: %v\n%s", err, res.Stdout)
		}
		if info.Digest != pushed || len(info.Layers) != 1 {
			t.Errorf("skopeo inspect: digest %s with %d layers, want %s with 1", info.Digest, len(info.Layers), pushed)
		}
		// A copy between repositories of the same registry, then the copy's digest.
		clients.NewSkopeo(t).MustRun(t, "copy", "docker://"+ref, "docker://"+reg+"/harness/copied:v1")
		raw := clients.Skopeo(t, "inspect", "--format", "{{.Digest}}", "docker://"+reg+"/harness/copied:v1")
		if got := strings.TrimSpace(raw.Stdout); got != pushed {
			t.Errorf("skopeo copy made %q, want %s (%s)", got, pushed, raw)
		}
	})

	t.Run("crane", func(t *testing.T) {
		res := clients.Crane(t, "ls", repo)
		if res.ExitCode != 0 {
			t.Fatalf("crane ls: %s", res)
		}
		// The image tagged "other" was never pushed; "local" was, through localhost.
		if tags := strings.Fields(res.Stdout); !slices.Equal(tags, []string{"local", "v1"}) {
			t.Errorf("crane ls %s = %q, want [local v1]", repo, tags)
		}
		if got := strings.TrimSpace(clients.Crane(t, "digest", ref).Stdout); got != pushed {
			t.Errorf("crane digest = %q, want %s", got, pushed)
		}
	})
}

// TestOrasArtifact pushes a file artifact with oras, pulls it back, and resolves it with crane and skopeo.
func TestOrasArtifact(t *testing.T) {
	reg := newRegistry(t, nil)
	ref := reg + "/harness/artifact:v1"
	o := clients.NewOras(t)
	const content = "hello from the acremu harness\n"
	if err := os.WriteFile(filepath.Join(o.Dir, "hello.txt"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	res := o.MustRun(t, "push", "--artifact-type", "application/vnd.acremu.test", "--format", "json", ref,
		"hello.txt:text/plain")
	var pushed struct {
		Digest       string `json:"digest"`
		ArtifactType string `json:"artifactType"`
	}
	if err := json.Unmarshal([]byte(res.Stdout), &pushed); err != nil || clients.FindDigest(pushed.Digest) == "" {
		t.Fatalf("oras push --format json output %q: %v", res.Stdout, err)
	}

	out := filepath.Join(t.TempDir(), "pulled")
	clients.NewOras(t).MustRun(t, "pull", "-o", out, ref)
	if got, err := os.ReadFile(filepath.Join(out, "hello.txt")); err != nil || string(got) != content {
		t.Errorf("oras pull wrote %q (%v), want %q", got, err, content)
	}
	if got := strings.TrimSpace(clients.Oras(t, "resolve", ref).Stdout); got != pushed.Digest {
		t.Errorf("oras resolve = %q, want %s", got, pushed.Digest)
	}
	if got := strings.Fields(clients.Oras(t, "repo", "tags", reg+"/harness/artifact").Stdout); !slices.Equal(got, []string{"v1"}) {
		t.Errorf("oras repo tags = %q, want [v1]", got)
	}
	if got := strings.TrimSpace(clients.Crane(t, "digest", ref).Stdout); got != pushed.Digest {
		t.Errorf("crane digest = %q, want %s", got, pushed.Digest)
	}
	raw := clients.Skopeo(t, "inspect", "--raw", "docker://"+ref)
	if !strings.Contains(raw.Stdout, `"artifactType":"application/vnd.acremu.test"`) {
		t.Errorf("skopeo inspect --raw lacks the artifact type: %s", raw)
	}
}

// TestCredentialsArePrivate checks each client's credential helpers against a registry that demands Basic
// credentials, and that a login made through one helper value is seen by no other.
func TestCredentialsArePrivate(t *testing.T) {
	const user, password = "harness-user", "harness-secret"
	reg := newRegistry(t, basicAuth(user, password))
	// An image for the other clients to read, pushed without any of them, so that each subtest stands alone.
	ref := reg + "/private/seed:v1"
	img, err := random.Image(512, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := crane.Push(img, ref, crane.Insecure, crane.WithAuth(&authn.Basic{Username: user, Password: password})); err != nil {
		t.Fatalf("seed %s: %v", ref, err)
	}

	t.Run("docker", func(t *testing.T) {
		ref := reg + "/private/app:v1"
		d := clients.StartDocker(t)
		other := clients.StartDocker(t)
		if d.Host != other.Host || d.ConfigDir == other.ConfigDir {
			t.Fatalf("two Docker values: hosts %s and %s, config dirs %s and %s; want one engine, two configs",
				d.Host, other.Host, d.ConfigDir, other.ConfigDir)
		}
		d.BuildTestImage(t, ref)
		if res := d.Run(t, "push", ref); res.ExitCode == 0 {
			t.Fatal("docker push without login succeeded")
		}
		if res := d.Login(t, reg, user, "wrong"); res.ExitCode == 0 {
			t.Error("docker login with a wrong password succeeded")
		}
		mustLogin(t, d.Login(t, reg, user, password))
		pushed := d.Push(t, ref)
		if res := other.Run(t, "pull", ref); res.ExitCode == 0 {
			t.Error("a second Docker value pulled with the first one's login")
		}
		d.MustRun(t, "rmi", ref)
		if pulled := d.Pull(t, ref); pulled != pushed {
			t.Errorf("pulled %s, pushed %s", pulled, pushed)
		}
		if res := d.Logout(t, reg); res.ExitCode != 0 {
			t.Errorf("docker logout: %s", res)
		}
		if res := d.Run(t, "pull", ref); res.ExitCode == 0 {
			t.Error("docker pull after logout succeeded")
		}
	})

	t.Run("skopeo", func(t *testing.T) {
		target := "docker://" + ref
		if res := clients.Skopeo(t, "inspect", target); res.ExitCode == 0 {
			t.Fatal("skopeo inspect without credentials succeeded")
		}
		clients.NewSkopeo(t).MustRun(t, "inspect", "--creds", user+":"+password, target)
		s := clients.NewSkopeo(t)
		if res := s.Login(t, reg, user, "wrong"); res.ExitCode == 0 {
			t.Error("skopeo login with a wrong password succeeded")
		}
		mustLogin(t, s.Login(t, reg, user, password))
		s.MustRun(t, "inspect", target)
		if b, err := os.ReadFile(s.AuthFile()); err != nil || !strings.Contains(string(b), reg) {
			t.Errorf("skopeo auth file %s: %q, %v", s.AuthFile(), b, err)
		}
		if res := clients.Skopeo(t, "inspect", target); res.ExitCode == 0 {
			t.Error("a fresh skopeo saw another one's login")
		}
	})

	t.Run("crane", func(t *testing.T) {
		if res := clients.Crane(t, "digest", ref); res.ExitCode == 0 {
			t.Fatal("crane digest without credentials succeeded")
		}
		c := clients.NewCrane(t)
		mustLogin(t, c.Login(t, reg, user, password))
		if got := clients.FindDigest(c.MustRun(t, "digest", ref).Stdout); got == "" {
			t.Error("crane digest printed no digest")
		}
		c.MustRun(t, "copy", ref, reg+"/private/crane-copy:v1")
		if res := c.Logout(t, reg); res.ExitCode != 0 {
			t.Errorf("crane auth logout: %s", res)
		}
		if res := c.Run(t, "digest", ref); res.ExitCode == 0 {
			t.Error("crane digest after logout succeeded")
		}
	})

	t.Run("oras", func(t *testing.T) {
		repo := reg + "/private/seed"
		if res := clients.Oras(t, "repo", "tags", repo); res.ExitCode == 0 {
			t.Fatal("oras repo tags without credentials succeeded")
		}
		if got := clients.Oras(t, "repo", "tags", "-u", user, "-p", password, repo).Stdout; !strings.Contains(got, "v1") {
			t.Errorf("oras repo tags with -u/-p = %q, want v1", got)
		}
		o := clients.NewOras(t)
		if res := o.Login(t, reg, user, "wrong"); res.ExitCode == 0 {
			t.Error("oras login with a wrong password succeeded")
		}
		mustLogin(t, o.Login(t, reg, user, password))
		o.MustRun(t, "cp", ref, reg+"/private/oras-copy:v1")
		if got := o.MustRun(t, "repo", "tags", reg+"/private/oras-copy").Stdout; strings.TrimSpace(got) != "v1" {
			t.Errorf("oras repo tags after cp = %q, want v1", got)
		}
		if b, err := os.ReadFile(o.AuthFile()); err != nil || !strings.Contains(string(b), reg) {
			t.Errorf("oras auth file %s: %q, %v", o.AuthFile(), b, err)
		}
	})
}

// mustLogin fails the test unless a login succeeded.
func mustLogin(t *testing.T, res clients.Result) {
	t.Helper()
	if res.ExitCode != 0 {
		t.Fatalf("login: %s", res)
	}
}

// TestArgs checks the plain-HTTP flags that each tool's helper adds, without running anything.
func TestArgs(t *testing.T) {
	for _, tc := range []struct {
		tool string
		args []string
		want []string
	}{
		{"skopeo", []string{"inspect", "docker://h/r:t"}, []string{"inspect", "docker://h/r:t", "--tls-verify=false"}},
		{"skopeo", []string{"copy", "docker://a", "docker://b"}, []string{"copy", "docker://a", "docker://b", "--src-tls-verify=false", "--dest-tls-verify=false"}},
		{"skopeo", []string{"inspect", "--tls-verify=true", "docker://h/r:t"}, []string{"inspect", "--tls-verify=true", "docker://h/r:t"}},
		{"skopeo", []string{"--version"}, []string{"--version"}},
		{"crane", []string{"ls", "h/r"}, []string{"ls", "h/r", "--insecure"}},
		{"crane", []string{"version"}, []string{"version"}},
		{"oras", []string{"push", "h/r:t", "f", "--", "-odd"}, []string{"push", "h/r:t", "f", "--plain-http", "--", "-odd"}},
		{"oras", []string{"manifest", "fetch", "h/r:t"}, []string{"manifest", "fetch", "h/r:t", "--plain-http"}},
		{"oras", []string{"cp", "a", "b"}, []string{"cp", "a", "b", "--from-plain-http", "--to-plain-http"}},
		{"oras", []string{"logout", "h"}, []string{"logout", "h"}},
	} {
		c := &clients.CLI{Name: tc.tool, PlainHTTP: true}
		if got := c.Args(tc.args); !slices.Equal(got, tc.want) {
			t.Errorf("%s %q: got %q, want %q", tc.tool, tc.args, got, tc.want)
		}
	}
	tls := &clients.CLI{Name: "oras"}
	if got := tls.Args([]string{"pull", "h/r:t"}); !slices.Equal(got, []string{"pull", "h/r:t"}) {
		t.Errorf("PlainHTTP false: got %q", got)
	}
}

// TestFindDigest checks digest extraction from client output.
func TestFindDigest(t *testing.T) {
	d := "sha256:" + strings.Repeat("ab", 32)
	if got := clients.FindDigest("v1: digest: " + d + " size: 527"); got != d {
		t.Errorf("FindDigest = %q, want %s", got, d)
	}
	if got := clients.FindDigest("no digest here sha256:abc"); got != "" {
		t.Errorf("FindDigest = %q, want empty", got)
	}
}
