package tokens

import (
	"reflect"
	"testing"

	"github.com/acremu/acremu/authz"
)

func TestParseScopes(t *testing.T) {
	tests := []struct {
		in      []string
		want    []authz.Access
		wantErr bool
	}{
		{[]string{"repository:backend/api:pull,push"}, []authz.Access{{Type: "repository", Name: "backend/api", Actions: []string{"pull", "push"}}}, false},
		{[]string{"registry:catalog:* repository:*:*"}, []authz.Access{{Type: "registry", Name: "catalog", Actions: []string{"*"}}, {Type: "repository", Name: "*", Actions: []string{"*"}}}, false},
		{[]string{"repository:a:pull", "repository:b:delete,metadata_read"}, []authz.Access{{Type: "repository", Name: "a", Actions: []string{"pull"}}, {Type: "repository", Name: "b", Actions: []string{"delete", "metadata_read"}}}, false},
		{[]string{"repository:host:5000/a:pull"}, []authz.Access{{Type: "repository", Name: "host:5000/a", Actions: []string{"pull"}}}, false},
		{nil, nil, false},
		{[]string{""}, nil, false},
		{[]string{"repository"}, nil, true},
		{[]string{"repository:a"}, nil, true},
		{[]string{"repository::pull"}, nil, true},
		{[]string{"repository:a:"}, nil, true},
		{[]string{":a:pull"}, nil, true},
		{[]string{"repository:a:,"}, nil, true},
	}
	for _, tt := range tests {
		got, err := ParseScopes(tt.in)
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseScopes(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// FuzzParseScopes checks that scope parsing never panics, returns no scopes alongside an error, and that
// every parsed scope prints back to a scope that parses to the same value.
func FuzzParseScopes(f *testing.F) {
	for _, s := range []string{"repository:a:pull", "registry:catalog:*", "repository:*:*", "repository:a/b:pull,push,delete,metadata_read",
		"a:b:c d:e:f", "::", "repository:x:", ":::::", "repository:h:5000/x:pull"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseScopes([]string{in})
		if err != nil {
			if got != nil {
				t.Fatalf("scopes %v alongside error %v", got, err)
			}
			return
		}
		for _, a := range got {
			again, err := ParseScopes([]string{a.String()})
			if err != nil || len(again) != 1 || !reflect.DeepEqual(again[0], a) {
				t.Fatalf("%q: round trip of %v gave %v, %v", in, a, again, err)
			}
		}
	})
}
