package condition

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// op is the test a function applies to a pair of values.
type op uint8

const (
	opEqual        op = iota // same value
	opEqualFold              // same string, ignoring case
	opPrefix                 // left starts with right
	opPrefixFold             // left starts with right, ignoring case
	opLike                   // left matches the pattern on the right
	opLikeFold               // left matches the pattern on the right, ignoring case
	opLess                   // left < right
	opLessEqual              // left <= right
	opGreater                // left > right
	opGreaterEqual           // left >= right
)

// function is one of the comparison functions of spec abac-conditions.md §4.3–§4.7.
type function struct {
	name      string    // documented spelling
	kind      valueKind // type of both operands
	op        op
	negated   bool // a Not… function: the negation of op
	quantable bool // documented under a quantifier (§4.8)
}

var functions = []function{
	{"StringEquals", kindString, opEqual, false, true},
	{"StringEqualsIgnoreCase", kindString, opEqualFold, false, true},
	{"StringNotEquals", kindString, opEqual, true, true},
	{"StringNotEqualsIgnoreCase", kindString, opEqualFold, true, true},
	{"StringStartsWith", kindString, opPrefix, false, false},
	{"StringStartsWithIgnoreCase", kindString, opPrefixFold, false, false},
	{"StringNotStartsWith", kindString, opPrefix, true, false},
	{"StringNotStartsWithIgnoreCase", kindString, opPrefixFold, true, false},
	{"StringLike", kindString, opLike, false, true},
	{"StringLikeIgnoreCase", kindString, opLikeFold, false, true},
	{"StringNotLike", kindString, opLike, true, true},
	{"StringNotLikeIgnoreCase", kindString, opLikeFold, true, true},
	{"NumericEquals", kindInt, opEqual, false, true},
	{"NumericNotEquals", kindInt, opEqual, true, true},
	{"NumericGreaterThan", kindInt, opGreater, false, true},
	{"NumericGreaterThanEquals", kindInt, opGreaterEqual, false, true},
	{"NumericLessThan", kindInt, opLess, false, true},
	{"NumericLessThanEquals", kindInt, opLessEqual, false, true},
	{"BoolEquals", kindBool, opEqual, false, false},
	{"BoolNotEquals", kindBool, opEqual, true, false},
	{"DateTimeEquals", kindTime, opEqual, false, false},
	{"DateTimeNotEquals", kindTime, opEqual, true, false},
	{"DateTimeGreaterThan", kindTime, opGreater, false, false},
	{"DateTimeGreaterThanEquals", kindTime, opGreaterEqual, false, false},
	{"DateTimeLessThan", kindTime, opLess, false, false},
	{"DateTimeLessThanEquals", kindTime, opLessEqual, false, false},
	{"GuidEquals", kindGUID, opEqual, false, true},
	{"GuidNotEquals", kindGUID, opEqual, true, true},
}

// quantifier is one of the cross-product prefixes of spec abac-conditions.md §4.8.
type quantifier struct {
	name     string
	allLeft  bool // every left value must qualify, rather than some
	allRight bool // a left value qualifies if it satisfies the function against every right value, not some
}

var quantifiers = []quantifier{
	{"ForAnyOfAnyValues", false, false},
	{"ForAllOfAnyValues", true, false},
	{"ForAnyOfAllValues", false, true},
	{"ForAllOfAllValues", true, true},
}

// anyOfAny is what a plain operator with a set on its right means (choicePlainSet).
var anyOfAny = &quantifiers[0]

// lookupFunction finds a function by name, ignoring case; nil if there is none.
func lookupFunction(s string) *function {
	for i := range functions {
		if strings.EqualFold(s, functions[i].name) {
			return &functions[i]
		}
	}
	return nil
}

// lookupQuantifier finds a quantifier by name, ignoring case; nil if there is none.
func lookupQuantifier(s string) *quantifier {
	for i := range quantifiers {
		if strings.EqualFold(s, quantifiers[i].name) {
			return &quantifiers[i]
		}
	}
	return nil
}

// checkSource applies the checks made on the raw text before lexing: the size limit (spec abac-conditions.md
// §8), valid UTF-8, and no control characters but TAB, CR and LF (§2.1).
func checkSource(src string) ErrorList {
	if len(src) > MaxSize {
		return ErrorList{newError(src, MaxSize, "condition is %d bytes long; the limit is %d", len(src), MaxSize)}
	}
	var errs ErrorList
	for i, r := range src {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(src[i:], string(utf8.RuneError)):
			errs = append(errs, newError(src, i, "invalid UTF-8"))
		case r < ' ' && r != '\t' && r != '\r' && r != '\n', r == 0x7f:
			errs = append(errs, newError(src, i, "control character %U is not allowed", r))
		}
	}
	return errs
}

// checker validates a syntax tree at write time: known functions and quantifiers, the quantifier × function table
// of spec abac-conditions.md §4.8, operand types and known attribute ids.
type checker struct {
	src   string
	known []Attribute // besides acrAttributes
	errs  ErrorList
}

// check returns every problem in the tree n parsed from src, sorted by position.
func check(src string, n node, known []Attribute) ErrorList {
	c := &checker{src: src, known: known}
	c.node(n)
	c.errs.Sort()
	return c.errs
}

func (c *checker) errorf(pos int, format string, args ...any) {
	c.errs = append(c.errs, newError(c.src, pos, format, args...))
}

