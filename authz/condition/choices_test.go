package condition

import "testing"

// TestChoicesPinned checks that every choice listed in choices.go is pinned by at least one test case.
func TestChoicesPinned(t *testing.T) {
	pinned := map[choice]bool{}
	for _, tt := range parseTests {
		pinned[tt.choice] = true
	}
	for _, tt := range errorTests {
		pinned[tt.choice] = true
	}
	for _, tt := range workedExamples {
		pinned[tt.choice] = true
	}
	for _, tt := range quantifierTests {
		pinned[tt.choice] = true
	}
	for _, tt := range functionTests {
		pinned[tt.choice] = true
	}
	for c := noChoice + 1; c < numChoices; c++ {
		if !pinned[c] {
			t.Errorf("choice %d: got no test case pinning it, want at least one", c)
		}
	}
}
