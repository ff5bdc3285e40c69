package condition

import "strings"

// node is a node of the syntax tree. Pos is the byte offset where the node starts in the source; String
// prints canonical source: documented keyword spelling, single spaces, parentheses around every AND or OR
// nested in another operator and around every NOT operand, literals as written.
type node interface {
	Pos() int
	String() string
}

// orNode is a disjunction of two or more operands, written with OR or ||.
type orNode struct{ x []node }

// andNode is a conjunction of two or more operands, written with AND or &&.
type andNode struct{ x []node }

// notNode is a negation, written with NOT or !.
type notNode struct {
	pos int
	x   node
}

// existsNode is Exists @Source[id].
type existsNode struct {
	pos  int
	attr *attrRef
}

// actionNode is ActionMatches{'pattern'}.
type actionNode struct {
	pos     int
	pattern *literal
}

// subOpNode is SubOperationMatches{'name'}.
type subOpNode struct {
	pos  int
	name *literal
}

// compareNode is a comparison: left [quantifier ':'] function right. The names are kept as written and resolved
// by check and compile.
type compareNode struct {
	left, right node // *attrRef, *literal or *setLit
	quant, fn   name // quant.text is "" when there is no quantifier
}

// name is a word and where it was written.
type name struct {
	pos  int
	text string
}

// attrRef is an attribute reference, @Source[id].
type attrRef struct {
	pos    int
	source Source
	id     string // without surrounding spaces
}

// litKind is the kind of a literal.
type litKind uint8

const (
	litString litKind = iota // text is the body between the quotes, escapes as written
	litInt
	litBool
	litGUID
)

// literal is a single value written in the condition.
type literal struct {
	pos  int
	kind litKind
	text string
}

// setLit is a set of literals, {a, b}.
type setLit struct {
	pos   int
	elems []*literal
}

func (n *orNode) Pos() int      { return n.x[0].Pos() }
func (n *andNode) Pos() int     { return n.x[0].Pos() }
func (n *notNode) Pos() int     { return n.pos }
func (n *existsNode) Pos() int  { return n.pos }
func (n *actionNode) Pos() int  { return n.pos }
func (n *subOpNode) Pos() int   { return n.pos }
func (n *compareNode) Pos() int { return n.left.Pos() }
func (n *attrRef) Pos() int     { return n.pos }
func (n *literal) Pos() int     { return n.pos }
func (n *setLit) Pos() int      { return n.pos }

func (n *orNode) String() string     { return joinNodes(n.x, " OR ") }
func (n *andNode) String() string    { return joinNodes(n.x, " AND ") }
func (n *notNode) String() string    { return "!(" + n.x.String() + ")" }
func (n *existsNode) String() string { return "Exists " + n.attr.String() }
func (n *actionNode) String() string { return "ActionMatches{" + n.pattern.String() + "}" }
func (n *subOpNode) String() string  { return "SubOperationMatches{" + n.name.String() + "}" }
func (n *compareNode) String() string {
	return n.left.String() + " " + n.operator() + " " + n.right.String()
}
func (n *attrRef) String() string { return "@" + n.source.String() + "[" + n.id + "]" }

func (n *literal) String() string {
	switch n.kind {
	case litString:
		return "'" + n.text + "'"
	case litBool:
		return strings.ToLower(n.text)
	}
	return n.text
}

func (n *setLit) String() string {
	s := make([]string, len(n.elems))
	for i, e := range n.elems {
		s[i] = e.String()
	}
	return "{" + strings.Join(s, ", ") + "}"
}

// operator prints the comparison's operator with the documented spelling of known names.
func (n *compareNode) operator() string {
	fn := n.fn.text
	if f := lookupFunction(fn); f != nil {
		fn = f.name
	}
	if n.quant.text == "" {
		return fn
	}
	if q := lookupQuantifier(n.quant.text); q != nil {
		return q.name + ":" + fn
	}
	return n.quant.text + ":" + fn
}

// joinNodes prints operands of AND or OR, parenthesising nested ANDs and ORs.
func joinNodes(x []node, sep string) string {
	s := make([]string, len(x))
	for i, n := range x {
		switch n.(type) {
		case *orNode, *andNode:
			s[i] = "(" + n.String() + ")"
		default:
			s[i] = n.String()
		}
	}
	return strings.Join(s, sep)
}
