package registry

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/acremu/acremu/authz"
)

func TestClassify(t *testing.T) {
	s := &Server{}
	s.router = New(t.Context(), nil, Blobs{}, nil).router
	tests := []struct {
		method, path, route, repo, ref, scope string
	}{
		{"GET", "/v2/", "base", "", "", ""},
		{"GET", "/v2/_catalog", "catalog", "", "", "registry:catalog:*"},
		{"GET", "/v2/backend/nginx/tags/list", "tags", "backend/nginx", "", "repository:backend/nginx:pull"},
		{"HEAD", "/v2/a/manifests/v1", "manifest", "a", "v1", "repository:a:pull"},
		{"PUT", "/v2/a/manifests/v1", "manifest", "a", "v1", "repository:a:push"},
		{"DELETE", "/v2/a/manifests/sha256:" + strings.Repeat("a", 64), "manifest", "a", "sha256:" + strings.Repeat("a", 64), "repository:a:delete"},
		{"GET", "/v2/a/b/c/blobs/sha256:" + strings.Repeat("b", 64), "blob", "a/b/c", "sha256:" + strings.Repeat("b", 64), "repository:a/b/c:pull"},
		{"POST", "/v2/a/blobs/uploads/", "blob-upload", "a", "", "repository:a:push"},
		{"POST", "/v2/a/blobs/uploads/?mount=sha256:" + strings.Repeat("c", 64) + "&from=src/x", "blob-upload", "a", "", "repository:a:push repository:src/x:pull"},
		{"PATCH", "/v2/a/blobs/uploads/0abc", "blob-upload-chunk", "a", "", "repository:a:push"},
		{"GET", "/v2/a/referrers/sha256:" + strings.Repeat("d", 64), "referrers", "a", "sha256:" + strings.Repeat("d", 64), "repository:a:pull"},
		{"GET", "/acr/v1/_catalog", "acr-catalog", "", "", "registry:catalog:*"},
		{"GET", "/acr/v1/hello-world/_tags", "acr-tags", "hello-world", "", "repository:hello-world:metadata_read"},
		{"GET", "/acr/v1/a/b/_tags/v1", "acr-tag", "a/b", "v1", "repository:a/b:metadata_read"},
		{"GET", "/acr/v1/a/b/_manifests", "acr-manifests", "a/b", "", "repository:a/b:metadata_read"},
		{"GET", "/acr/v1/a/b", "acr-repository", "a/b", "", "repository:a/b:metadata_read"},
		{"DELETE", "/acr/v1/a/b", "acr-repository", "a/b", "", "repository:a/b:delete"},
		{"DELETE", "/acr/v1/a/_tags/v1", "acr-tag", "a", "v1", "repository:a:delete"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rt, ok := s.classify(httptest.NewRequest(tt.method, tt.path, nil))
			if !ok {
				t.Fatal("not classified")
			}
			if rt.name != tt.route || rt.repo != tt.repo || rt.ref != tt.ref {
				t.Errorf("got route %q repo %q ref %q, want %q %q %q", rt.name, rt.repo, rt.ref, tt.route, tt.repo, tt.ref)
			}
			if got := challengeScope(rt.needs); got != tt.scope {
				t.Errorf("challenge scope %q, want %q", got, tt.scope)
			}
		})
	}
	for _, bad := range []string{"/v2/UPPER/manifests/x", "/v2/a/unknown", "/acr/v1/", "/acr/v1/a/_tags/x/y"} {
		if rt, ok := s.classify(httptest.NewRequest("GET", bad, nil)); ok && rt.name != "acr-repository" {
			t.Errorf("%s classified as %q", bad, rt.name)
		}
	}
}

func TestCovered(t *testing.T) {
	tags := []need{repoNeed("a", authz.ActPull, authz.ActMetadataRead)}
	for _, tt := range []struct {
		access []authz.Access
		want   bool
	}{
		{[]authz.Access{{Type: "repository", Name: "a", Actions: []string{"metadata_read"}}}, true},
		{[]authz.Access{{Type: "repository", Name: "a", Actions: []string{"pull"}}}, true},
		{[]authz.Access{{Type: "repository", Name: "*", Actions: []string{"*"}}}, true},
		{[]authz.Access{{Type: "repository", Name: "b", Actions: []string{"pull"}}}, false},
		{[]authz.Access{{Type: "repository", Name: "a", Actions: []string{"push"}}}, false},
		{nil, false},
	} {
		if got := covered(tt.access, tags); got != tt.want {
			t.Errorf("covered(%v) = %v, want %v", tt.access, got, tt.want)
		}
	}
}
