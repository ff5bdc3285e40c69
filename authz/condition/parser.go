package condition

import "strings"

// parser is a recursive-descent parser with one method per rule of the grammar in spec abac-conditions.md §3,
// named after the rule. Errors panic with an *Error, which parse recovers.
type parser struct {
	src   string
	toks  []token
	i     int // index of the current token
	depth int // nesting of parentheses and NOTs
}

// parse lexes and parses src into a syntax tree. It does not check names, types or attributes.
func parse(src string) (n node, err *Error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			n, err = nil, e
		}
	}()
	return p.condition(), nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// errorf returns an error at token t, for the caller to panic with.
func (p *parser) errorf(t token, format string, args ...any) *Error {
	return newError(p.src, t.pos, format, args...)
}

// expect consumes a token of kind k, described as what in the error if the current token is another.
func (p *parser) expect(k tokenKind, what string) token {
	t := p.next()
	if t.kind != k {
		panic(p.errorf(t, "expected %s but found %s", what, describe(t)))
	}
	return t
}

// enter counts one more level of nesting at token t and fails beyond maxDepth. A NOT directly before '(' shares
// the parenthesis' level, so that String, which prints every NOT as !(…), is never deeper than its source.
func (p *parser) enter(t token) {
	if p.depth++; p.depth > maxDepth {
		panic(p.errorf(t, "condition nested more than %d levels deep", maxDepth))
	}
}

// condition = ws , or_expr , ws ;  (the whole input must be consumed)
func (p *parser) condition() node {
	n := p.orExpr()
	if t := p.peek(); t.kind != tokEOF {
		panic(p.errorf(t, "expected AND, OR or end of input but found %s", describe(t)))
	}
	return n
}

// or_expr = and_expr , { or_op , and_expr } ;
func (p *parser) orExpr() node {
	x := []node{p.andExpr()}
	for p.peek().kind == tokOr {
		p.next()
		x = append(x, p.andExpr())
	}
	if len(x) == 1 {
		return x[0]
	}
	return &orNode{x}
}

// and_expr = unary , { and_op , unary } ;
func (p *parser) andExpr() node {
	x := []node{p.unary()}
	for p.peek().kind == tokAnd {
		p.next()
		x = append(x, p.unary())
	}
	if len(x) == 1 {
		return x[0]
	}
	return &andNode{x}
}

// unary = not_op , unary | "Exists" , attribute_ref | primary ;
func (p *parser) unary() node {
	switch t := p.peek(); {
	case t.kind == tokNot:
		p.next()
		if p.peek().kind == tokLParen { // the parenthesis counts for both
			return &notNode{pos: t.pos, x: p.unary()}
		}
		p.enter(t)
		n := &notNode{pos: t.pos, x: p.unary()}
		p.depth--
		return n
	case t.is("Exists"):
		p.next()
		return &existsNode{pos: t.pos, attr: p.attributeRef("after Exists")}
	}
	return p.primary()
}

// primary = "(" , or_expr , ")" | action_matches | subop_matches | comparison ;
func (p *parser) primary() node {
	switch t := p.peek(); {
	case t.kind == tokLParen:
		p.next()
		p.enter(t)
		n := p.orExpr()
		p.expect(tokRParen, "')'")
		p.depth--
		return n
	case t.is("ActionMatches"):
		return p.actionMatches()
	case t.is("SubOperationMatches"):
		return p.subopMatches()
	}
	return p.comparison()
}

// action_matches = "ActionMatches" , "{" , string_lit , "}" ;
func (p *parser) actionMatches() node {
	t := p.next()
	p.expect(tokLBrace, "'{' after ActionMatches")
	n := &actionNode{pos: t.pos, pattern: p.stringLit("an action pattern in single quotes")}
	p.expect(tokRBrace, "'}'")
	return n
}

// subop_matches = "SubOperationMatches" , "{" , string_lit , "}" ;
func (p *parser) subopMatches() node {
	t := p.next()
	p.expect(tokLBrace, "'{' after SubOperationMatches")
	n := &subOpNode{pos: t.pos, name: p.stringLit("a sub-operation name in single quotes")}
	p.expect(tokRBrace, "'}'")
	return n
}

