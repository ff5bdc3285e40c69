package condition

import (
	"errors"
	"testing"
)

// seed adds every condition in the spec and in the parser tests to a fuzz corpus.
func seed(f *testing.F, add func(src string)) {
	for _, s := range specConditions {
		add(s)
	}
	for _, tt := range parseTests {
		add(tt.input)
	}
	for _, tt := range errorTests {
		add(tt.input)
	}
}

func FuzzLex(f *testing.F) {
	seed(f, func(s string) { f.Add(s) })
	f.Fuzz(func(t *testing.T, src string) {
		toks, err := lex(src)
		if (err == nil) == (toks == nil) {
			t.Fatalf("got tokens %v and error %v, want exactly one", toks, err)
		}
		if err != nil {
			if err.Pos < 0 || err.Pos >= len(src) {
				t.Fatalf("got error at %d, want one inside the %d-byte input", err.Pos, len(src))
			}
			return
		}
		end := 0
		for _, tk := range toks {
			if tk.pos < end || src[tk.pos:tk.pos+len(tk.text)] != tk.text {
				t.Fatalf("got token %+v after offset %d, want the source text at its position", tk, end)
			}
			for i := end; i < tk.pos; i++ {
				if !isSpace(src[i]) {
					t.Fatalf("got %q between tokens at %d, want whitespace", src[i], i)
				}
			}
			end = tk.pos + len(tk.text)
		}
		if last := toks[len(toks)-1]; last.kind != tokEOF || last.pos != len(src) {
			t.Fatalf("got last token %+v, want EOF at %d", last, len(src))
		}
	})
}

func FuzzParse(f *testing.F) {
	seed(f, func(s string) { f.Add(s) })
	f.Fuzz(func(t *testing.T, src string) {
		c, err := ParseWithAttributes(src, storageAttributes...)
		if (c == nil) == (err == nil) {
			t.Fatalf("got condition %v and error %v, want exactly one", c, err)
		}
		if err == nil {
			if c.Source() != src {
				t.Fatalf("got Source %q, want %q", c.Source(), src)
			}
			return
		}
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("got %T %v, want a non-empty ErrorList", err, err)
		}
		for _, e := range list {
			if e.Pos < 0 || e.Pos > len(src) || e.Line < 1 || e.Col < 1 || e.Msg == "" {
				t.Fatalf("got error %+v, want a position inside the %d-byte input and a message", e, len(src))
			}
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	seed(f, func(s string) { f.Add(s) })
	envs := []Env{env(read, "backend/x"), env(write, "frontend/js/a"), env(del, ""), tags("Project"), utc, {SubOperation: "Blob.List"}}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := ParseWithAttributes(src, storageAttributes...)
		if err != nil {
			return
		}
		s := c.String()
		if len(s) > MaxSize {
			return // canonical spacing made it longer than the limit
		}
		c2, err := ParseWithAttributes(s, storageAttributes...)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", src, s, err)
		}
		if c2.String() != s {
			t.Fatalf("%q printed as %q, then as %q", src, s, c2)
		}
		for _, e := range envs {
			if v1, v2 := c.Eval(e).Value, c2.Eval(e).Value; v1 != v2 {
				t.Fatalf("%q and its printing %q evaluate to %v and %v", src, s, v1, v2)
			}
		}
	})
}

func FuzzEval(f *testing.F) {
	seed(f, func(s string) { f.Add(s, read, "", "backend/x") })
	f.Add(cExact, "Microsoft.ContainerRegistry/registries/catalog/read", "", "")
	f.Add(case20, read, "Blob.List", "nginx")
	f.Fuzz(func(t *testing.T, src, action, subOp, repo string) {
		c, err := ParseWithAttributes(src, storageAttributes...)
		if err != nil {
			return
		}
		e := env(action, repo)
		e.SubOperation = subOp
		r := c.Eval(e)
		if r.Reason == "" {
			t.Fatalf("%q: got an empty Reason", src)
		}
		if r2 := c.Eval(e); r2 != r {
			t.Fatalf("%q: got %+v, then %+v", src, r, r2)
		}
	})
}
