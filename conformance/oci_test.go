package conformance

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/acremu/acremu/emulator/acremutest"
)

// ociSeed gives one service principal AcrPush and AcrDelete, as the OCI conformance run does.
const ociSeed = `
tenant: 11111111-1111-4111-8111-111111111111
subscription: 22222222-2222-4222-8222-222222222222
resourceGroups: [{name: rg}]
servicePrincipals:
  - {name: oci, appId: 33333333-3333-4333-8333-333333333333, secret: oci-secret}
registries:
  - {name: myregistry, resourceGroup: rg}
roleAssignments:
  - {role: AcrPush, assignee: oci, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
  - {role: AcrDelete, assignee: oci, scope: /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry}
`

// TestOCIContentDiscoveryAndManagement covers, through the token flow, what the OCI distribution-spec
// conformance suite's four workflows check beyond plain push and pull: image indexes and their tags,
// artifacts with a subject and the referrers API (with the artifactType filter), cross-repository mounts,
// tag listing with last, and deletes.
func TestOCIContentDiscoveryAndManagement(t *testing.T) {
	srv := acremutest.NewServer(t, ociSeed)
	opt := remote.WithAuth(&authn.Basic{Username: "33333333-3333-4333-8333-333333333333", Password: "oci-secret"})
	repo, _ := name.NewRepository(srv.Host+"/oci/repo1", name.Insecure)

	img, _ := random.Image(256, 2)
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img,
		Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}})
	if err := remote.WriteIndex(repo.Tag("index"), idx, opt); err != nil {
		t.Fatalf("push index: %v", err)
	}
	subject, _ := idx.Digest()

	// An artifact whose subject is the index.
	art := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	art = mutate.ConfigMediaType(art, "application/vnd.example.sbom.v1")
	art = mutate.Annotations(art, map[string]string{"org.example": "sbom"}).(v1.Image)
	idxDesc, _ := partialDescriptor(idx)
	art = mutate.Subject(art, idxDesc).(v1.Image)
	artDigest, _ := art.Digest()
	if err := remote.Write(repo.Digest(artDigest.String()), art, opt); err != nil {
		t.Fatalf("push artifact with subject: %v", err)
	}

	refs, err := remote.Referrers(repo.Digest(subject.String()), opt)
	if err != nil {
		t.Fatalf("referrers: %v", err)
	}
	im, _ := refs.IndexManifest()
	if len(im.Manifests) != 1 || im.Manifests[0].Digest != artDigest || im.Manifests[0].ArtifactType != "application/vnd.example.sbom.v1" {
		t.Fatalf("referrers %+v, want the artifact %s with its artifactType", im.Manifests, artDigest)
	}
	// The artifactType filter, and its header.
	tok := basicToken(t, srv.Host, "33333333-3333-4333-8333-333333333333", "oci-secret", "repository:oci/repo1:pull")
	req, _ := http.NewRequest(http.MethodGet, "http://"+srv.Host+"/v2/oci/repo1/referrers/"+subject.String()+"?artifactType=other", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	r := do(t, req)
	if r.status != 200 || !strings.Contains(r.body, `"manifests":[]`) {
		t.Errorf("filtered referrers: %d %s", r.status, r.body)
	}
	// Referrers of a repository that does not exist: an empty index, not an error.
	req, _ = http.NewRequest(http.MethodGet, "http://"+srv.Host+"/v2/oci/none/referrers/"+subject.String(), nil)
	req.Header.Set("Authorization", "Bearer "+basicToken(t, srv.Host, "33333333-3333-4333-8333-333333333333", "oci-secret", "repository:oci/none:pull"))
	if r := do(t, req); r.status != 200 || !strings.Contains(r.body, `"manifests":[]`) {
		t.Errorf("referrers of an empty repository: %d %s", r.status, r.body)
	}

	// Cross-repository mount: the layer is mounted from repo1 into repo2.
	repo2, _ := name.NewRepository(srv.Host+"/oci/repo2", name.Insecure)
	if err := remote.Write(repo2.Tag("mounted"), img, opt); err != nil {
		t.Fatalf("push with mount: %v", err)
	}

	tags, err := remote.List(repo, opt)
	if err != nil || !slices.Contains(tags, "index") {
		t.Fatalf("tags %v (%v), want index", tags, err)
	}
	if err := remote.Delete(repo.Digest(artDigest.String()), opt); err != nil {
		t.Fatalf("delete artifact: %v", err)
	}
	refs, err = remote.Referrers(repo.Digest(subject.String()), opt)
	if err != nil {
		t.Fatal(err)
	}
	if im, _ := refs.IndexManifest(); len(im.Manifests) != 0 {
		t.Errorf("referrers after delete: %+v, want none", im.Manifests)
	}
	// Deleting the index by tag, then reading it, is NAME/MANIFEST_UNKNOWN.
	if err := remote.Delete(repo.Tag("index"), opt); err != nil {
		t.Fatalf("delete tag: %v", err)
	}
	if _, err := remote.Head(repo.Tag("index"), opt); err == nil {
		t.Error("index tag still resolves after delete")
	}
}

func partialDescriptor(idx v1.ImageIndex) (v1.Descriptor, error) {
	d, err := idx.Digest()
	if err != nil {
		return v1.Descriptor{}, err
	}
	sz, err := idx.Size()
	if err != nil {
		return v1.Descriptor{}, err
	}
	mt, err := idx.MediaType()
	return v1.Descriptor{Digest: d, Size: sz, MediaType: mt}, err
}
