package cmdutil

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ordered is an object whose keys keep their insertion order, like the OrderedDicts az's table transformers
// return. It marshals to JSON with its keys in that order.
type Ordered struct {
	keys []string
	vals map[string]any
}

// NewOrdered returns an Ordered from key, value pairs.
func NewOrdered(kv ...any) *Ordered {
	o := &Ordered{vals: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// Set adds or replaces a key.
func (o *Ordered) Set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// Keys returns the keys in order.
func (o *Ordered) Keys() []string { return o.keys }

// Get returns the value of a key.
func (o *Ordered) Get(k string) any { return o.vals[k] }

// MarshalJSON writes the keys in order.
func (o *Ordered) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// skipKeys are the keys az's automatic table leaves out (knack's _TableOutput.SKIP_KEYS).
var skipKeys = map[string]bool{"id": true, "type": true, "etag": true}

// formatTable follows knack's _TableOutput and tabulate's "simple" format: each item becomes a row of its
// scalar values (nested lists and objects, nulls and the id/type/etag keys left out) under its keys with the
// first letter capitalised; columns are the union of keys in order of appearance, left-aligned, each at
// least two wider than its header, separated by two spaces.
func formatTable(v any, sortKeys bool, order func(map[string]any) []string) (string, error) {
	items, ok := v.([]any)
	if !ok {
		if rows, ok := v.([]*Ordered); ok {
			for _, r := range rows {
				items = append(items, r)
			}
		} else {
			items = []any{v}
		}
	}
	var rows []*Ordered
	for _, it := range items {
		rows = append(rows, autoTableItem(it, sortKeys, order))
	}
	if len(rows) == 0 {
		return "\n", nil
	}
	var headers []string
	seen := map[string]bool{}
	for _, r := range rows {
		for _, k := range r.keys {
			if !seen[k] {
				seen[k] = true
				headers = append(headers, k)
			}
		}
	}
	if len(headers) == 0 {
		return "", errors.New("Table output unavailable. Use the --query option to specify an appropriate query. Use --debug for more info.")
	}
	widths := make([]int, len(headers))
	cells := make([][]string, len(rows))
	for i, h := range headers {
		widths[i] = textWidth(h) + 2
	}
	for r, row := range rows {
		cells[r] = make([]string, len(headers))
		for i, h := range headers {
			if val, ok := row.vals[h]; ok && val != nil {
				cells[r][i] = PyStr(val)
			}
			widths[i] = max(widths[i], textWidth(cells[r][i]))
		}
	}
	var b strings.Builder
	line := func(vals []string) {
		var l strings.Builder
		for i, s := range vals {
			if i > 0 {
				l.WriteString("  ")
			}
			l.WriteString(s + strings.Repeat(" ", widths[i]-textWidth(s)))
		}
		b.WriteString(strings.TrimRightFunc(l.String(), unicode.IsSpace) + "\n")
	}
	line(headers)
	dashes := make([]string, len(headers))
	for i, w := range widths {
		dashes[i] = strings.Repeat("-", w)
	}
	line(dashes)
	for _, c := range cells {
		line(c)
	}
	return b.String(), nil
}

func autoTableItem(it any, sortKeys bool, order func(map[string]any) []string) *Ordered {
	row := NewOrdered()
	add := func(k string, v any) {
		if skipKeys[k] || v == nil {
			return
		}
		switch v.(type) {
		case []any, map[string]any, *Ordered:
			return
		}
		row.Set(capitalize(k), v)
	}
	switch x := it.(type) {
	case *Ordered:
		for _, k := range x.keys {
			add(k, x.vals[k])
		}
	case map[string]any:
		keys := sortedKeys(x)
		if !sortKeys {
			keys = order(x)
		}
		for _, k := range keys {
			add(k, x[k])
		}
	case []any:
		for i, e := range x {
			row.Set("Column"+itoa(i+1), e)
		}
	default:
		row.Set("Result", x)
	}
	return row
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func textWidth(s string) int { return utf8.RuneCountInString(s) }

func itoa(i int) string { return PyStr(float64(i)) }
