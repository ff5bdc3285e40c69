package registry

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/distribution/distribution/v3"
	"github.com/distribution/reference"
	"github.com/opencontainers/go-digest"

	"github.com/acremu/acremu/registry/errcode"
	"github.com/acremu/acremu/storage"
)

// ChangeableAttributes are the lock flags of a repository, tag or manifest; all true until locks exist
// (spec acr-dataplane-auth.md §3.1).
type ChangeableAttributes struct {
	DeleteEnabled bool `json:"deleteEnabled"`
	WriteEnabled  bool `json:"writeEnabled"`
	ReadEnabled   bool `json:"readEnabled"`
	ListEnabled   bool `json:"listEnabled"`
}

var unlocked = ChangeableAttributes{true, true, true, true}

// TagAttributes is one entry of GET /acr/v1/{name}/_tags.
type TagAttributes struct {
	Name                 string               `json:"name"`
	Digest               string               `json:"digest"`
	CreatedTime          time.Time            `json:"createdTime"`
	LastUpdateTime       time.Time            `json:"lastUpdateTime"`
	Signed               bool                 `json:"signed"`
	ChangeableAttributes ChangeableAttributes `json:"changeableAttributes"`
}

// ManifestAttributes is one entry of GET /acr/v1/{name}/_manifests.
type ManifestAttributes struct {
	Digest               string               `json:"digest"`
	ImageSize            int64                `json:"imageSize"`
	CreatedTime          time.Time            `json:"createdTime"`
	LastUpdateTime       time.Time            `json:"lastUpdateTime"`
	MediaType            string               `json:"mediaType"`
	Tags                 []string             `json:"tags,omitempty"`
	ChangeableAttributes ChangeableAttributes `json:"changeableAttributes"`
}

// RepositoryAttributes is GET /acr/v1/{name}.
type RepositoryAttributes struct {
	Registry             string               `json:"registry"`
	ImageName            string               `json:"imageName"`
	CreatedTime          time.Time            `json:"createdTime"`
	LastUpdateTime       time.Time            `json:"lastUpdateTime"`
	ManifestCount        int                  `json:"manifestCount"`
	TagCount             int                  `json:"tagCount"`
	ChangeableAttributes ChangeableAttributes `json:"changeableAttributes"`
}

func nameUnknown(name string) *errcode.Error {
	e := errcode.New(http.StatusNotFound, errcode.CodeNameUnknown, errcode.MsgNameUnknown)
	e.Detail = map[string]string{"name": name}
	return e
}

// serveACR answers the read side of ACR's /acr/v1 API.
func serveACR(w http.ResponseWriter, r *http.Request, b *backend, reg *storage.Registry, rt route) {
	ctx := r.Context()
	if rt.name == routeACRCatalog {
		serveCatalog(w, r, b)
		return
	}
	named, err := reference.WithName(rt.repo)
	if err != nil {
		errcode.New(http.StatusBadRequest, errcode.CodeNameInvalid, errcode.MsgNameInvalid).Write(w)
		return
	}
	repo, err := b.namespace.Repository(ctx, named)
	if err != nil {
		nameUnknown(rt.repo).Write(w)
		return
	}
	tags, err := repo.Tags(ctx).All(ctx)
	var unknown distribution.ErrRepositoryUnknown
	if errors.As(err, &unknown) || (err == nil && len(tags) == 0 && rt.name != routeACRManifests) {
		nameUnknown(rt.repo).Write(w)
		return
	}
	sort.Strings(tags)
	if r.Method == http.MethodDelete {
		deleteACR(w, r, b, repo, named, tags, rt)
		return
	}
	now := time.Now().UTC()
	tagAttrs := make([]TagAttributes, 0, len(tags))
	for _, t := range tags {
		desc, err := repo.Tags(ctx).Get(ctx, t)
		if err != nil {
			continue
		}
		tagAttrs = append(tagAttrs, TagAttributes{Name: t, Digest: desc.Digest.String(), CreatedTime: now,
			LastUpdateTime: now, ChangeableAttributes: unlocked})
	}
	manifests := listManifests(r, repo, tagAttrs, now)
	base := map[string]any{"registry": reg.LoginServer, "imageName": rt.repo}
	switch rt.name {
	case routeACRRepository:
		writeJSON(w, RepositoryAttributes{Registry: reg.LoginServer, ImageName: rt.repo, CreatedTime: now,
			LastUpdateTime: now, ManifestCount: len(manifests), TagCount: len(tagAttrs), ChangeableAttributes: unlocked})
	case routeACRTags:
		base["tags"] = page(tagAttrs, r, func(t TagAttributes) string { return t.Name })
		writeJSON(w, base)
	case routeACRTag:
		for _, t := range tagAttrs {
			if t.Name == rt.ref {
				base["tag"] = t
				writeJSON(w, base)
				return
			}
		}
		errcode.New(http.StatusNotFound, errcode.CodeManifestUnk, "manifest tagged by \""+rt.ref+"\" is not found").Write(w)
	case routeACRManifests:
		base["manifests"] = page(manifests, r, func(m ManifestAttributes) string { return m.Digest })
		writeJSON(w, base)
	case routeACRManifest:
		for _, m := range manifests {
			if m.Digest == rt.ref {
				base["manifest"] = m
				writeJSON(w, base)
				return
			}
		}
		errcode.New(http.StatusNotFound, errcode.CodeManifestUnk, "manifest unknown").Write(w)
	}
}

