package condition

import "strings"

// compiler turns a checked syntax tree into an evaluator tree, once, when the condition is written. All
// explanations that do not depend on the Env are built here.
type compiler struct{ src string }

// compile compiles the tree n, parsed from src and checked.
func compile(src string, n node) evaler { return (&compiler{src}).node(n) }

func (c *compiler) node(n node) evaler {
	switch n := n.(type) {
	case *orNode:
		e := &orEval{x: c.nodes(n.x)}
		for i, x := range n.x {
			if !targeting(x) {
				e.blame = append(e.blame, e.x[i])
			}
		}
		if e.blame == nil {
			e.blame = e.x
		}
		e.ifFalse = joinStatic(e.blame, false)
		return e
	case *andNode:
		e := &andEval{x: c.nodes(n.x)}
		e.ifTrue = joinStatic(e.x, true)
		return e
	case *notNode:
		return &notEval{c.node(n.x)}
	case *existsNode:
		return &existsEval{reasons: c.reasons(n, "Exists "+short(n.attr)), attr: c.attr(n.attr)}
	case *actionNode:
		return &actionEval{reasons: c.reasons(n, n.String()), pattern: unquote(n.pattern.text)}
	case *subOpNode:
		return &subOpEval{reasons: c.reasons(n, n.String()), name: unquote(n.name.text)}
	}
	return c.compare(n.(*compareNode))
}

func (c *compiler) nodes(x []node) []evaler {
	e := make([]evaler, len(x))
	for i, n := range x {
		e[i] = c.node(n)
	}
	return e
}

// reasons returns the explanations of a node written as text, whose value never depends on attributes.
func (c *compiler) reasons(n node, text string) reasons {
	prefix := at(c.src, n.Pos()) + ": " + text
	return reasons{prefix + " is false", prefix + " is true"}
}

func (c *compiler) compare(n *compareNode) evaler {
	f := lookupFunction(n.fn.text)
	e := &compareEval{fn: f, left: c.operand(n.left, f, false), right: c.operand(n.right, f, f.op == opLike || f.op == opLikeFold)}
	if n.quant.text != "" {
		e.quant = lookupQuantifier(n.quant.text)
	}
	e.text = at(c.src, n.Pos()) + ": " + short(n.left) + " " + n.operator() + " " + short(n.right)
	e.reasons[1] = e.text + " is true"
	if !e.left.isAttr && !e.right.isAttr {
		e.reasons[0] = e.text + " is false"
	}
	return e
}

func (c *compiler) attr(a *attrRef) operand {
	label := a.id
	if i := strings.LastIndexByte(label, '/'); i >= 0 {
		label = label[i+1:]
	}
	return operand{isAttr: true, source: a.source, id: a.id, label: label}
}

// operand compiles one side of a comparison with function f; pattern is set for the right side of StringLike.
func (c *compiler) operand(n node, f *function, pattern bool) operand {
	switch n := n.(type) {
	case *attrRef:
		return c.attr(n)
	case *setLit:
		vs := make([]Value, len(n.elems))
		for i, l := range n.elems {
			vs[i], _ = literalValue(l, f.kind, pattern) // checked
		}
		return operand{value: Value{kind: kindSet, set: vs}}
	}
	v, _ := literalValue(n.(*literal), f.kind, pattern) // checked
	return operand{value: v}
}

// targeting reports whether n only tests which action is requested: ActionMatches and SubOperationMatches
// combined with AND, OR and NOT. A false OR does not report such operands; they say only that the action is
// targeted (spec abac-conditions.md §5.1).
func targeting(n node) bool {
	switch n := n.(type) {
	case *actionNode, *subOpNode:
		return true
	case *notNode:
		return targeting(n.x)
	case *orNode:
		return all(n.x, targeting)
	case *andNode:
		return all(n.x, targeting)
	}
	return false
}

func all(x []node, f func(node) bool) bool {
	for _, n := range x {
		if !f(n) {
			return false
		}
	}
	return true
}

// joinStatic joins the static explanations of x for value v, or returns "" if one of them is not static.
func joinStatic(x []evaler, v bool) string {
	s := make([]string, len(x))
	for i, e := range x {
		if s[i] = e.static(v); s[i] == "" {
			return ""
		}
	}
	return strings.Join(s, "; ")
}

// short prints an operand for explanations, abbreviating attribute ids to their last path segment, as in
// @Request[...repositories:name].
func short(n node) string {
	a, ok := n.(*attrRef)
	if !ok || !strings.Contains(a.id, "/") {
		return n.String()
	}
	return "@" + a.source.String() + "[..." + a.id[strings.LastIndexByte(a.id, '/')+1:] + "]"
}
