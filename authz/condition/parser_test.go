package condition

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// canonical spellings of the spec's conditions.
const (
	readBlockCanon = "!(ActionMatches{'" + cr + "content/read'}) AND !(ActionMatches{'" + cr + "metadata/read'})"
	cExactCanon    = "(" + readBlockCanon + ") OR " + repoName + " StringEqualsIgnoreCase 'nginx'"
)

var parseTests = []struct {
	name   string
	input  string
	ok     bool
	result string // canonical String() when ok
	choice choice
}{
	{"C-exact", cExact, true, cExactCanon, noChoice},
	{"C-prefix", cPrefix, true, "(" + readBlockCanon + ") OR " + repoName + " StringStartsWithIgnoreCase 'backend/'", noChoice},
	{"C-prefix-noslash", cPrefixNoSlash, true, "(" + readBlockCanon + ") OR " + repoName + " StringStartsWithIgnoreCase 'backend'", noChoice},
	{"C-two-prefixes", cTwoPrefixes, true, "(" + readBlockCanon + ") OR (" + repoName + " StringStartsWithIgnoreCase 'backend/' OR " +
		repoName + " StringStartsWithIgnoreCase 'frontend/js/')", noChoice},
	{"ACR article flattened", acrFlat, true, "(" + readBlockCanon + ") OR " + repoName + " StringEqualsIgnoreCase 'hello-world'", noChoice},
	{"ACR article multi-line", acrMultiLine, true, "(" + readBlockCanon + ") OR " + repoName + " StringEqualsIgnoreCase 'hello-world'", noChoice},
	{"case 9", case9, true, "(" + readBlockCanon + ") OR " + repoName + " StringEquals 'Nginx'", noChoice},
	{"case 14 NOT comparison", case14, true, "!(ActionMatches{'" + cr + "content/write'}) OR !(" + repoName + " StringStartsWithIgnoreCase 'prod/')", choiceNotOperand},
	{"case 15", case15, true, "!(ActionMatches{'" + cr + "*'}) OR " + repoName + " StringStartsWithIgnoreCase 'team-a/'", noChoice},
	{"case 16", case16, true, "!(ActionMatches{'Microsoft.ContainerRegistry/registries/*/read'}) OR " + repoName + " StringEqualsIgnoreCase 'nginx'", noChoice},
	{"case 17", case17, true, "(!(ActionMatches{'microsoft.containerregistry/registries/repositories/CONTENT/read'}) AND !(ActionMatches{'" + cr +
		"metadata/read'})) OR " + repoName + " StringEqualsIgnoreCase 'nginx'", noChoice},
	{"case 18", case18, true, "((!(ActionMatches{'" + cr + "content/delete'}) AND !(ActionMatches{'" + cr + "metadata/delete'})) OR " + repoName +
		" StringStartsWithIgnoreCase 'scratch/') AND ((!(ActionMatches{'" + cr + "content/write'}) AND !(ActionMatches{'" + cr + "metadata/write'})) OR (" +
		repoName + " StringStartsWithIgnoreCase 'scratch/' OR " + repoName + " StringStartsWithIgnoreCase 'dev/'))", noChoice},
	{"case 20", case20, true, "!(ActionMatches{'" + cr + "content/read'} AND SubOperationMatches{'Blob.List'}) OR " + repoName + " StringEqualsIgnoreCase 'nginx'", noChoice},
	{"case 25", case25, true, "!(ActionMatches{'" + cr + "content/read'}) OR " + repoName + " ForAnyOfAnyValues:StringEqualsIgnoreCase {'nginx', 'redis'}", noChoice},
	{"case 26", case26, true, "!(ActionMatches{'" + cr + "content/read'}) OR " + repoName + " StringLikeIgnoreCase 'team-?/*'", noChoice},
	{"no ActionMatches", repoName + " StringEqualsIgnoreCase 'x'", true, repoName + " StringEqualsIgnoreCase 'x'", choiceNoTargeting},
	{"sub-operation targeting", "!(ActionMatches{'" + blobRead + "'} AND NOT SubOperationMatches{'Blob.List'})", true,
		"!(ActionMatches{'" + blobRead + "'} AND !(SubOperationMatches{'Blob.List'}))", noChoice},
	{"NOT Exists", "NOT Exists " + repoName, true, "!(Exists " + repoName + ")", noChoice},
	{"quantifier sets", "{'red', 'blue'} ForAnyOfAnyValues:StringEquals {'blue', 'green'}", true, "{'red', 'blue'} ForAnyOfAnyValues:StringEquals {'blue', 'green'}", noChoice},
	{"numeric sets", "{10,20} ForAllOfAllValues:NumericLessThan {5,15,18}", true, "{10, 20} ForAllOfAllValues:NumericLessThan {5, 15, 18}", noChoice},
	{"encryption scope", "@Resource[Microsoft.Storage/storageAccounts/encryptionScopes:name] ForAnyOfAnyValues:StringEquals {'validScope1', 'validScope2'}", true,
		"@Resource[Microsoft.Storage/storageAccounts/encryptionScopes:name] ForAnyOfAnyValues:StringEquals {'validScope1', 'validScope2'}", noChoice},
	{"bool", "@Resource[Microsoft.Storage/storageAccounts:isHnsEnabled] BoolEquals true", true, "@Resource[Microsoft.Storage/storageAccounts:isHnsEnabled] BoolEquals true", noChoice},
	{"attribute on the right", engProj + " StringEquals " + tagProj, true, engProj + " StringEquals " + tagProj, noChoice},
	{"quantified attribute on the right", tagProj + " ForAnyOfAnyValues:StringEquals " + engProj, true, tagProj + " ForAnyOfAnyValues:StringEquals " + engProj, noChoice},
	{"tag keys", tagKeys + " ForAllOfAnyValues:StringEquals {'Project', 'Program'}", true, tagKeys + " ForAllOfAnyValues:StringEquals {'Project', 'Program'}", noChoice},
	{"legacy sub-operation", "@Request[subOperation] ForAnyOfAnyValues:StringEqualsIgnoreCase {'Blob.List'}", true,
		"@Request[subOperation] ForAnyOfAnyValues:StringEqualsIgnoreCase {'Blob.List'}", noChoice},
	{"DateTime 7 digits", "@Environment[UtcNow] DateTimeGreaterThan '2022-06-01T23:38:32.8883645Z'", true,
		"@Environment[UtcNow] DateTimeGreaterThan '2022-06-01T23:38:32.8883645Z'", choiceLiterals},
	{"DateTime no fraction", "@Environment[UtcNow] DateTimeLessThanEquals '2023-05-01T13:00:00Z'", true, "@Environment[UtcNow] DateTimeLessThanEquals '2023-05-01T13:00:00Z'", choiceLiterals},
	{"GUIDs without space before brace", roleDefID + " ForAnyOfAnyValues:GuidEquals{b24988ac-6180-42a0-ab88-20f7382dd24c, 4bad4d9e2a13488894bbc8432f6f3040}", true,
		roleDefID + " ForAnyOfAnyValues:GuidEquals {b24988ac-6180-42a0-ab88-20f7382dd24c, 4bad4d9e2a13488894bbc8432f6f3040}", choiceLiterals},
	{"negative integer", "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:snapshot] NumericGreaterThan -5", true,
		"@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:snapshot] NumericGreaterThan -5", choiceLiterals},
	{"symbols", "!ActionMatches{'a'} && !ActionMatches{'b'} || " + repoName + " StringEquals 'x'", true,
		"(!(ActionMatches{'a'}) AND !(ActionMatches{'b'})) OR " + repoName + " StringEquals 'x'", noChoice},
	{"keywords in any case", "not actionmatches{'a'} and EXISTS @request[microsoft.containerregistry/registries/repositories:NAME] Or " +
		"@Resource[Microsoft.Storage/storageAccounts:isHnsEnabled] boolequals TRUE", true,
		"(!(ActionMatches{'a'}) AND Exists @Request[microsoft.containerregistry/registries/repositories:NAME]) OR " +
			"@Resource[Microsoft.Storage/storageAccounts:isHnsEnabled] BoolEquals true", choiceKeywordCase},
	{"quantifier in any case", repoName + " forallofallvalues:stringnotequals {'a'}", true, repoName + " ForAllOfAllValues:StringNotEquals {'a'}", choiceKeywordCase},
	{"AND binds tighter than OR", "ActionMatches{'a'} OR ActionMatches{'b'} AND ActionMatches{'c'}", true,
		"ActionMatches{'a'} OR (ActionMatches{'b'} AND ActionMatches{'c'})", choicePrecedence},
	{"NOT binds tighter than AND", "NOT ActionMatches{'a'} AND ActionMatches{'b'}", true, "!(ActionMatches{'a'}) AND ActionMatches{'b'}", choicePrecedence},
	{"grouping kept", "(ActionMatches{'a'} OR ActionMatches{'b'}) OR ActionMatches{'c'}", true, "(ActionMatches{'a'} OR ActionMatches{'b'}) OR ActionMatches{'c'}", choicePrecedence},
	{"escapes", `'it\'s' StringEquals 'it\'s' AND 'a\\b' StringLike 'a\\*' AND 'x' StringLike '\*'`, true,
		`'it\'s' StringEquals 'it\'s' AND 'a\\b' StringLike 'a\\*' AND 'x' StringLike '\*'`, choiceEscapes},
	{"whitespace everywhere", "\t(\r\n ActionMatches \n{ 'a' }\n)\r\n", true, "ActionMatches{'a'}", noChoice},
	{"spaces inside attribute brackets", "Exists @Request[ " + RepositoryNameAttribute + " ]", true, "Exists " + repoName, choiceTightSyntax},
	{"plain operator with set", repoName + " StringEqualsIgnoreCase {'a', 'b'}", true, repoName + " StringEqualsIgnoreCase {'a', 'b'}", choicePlainSet},
	{"literal operands", "'abcd' StringLike 'a*c?'", true, "'abcd' StringLike 'a*c?'", noChoice},
	{"depth 64", strings.Repeat("!", 64) + "ActionMatches{'a'}", true, strings.Repeat("!(", 64) + "ActionMatches{'a'}" + strings.Repeat(")", 64), choiceDepth},
	{"exactly MaxSize", "ActionMatches{'" + strings.Repeat("a", MaxSize-17) + "'}", true, "ActionMatches{'" + strings.Repeat("a", MaxSize-17) + "'}", choiceSize},
	{"tab in string", "ActionMatches{'a\tb'}", true, "ActionMatches{'a\tb'}", choiceCharacters},
}

