package conformance

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/storage/seed"
)

// TestTLSWithGeneratedCA pushes and pulls over HTTPS, trusting only the CA the emulator wrote.
func TestTLSWithGeneratedCA(t *testing.T) {
	srv := acremutest.NewServer(t, "", acremutest.WithTLS())
	pem, err := os.ReadFile(srv.CAFile)
	if err != nil {
		t.Fatalf("CA file: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA file holds no certificate")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	ref, _ := name.NewTag(srv.Host + "/secure/app:v1")
	img, _ := random.Image(512, 1)
	opts := []remote.Option{remote.WithTransport(tr), remote.WithAuth(&authn.Basic{Username: seed.DevSPAppID, Password: seed.DevSPSecret})}
	if err := remote.Write(ref, img, opts...); err != nil {
		t.Fatalf("push over TLS: %v", err)
	}
	if _, err := remote.Image(ref, opts...); err != nil {
		t.Fatalf("pull over TLS: %v", err)
	}
	// The challenge's realm is https on the same host and port.
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL() + "/v2/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("WWW-Authenticate"); !strings.Contains(got, `realm="https://`+srv.Host+`/oauth2/token"`) {
		t.Errorf("challenge %q, want an https realm on %s", got, srv.Host)
	}
}

const adminSeed = `
tenant: 11111111-1111-4111-8111-111111111111
subscription: 22222222-2222-4222-8222-222222222222
resourceGroups: [{name: rg}]
registries:
  - {name: adminregistry, resourceGroup: rg, adminUserEnabled: true}
  - {name: closedregistry, resourceGroup: rg, listen: "127.0.0.1:0"}
`

// TestAdminUser logs in as the admin user (registry name and password), which holds everything, and checks
// that a registry without the admin user refuses the same name.
func TestAdminUser(t *testing.T) {
	srv := acremutest.NewServer(t, adminSeed)
	reg, _ := srv.DB().State().Registry("adminregistry")
	admin := &authn.Basic{Username: "adminregistry", Password: reg.AdminPasswords[1]}
	ref, _ := name.NewTag(srv.Host+"/team/app:v1", name.Insecure)
	img, _ := random.Image(256, 1)
	if err := remote.Write(ref, img, remote.WithAuth(admin)); err != nil {
		t.Fatalf("push as admin: %v", err)
	}
	if err := remote.Delete(ref, remote.WithAuth(admin)); err != nil {
		t.Fatalf("delete as admin: %v", err)
	}
	wrong := &authn.Basic{Username: "adminregistry", Password: "nope"}
	if err := remote.Write(ref, img, remote.WithAuth(wrong)); err == nil {
		t.Error("push with a wrong admin password succeeded")
	}
	closed := srv.RegistryAddr("closedregistry")
	cref, _ := name.NewTag(closed+"/team/app:v1", name.Insecure)
	creg, _ := srv.DB().State().Registry("closedregistry")
	err := remote.Write(cref, img, remote.WithAuth(&authn.Basic{Username: "closedregistry", Password: creg.AdminPasswords[0]}))
	if err == nil || !strings.Contains(err.Error(), "client id must be guid") {
		t.Errorf("admin login on a registry without the admin user: %v", err)
	}
}
