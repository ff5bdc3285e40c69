package condition

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// env is a request for action on repository repo ("" for none, as for catalog/read).
func env(action, repo string) Env {
	e := Env{Action: action}
	if repo != "" {
		e.Attributes = []Attribute{{SourceRequest, RepositoryNameAttribute, StringValue(repo)}}
	}
	return e
}

func mustParse(t testing.TB, src string) *Condition {
	t.Helper()
	c, err := ParseWithAttributes(src, storageAttributes...)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return c
}

const (
	read  = cr + "content/read"
	meta  = cr + "metadata/read"
	write = cr + "content/write"
	del   = cr + "content/delete"
)

// workedExamples are the single-condition worked examples of spec abac-conditions.md §9.
var workedExamples = []struct {
	name   string
	cond   string
	action string
	repo   string
	want   bool
	choice choice
}{
	{"1 exact", cExact, read, "nginx", true, noChoice},
	{"2 full name must match", cExact, read, "backend/nginx", false, noChoice},
	{"3 metadata targeted", cExact, meta, "nginx-proxy", false, noChoice},
	{"4 prefix", cPrefix, read, "backend/redis", true, noChoice},
	{"5 trailing slash excludes siblings", cPrefix, read, "backend-infra/k8s", false, noChoice},
	{"6 root repository", cPrefix, read, "backend", false, noChoice},
	{"7 no slash: backend-infra/k8s", cPrefixNoSlash, read, "backend-infra/k8s", true, noChoice},
	{"7 no slash: backendsvc/containers", cPrefixNoSlash, read, "backendsvc/containers", true, noChoice},
	{"7 no slash: backend", cPrefixNoSlash, read, "backend", true, noChoice},
	{"8 two prefixes: frontend/js/vue", cTwoPrefixes, read, "frontend/js/vue", true, noChoice},
	{"8 two prefixes: frontend/css/app", cTwoPrefixes, read, "frontend/css/app", false, noChoice},
	{"9 StringEquals is case-sensitive", case9, read, "nginx", false, noChoice},
	{"10 write not targeted", cPrefix, write, "other/app", true, noChoice},
	{"11 read targeted", cPrefix, read, "other/app", false, noChoice},
	{"14 write prod/api", case14, write, "prod/api", false, choiceNotOperand},
	{"14 write dev/api", case14, write, "dev/api", true, choiceNotOperand},
	{"14 read prod/api", case14, read, "prod/api", true, noChoice},
	{"15 delete team-b/x", case15, del, "team-b/x", false, choiceActionMatch},
	{"15 delete team-a/x", case15, del, "team-a/x", true, choiceActionMatch},
	{"16 * spans segments", case16, read, "redis", false, choiceActionMatch},
	{"17 action case ignored", case17, read, "redis", false, choiceIgnoreCase},
	{"18 read prod/a", case18, read, "prod/a", true, noChoice},
	{"18 write dev/a", case18, write, "dev/a", true, noChoice},
	{"18 delete dev/a", case18, del, "dev/a", false, noChoice},
	{"18 delete scratch/a", case18, del, "scratch/a", true, noChoice},
	{"20 no ACR sub-operations", case20, read, "redis", true, choiceSubOperation},
	{"25 equals one of", case25, read, "redis", true, noChoice},
	{"26 team-a/api", case26, read, "team-a/api", true, choiceLike},
	{"26 team-ab/api", case26, read, "team-ab/api", false, choiceLike},
	{"26 team-a", case26, read, "team-a", false, choiceLike},
	{"19 catalog not targeted", cPrefix, "Microsoft.ContainerRegistry/registries/catalog/read", "", true, noChoice},
	{"targeted without the attribute", "ActionMatches{'*'} AND " + repoName + " StringNotEquals 'x'", read, "", false, choiceMissingAttribute},
	{"NOT of a missing attribute", "NOT " + repoName + " StringEquals 'x'", read, "", true, choiceMissingAttribute},
	{"Exists missing", "Exists " + repoName, read, "", false, choiceMissingAttribute},
	{"Exists present", "Exists " + repoName, read, "a", true, noChoice},
	{"no ActionMatches", repoName + " StringEqualsIgnoreCase 'x'", write, "y", false, choiceNoTargeting},
	{"action ? is literal", "ActionMatches{'" + cr + "content/rea?'}", read, "", false, choiceActionMatch},
}