var errorTests = []struct {
	name   string
	input  string
	pos    string // line:col of the first error
	rx     string // matches its message
	choice choice
}{
	{"case 27 unquoted value", case27, "1:183", `^expected a value after StringEqualsIgnoreCase but found 'nginx' \(string values are written in single quotes\)$`, noChoice},
	{"unbalanced open", "((ActionMatches{'a'}) OR ActionMatches{'b'}", "1:44", `^expected '\)' but found end of input$`, noChoice},
	{"unbalanced close", "(ActionMatches{'a'}))", "1:21", `^expected AND, OR or end of input but found '\)'$`, noChoice},
	{"multi-line position", "(\n ActionMatches{'a'}\n AND\n)", "4:1", `^expected a condition but found '\)'$`, noChoice},
	{"parenthesised ActionMatches", "!(ActionMatches('" + cr + "content/read'))", "1:16", `^expected '\{' after ActionMatches but found '\('$`, noChoice},
	{"unknown operator", repoName + " StringContains 'a'", "1:68", `^unknown operator 'StringContains'$`, noChoice},
	{"Regorus NotExists", "NotExists " + repoName, "1:1", `^expected a condition but found 'NotExists'$`, noChoice},
	{"quantifier without function", repoName + " ForAnyOfAnyValues " + repoName, "1:68", `^quantifier 'ForAnyOfAnyValues' needs a function`, noChoice},
	{"undocumented quantified function", repoName + " ForAnyOfAnyValues:StringStartsWithIgnoreCase {'a/', 'b/'}", "1:68",
		`^StringStartsWithIgnoreCase cannot be used under a quantifier`, choiceQuantifiedFunctions},
	{"quantified DateTime", "@Environment[UtcNow] ForAnyOfAnyValues:DateTimeEquals {'2022-06-01T00:00:00Z'}", "1:22", `^DateTimeEquals cannot be used under a quantifier`, choiceQuantifiedFunctions},
	{"unknown quantifier", repoName + " ForSomeValues:StringEquals 'a'", "1:68", `^unknown quantifier 'ForSomeValues'$`, noChoice},
	{"control character", "ActionMatches{'a\x07b'}", "1:17", `^control character U\+0007 is not allowed$`, choiceCharacters},
	{"DEL", "ActionMatches{'a'}\x7f", "1:19", `^control character U\+007F is not allowed$`, choiceCharacters},
	{"invalid UTF-8", "ActionMatches{'\xff'}", "1:16", `^invalid UTF-8$`, choiceCharacters},
	{"line break in string", "ActionMatches{'a\nb'}", "1:15", `^string literal not terminated$`, choiceCharacters},
	{"too long", "ActionMatches{'" + strings.Repeat("a", MaxSize-16) + "'}", "1:8193", `^condition is 8193 bytes long; the limit is 8192$`, choiceSize},
	{"trailing garbage", cExact + " xyz", "1:283", `^expected AND, OR or end of input but found 'xyz'$`, noChoice},
	{"empty", "", "1:1", `^expected a condition but found end of input$`, noChoice},
	{"blank", " \n\t", "2:2", `^expected a condition but found end of input$`, noChoice},
	{"unknown Resource attribute", "@Resource[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'x'", "1:1",
		`^Resource attribute Microsoft.ContainerRegistry/registries/repositories:name is not valid\.$`, choiceAttributes},
	{"unknown Request attribute", "Exists @Request[Microsoft.ContainerRegistry/registries/repositories:tag]", "1:8",
		`^Request attribute Microsoft.ContainerRegistry/registries/repositories:tag is not valid\.$`, choiceAttributes},
	{"unknown source", "Exists @Context[x]", "1:8", `^unknown attribute source '@Context'`, noChoice},
	{"space in attribute reference", "Exists @Request [x]", "1:8", `^expected an attribute reference such as @Request\[…\]$`, choiceTightSyntax},
	{"space around colon", repoName + " ForAnyOfAnyValues :StringEquals {'a'}", "1:86", `^unexpected space around ':'`, choiceTightSyntax},
	{"double quotes", repoName + ` StringEquals "a"`, "1:81", `^unexpected '"': string literals are written in single quotes$`, choiceEscapes},
	{"unterminated string", "ActionMatches{'a\\'}", "1:15", `^string literal not terminated$`, choiceEscapes},
	{"single ampersand", "ActionMatches{'a'} & ActionMatches{'b'}", "1:20", `^expected '&&' but found '&'$`, noChoice},
	{"empty set", repoName + " ForAnyOfAnyValues:StringEquals {}", "1:100", `^expected a value but found '}'$`, noChoice},
	{"missing brace", "ActionMatches{'a' AND ActionMatches{'b'}", "1:19", `^expected '}' but found 'AND'$`, noChoice},
	{"Exists literal", "Exists 'x'", "1:8", `^expected an attribute such as @Request\[…\] after Exists but found string 'x'$`, noChoice},
	{"string for integer", repoName + " NumericEquals 5", "1:1", `^NumericEquals compares integer values, but @Request\[.*\] is a string$`, noChoice},
	{"integer for string", repoName + " StringEquals 5", "1:81", `^StringEquals compares string values, not integer 5$`, noChoice},
	{"quoted GUID", roleDefID + " GuidEquals 'b24988ac-6180-42a0-ab88-20f7382dd24c'", "1:79", `^GuidEquals compares GUID values, not string`, choiceLiterals},
	{"integer out of range", "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:snapshot] NumericEquals 9223372036854775808", "1:98",
		`^integer 9223372036854775808 is out of range$`, choiceLiterals},
	{"bad DateTime", "@Environment[UtcNow] DateTimeLessThan '2023-05-01'", "1:39", `^'2023-05-01' is not a DateTime`, choiceLiterals},
	{"set on the left", "{'a', 'b'} StringEquals 'a'", "1:1", `^a set on the left of StringEquals needs a quantifier`, choicePlainSet},
	{"negated operator with set", repoName + " StringNotEquals {'a', 'b'}", "1:84", `^StringNotEquals with a set needs a quantifier, as in ForAllOfAllValues:StringNotEquals$`, choicePlainSet},
	{"StartsWith with set", repoName + " StringStartsWith {'a/', 'b/'}", "1:85", `^StringStartsWith takes a single value; join several comparisons with OR$`, choicePlainSet},
	{"mixed set", repoName + " ForAnyOfAnyValues:StringEquals {'a', 1}", "1:105", `^StringEquals compares string values, not integer 1$`, noChoice},
	{"depth 65", strings.Repeat("!", 65) + "ActionMatches{'a'}", "1:65", `^condition nested more than 64 levels deep$`, choiceDepth},
	{"parentheses 65", strings.Repeat("(", 65) + "ActionMatches{'a'}" + strings.Repeat(")", 65), "1:65", `^condition nested more than 64 levels deep$`, choiceDepth},
	{"unexpected character", "ActionMatches{'a'} # x", "1:20", `^unexpected character '#'$`, noChoice},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseWithAttributes(tt.input, storageAttributes...)
			if err != nil {
				t.Fatalf("got error %v, want %q", err, tt.result)
			}
			if got := c.String(); got != tt.result {
				t.Errorf("got  %s\nwant %s", got, tt.result)
			}
			if c.Source() != tt.input {
				t.Errorf("got Source %q, want %q", c.Source(), tt.input)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseWithAttributes(tt.input, storageAttributes...)
			if err == nil {
				t.Fatalf("got %s, want error %s", c, tt.rx)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("got %T %v, want a non-empty ErrorList", err, err)
			}
			e := list[0]
			if got := at(tt.input, e.Pos); got != tt.pos || got != fmt.Sprintf("%d:%d", e.Line, e.Col) {
				t.Errorf("got position %s (Pos %d, Line %d, Col %d), want %s", got, e.Pos, e.Line, e.Col, tt.pos)
			}
			if !regexp.MustCompile(tt.rx).MatchString(e.Msg) {
				t.Errorf("got message %q, want match for %s", e.Msg, tt.rx)
			}
			if !strings.HasPrefix(err.Error(), tt.pos+": ") {
				t.Errorf("got Error() %q, want prefix %q", err.Error(), tt.pos+": ")
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	for _, tt := range parseTests {
		c, err := ParseWithAttributes(tt.input, storageAttributes...)
		if err != nil {
			continue // reported by TestParse
		}
		c2, err := ParseWithAttributes(c.String(), storageAttributes...)
		if err != nil {
			t.Errorf("%s: reparsing %q: got error %v, want none", tt.name, c, err)
			continue
		}
		if c2.String() != c.String() {
			t.Errorf("%s: got %q after a round trip, want %q", tt.name, c2, c)
		}
	}
}

func TestACRArticleFlattening(t *testing.T) {
	if got := strings.ReplaceAll(acrMultiLine, "\n", ""); got != acrFlat {
		t.Errorf("got %q, want %q", got, acrFlat)
	}
}

func TestDefaultAttributes(t *testing.T) {
	if _, err := Parse(cExact); err != nil {
		t.Errorf("Parse(C-exact): got %v, want no error", err)
	}
	src := "@Resource[Microsoft.Storage/storageAccounts:isHnsEnabled] BoolEquals true AND Exists @Principal[p]"
	_, err := Parse(src)
	want := "1:1: Resource attribute Microsoft.Storage/storageAccounts:isHnsEnabled is not valid. (and 1 more errors)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if list := err.(ErrorList); len(list) != 2 || list[1].Msg != "Principal attribute p is not valid." {
		t.Errorf("got %q, want two errors ending with the Principal attribute", list)
	}
}

func TestLex(t *testing.T) {
	toks, err := lex("!(ActionMatches{'a\\'b'}) && x-1 || -12 4bad4d9e2a13488894bbc8432f6f3040 AND @Request[ a b ],:")
	if err != nil {
		t.Fatal(err)
	}
	want := []tokenKind{tokNot, tokLParen, tokWord, tokLBrace, tokString, tokRBrace, tokRParen, tokAnd, tokWord, tokOr, tokInt, tokGUID,
		tokAnd, tokAttr, tokComma, tokColon, tokEOF}
	var got []tokenKind
	for _, tk := range toks {
		got = append(got, tk.kind)
	}
	if !slices.Equal(got, want) {
		t.Errorf("got kinds %v, want %v", got, want)
	}
	if toks[4].text != `'a\'b'` || toks[13].text != "@Request[ a b ]" {
		t.Errorf("got texts %q and %q, want %q and %q", toks[4].text, toks[13].text, `'a\'b'`, "@Request[ a b ]")
	}
}

func TestErrorList(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Errorf("got %v from an empty list, want nil", l.Err())
	}
	l = ErrorList{newError("ab\ncd", 4, "second"), newError("ab\ncd", 1, "first")}
	l.Sort()
	if got, want := l.Err().Error(), "1:2: first (and 1 more errors)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := l[1].Error(), "2:2: second"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNodePositions(t *testing.T) {
	src := "NOT ActionMatches{'a'} OR (Exists " + repoName + " AND SubOperationMatches{'s'})"
	n, err := parse(src)
	if err != nil {
		t.Fatal(err)
	}
	or := n.(*orNode)
	and := or.x[1].(*andNode)
	for _, tt := range []struct {
		n    node
		want string
	}{
		{or, "NOT"}, {or.x[0], "NOT"}, {or.x[0].(*notNode).x, "ActionMatches"}, {and, "Exists"}, {and.x[1], "SubOperationMatches"},
		{and.x[0].(*existsNode).attr, "@Request"},
	} {
		if got := src[tt.n.Pos():]; !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: got Pos at %.20q, want %q", tt.n, got, tt.want)
		}
	}
}
