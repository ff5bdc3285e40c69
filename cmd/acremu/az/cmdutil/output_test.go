package cmdutil

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/acremu/acremu/cmd/acremu/az/client"
)

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

const registryID = "/subscriptions/s/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries/reg1"

func TestFormat(t *testing.T) {
	reg := `{"name":"reg1","id":"` + registryID + `","adminUserEnabled":false,"sku":{"name":"Premium"},"tags":null,"n":7,"dataEndpointHostNames":[]}`
	regs := `[` + reg + `,{"name":"b","id":"/subscriptions/s/resourceGroups/rg2","sku":null,"adminUserEnabled":true,"n":1.5}]`
	tests := []struct {
		name, in, output, query string
		table                   TableFunc
		want                    string
	}{
		{name: "json sorts keys, two-space indent, adds resourceGroup", in: `{"b":1,"a":{"d":[],"c":"<&>"},"id":"` + registryID + `"}`, output: "json",
			want: "{\n  \"a\": {\n    \"c\": \"<&>\",\n    \"d\": []\n  },\n  \"b\": 1,\n  \"id\": \"" + registryID + "\",\n  \"resourceGroup\": \"rg1\"\n}\n"},
		{name: "jsonc is json without a terminal", in: `{"a":true}`, output: "jsonc", want: "{\n  \"a\": true\n}\n"},
		{name: "query on a string prints a JSON string", in: `{"roleAssignmentMode":"AbacRepositoryPermissions"}`, output: "json",
			query: "roleAssignmentMode", want: "\"AbacRepositoryPermissions\"\n"},
		{name: "tsv of a string is bare", in: reg, output: "tsv", query: "id", want: registryID + "\n"},
		{name: "query yielding null prints nothing", in: reg, output: "json", query: "missing", want: ""},
		{name: "none prints nothing", in: reg, output: "none", want: ""},
		{name: "tsv: sorted values, nested list length, nested object empty, None, True", in: reg, output: "tsv",
			want: "False\t0\t" + registryID + "\t7\treg1\trg1\t\tNone\n"},
		{name: "tsv: one row per item, multiselect hash order kept", in: regs, output: "tsv", query: "[].{Z:name, A:n}",
			want: "reg1\t7\nb\t1.5\n"},
		{name: "tsv: top-level bool lower-case", in: `true`, output: "tsv", want: "true\n"},
		{name: "tsv: list of scalars", in: `["a","b"]`, output: "tsv", want: "a\nb\n"},
		{name: "table: automatic, sorted, capitalised, id/type and nested left out", in: regs, output: "table",
			want: "AdminUserEnabled    N    Name    ResourceGroup\n" +
				"------------------  ---  ------  ---------------\n" +
				"False               7    reg1    rg1\n" +
				"True                1.5  b\n"},
		{name: "table: transformer order", in: regs, output: "table", table: func(v any) any {
			var rows []*Ordered
			for _, x := range v.([]any) {
				m := x.(map[string]any)
				rows = append(rows, NewOrdered("NAME", m["name"], "ADMIN", m["adminUserEnabled"]))
			}
			return rows
		}, want: "NAME    ADMIN\n------  -------\nreg1    False\nb       True\n"},
		{name: "table: query disables the transformer and keeps the hash order", in: regs, output: "table", query: "[].{Registry:name, Group:resourceGroup}",
			table: func(any) any { panic("transformer used under --query") }, want: "Registry    Group\n----------  -------\nreg1        rg1\nb\n"},
		{name: "table: scalar result", in: `"x"`, output: "table", want: "Result\n--------\nx\n"},
		{name: "table: empty list", in: `[]`, output: "table", want: "\n"},
		{name: "yaml", in: `{"b":[1,"x"],"a":null}`, output: "yaml", want: "a: null\nb:\n- 1\n- x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format(mustJSON(t, tt.in), tt.output, tt.query, tt.table)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestFormatErrors(t *testing.T) {
	if _, err := Format(map[string]any{"a": 1.0}, "json", "[?", nil); ExitCode(err) != ExitUsage {
		t.Errorf("bad query: %v (exit %d), want a usage error", err, ExitCode(err))
	}
	_, err := Format(map[string]any{"a": "x"}, "json", "abs(a)", nil)
	if err == nil || ExitCode(err) != ExitError {
		t.Errorf("query failing at run time: %v", err)
	}
	g := &Globals{Output: "xml"}
	if err := g.CheckGlobals(); err == nil || err.Error() != "argument --output/-o: invalid choice: 'xml' (choose from 'json', 'jsonc', 'yaml', 'yamlc', 'table', 'tsv', 'none')" {
		t.Errorf("bad output: %v", err)
	}
}

func TestMultiselectHashes(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want string
	}{
		{"[].{Name:name, RG:resourceGroup}", "[[Name RG]]"},
		{`{"a b": x, c: length(y), d: {e: f}}`, "[[e] [a b c d]]"},
		{"[?name=='{x:y}'].name", "[]"},
		{"id", "[]"},
	} {
		if got := fmt.Sprint(multiselectHashes(tt.q)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.q, got, tt.want)
		}
	}
}

func TestExitCode(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errors.New("x"), 1},
		{Usagef("x"), 2},
		{fmt.Errorf("wrapped: %w", Usagef("x")), 2},
		{&NotFoundError{Msg: "x"}, 3},
		{&client.ARMError{StatusCode: 404, Code: "ResourceGroupNotFound"}, 3},
		{&client.ARMError{StatusCode: 403, Code: "AuthorizationFailed"}, 1},
		{&client.HTTPError{StatusCode: 404}, 3},
		{&client.GraphError{StatusCode: 404, Message: "x"}, 1},
		{&client.RegistryError{StatusCode: 404, Message: "x"}, 1},
	} {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
