package condition

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// lex splits src into tokens ending with tokEOF (spec abac-conditions.md §2, §10.1). It returns either the tokens
// or the first error, never both. Whitespace is space, TAB, CR and LF, and may appear between any two tokens.
func lex(src string) ([]token, *Error) {
	var toks []token
	for i := 0; ; {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i == len(src) {
			return append(toks, token{tokEOF, i, ""}), nil
		}
		k, n, msg := next(src[i:])
		if msg != "" {
			return nil, newError(src, i, "%s", msg)
		}
		toks = append(toks, token{k, i, src[i : i+n]})
		i += n
	}
}

// next scans the token at the start of s, which is not empty and does not start with whitespace. It returns the
// token's kind and length, or a message saying why s does not start with a token.
func next(s string) (k tokenKind, n int, msg string) {
	switch c := s[0]; c {
	case '(':
		return tokLParen, 1, ""
	case ')':
		return tokRParen, 1, ""
	case '{':
		return tokLBrace, 1, ""
	case '}':
		return tokRBrace, 1, ""
	case ',':
		return tokComma, 1, ""
	case ':':
		return tokColon, 1, ""
	case '!':
		return tokNot, 1, ""
	case '&', '|':
		if len(s) < 2 || s[1] != c {
			return 0, 0, fmt.Sprintf("expected '%c%c' but found '%c'", c, c, c)
		}
		if c == '&' {
			return tokAnd, 2, ""
		}
		return tokOr, 2, ""
	case '\'':
		return nextString(s)
	case '@':
		return nextAttr(s)
	case '"':
		return 0, 0, `unexpected '"': string literals are written in single quotes`
	}
	if !isWordByte(s[0]) {
		r, _ := utf8.DecodeRuneInString(s)
		return 0, 0, fmt.Sprintf("unexpected character %q", r)
	}
	for n = 1; n < len(s) && isWordByte(s[n]); n++ {
	}
	return wordKind(s[:n]), n, ""
}

// nextString scans a single-quoted string literal. A backslash escapes the next character, so \' does not end
// the literal; a line break does.
func nextString(s string) (tokenKind, int, string) {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && s[i+1] != '\n' && s[i+1] != '\r' {
				i++
			}
		case '\'':
			return tokString, i + 1, ""
		case '\n', '\r':
			return 0, 0, "string literal not terminated"
		}
	}
	return 0, 0, "string literal not terminated"
}

// nextAttr scans an attribute reference: '@', a source name, '[', the id and ']' on one line.
func nextAttr(s string) (tokenKind, int, string) {
	i := 1
	for i < len(s) && ('a' <= s[i]|0x20 && s[i]|0x20 <= 'z') {
		i++
	}
	if i == 1 || i == len(s) || s[i] != '[' {
		return 0, 0, "expected an attribute reference such as @Request[…]"
	}
	end := strings.IndexAny(s[i:], "]\r\n")
	if end < 0 || s[i+end] != ']' {
		return 0, 0, "attribute reference not terminated: missing ']'"
	}
	return tokAttr, i + end + 1, ""
}

// wordKind classifies a run of word bytes: a GUID, an integer, a logical operator or another word.
func wordKind(w string) tokenKind {
	if _, ok := canonicalGUID(w); ok {
		return tokGUID
	}
	digits := strings.TrimPrefix(w, "-")
	if digits != "" && strings.Trim(digits, "0123456789") == "" {
		return tokInt
	}
	switch {
	case strings.EqualFold(w, "AND"):
		return tokAnd
	case strings.EqualFold(w, "OR"):
		return tokOr
	case strings.EqualFold(w, "NOT"):
		return tokNot
	}
	return tokWord
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isWordByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
}
