package condition

import "testing"

func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"Microsoft.Authorization/roleAssignments/*", "Microsoft.Authorization/roleAssignments/write", true},
		{"Microsoft.Authorization/roleDefinitions/*", "Microsoft.Authorization/roleAssignments/write", false},
		{"Microsoft.CostManagement/exports/*", "Microsoft.CostManagement/exports/run/action", true},
		{"Microsoft.CostManagement/*/query/*", "Microsoft.CostManagement/a/b/query/c/d", true},
		{"Microsoft.CostManagement/*/query/*", "Microsoft.CostManagement/a/b/read", false},
		{"*/read", "Microsoft.Compute/virtualMachines/read", true},
		{"*/read", "Microsoft.Compute/virtualMachines/write", false},
		{"*", "", true},
		{"", "", true},
		{"", "a", false},
		{"Microsoft.Authorization/*/Delete", "Microsoft.Authorization/roleAssignments/delete", true},
		{"microsoft.containerregistry/registries/repositories/CONTENT/read", cr + "content/read", true},
		{cr + "content/re*", cr + "content/read", true},
		{cr + "content/rea?", cr + "content/read", false},
		{cr + "content/rea?", cr + "content/rea?", true},
		{cr + "content/read", cr + "content/read/x", false},
		{cr + "*", "Microsoft.ContainerRegistry/registries/catalog/read", false},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"**", "x", true},
		{"a\\*", "a\\x", true},
	}
	for _, tt := range tests {
		if got := MatchAction(tt.pattern, tt.action); got != tt.want {
			t.Errorf("MatchAction(%q, %q): got %v, want %v", tt.pattern, tt.action, got, tt.want)
		}
	}
}

func TestLike(t *testing.T) {
	tests := []struct {
		pattern, s string
		fold       bool
		want       bool
	}{
		{"a*c?", "abcd", false, true},
		{"A*C?", "abcd", false, false},
		{"A*C?", "abcd", true, true},
		{"a*c", "abcd", false, false},
		{"*", "", false, true},
		{"?", "", false, false},
		{"?", "é", false, true},
		{"team-?/*", "team-a/api", true, true},
		{"team-?/*", "team-ab/api", true, false},
		{"team-?/*", "team-a", true, false},
		{"team-?/*", "team-a/", true, true},
		{`\*`, "*", false, true},
		{`\*`, "x", false, false},
		{`\?`, "?", false, true},
		{`\\`, `\`, false, true},
		{`\'`, `'`, false, true},
		{`\x`, `\x`, false, true},
		{`a\`, `a\`, false, true},
		{"*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, false},
	}
	for _, tt := range tests {
		if got := like(tt.pattern, tt.s, tt.fold); got != tt.want {
			t.Errorf("like(%q, %q, %v): got %v, want %v", tt.pattern, tt.s, tt.fold, got, tt.want)
		}
	}
}
