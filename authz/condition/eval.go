package condition

import "strings"

// Env is what a condition is evaluated against: one request for one action.
type Env struct {
	// Action is the action or data action being authorised, e.g.
	// "Microsoft.ContainerRegistry/registries/repositories/content/read".
	Action string
	// SubOperation is the request's sub-operation, "" when there is none (ACR never has one).
	SubOperation string
	// Attributes are looked up by source and case-insensitive id; a comparison on a missing one is false.
	Attributes []Attribute
}

// Result is the outcome of an evaluation.
type Result struct {
	Value bool
	// Reason says which sub-expressions decided, each with its position in the source. When Value is false it
	// names the comparisons that failed and the attribute values they saw, e.g.
	// `1:192: @Request[...repositories:name] StringEqualsIgnoreCase 'hello-world' is false (repositories:name = "backend/nginx")`;
	// when true, what made it true, e.g. the ActionMatches that did not match or the comparison that held.
	Reason string
}

// Eval evaluates the condition against env, short-circuiting AND and OR left to right (spec abac-conditions.md
// §5). It never fails and never panics; a nil Condition is true. It does not allocate when the Reason does not
// depend on the Env, as when a condition of the documented one-block shape (§5.1) is true; a false comparison's
// Reason, which shows the attribute values, costs an allocation.
func (c *Condition) Eval(env Env) Result {
	if c == nil {
		return Result{Value: true, Reason: "no condition"}
	}
	v := c.eval.eval(env)
	return Result{Value: v, Reason: c.eval.explain(env, v)}
}

// evaler is a compiled node.
type evaler interface {
	// eval returns the node's value for env.
	eval(env Env) bool
	// explain says why the node has value v, which must be eval(env).
	explain(env Env, v bool) string
	// static returns what explain would for value v when that does not depend on the Env, else "".
	static(v bool) string
}

// reasons holds a node's explanations that do not depend on the Env, indexed by value; "" where they do.
type reasons [2]string

func (r *reasons) static(v bool) string { return r[b2i(v)] }

func b2i(v bool) int {
	if v {
		return 1
	}
	return 0
}

// orEval is OR: true at the first true operand.
type orEval struct {
	x       []evaler
	blame   []evaler // the operands whose falsity a false OR reports: all but the action-targeting ones
	ifFalse string   // the static explanation of false, or ""
}

func (e *orEval) eval(env Env) bool {
	for _, x := range e.x {
		if x.eval(env) {
			return true
		}
	}
	return false
}

func (e *orEval) explain(env Env, v bool) string {
	if !v {
		if e.ifFalse != "" {
			return e.ifFalse
		}
		return joinExplain(env, e.blame, false)
	}
	last := len(e.x) - 1
	for _, x := range e.x[:last] {
		if x.eval(env) {
			return x.explain(env, true)
		}
	}
	return e.x[last].explain(env, true)
}

func (e *orEval) static(v bool) string {
	if v {
		return ""
	}
	return e.ifFalse
}

// andEval is AND: false at the first false operand.
type andEval struct {
	x      []evaler
	ifTrue string // the static explanation of true, or ""
}

func (e *andEval) eval(env Env) bool {
	for _, x := range e.x {
		if !x.eval(env) {
			return false
		}
	}
	return true
}

func (e *andEval) explain(env Env, v bool) string {
	if v {
		if e.ifTrue != "" {
			return e.ifTrue
		}
		return joinExplain(env, e.x, true)
	}
	last := len(e.x) - 1
	for _, x := range e.x[:last] {
		if !x.eval(env) {
			return x.explain(env, false)
		}
	}
	return e.x[last].explain(env, false)
}

func (e *andEval) static(v bool) string {
	if v {
		return e.ifTrue
	}
	return ""
}

// joinExplain joins the explanations of x, all of which have value v.
func joinExplain(env Env, x []evaler, v bool) string {
	s := make([]string, 0, 8)
	for _, x := range x {
		s = append(s, x.explain(env, v))
	}
	return strings.Join(s, "; ")
}

// notEval is NOT; its operand explains it.
type notEval struct{ x evaler }

func (e *notEval) eval(env Env) bool              { return !e.x.eval(env) }
func (e *notEval) explain(env Env, v bool) string { return e.x.explain(env, !v) }
func (e *notEval) static(v bool) string           { return e.x.static(!v) }

// existsEval is Exists @Source[id]: whether the Env has the attribute.
type existsEval struct {
	reasons
	attr operand
}

