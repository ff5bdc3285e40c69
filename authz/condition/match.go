package condition

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MatchAction reports whether action matches pattern the way role definitions' Actions and DataActions and
// ActionMatches{…} compare them (spec abac-conditions.md §6.2, §12 Q17): ignoring case, anchored at both ends,
// with '*' matching any run of characters including '/' and every other character, '?' included, literal.
// Several '*' may appear anywhere.
func MatchAction(pattern, action string) bool {
	if strings.IndexByte(pattern, '*') < 0 {
		return strings.EqualFold(pattern, action)
	}
	return glob(pattern, action, false, true)
}

// like reports whether s matches a StringLike pattern (spec abac-conditions.md §4.3): anchored, '*' matches any
// run of characters, '?' exactly one, and a backslash before '*', '?', '\' or '\” makes that character
// literal; any other backslash is itself literal.
func like(pattern, s string, fold bool) bool { return glob(pattern, s, true, fold) }

// item is what a pattern holds at some position.
type item uint8

const (
	itemRune item = iota // a literal character
	itemStar             // '*': any run of characters
	itemOne              // '?' in a StringLike pattern: exactly one character
)

// patternItem reads the item at p[i]: its kind, the literal character and the number of bytes it takes.
func patternItem(p string, i int, likeSyntax bool) (item, rune, int) {
	switch c := p[i]; {
	case c == '*':
		return itemStar, 0, 1
	case likeSyntax && c == '?':
		return itemOne, 0, 1
	case likeSyntax && c == '\\' && i+1 < len(p) && strings.IndexByte(`*?\'`, p[i+1]) >= 0:
		return itemRune, rune(p[i+1]), 2
	case c < utf8.RuneSelf:
		return itemRune, rune(c), 1
	}
	r, n := utf8.DecodeRuneInString(p[i:])
	return itemRune, r, n
}

// glob matches s against pattern, backtracking to the last '*' on a mismatch; it runs in O(len(pattern) ×
// len(s)) time and does not allocate.
func glob(pattern, s string, likeSyntax, fold bool) bool {
	pi, si := 0, 0
	star, starS := -1, 0 // pattern index after the last '*', and where in s that star's run ends
	for si < len(s) {
		if pi < len(pattern) {
			k, pr, pn := patternItem(pattern, pi, likeSyntax)
			if k == itemStar {
				pi += pn
				star, starS = pi, si
				continue
			}
			sr, sn := decodeRune(s, si)
			if k == itemOne || pr == sr || fold && equalFold(pr, sr) {
				pi, si = pi+pn, si+sn
				continue
			}
		}
		if star < 0 {
			return false
		}
		_, n := decodeRune(s, starS)
		starS += n
		pi, si = star, starS
	}
	for pi < len(pattern) {
		k, _, pn := patternItem(pattern, pi, likeSyntax)
		if k != itemStar {
			return false
		}
		pi += pn
	}
	return true
}

// decodeRune decodes the character at s[i], with a fast path for ASCII.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// equalFold reports whether two characters are equal under Unicode simple case folding, as strings.EqualFold
// compares them.
func equalFold(a, b rune) bool {
	if a == b {
		return true
	}
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		return 'a' <= a|0x20 && a|0x20 <= 'z' && a|0x20 == b|0x20
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether s starts with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	i := 0
	for _, pr := range prefix {
		if i == len(s) {
			return false
		}
		sr, n := decodeRune(s, i)
		if !equalFold(pr, sr) {
			return false
		}
		i += n
	}
	return true
}
