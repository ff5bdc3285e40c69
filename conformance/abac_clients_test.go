package conformance

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acremu/acremu/conformance/clients"
	"github.com/acremu/acremu/emulator/acremutest"
)

// cliStep is one operation a real client performs as the reader, and whether it must succeed.
type cliStep struct {
	op      op // opPull, opPush, opTags or opCatalog
	repo    string
	allowed bool
}

// layerTar writes a one-file tarball for crane append and returns its path.
func layerTar(t *testing.T, dir, content string) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	_ = tw.WriteHeader(&tar.Header{Name: "file.txt", Mode: 0o644, Size: int64(len(content))})
	_, _ = tw.Write([]byte(content))
	_ = tw.Close()
	p := filepath.Join(dir, "layer.tar")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runDockerAndCrane runs each step with the Docker engine (pull, push) and with the crane CLI (pull, push,
// tags, catalog), both logged in as the reader service principal.
func runDockerAndCrane(t *testing.T, srv *acremutest.Server, d *clients.Docker, steps []cliStep) {
	t.Helper()
	host := srv.Host
	if r := d.Login(t, host, readerSP.Username, readerSP.Password); r.ExitCode != 0 {
		t.Fatalf("docker login: %s", r)
	}
	cr := clients.NewCrane(t)
	cr.MustRun(t, "auth", "login", host, "-u", readerSP.Username, "-p", readerSP.Password)
	for i, s := range steps {
		seedImageAs(t, host, s.repo, seederSP)
		ref := host + "/" + s.repo + ":v1"
		check := func(client string, r clients.Result) {
			t.Helper()
			out := strings.ToLower(r.Combined())
			refused := strings.Contains(out, "denied") || strings.Contains(out, "unauthorized")
			switch {
			case s.allowed && r.ExitCode != 0:
				t.Errorf("%s %s %s: %s, want success", client, s.op, s.repo, r)
			case !s.allowed && r.ExitCode == 0:
				t.Errorf("%s %s %s succeeded, want refusal", client, s.op, s.repo)
			case !s.allowed && !refused:
				t.Errorf("%s %s %s failed without ACR's refusal: %s", client, s.op, s.repo, r)
			}
		}
		switch s.op {
		case opPull:
			check("docker", d.Run(t, "pull", ref))
			check("crane", cr.Run(t, "manifest", ref))
		case opPush:
			img := fmt.Sprintf("%s/%s:pushed%d", host, s.repo, i)
			d.BuildTestImage(t, img)
			check("docker", d.Run(t, "push", img))
			// crane splits -f on commas, so the layer goes by a relative name in crane's working directory.
			layerTar(t, cr.Dir, img)
			check("crane", cr.Run(t, "append", "-f", "layer.tar", "-t", img+"c"))
		case opTags:
			check("crane", cr.Run(t, "ls", host+"/"+s.repo))
		case opCatalog:
			check("crane", cr.Run(t, "catalog", host))
		}
	}
}

// TestABACArticleWithRealClients runs every example of Microsoft's ABAC article with the Docker engine and
// the crane CLI, and the switch back to rbac that makes AcrPull count again.
func TestABACArticleWithRealClients(t *testing.T) {
	d := clients.StartDocker(t)
	tests := []struct {
		name        string
		assignments []string
		steps       []cliStep
	}{
		{"Repository Reader limited to hello-world", []string{readerAssignment("Container Registry Repository Reader", condHelloWorld)}, []cliStep{
			{opPull, "hello-world", true}, {opPull, "other", false}, {opPush, "hello-world", false}, {opCatalog, "hello-world", false}}},
		{"with Catalog Lister", []string{readerAssignment("Container Registry Repository Reader", condHelloWorld),
			readerAssignment("Container Registry Repository Catalog Lister", "")}, []cliStep{{opCatalog, "hello-world", true}}},
		{"prefix backend/", []string{readerAssignment("Container Registry Repository Reader", condBackendPrefix)}, []cliStep{
			{opPull, "backend/nginx", true}, {opPull, "backend-infra/k8s", false}}},
		{"prefix backend without the slash", []string{readerAssignment("Container Registry Repository Reader", condBackendNoSlash)}, []cliStep{
			{opPull, "backend-infra/k8s", true}, {opPull, "backend", true}, {opPull, "backendsvc/containers", true}}},
		{"two prefixes", []string{readerAssignment("Container Registry Repository Reader", condTwoPrefixes)}, []cliStep{
			{opPull, "backend/api", true}, {opPull, "frontend/js/vue", true}, {opPull, "frontend/css/app", false}}},
		{"the reader condition on a Writer", []string{readerAssignment("Container Registry Repository Writer", condHelloWorld)}, []cliStep{
			{opPush, "anything/else", true}, {opPull, "anything/else", false}, {opPull, "hello-world", true}}},
		{"AcrPull, AcrPush and Owner refused", []string{readerAssignment("AcrPull", ""), readerAssignment("AcrPush", ""), readerAssignment("Owner", "")}, []cliStep{
			{opPull, "a", false}, {opPush, "a", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := acremutest.NewServer(t, abacSeed(tt.assignments...))
			runDockerAndCrane(t, srv, d, tt.steps)
		})
	}
	t.Run("AcrPull honoured again after switching back to rbac", func(t *testing.T) {
		srv := acremutest.NewServer(t, abacSeed(readerAssignment("AcrPull", "")))
		runDockerAndCrane(t, srv, d, []cliStep{{opPull, "a", false}})
		owner := newARM(t, srv, "owner@contoso.com", "owner-pass")
		if st, body := owner.do("PATCH", abacRegistryScope+regAPI, map[string]any{"properties": map[string]any{"roleAssignmentMode": "LegacyRegistryPermissions"}}); st != 200 {
			t.Fatalf("switch to rbac: %d %v", st, body)
		}
		runDockerAndCrane(t, srv, d, []cliStep{{opPull, "a", true}, {opPush, "a", false}})
	})
}