// comparison = operand , operator , operand ;
func (p *parser) comparison() node {
	if t := p.peek(); !startsOperand(t) {
		panic(p.errorf(t, "expected a condition but found %s", describe(t)))
	}
	n := &compareNode{left: p.operand("a value")}
	n.quant, n.fn = p.operator()
	n.right = p.operand("a value after " + n.operator())
	return n
}

// startsOperand reports whether t can start an operand.
func startsOperand(t token) bool {
	switch t.kind {
	case tokAttr, tokString, tokInt, tokGUID, tokLBrace:
		return true
	}
	return t.is("true") || t.is("false")
}

// operand = attribute_ref | scalar_lit | set_lit ;
func (p *parser) operand(what string) node {
	switch p.peek().kind {
	case tokAttr:
		return p.attributeRef(what)
	case tokLBrace:
		return p.setLit()
	}
	return p.scalarLit(what)
}

// operator = [ quantifier , ":" ] , function_name ;  (no spaces around ':')
func (p *parser) operator() (quant, fn name) {
	t := p.expect(tokWord, "an operator such as StringEquals")
	if p.peek().kind != tokColon {
		return name{}, name{t.pos, t.text}
	}
	colon := p.next()
	f := p.expect(tokWord, "a function name after '"+t.text+":'")
	if colon.pos != t.pos+len(t.text) || f.pos != colon.pos+1 {
		panic(p.errorf(colon, "unexpected space around ':' in %s:%s", t.text, f.text))
	}
	return name{t.pos, t.text}, name{f.pos, f.text}
}

// attribute_ref = "@" , source , "[" , attr_id , "]" ;
func (p *parser) attributeRef(what string) *attrRef {
	t := p.expect(tokAttr, "an attribute such as @Request[…] "+what)
	open := strings.IndexByte(t.text, '[')
	src, ok := lookupSource(t.text[1:open])
	if !ok {
		panic(p.errorf(t, "unknown attribute source '%s'; want @Request, @Resource, @Principal or @Environment", t.text[:open]))
	}
	id := strings.TrimSpace(t.text[open+1 : len(t.text)-1])
	if id == "" {
		panic(p.errorf(t, "empty attribute name in %s", describe(t)))
	}
	return &attrRef{pos: t.pos, source: src, id: id}
}

// set_lit = "{" , scalar_lit , { "," , scalar_lit } , "}" ;
func (p *parser) setLit() *setLit {
	t := p.next()
	s := &setLit{pos: t.pos, elems: []*literal{p.scalarLit("a value")}}
	for p.peek().kind == tokComma {
		p.next()
		s.elems = append(s.elems, p.scalarLit("a value"))
	}
	p.expect(tokRBrace, "',' or '}'")
	return s
}

// scalar_lit = string_lit | int_lit | bool_lit | guid_lit ;
func (p *parser) scalarLit(what string) *literal {
	t := p.next()
	switch {
	case t.kind == tokString:
		return &literal{pos: t.pos, kind: litString, text: t.text[1 : len(t.text)-1]}
	case t.kind == tokInt:
		return &literal{pos: t.pos, kind: litInt, text: t.text}
	case t.kind == tokGUID:
		return &literal{pos: t.pos, kind: litGUID, text: t.text}
	case t.is("true"), t.is("false"):
		return &literal{pos: t.pos, kind: litBool, text: t.text}
	}
	hint := ""
	if t.kind == tokWord {
		hint = " (string values are written in single quotes)"
	}
	panic(p.errorf(t, "expected %s but found %s%s", what, describe(t), hint))
}

// stringLit parses a string literal, described as what in the error if the current token is another.
func (p *parser) stringLit(what string) *literal {
	t := p.expect(tokString, what)
	return &literal{pos: t.pos, kind: litString, text: t.text[1 : len(t.text)-1]}
}

// maxDepth bounds the nesting of parentheses and NOTs (choiceDepth).
const maxDepth = 64
