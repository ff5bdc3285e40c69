package condition

import "testing"

func BenchmarkEvalTwoPrefix(b *testing.B) {
	c := mustParse(b, cTwoPrefixes)
	for _, bb := range []struct {
		name string
		env  Env
	}{
		{"match", env(read, "frontend/js/app")},
		{"nomatch", env(read, "other/app")},
		{"untargeted", env(write, "other/app")},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Eval(bb.env)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(cTwoPrefixes); err != nil {
			b.Fatal(err)
		}
	}
}
