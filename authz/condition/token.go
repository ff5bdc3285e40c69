package condition

import (
	"strings"
	"unicode/utf8"
)

// tokenKind is the kind of a token.
type tokenKind uint8

const (
	tokEOF    tokenKind = iota // end of input
	tokLParen                  // (
	tokRParen                  // )
	tokLBrace                  // {
	tokRBrace                  // }
	tokComma                   // , between set elements
	tokColon                   // : between a quantifier and its function
	tokAnd                     // AND or &&
	tokOr                      // OR or ||
	tokNot                     // NOT or !
	tokAttr                    // @Source[attribute id], one token
	tokString                  // 'single-quoted', text with quotes and backslash escapes as written
	tokInt                     // decimal digits, optionally after '-'
	tokGUID                    // unquoted GUID, hyphenated or 32 hex digits
	tokWord                    // any other run of letters, digits, '_', '.', '-': names, true, false
)

// token is one lexical token.
type token struct {
	kind tokenKind
	pos  int    // byte offset in the source
	text string // the source text of the token
}

// is reports whether t is the word w, ignoring case.
func (t token) is(w string) bool { return t.kind == tokWord && strings.EqualFold(t.text, w) }

// maxQuoted bounds how much of a token an error message repeats.
const maxQuoted = 40

// describe names a token for an error message: "end of input", "string 'x'" or the text in quotes.
func describe(t token) string {
	text := t.text
	if len(text) > maxQuoted {
		n := maxQuoted
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n] + "…"
	}
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return "string " + text
	}
	return "'" + text + "'"
}
