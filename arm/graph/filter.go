package graph

import (
	"regexp"
	"strings"
)

// The OData $filter subset az sends (azure-cli's role module): equality on a property, startswith on a
// property, equality on any member of a collection, joined with "and". Strings compare without case, as
// Graph compares directory strings.
var (
	reEq         = regexp.MustCompile(`^(\w+)\s+eq\s+'((?:[^']|'')*)'$`)
	reStartsWith = regexp.MustCompile(`(?i)^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$`)
	reAny        = regexp.MustCompile(`^(\w+)/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*\)$`)
)

// clause kinds.
const (
	clauseEq = iota
	clauseStartsWith
	clauseAny
)

// clause is one condition of a filter.
type clause struct {
	kind  int
	prop  string
	value string
}

// filter holds clauses that must all match; an empty filter matches everything.
type filter []clause

// parseFilter parses a $filter value; anything outside the subset is Graph's "Unsupported Query."
func parseFilter(s string) (filter, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var f filter
	for _, part := range splitAnd(s) {
		part = strings.TrimSpace(part)
		unquote := func(v string) string { return strings.ReplaceAll(v, "''", "'") }
		switch {
		case reEq.MatchString(part):
			m := reEq.FindStringSubmatch(part)
			f = append(f, clause{clauseEq, m[1], unquote(m[2])})
		case reStartsWith.MatchString(part):
			m := reStartsWith.FindStringSubmatch(part)
			f = append(f, clause{clauseStartsWith, m[1], unquote(m[2])})
		case reAny.MatchString(part) && reAny.FindStringSubmatch(part)[2] == reAny.FindStringSubmatch(part)[3]:
			m := reAny.FindStringSubmatch(part)
			f = append(f, clause{clauseAny, m[1], unquote(m[4])})
		default:
			return nil, &Error{Status: 400, Code: codeUnsupported, Message: msgUnsupported}
		}
	}
	return f, nil
}

// splitAnd splits on " and " outside quoted strings.
func splitAnd(s string) []string {
	var parts []string
	inQuote := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\'':
			inQuote = !inQuote
		case !inQuote && i+5 <= len(s) && strings.EqualFold(s[i:i+5], " and "):
			parts = append(parts, s[start:i])
			start = i + 5
			i += 4
		}
	}
	return append(parts, s[start:])
}

// match reports whether an object, as rendered, satisfies every clause. Property names compare without
// case, as OData's do in Graph.
func (f filter) match(obj map[string]any) bool {
	for _, c := range f {
		v := lookup(obj, c.prop)
		switch c.kind {
		case clauseEq:
			s, ok := v.(string)
			if !ok || !strings.EqualFold(s, c.value) {
				return false
			}
		case clauseStartsWith:
			s, ok := v.(string)
			if !ok || !strings.HasPrefix(strings.ToLower(s), strings.ToLower(c.value)) {
				return false
			}
		case clauseAny:
			found := false
			items, _ := v.([]any)
			for _, it := range items {
				if s, ok := it.(string); ok && strings.EqualFold(s, c.value) {
					found = true
				}
			}
			if !found {
				return false
			}
		}
	}
	return true
}

func lookup(obj map[string]any, prop string) any {
	if v, ok := obj[prop]; ok {
		return v
	}
	for k, v := range obj {
		if strings.EqualFold(k, prop) {
			return v
		}
	}
	return nil
}
