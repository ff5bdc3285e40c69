package condition

// choice names one decision this package makes where spec abac-conditions.md leaves Azure's behaviour open
// (its §12 lists the open questions and recommends defaults, which are followed here) or does not state it.
// This block is the one place that lists them. Test cases that pin a choice name it, and TestChoicesPinned
// checks that every choice is pinned by at least one test.
type choice int

const (
	noChoice choice = iota // a test case that pins no choice

	// choiceKeywordCase (§2.2, Q1): AND, OR, NOT, Exists, ActionMatches, SubOperationMatches, quantifier and
	// function names, attribute sources and true/false are recognised in any case. Source keeps the text byte
	// for byte; String prints the documented spelling. There is no strict mode.
	choiceKeywordCase

	// choicePrecedence (§3.1, Q2): NOT binds tighter than AND, and AND tighter than OR; AND and OR may be mixed
	// without parentheses. String parenthesises every AND or OR nested in another, so its output is also valid
	// under a rule that demands parentheses.
	choicePrecedence

	// choiceNotOperand (§3.1): NOT applies to the unary expression that follows, so
	// NOT @Request[…] StringStartsWith 'a' negates the whole comparison.
	choiceNotOperand

	// choiceEscapes (§2.3, Q3): in a string literal \' and \\ stand for ' and \; every other backslash pair
	// is kept as two characters. In a StringLike pattern \*, \?, \\ and \' are the literal character and any
	// other backslash is literal. Double-quoted strings are rejected.
	choiceEscapes

	// choiceCharacters (§2.1): characters below U+0020 other than TAB, CR and LF, DEL (U+007F) and invalid
	// UTF-8 are rejected anywhere; a string literal or attribute reference may not span lines.
	choiceCharacters

	// choiceSize (§8, Q12): the 8 KB limit is MaxSize = 8192 bytes of UTF-8.
	choiceSize

	// choiceTightSyntax (§3 EBNF): no whitespace around ':' in Quantifier:Function and none inside
	// "@Source[", as in every example; whitespace inside the brackets around the id is trimmed.
	choiceTightSyntax

	// choiceLiterals (§2.2, §3): integers are decimal with an optional '-' and must fit in 64 bits; GUIDs are
	// unquoted, hyphenated or 32 hex digits, compared ignoring case, and a quoted GUID is a type error;
	// DateTimes are string literals in RFC 3339 form ('2022-06-01T00:00:00.0Z', 0 to 9 fractional digits).
	choiceLiterals

	// choiceAttributes (§2.4, §7.3, Q6): only @Request[Microsoft.ContainerRegistry/registries/repositories:name]
	// is known, its id matched ignoring case; any other attribute, @Resource[…repositories:name] included, is
	// rejected as "<Source> attribute <id> is not valid.". ParseWithAttributes declares more.
	choiceAttributes

	// choiceQuantifiedFunctions (§4.8, Q9): under a quantifier only the documented functions are accepted:
	// String(Not)Equals, String(Not)Like (and IgnoreCase forms), the six Numeric and the two Guid functions.
	choiceQuantifiedFunctions

	// choicePlainSet (§4.9, Q8): a plain operator with a set on the right means ForAnyOfAnyValues:operator and
	// is accepted only where that form is (not for Not… functions, StartsWith, Bool or DateTime); a set on the
	// left needs a quantifier.
	choicePlainSet

	// choiceMissingAttribute (§5.4, Q10): a comparison with a missing attribute is false, for Not… functions too;
	// NOT negates that false. Exists tests presence.
	choiceMissingAttribute

	// choiceEmptySet (§4.8, Q11): over an empty set ForAny… is false and ForAll… is vacuously true; a missing
	// attribute is not an empty set.
	choiceEmptySet

	// choiceMultiValued (§5.5): at evaluation a plain operator with a multi-valued attribute on the left is
	// false, and a value of another type than the function's makes the comparison false.
	choiceMultiValued

	// choiceLike (§4.3): '*' matches any run of characters, the empty one and '/' included; '?' exactly one
	// character (a Unicode code point); the pattern is anchored at both ends.
	choiceLike

	// choiceIgnoreCase (§4.3): IgnoreCase functions, ActionMatches and SubOperationMatches compare with Unicode
	// simple case folding, as strings.EqualFold does.
	choiceIgnoreCase

	// choiceActionMatch (§4.2, §6.2, Q17): MatchAction, for ActionMatches and role definitions alike, ignores
	// case, is anchored, lets '*' match any run including '/' and treats '?' literally.
	choiceActionMatch

	// choiceSubOperation (§4.2): SubOperationMatches{'x'} is true iff the request's sub-operation equals x
	// ignoring case; a request without one (every ACR request) never matches.
	choiceSubOperation

	// choiceNoTargeting (§5.3, Q7): a condition without ActionMatches is accepted and evaluated literally.
	choiceNoTargeting

	// choiceDepth (not in the spec): parentheses and NOTs nest at most maxDepth = 64 levels, a NOT directly
	// before '(' sharing the parenthesis' level; this bounds recursion on hostile input.
	choiceDepth

	numChoices
)