func (c *checker) node(n node) {
	switch n := n.(type) {
	case *orNode:
		for _, x := range n.x {
			c.node(x)
		}
	case *andNode:
		for _, x := range n.x {
			c.node(x)
		}
	case *notNode:
		c.node(n.x)
	case *existsNode:
		c.attribute(n.attr)
	case *compareNode:
		c.compare(n)
	}
}

// attribute returns the declared value of a known attribute, or reports it as not valid (spec §2.4, §8).
func (c *checker) attribute(a *attrRef) (Value, bool) {
	for _, list := range [][]Attribute{acrAttributes, c.known} {
		for _, k := range list {
			if k.Source == a.source && strings.EqualFold(k.ID, a.id) {
				return k.Value, true
			}
		}
	}
	c.errorf(a.pos, "%s attribute %s is not valid.", a.source, a.id)
	return Value{}, false
}

func (c *checker) compare(n *compareNode) {
	f, q := lookupFunction(n.fn.text), lookupQuantifier(n.quant.text)
	switch {
	case f == nil && n.quant.text == "" && lookupQuantifier(n.fn.text) != nil:
		c.errorf(n.fn.pos, "quantifier '%s' needs a function, as in %s:StringEquals", n.fn.text, n.fn.text)
	case f == nil:
		c.errorf(n.fn.pos, "unknown operator '%s'", n.fn.text)
	case n.quant.text != "" && q == nil:
		c.errorf(n.quant.pos, "unknown quantifier '%s'", n.quant.text)
	case q != nil && !f.quantable:
		c.errorf(n.quant.pos, "%s cannot be used under a quantifier; only StringEquals, StringNotEquals, "+
			"StringLike, StringNotLike (and their IgnoreCase forms), Numeric and Guid functions can", f.name)
	}
	lset, lok := c.operand(n.left, f, false)
	rset, rok := c.operand(n.right, f, f != nil && (f.op == opLike || f.op == opLikeFold))
	if f == nil || q != nil || !lok || !rok {
		return
	}
	switch {
	case lset:
		c.errorf(n.left.Pos(), "a set on the left of %s needs a quantifier, as in ForAnyOfAnyValues:%s", f.name, f.name)
	case rset && f.negated:
		c.errorf(n.right.Pos(), "%s with a set needs a quantifier, as in ForAllOfAllValues:%s", f.name, f.name)
	case rset && !f.quantable:
		c.errorf(n.right.Pos(), "%s takes a single value; join several comparisons with OR", f.name)
	}
}

// operand checks one side of a comparison with function f (nil when unknown) and reports whether it is a set
// and whether its type is known.
func (c *checker) operand(n node, f *function, pattern bool) (set, ok bool) {
	switch n := n.(type) {
	case *attrRef:
		v, ok := c.attribute(n)
		if !ok {
			return false, false
		}
		if v.kind == kindSet && len(v.set) > 0 {
			set, v = true, v.set[0]
		}
		if f != nil && v.kind != f.kind {
			c.errorf(n.pos, "%s compares %s values, but %s is a %s", f.name, kindNames[f.kind], n, kindNames[v.kind])
		}
		return set, true
	case *setLit:
		for _, e := range n.elems {
			c.literal(e, f, pattern)
		}
		return true, true
	}
	c.literal(n.(*literal), f, pattern)
	return false, true
}

// literal checks that a literal is a valid value for function f, if f is known.
func (c *checker) literal(l *literal, f *function, pattern bool) {
	if f == nil {
		return
	}
	v, err := literalValue(l, f.kind, pattern)
	switch {
	case err != nil:
		c.errorf(l.pos, "%v", err)
	case v.kind != f.kind:
		c.errorf(l.pos, "%s compares %s values, not %s %s", f.name, kindNames[f.kind], kindNames[v.kind], l)
	}
}

// literalValue converts a literal to a Value for a function whose operands are of kind want: a string becomes
// a DateTime for the DateTime functions and keeps its escapes as written when it is a StringLike pattern.
func literalValue(l *literal, want valueKind, pattern bool) (Value, error) {
	switch l.kind {
	case litInt:
		n, err := strconv.ParseInt(l.text, 10, 64)
		if err != nil {
			return Value{}, fmt.Errorf("integer %s is out of range", l.text)
		}
		return IntValue(n), nil
	case litBool:
		return BoolValue(strings.EqualFold(l.text, "true")), nil
	case litGUID:
		return GUIDValue(l.text)
	}
	switch {
	case want == kindTime:
		t, err := time.Parse(time.RFC3339Nano, unquote(l.text))
		if err != nil {
			return Value{}, fmt.Errorf("%s is not a DateTime such as '2022-06-01T00:00:00.0Z'", l)
		}
		return TimeValue(t), nil
	case pattern:
		return StringValue(l.text), nil
	}
	return StringValue(unquote(l.text)), nil
}

// unquote returns the value of a string literal's body: \' and \\ stand for ' and \, and every other backslash
// pair is kept as written, so that \* and \? reach the StringLike matcher (choiceEscapes).
func unquote(body string) string {
	if strings.IndexByte(body, '\\') < 0 {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\\' && i+1 < len(body) && (body[i+1] == '\'' || body[i+1] == '\\') {
			i++
			c = body[i]
		}
		b.WriteByte(c)
	}
	return b.String()
}