func TestWorkedExamples(t *testing.T) {
	for _, tt := range workedExamples {
		t.Run(tt.name, func(t *testing.T) {
			r := mustParse(t, tt.cond).Eval(env(tt.action, tt.repo))
			if r.Value != tt.want {
				t.Errorf("got %v (%s), want %v", r.Value, r.Reason, tt.want)
			}
			if r.Reason == "" {
				t.Error("got an empty Reason")
			}
		})
	}
}

// tags is a request with the given blob index tag keys.
func tags(keys ...string) Env {
	vs := make([]Value, len(keys))
	for i, k := range keys {
		vs[i] = StringValue(k)
	}
	return Env{Attributes: []Attribute{{SourceRequest, strings.TrimSuffix(strings.TrimPrefix(tagKeys, "@Request["), "]"), SetValue(vs...)}}}
}

// quantifierTests hold the documented truth values of spec abac-conditions.md §4.8 and the empty-set rules.
var quantifierTests = []struct {
	cond   string
	env    Env
	want   bool
	choice choice
}{
	{"{'red', 'blue'} ForAnyOfAnyValues:StringEquals {'blue', 'green'}", Env{}, true, noChoice},
	{"{'red', 'blue'} ForAnyOfAnyValues:StringEquals {'orange', 'green'}", Env{}, false, noChoice},
	{"{'red', 'blue'} ForAllOfAnyValues:StringEquals {'orange', 'red', 'blue'}", Env{}, true, noChoice},
	{"{'red', 'blue'} ForAllOfAnyValues:StringEquals {'red', 'green'}", Env{}, false, noChoice},
	{"{10, 20} ForAnyOfAllValues:NumericLessThan {15, 18}", Env{}, true, noChoice},
	{"{10, 20} ForAllOfAllValues:NumericLessThan {5, 15, 18}", Env{}, false, noChoice},
	{"{10, 20} ForAllOfAllValues:NumericLessThan {25, 30}", Env{}, true, noChoice},
	{"{10, 20} ForAllOfAllValues:NumericLessThan {15, 25, 30}", Env{}, false, noChoice},
	{"{10, 20} ForAnyOfAllValues:NumericLessThan {5, 15}", Env{}, false, noChoice},
	{"{'a', 'b'} ForAllOfAllValues:StringNotEquals {'c', 'd'}", Env{}, true, noChoice},
	{"{'a', 'b'} ForAnyOfAnyValues:StringLike {'x*', 'b?'}", Env{}, false, noChoice},
	{"{'a', 'bc'} ForAnyOfAnyValues:StringLike {'x*', 'b?'}", Env{}, true, noChoice},
	{"{b24988ac-6180-42a0-ab88-20f7382dd24c} ForAnyOfAnyValues:GuidEquals {B24988AC618042A0AB8820F7382DD24C}", Env{}, true, choiceLiterals},
	{"'nginx' ForAnyOfAnyValues:StringEquals {'redis', 'nginx'}", Env{}, true, noChoice},
	{tagKeys + " ForAllOfAnyValues:StringEquals {'Project', 'Program'}", tags("Project", "Program"), true, noChoice},
	{tagKeys + " ForAllOfAnyValues:StringEquals {'Project', 'Program'}", tags("Project", "Cost"), false, noChoice},
	{tagKeys + " ForAnyOfAnyValues:StringEquals {'Project'}", tags("Cost", "Project"), true, noChoice},
	{tagKeys + " ForAllOfAnyValues:StringEquals {'Project'}", tags(), true, choiceEmptySet},
	{tagKeys + " ForAllOfAllValues:StringEquals {'Project'}", tags(), true, choiceEmptySet},
	{tagKeys + " ForAnyOfAnyValues:StringEquals {'Project'}", tags(), false, choiceEmptySet},
	{tagKeys + " ForAnyOfAllValues:StringEquals {'Project'}", tags(), false, choiceEmptySet},
	{"{'a'} ForAnyOfAllValues:StringEquals " + tagKeys, tags(), true, choiceEmptySet},
	{"{'a'} ForAllOfAnyValues:StringEquals " + tagKeys, tags(), false, choiceEmptySet},
	{tagKeys + " ForAllOfAnyValues:StringEquals {'Project'}", Env{}, false, choiceEmptySet},
	{"NOT " + tagKeys + " ForAllOfAnyValues:StringEquals {'Project'}", Env{}, true, choiceMissingAttribute},
	{repoName + " StringEquals {'a', 'b'}", env("", "b"), true, choicePlainSet},
	{repoName + " StringEquals {'a', 'b'}", env("", "c"), false, choicePlainSet},
	{engProj + " StringEquals 'x'", Env{Attributes: []Attribute{{SourcePrincipal, strings.TrimSuffix(strings.TrimPrefix(engProj, "@Principal["), "]"),
		SetValue(StringValue("x"))}}}, false, choiceMultiValued},
	{repoName + " StringEquals 'x'", Env{Attributes: []Attribute{{SourceRequest, RepositoryNameAttribute, IntValue(1)}}}, false, choiceMultiValued},
}

