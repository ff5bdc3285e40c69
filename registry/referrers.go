package registry

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/distribution/distribution/v3"
	"github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/reference"
	"github.com/opencontainers/go-digest"
	v1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/acremu/acremu/registry/errcode"
)

// serveReferrers answers GET /v2/<name>/referrers/<digest> (OCI distribution-spec v1.1 "Listing
// Referrers"), which distribution does not implement. It enumerates the repository's manifests and keeps
// those whose subject is the digest, so deletions are reflected at once.
func serveReferrers(w http.ResponseWriter, r *http.Request, b *backend, rt route) {
	if r.Method != http.MethodGet {
		errcode.New(http.StatusMethodNotAllowed, errcode.CodeUnsupported, errcode.MsgUnsupported).Write(w)
		return
	}
	subject, err := digest.Parse(rt.ref)
	if err != nil {
		errcode.New(http.StatusBadRequest, errcode.CodeDigestInv, "provided digest did not match uploaded content").Write(w)
		return
	}
	named, err := reference.WithName(rt.repo)
	if err != nil {
		errcode.New(http.StatusBadRequest, errcode.CodeNameInvalid, errcode.MsgNameInvalid).Write(w)
		return
	}
	ctx := r.Context()
	index := v1.Index{MediaType: v1.MediaTypeImageIndex, Manifests: []v1.Descriptor{}}
	index.SchemaVersion = 2
	filter := r.URL.Query().Get("artifactType")
	repo, err := b.namespace.Repository(ctx, named)
	if err == nil {
		var ms distribution.ManifestService
		if ms, err = repo.Manifests(ctx); err == nil {
			if en, ok := ms.(distribution.ManifestEnumerator); ok {
				err = en.Enumerate(ctx, func(d digest.Digest) error {
					m, gerr := ms.Get(ctx, d)
					if gerr != nil {
						return nil // a manifest deleted while listing
					}
					_, payload, _ := m.Payload()
					if desc, ok := referrer(payload, d, subject); ok && (filter == "" || desc.ArtifactType == filter) {
						index.Manifests = append(index.Manifests, desc)
					}
					return nil
				})
			}
		}
	}
	var (
		unknown  distribution.ErrRepositoryUnknown
		notFound driver.PathNotFoundError
	)
	if err != nil && !errors.As(err, &unknown) && !errors.As(err, &notFound) {
		errcode.New(http.StatusInternalServerError, errcode.CodeUnsupported, "listing referrers failed").Write(w)
		return
	}
	if filter != "" {
		w.Header().Set(HeaderFiltersApplied, "artifactType")
	}
	w.Header().Set("Content-Type", v1.MediaTypeImageIndex)
	_ = json.NewEncoder(w).Encode(index)
}

// referrer decodes a stored manifest and returns its descriptor if its subject is the given digest.
func referrer(payload []byte, d, subject digest.Digest) (v1.Descriptor, bool) {
	var m struct {
		MediaType    string            `json:"mediaType"`
		ArtifactType string            `json:"artifactType"`
		Config       *v1.Descriptor    `json:"config"`
		Subject      *v1.Descriptor    `json:"subject"`
		Annotations  map[string]string `json:"annotations"`
	}
	if json.Unmarshal(payload, &m) != nil || m.Subject == nil || m.Subject.Digest != subject {
		return v1.Descriptor{}, false
	}
	at := m.ArtifactType
	if at == "" && m.Config != nil {
		at = m.Config.MediaType
	}
	return v1.Descriptor{MediaType: m.MediaType, Digest: d, Size: int64(len(payload)), ArtifactType: at,
		Annotations: m.Annotations}, true
}
