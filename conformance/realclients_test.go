package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acremu/acremu/conformance/clients"
	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/tokens"
)

// TestMain stops the private Docker engine once every test is done.
func TestMain(m *testing.M) { clients.Main(m) }

// TestDockerRBAC drives the emulator with the real Docker engine: docker login with a service principal
// (Basic) and with an Entra user's exchanged refresh token (the null-GUID user name), then push and pull
// allowed or refused per role, with the messages docker prints.
func TestDockerRBAC(t *testing.T) {
	d := clients.StartDocker(t)
	srv := acremutest.NewServer(t, rbacSeed)
	host := srv.Host
	login := func(user, pass string) clients.Result { return d.Login(t, host, user, pass) }

	// AcrPush: push and pull.
	if r := login("00000000-0000-4000-8000-000000000002", "s2"); r.ExitCode != 0 {
		t.Fatalf("docker login as AcrPush: %s", r)
	}
	ref := host + "/docker/app:v1"
	d.BuildTestImage(t, ref)
	pushed := d.Push(t, ref)
	d.MustRun(t, "rmi", ref)
	if pulled := d.Pull(t, ref); pulled != pushed {
		t.Errorf("pulled %s, pushed %s", pulled, pushed)
	}

	// AcrPull: pull works, push is denied with docker's wording for insufficient_scope.
	if r := login("00000000-0000-4000-8000-000000000001", "s1"); r.ExitCode != 0 {
		t.Fatalf("docker login as AcrPull: %s", r)
	}
	d.Pull(t, ref)
	other := host + "/docker/other:v1"
	d.BuildTestImage(t, other)
	if r := d.Run(t, "push", other); r.ExitCode == 0 || !strings.Contains(r.Combined(), "denied: requested access to the resource is denied") {
		t.Errorf("push as AcrPull: %s", r)
	}

	// No role: docker login succeeds (the credentials are valid), every pull is refused.
	if r := login("00000000-0000-4000-8000-000000000007", "s7"); r.ExitCode != 0 {
		t.Fatalf("docker login without a role: %s", r)
	}
	d.MustRun(t, "rmi", ref)
	if r := d.Run(t, "pull", ref); r.ExitCode == 0 || !(strings.Contains(r.Combined(), "denied") || strings.Contains(r.Combined(), "unauthorized")) {
		t.Errorf("pull without a role: %s", r)
	}

	// Wrong secret and non-GUID user: docker login fails with ACR's message.
	for _, tt := range []struct{ user, pass, msg string }{
		{"00000000-0000-4000-8000-000000000001", "wrong", "Invalid clientid or client secret."},
		{"not-a-guid", "x", "aad access token with sp failed client id must be guid"},
	} {
		if r := login(tt.user, tt.pass); r.ExitCode == 0 || !strings.Contains(r.Combined(), tt.msg) {
			t.Errorf("docker login %s: %s, want %q", tt.user, r, tt.msg)
		}
	}

	// alice (AcrPush) signs in to Entra and exchanges, as `az acr login` does; docker logs in with the
	// null GUID and the refresh token.
	refresh := srv.RefreshToken(t, host, srv.EntraToken(t, "alice@contoso.com", "alice-pass", "https://containerregistry.azure.net/.default"))
	if r := login(tokens.NullGUIDUser, refresh); r.ExitCode != 0 {
		t.Fatalf("docker login with a refresh token: %s", r)
	}
	aliceRef := host + "/docker/alice:v1"
	d.BuildTestImage(t, aliceRef)
	d.Push(t, aliceRef)
}

// TestSkopeoCraneOras drives the emulator with skopeo, crane and oras: reads as AcrPull, writes refused;
// an artifact attached to an image and found again through the referrers API by oras.
func TestSkopeoCraneOras(t *testing.T) {
	srv := acremutest.NewServer(t, rbacSeed)
	host := srv.Host
	seeded := seedImage(t, host, "tools/app")

	// skopeo as AcrPull: inspect works; copying into the registry is refused.
	puller := "--creds=00000000-0000-4000-8000-000000000001:s1"
	sk := clients.NewSkopeo(t)
	r := sk.Run(t, "inspect", puller, "docker://"+host+"/tools/app:v1")
	if r.ExitCode != 0 || clients.FindDigest(r.Stdout) != seeded.DigestStr() {
		t.Errorf("skopeo inspect as AcrPull: %s (want digest %s)", r, seeded.DigestStr())
	}
	r = sk.Run(t, "copy", "--src-creds=00000000-0000-4000-8000-000000000001:s1", "--dest-creds=00000000-0000-4000-8000-000000000001:s1",
		"docker://"+host+"/tools/app:v1", "docker://"+host+"/tools/copy:v1")
	if r.ExitCode == 0 || !strings.Contains(strings.ToLower(r.Combined()), "denied") && !strings.Contains(strings.ToLower(r.Combined()), "unauthorized") {
		t.Errorf("skopeo copy as AcrPull: %s", r)
	}
	// skopeo with a wrong secret.
	if r := sk.Run(t, "inspect", "--creds=00000000-0000-4000-8000-000000000001:wrong", "docker://"+host+"/tools/app:v1"); r.ExitCode == 0 {
		t.Errorf("skopeo inspect with a wrong secret succeeded: %s", r)
	}

	// crane as AcrPush: ls, digest, catalog, and a copy inside the registry.
	cr := clients.NewCrane(t)
	cr.MustRun(t, "auth", "login", host, "-u", "00000000-0000-4000-8000-000000000002", "-p", "s2")
	if r := cr.MustRun(t, "ls", host+"/tools/app"); strings.TrimSpace(r.Stdout) != "v1" {
		t.Errorf("crane ls: %q", r.Stdout)
	}
	if r := cr.MustRun(t, "digest", host+"/tools/app:v1"); strings.TrimSpace(r.Stdout) != seeded.DigestStr() {
		t.Errorf("crane digest %q, want %s", r.Stdout, seeded.DigestStr())
	}
	if r := cr.MustRun(t, "catalog", host); !strings.Contains(r.Stdout, "tools/app") {
		t.Errorf("crane catalog: %q", r.Stdout)
	}
	cr.MustRun(t, "copy", host+"/tools/app:v1", host+"/tools/copied:v1")

	// oras as AcrPush: attach an artifact to the image, discover it through the referrers API.
	or := clients.NewOras(t)
	or.MustRun(t, "login", host, "-u", "00000000-0000-4000-8000-000000000002", "-p", "s2")
	if err := os.WriteFile(filepath.Join(or.Dir, "sbom.json"), []byte(`{"sbom":true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	or.MustRun(t, "attach", "--artifact-type", "application/vnd.example.sbom", host+"/tools/app:v1", "sbom.json")
	if r := or.MustRun(t, "discover", "--format", "json", host+"/tools/app:v1"); !strings.Contains(r.Stdout, "application/vnd.example.sbom") {
		t.Errorf("oras discover: %s", r.Stdout)
	}
	// oras as AcrPull cannot attach.
	or2 := clients.NewOras(t)
	or2.MustRun(t, "login", host, "-u", "00000000-0000-4000-8000-000000000001", "-p", "s1")
	if err := os.WriteFile(filepath.Join(or2.Dir, "sig.txt"), []byte("sig"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := or2.Run(t, "attach", "--artifact-type", "application/vnd.example.sig", host+"/tools/app:v1", "sig.txt"); r.ExitCode == 0 ||
		!strings.Contains(strings.ToLower(r.Combined()), "unauthorized") && !strings.Contains(strings.ToLower(r.Combined()), "denied") {
		t.Errorf("oras attach as AcrPull: %s", r)
	}
}
