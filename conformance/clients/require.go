package clients

import (
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Versions pinned by conformance/install-clients.sh for the clients built from the Go module proxy.
const (
	// CraneVersion is the go-containerregistry release whose crane the install script builds.
	CraneVersion = "v0.22.1"
	// OrasVersion is the oras CLI release that the install script builds.
	OrasVersion = "v1.3.6"
)

// InCI reports whether the tests run in CI, that is whether the CI variable is set to anything but "",
// "false" or "0". In CI a missing client is a test failure, never a skip.
func InCI() bool {
	switch os.Getenv("CI") {
	case "", "false", "0":
		return false
	}
	return true
}

// Lookup returns the absolute path of tool, searched first in $ACREMU_CLIENTS_BIN (when unset, in the bin
// directory of each $GOPATH entry, where conformance/install-clients.sh installs crane and oras), then on
// $PATH.
func Lookup(tool string) (string, error) {
	for _, dir := range binDirs() {
		p := filepath.Join(dir, tool)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	p, err := exec.LookPath(tool)
	if err != nil {
		return "", fmt.Errorf("%s is in none of %s, nor on $PATH: %w", tool, strings.Join(binDirs(), ", "), err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("absolute path of %s: %w", p, err)
	}
	return abs, nil
}

// binDirs lists the directories that Lookup searches before $PATH.
func binDirs() []string {
	if dir := os.Getenv("ACREMU_CLIENTS_BIN"); dir != "" {
		return []string{dir}
	}
	var dirs []string
	for _, gopath := range filepath.SplitList(build.Default.GOPATH) {
		if gopath != "" {
			dirs = append(dirs, filepath.Join(gopath, "bin"))
		}
	}
	return dirs
}

// Require returns the path of tool (docker, dockerd, skopeo, crane or oras; any other name is looked up
// the same way). When the tool is missing it fails the test in CI and skips it elsewhere, with a message
// telling how to install it. With -short it always skips: real clients are end-to-end tests.
func Require(t testing.TB, tool string) string {
	t.Helper()
	if testing.Short() {
		t.Skipf("%s: real-client tests do not run with -short", tool)
	}
	p, err := Lookup(tool)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%v; %s", err, installHint(tool))
	if InCI() {
		t.Fatalf("%s (CI is set: a missing client is a failure)", msg)
	}
	t.Skip(msg)
	return ""
}

// installHint tells how to install tool.
func installHint(tool string) string {
	const script = "run `bash conformance/install-clients.sh` (or `make clients`)"
	switch tool {
	case "docker", "dockerd":
		return script + ", or `apt-get install docker.io`"
	case "skopeo":
		return script + ", or `apt-get install skopeo`"
	case "crane":
		return script + ", or `go install github.com/google/go-containerregistry/cmd/crane@" + CraneVersion + "`"
	case "oras":
		return script + ", or `go install oras.land/oras/cmd/oras@" + OrasVersion + "`"
	}
	return "install it and put it on $PATH"
}