func TestQuantifiers(t *testing.T) {
	for _, tt := range quantifierTests {
		r := mustParse(t, tt.cond).Eval(tt.env)
		if r.Value != tt.want {
			t.Errorf("%s with %v: got %v (%s), want %v", tt.cond, tt.env.Attributes, r.Value, r.Reason, tt.want)
		}
	}
}

var utc = Env{Attributes: []Attribute{{SourceEnvironment, "utcnow", TimeValue(time.Date(2023, 5, 1, 13, 0, 0, 0, time.UTC))}}}

// functionTests cover each function family.
var functionTests = []struct {
	cond   string
	env    Env
	want   bool
	choice choice
}{
	{"'abcd' StringLike 'a*c?'", Env{}, true, choiceLike},
	{"'abcd' StringLike 'A*C?'", Env{}, false, choiceLike},
	{"'abcd' StringLike 'a*c'", Env{}, false, choiceLike},
	{"'abcd' StringLikeIgnoreCase 'A*C?'", Env{}, true, choiceLike},
	{"'logs/AlpineFile.txt' StringLike 'logs*'", Env{}, true, choiceLike},
	{"'logsAlpine.txt' StringLike 'logs*'", Env{}, true, choiceLike},
	{"'logs' StringLike 'logs*'", Env{}, true, choiceLike},
	{"'a*b' StringLike 'a\\*b'", Env{}, true, choiceEscapes},
	{"'axb' StringLike 'a\\*b'", Env{}, false, choiceEscapes},
	{"'a?' StringLike 'a\\?'", Env{}, true, choiceEscapes},
	{"'ab' StringLike 'a\\?'", Env{}, false, choiceEscapes},
	{"'a\\b' StringLike 'a\\\\*'", Env{}, true, choiceEscapes},
	{"'a\\b' StringEquals 'a\\\\b'", Env{}, true, choiceEscapes},
	{"'a\\xb' StringEquals 'a\\xb'", Env{}, true, choiceEscapes},
	{"'it\\'s' StringLike 'it\\'*'", Env{}, true, choiceEscapes},
	{"'héllo' StringLike 'h?llo'", Env{}, true, choiceLike},
	{"'abc' StringNotLike 'a*'", Env{}, false, noChoice},
	{"'ABC' StringNotLikeIgnoreCase 'x*'", Env{}, true, noChoice},
	{"'Nginx' StringEquals 'nginx'", Env{}, false, noChoice},
	{"'Nginx' StringEqualsIgnoreCase 'nginx'", Env{}, true, noChoice},
	{"'Nginx' StringNotEquals 'nginx'", Env{}, true, noChoice},
	{"'Nginx' StringNotEqualsIgnoreCase 'nginx'", Env{}, false, noChoice},
	{"'Backend/x' StringStartsWith 'backend/'", Env{}, false, noChoice},
	{"'Backend/x' StringStartsWithIgnoreCase 'backend/'", Env{}, true, noChoice},
	{"'backend' StringStartsWithIgnoreCase 'backend/'", Env{}, false, noChoice},
	{"'x' StringStartsWith ''", Env{}, true, noChoice},
	{"'Backend/x' StringNotStartsWith 'backend/'", Env{}, true, noChoice},
	{"'Backend/x' StringNotStartsWithIgnoreCase 'backend/'", Env{}, false, noChoice},
	{"'ǅx' StringStartsWithIgnoreCase 'ǆ'", Env{}, true, choiceIgnoreCase},
	{"'\u212a' StringEqualsIgnoreCase 'k'", Env{}, true, choiceIgnoreCase},
	{"'straße' StringEqualsIgnoreCase 'STRASSE'", Env{}, false, choiceIgnoreCase},
	{"5 NumericEquals 5", Env{}, true, noChoice},
	{"5 NumericNotEquals 5", Env{}, false, noChoice},
	{"-5 NumericLessThan 3", Env{}, true, choiceLiterals},
	{"3 NumericLessThanEquals 3", Env{}, true, noChoice},
	{"3 NumericGreaterThan 3", Env{}, false, noChoice},
	{"3 NumericGreaterThanEquals 3", Env{}, true, noChoice},
	{"true BoolEquals TRUE", Env{}, true, choiceKeywordCase},
	{"true BoolNotEquals false", Env{}, true, noChoice},
	{"b24988ac-6180-42a0-ab88-20f7382dd24c GuidEquals B24988AC618042A0AB8820F7382DD24C", Env{}, true, choiceLiterals},
	{"b24988ac-6180-42a0-ab88-20f7382dd24c GuidNotEquals 4bad4d9e2a13488894bbc8432f6f3040", Env{}, true, noChoice},
	{"@Environment[UtcNow] DateTimeGreaterThan '2023-05-01T12:59:59.9999999Z'", utc, true, choiceLiterals},
	{"@Environment[UtcNow] DateTimeEquals '2023-05-01T15:00:00+02:00'", utc, true, choiceLiterals},
	{"@Environment[UtcNow] DateTimeNotEquals '2023-05-01T13:00:00.000Z'", utc, false, noChoice},
	{"@Environment[UtcNow] DateTimeLessThan '2023-05-01T13:00:00Z'", utc, false, noChoice},
	{"@Environment[UtcNow] DateTimeLessThanEquals '2023-05-01T13:00:00Z'", utc, true, noChoice},
	{"@Environment[UtcNow] DateTimeGreaterThanEquals '2023-05-01T13:00:00Z'", utc, true, noChoice},
	{"SubOperationMatches{'blob.list'}", Env{SubOperation: "Blob.List"}, true, choiceSubOperation},
	{"SubOperationMatches{''}", Env{}, false, choiceSubOperation},
	{"ActionMatches{'" + blobRead + "'} AND NOT SubOperationMatches{'Blob.List'}", Env{Action: blobRead, SubOperation: "Blob.List"}, false, noChoice},
	{"ActionMatches{'a'} OR ActionMatches{'b'} AND ActionMatches{'c'}", Env{Action: "a"}, true, choicePrecedence},
	{"(ActionMatches{'a'} OR ActionMatches{'b'}) AND ActionMatches{'c'}", Env{Action: "a"}, false, choicePrecedence},
	{"NOT ActionMatches{'a'} AND ActionMatches{'b'}", Env{Action: "b"}, true, choicePrecedence},
	{"Exists @request[MICROSOFT.ContainerRegistry/registries/repositories:name]", env("", "x"), true, choiceAttributes},
}

