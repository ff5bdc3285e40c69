package condition

import (
	"go/build"
	"strings"
	"testing"
)

// TestStandardLibraryOnly checks that the package and its tests import only the standard library.
func TestStandardLibraryOnly(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imports := range [][]string{pkg.Imports, pkg.TestImports, pkg.XTestImports} {
		for _, p := range imports {
			if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
				t.Errorf("got import %q, want the standard library only", p)
			}
		}
	}
}
