package condition

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Source is where an attribute comes from: the word after '@' in @Request[…] (spec abac-conditions.md §2.4).
type Source int

// The four attribute sources.
const (
	SourceRequest Source = iota + 1
	SourceResource
	SourcePrincipal
	SourceEnvironment
)

var sourceNames = [...]string{SourceRequest: "Request", SourceResource: "Resource", SourcePrincipal: "Principal",
	SourceEnvironment: "Environment"}

// String returns the source as written after '@', e.g. "Request".
func (s Source) String() string {
	if s >= SourceRequest && s <= SourceEnvironment {
		return sourceNames[s]
	}
	return "Source(" + strconv.Itoa(int(s)) + ")"
}

// lookupSource finds a source by name, ignoring case.
func lookupSource(name string) (Source, bool) {
	for s := SourceRequest; s <= SourceEnvironment; s++ {
		if strings.EqualFold(name, sourceNames[s]) {
			return s, true
		}
	}
	return 0, false
}

// RepositoryNameAttribute is the one attribute ACR defines, under @Request: the full path of the repository
// inside the registry, e.g. "backend/nginx" (spec abac-conditions.md §7.3).
const RepositoryNameAttribute = "Microsoft.ContainerRegistry/registries/repositories:name"

// acrAttributes are the attributes every condition may use.
var acrAttributes = []Attribute{{Source: SourceRequest, ID: RepositoryNameAttribute, Value: StringValue("")}}

// Attribute is one attribute available to a request. Given to ParseWithAttributes, it declares an attribute a
// condition may use, and its Value only gives the type.
type Attribute struct {
	Source Source
	ID     string // matched case-insensitively
	Value  Value
}

// valueKind is the type of a Value.
type valueKind uint8

const (
	kindNone   valueKind = iota // the zero Value, which counts as a missing attribute
	kindString                  // str
	kindInt                     // num
	kindBool                    // num, 0 or 1
	kindGUID                    // str, lower-case with hyphens
	kindTime                    // time
	kindSet                     // set
)

var kindNames = [...]string{"no value", "string", "integer", "boolean", "GUID", "DateTime", "set"}

// Value is an attribute or literal value: a string, an integer, a boolean, a GUID, a time or a set of them.
// The zero Value is no value at all; an attribute holding it is treated as missing.
type Value struct {
	kind valueKind
	str  string
	num  int64
	time time.Time
	set  []Value
}

// StringValue returns a string value.
func StringValue(s string) Value { return Value{kind: kindString, str: s} }

// IntValue returns an integer value, for the Numeric functions.
func IntValue(n int64) Value { return Value{kind: kindInt, num: n} }

// BoolValue returns a boolean value.
func BoolValue(b bool) Value {
	v := Value{kind: kindBool}
	if b {
		v.num = 1
	}
	return v
}

// TimeValue returns a DateTime value.
func TimeValue(t time.Time) Value { return Value{kind: kindTime, time: t} }

// GUIDValue returns a GUID value from its 36-character hyphenated or 32-digit form, in either case.
func GUIDValue(s string) (Value, error) {
	g, ok := canonicalGUID(s)
	if !ok {
		return Value{}, fmt.Errorf("condition: %q is not a GUID", s)
	}
	return Value{kind: kindGUID, str: g}, nil
}

// SetValue returns a multi-valued value holding copies of vs, for the quantified functions. Its elements should
// be single values of one type; a set inside a set never satisfies a comparison.
func SetValue(vs ...Value) Value { return Value{kind: kindSet, set: append([]Value{}, vs...)} }

// String formats the value for explanations: strings quoted as in Go, sets in braces.
func (v Value) String() string { return string(v.appendTo(nil)) }

// appendTo appends the String form of v to b.
func (v *Value) appendTo(b []byte) []byte {
	switch v.kind {
	case kindString:
		return strconv.AppendQuote(b, v.str)
	case kindInt:
		return strconv.AppendInt(b, v.num, 10)
	case kindBool:
		return strconv.AppendBool(b, v.num == 1)
	case kindGUID:
		return append(b, v.str...)
	case kindTime:
		return v.time.AppendFormat(b, time.RFC3339Nano)
	case kindSet:
		b = append(b, '{')
		for i := range v.set {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = v.set[i].appendTo(b)
		}
		return append(b, '}')
	}
	return append(b, "no value"...)
}

// len is the number of values in v: a single value is a set of one.
func (v *Value) len() int {
	if v.kind == kindSet {
		return len(v.set)
	}
	return 1
}

// at returns the i-th value of v, seen as a set.
func (v *Value) at(i int) *Value {
	if v.kind == kindSet {
		return &v.set[i]
	}
	return v
}

// compare orders two values of the same kind.
func (v *Value) compare(w *Value) int {
	switch v.kind {
	case kindInt, kindBool:
		return cmp.Compare(v.num, w.num)
	case kindTime:
		return v.time.Compare(w.time)
	}
	return strings.Compare(v.str, w.str)
}

// canonicalGUID returns s as a lower-case hyphenated GUID, accepting the hyphenated and the 32-digit forms in
// either case (spec abac-conditions.md §4.7).
func canonicalGUID(s string) (string, bool) {
	if len(s) == 36 {
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return "", false
		}
		s = s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	}
	if len(s) != 32 {
		return "", false
	}
	b := make([]byte, 0, 36)
	for i := 0; i < 32; i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			c += 'a' - 'A'
		default:
			return "", false
		}
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b = append(b, '-')
		}
		b = append(b, c)
	}
	return string(b), true
}