func TestFunctions(t *testing.T) {
	for _, tt := range functionTests {
		r := mustParse(t, tt.cond).Eval(tt.env)
		if r.Value != tt.want {
			t.Errorf("%s: got %v (%s), want %v", tt.cond, r.Value, r.Reason, tt.want)
		}
	}
}

func TestReason(t *testing.T) {
	const (
		a1  = "1:8: ActionMatches{'" + cr + "content/read'}"
		a2  = "1:99: ActionMatches{'" + cr + "metadata/read'}"
		cmp = "1:192: @Request[...repositories:name] StringEqualsIgnoreCase 'hello-world'"
	)
	tests := []struct {
		name string
		cond string
		env  Env
		want string
	}{
		{"comparison false", acrFlat, env(read, "backend/nginx"), cmp + ` is false (repositories:name = "backend/nginx")`},
		{"comparison true", acrFlat, env(read, "hello-world"), cmp + " is true"},
		{"not targeted", acrFlat, env(cr+"content/write", "x"), a1 + " is false; " + a2 + " is false"},
		{"missing attribute", acrFlat, env(read, ""), cmp + " is false (repositories:name is missing)"},
		{"two prefixes false", cTwoPrefixes, env(read, "x"),
			`1:183: @Request[...repositories:name] StringStartsWithIgnoreCase 'backend/' is false (repositories:name = "x"); ` +
				`1:291: @Request[...repositories:name] StringStartsWithIgnoreCase 'frontend/js/' is false (repositories:name = "x")`},
		{"AND false at its first false operand", case18, env(cr+"content/delete", "dev/a"),
			`1:187: @Request[...repositories:name] StringStartsWithIgnoreCase 'scratch/' is false (repositories:name = "dev/a")`},
		{"multi-line positions", acrMultiLine, env(read, "x"),
			`9:3: @Request[...repositories:name] StringEqualsIgnoreCase 'hello-world' is false (repositories:name = "x")`},
		{"only targeting operands", "ActionMatches{'a'} OR ActionMatches{'b'}", Env{Action: "c"}, "1:1: ActionMatches{'a'} is false; 1:23: ActionMatches{'b'} is false"},
		{"two attributes", engProj + " StringEquals " + tagProj, Env{Attributes: []Attribute{{SourcePrincipal, strings.TrimSuffix(strings.TrimPrefix(engProj, "@Principal["), "]"), StringValue("a")}}},
			"1:1: @Principal[...Id:Engineering_Project] StringEquals @Resource[...tags:Project<$key_case_sensitive$>] is false " +
				`(Id:Engineering_Project = "a", tags:Project<$key_case_sensitive$> is missing)`},
		{"literals", "1 NumericEquals 2", Env{}, "1:1: 1 NumericEquals 2 is false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustParse(t, tt.cond).Eval(tt.env).Reason; got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestEvalNilCondition(t *testing.T) {
	var c *Condition
	if r := c.Eval(Env{}); !r.Value {
		t.Errorf("got %v, want true", r.Value)
	}
}

// TestEvalAllocations checks that a true condition of the documented shape evaluates without allocating.
func TestEvalAllocations(t *testing.T) {
	c := mustParse(t, cTwoPrefixes)
	for _, e := range []Env{env(cr+"content/read", "frontend/js/app"), env(cr+"content/read", "backend/x"), env(cr+"content/write", "x")} {
		if n := testing.AllocsPerRun(100, func() { c.Eval(e) }); n != 0 {
			t.Errorf("%s on %v: got %v allocations, want 0", e.Action, e.Attributes, n)
		}
	}
}

func TestEvalConcurrent(t *testing.T) {
	c := mustParse(t, case18)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				repo := []string{"dev/a", "scratch/a", "prod/a"}[(i+j)%3]
				want := repo == "scratch/a"
				if got := c.Eval(env(cr+"content/delete", repo)).Value; got != want {
					t.Errorf("delete %s: got %v, want %v", repo, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
