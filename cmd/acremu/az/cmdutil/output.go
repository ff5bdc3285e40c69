package cmdutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/jmespath/go-jmespath"
	"sigs.k8s.io/yaml"

	"github.com/acremu/acremu/cmd/acremu/az/client"
)

// OutputFormats are the values of --output, in az's order (knack's OutputProducer).
var OutputFormats = []string{"json", "jsonc", "yaml", "yamlc", "table", "tsv", "none"}

// queryReference is the recommendation az prints under a --query error.
const queryReference = "To learn more about --query, please visit: 'https://docs.microsoft.com/cli/azure/query-azure-cli'"

// TableFunc is a command's table transformer: it turns the result into rows (usually []*Ordered) for
// --output table. az skips it when --query is active.
type TableFunc func(result any) any

// CheckGlobals validates --output and --query before the command runs, as az's parser does.
func (g *Globals) CheckGlobals() error {
	out := strings.ToLower(g.Output)
	ok := false
	for _, f := range OutputFormats {
		ok = ok || f == out
	}
	if !ok {
		return Usagef("argument --output/-o: invalid choice: '%s' (choose from '%s')", g.Output, strings.Join(OutputFormats, "', '"))
	}
	g.Output = out
	if g.Query != "" {
		if _, err := jmespath.Compile(g.Query); err != nil {
			return Usagef("argument --query: invalid jmespath_type value: '%s'", g.Query)
		}
	}
	return nil
}

// Print writes a command's result in the format of --output, as az does: resources get a resourceGroup
// taken from their id, then --query applies, then the formatter. A nil result, or a query that yields
// null, prints nothing.
func (f *Factory) Print(result any, table TableFunc) error {
	s, err := Format(result, f.Globals.Output, f.Globals.Query, table)
	if err != nil {
		return err
	}
	_, err = io.WriteString(f.IO.Out, s)
	return err
}

// Format renders result as Print does and returns the text.
func Format(result any, output, query string, table TableFunc) (string, error) {
	if result == nil {
		return "", nil
	}
	v, err := plain(result)
	if err != nil {
		return "", err
	}
	addResourceGroup(v)
	if query != "" {
		jp, err := jmespath.Compile(query)
		if err != nil {
			return "", Usagef("argument --query: invalid jmespath_type value: '%s'", query)
		}
		if v, err = jp.Search(v); err != nil {
			return "", fmt.Errorf("Invalid jmespath query supplied for `--query`: %v\n%s", err, queryReference)
		}
		if v == nil {
			return "", nil
		}
	}
	switch strings.ToLower(output) {
	case "", "json", "jsonc":
		return formatJSON(v)
	case "yaml", "yamlc":
		b, err := yaml.Marshal(v)
		return string(b), err
	case "tsv":
		return formatTSV(v, hashOrder(query)), nil
	case "table":
		rows := v
		if table != nil && query == "" {
			rows = table(v)
		}
		return formatTable(rows, query == "" && table == nil, hashOrder(query))
	case "none":
		return "", nil
	}
	return "", Usagef("argument --output/-o: invalid choice: '%s'", output)
}

// plain converts a result to generic JSON values (maps, slices, strings, float64, bool, nil).
func plain(v any) (any, error) {
	switch v.(type) {
	case map[string]any, []any, string, float64, bool:
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// addResourceGroup gives every object with an ARM id inside a resource group a resourceGroup key, as
// azure-cli's _resource_group_transform does, recursively.
func addResourceGroup(v any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			addResourceGroup(e)
		}
	case map[string]any:
		if _, ok := x["resourceGroup"]; !ok {
			if id, ok := x["id"].(string); ok {
				if rg, ok := client.ResourceGroupOf(id); ok {
					x["resourceGroup"] = rg
				}
			}
		}
		for k, e := range x {
			if k != "sourceVault" {
				addResourceGroup(e)
			}
		}
	}
}

// formatJSON prints as Python's json.dumps(indent=2, sort_keys=True, ensure_ascii=False) plus a newline.
func formatJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// formatTSV follows knack's _TsvOutput: one row per list item; an object's values in key order (sorted,
// or the order of the query's multiselect hash); nested lists print their length and nested objects
// nothing; scalars as Python's str() prints them, except a top-level bool in lower case.
func formatTSV(v any, order func(map[string]any) []string) string {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	var b strings.Builder
	for _, it := range items {
		switch x := it.(type) {
		case map[string]any:
			for i, k := range order(x) {
				if i > 0 {
					b.WriteByte('\t')
				}
				b.WriteString(tsvCell(x[k]))
			}
		case []any:
			for i, e := range x {
				if i > 0 {
					b.WriteByte('\t')
				}
				b.WriteString(tsvCell(e))
			}
		case bool:
			b.WriteString(strings.ToLower(PyStr(x)))
		default:
			b.WriteString(tsvCell(x))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func tsvCell(v any) string {
	switch x := v.(type) {
	case []any:
		return strconv.Itoa(len(x))
	case map[string]any:
		return ""
	}
	return PyStr(v)
}

// PyStr prints a JSON value as Python's str() prints the value az holds: None, True/False, integers
// without a decimal point.
func PyStr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return x
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e16 {
			return strconv.FormatFloat(x, 'f', 0, 64)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// sortedKeys returns a map's keys in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// hashOrder returns the key order of objects a query builds: az's query results are OrderedDicts, so an
// object made by a multiselect hash ({Name:name, RG:resourceGroup}) keeps the hash's order; any other object
// is printed with sorted keys.
func hashOrder(query string) func(map[string]any) []string {
	hashes := multiselectHashes(query)
	return func(m map[string]any) []string {
		for _, keys := range hashes {
			if len(keys) != len(m) {
				continue
			}
			match := true
			for _, k := range keys {
				if _, ok := m[k]; !ok {
					match = false
					break
				}
			}
			if match {
				return keys
			}
		}
		return sortedKeys(m)
	}
}

// multiselectHashes returns the key lists of every multiselect hash ({key: expr, ...}) in a JMESPath
// expression, in source order. Literals and quoted strings are skipped.
func multiselectHashes(q string) [][]string {
	var out [][]string
	var stack []int // positions of open braces
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '{':
			stack = append(stack, i)
		case c == '}' && len(stack) > 0:
			start := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if keys := hashKeys(q[start+1 : i]); len(keys) > 0 {
				out = append(out, keys)
			}
		}
	}
	return out
}

// hashKeys returns the keys of one multiselect hash body "a: x, b: y".
func hashKeys(body string) []string {
	var keys []string
	depth, start := 0, 0
	var quote byte
	field := func(s string) {
		k, _, ok := strings.Cut(s, ":")
		if !ok {
			return
		}
		k = strings.TrimSpace(k)
		if uq, err := strconv.Unquote(k); err == nil && strings.HasPrefix(k, `"`) {
			k = uq
		}
		keys = append(keys, k)
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '{' || c == '[' || c == '(':
			depth++
		case c == '}' || c == ']' || c == ')':
			depth--
		case c == ',' && depth == 0:
			field(body[start:i])
			start = i + 1
		}
	}
	field(body[start:])
	return keys
}