func (e *existsEval) eval(env Env) bool            { return e.attr.resolve(env.Attributes) != nil }
func (e *existsEval) explain(_ Env, v bool) string { return e.reasons.static(v) }

// actionEval is ActionMatches{'pattern'}.
type actionEval struct {
	reasons
	pattern string
}

func (e *actionEval) eval(env Env) bool            { return MatchAction(e.pattern, env.Action) }
func (e *actionEval) explain(_ Env, v bool) string { return e.reasons.static(v) }

// subOpEval is SubOperationMatches{'name'}: whether the request has that sub-operation, ignoring case.
type subOpEval struct {
	reasons
	name string
}

func (e *subOpEval) eval(env Env) bool {
	return env.SubOperation != "" && strings.EqualFold(e.name, env.SubOperation)
}
func (e *subOpEval) explain(_ Env, v bool) string { return e.reasons.static(v) }

// compareEval is a comparison.
type compareEval struct {
	reasons
	fn          *function
	quant       *quantifier // nil for a plain operator
	left, right operand
	text        string // "line:col: comparison" with attribute ids shortened, the start of explanations
}

// operand is one side of a comparison: an attribute reference or a literal value.
type operand struct {
	isAttr bool
	source Source
	id     string
	label  string // the id's last path segment, naming the attribute in explanations
	value  Value  // the literal value when !isAttr
}

// resolve returns the operand's value, or nil for a missing attribute.
func (o *operand) resolve(attrs []Attribute) *Value {
	if !o.isAttr {
		return &o.value
	}
	for i := range attrs {
		a := &attrs[i]
		if a.Source == o.source && len(a.ID) == len(o.id) && strings.EqualFold(a.ID, o.id) && a.Value.kind != kindNone {
			return &a.Value
		}
	}
	return nil
}

func (e *compareEval) eval(env Env) bool {
	l, r := e.left.resolve(env.Attributes), e.right.resolve(env.Attributes)
	switch {
	case l == nil || r == nil:
		return false // choiceMissingAttribute
	case e.quant != nil:
		return e.quant.holds(e.fn, l, r)
	case l.kind == kindSet:
		return false // choiceMultiValued
	case r.kind == kindSet:
		return !e.fn.negated && anyOfAny.holds(e.fn, l, r) // choicePlainSet
	}
	return e.fn.apply(l, r)
}

func (e *compareEval) explain(env Env, v bool) string {
	if s := e.reasons.static(v); s != "" {
		return s
	}
	var scratch [256]byte
	b := append(append(scratch[:0], e.text...), " is false ("...)
	for i, o := range [2]*operand{&e.left, &e.right} {
		if !o.isAttr {
			continue
		}
		if i > 0 && e.left.isAttr {
			b = append(b, ", "...)
		}
		b = append(b, o.label...)
		if val := o.resolve(env.Attributes); val != nil {
			b = val.appendTo(append(b, " = "...))
		} else {
			b = append(b, " is missing"...)
		}
	}
	return string(append(b, ')'))
}

// holds applies f to the cross product of l and r, each seen as a set (spec abac-conditions.md §4.8). With
// an empty left side, ForAny… is false and ForAll… true (choiceEmptySet); likewise on the right.
func (q *quantifier) holds(f *function, l, r *Value) bool {
	for i := range l.len() {
		if q.holdsFor(f, l.at(i), r) != q.allLeft {
			return !q.allLeft
		}
	}
	return q.allLeft
}

// holdsFor reports whether one left value qualifies against r.
func (q *quantifier) holdsFor(f *function, l, r *Value) bool {
	for j := range r.len() {
		if f.apply(l, r.at(j)) != q.allRight {
			return !q.allRight
		}
	}
	return q.allRight
}

// apply applies f to two single values; values of another type than f's make it false (choiceMultiValued).
func (f *function) apply(l, r *Value) bool {
	if l.kind != f.kind || r.kind != f.kind {
		return false
	}
	var ok bool
	switch f.op {
	case opEqual:
		ok = l.compare(r) == 0
	case opEqualFold:
		ok = strings.EqualFold(l.str, r.str)
	case opPrefix:
		ok = strings.HasPrefix(l.str, r.str)
	case opPrefixFold:
		ok = hasPrefixFold(l.str, r.str)
	case opLike, opLikeFold:
		ok = like(r.str, l.str, f.op == opLikeFold)
	case opLess:
		ok = l.compare(r) < 0
	case opLessEqual:
		ok = l.compare(r) <= 0
	case opGreater:
		ok = l.compare(r) > 0
	case opGreaterEqual:
		ok = l.compare(r) >= 0
	}
	return ok != f.negated
}