func listManifests(r *http.Request, repo distribution.Repository, tags []TagAttributes, now time.Time) []ManifestAttributes {
	ctx := r.Context()
	ms, err := repo.Manifests(ctx)
	if err != nil {
		return nil
	}
	en, ok := ms.(distribution.ManifestEnumerator)
	if !ok {
		return nil
	}
	var out []ManifestAttributes
	_ = en.Enumerate(ctx, func(d digest.Digest) error {
		man, err := ms.Get(ctx, d)
		if err != nil {
			return nil
		}
		_, payload, _ := man.Payload()
		var m struct {
			MediaType string `json:"mediaType"`
		}
		_ = json.Unmarshal(payload, &m)
		ma := ManifestAttributes{Digest: d.String(), ImageSize: int64(len(payload)), CreatedTime: now,
			LastUpdateTime: now, MediaType: m.MediaType, ChangeableAttributes: unlocked}
		for _, t := range tags {
			if t.Digest == ma.Digest {
				ma.Tags = append(ma.Tags, t.Name)
			}
		}
		out = append(out, ma)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Digest < out[j].Digest })
	return out
}

// page applies ACR's last/n paging to a sorted list.
func page[T any](items []T, r *http.Request, key func(T) string) []T {
	q := r.URL.Query()
	if last := q.Get("last"); last != "" {
		i := sort.Search(len(items), func(i int) bool { return key(items[i]) > last })
		items = items[i:]
	}
	if n, err := strconv.Atoi(q.Get("n")); err == nil && n >= 0 && n < len(items) {
		items = items[:n]
	}
	return items
}

// serveCatalog answers GET /acr/v1/_catalog: {"repositories":[...]}.
func serveCatalog(w http.ResponseWriter, r *http.Request, b *backend) {
	ctx := r.Context()
	var all []string
	buf := make([]string, 100)
	last := ""
	for {
		n, err := b.namespace.Repositories(ctx, buf, last)
		all = append(all, buf[:n]...)
		if n > 0 {
			last = buf[n-1]
		}
		if err == io.EOF || n == 0 {
			break
		}
		if err != nil {
			errcode.New(http.StatusInternalServerError, errcode.CodeUnsupported, "listing repositories failed").Write(w)
			return
		}
	}
	sort.Strings(all)
	writeJSON(w, map[string]any{"repositories": page(all, r, func(s string) string { return s })})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// deleteACR serves DELETE /acr/v1/{name} (the repository, answering 202 with what went) and
// DELETE /acr/v1/{name}/_tags/{tag} (untag, 202).
func deleteACR(w http.ResponseWriter, r *http.Request, b *backend, repo distribution.Repository, named reference.Named, tags []string, rt route) {
	ctx := r.Context()
	if rt.name == routeACRTag {
		if err := repo.Tags(ctx).Untag(ctx, rt.ref); err != nil {
			errcode.New(http.StatusNotFound, errcode.CodeManifestUnk, "manifest tagged by \""+rt.ref+"\" is not found").Write(w)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		return
	}
	manifests := []string{}
	for _, m := range listManifests(r, repo, nil, time.Time{}) {
		manifests = append(manifests, m.Digest)
	}
	remover, ok := b.namespace.(distribution.RepositoryRemover)
	if !ok {
		errcode.New(http.StatusMethodNotAllowed, errcode.CodeUnsupported, errcode.MsgUnsupported).Write(w)
		return
	}
	if err := remover.Remove(ctx, named); err != nil {
		errcode.New(http.StatusInternalServerError, errcode.CodeUnsupported, "deleting the repository failed").Write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string][]string{"manifestsDeleted": manifests, "tagsDeleted": tags})
}
