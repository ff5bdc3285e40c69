package clients

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// DefaultTimeout bounds one client command unless the Docker or CLI value sets its own Timeout; a command
// still running then is killed and its Result has ExitCode -1.
const DefaultTimeout = 5 * time.Minute

// Result is what one client command did.
type Result struct {
	// Stdout is everything the command wrote to its standard output.
	Stdout string
	// Stderr is everything the command wrote to its standard error.
	Stderr string
	// ExitCode is the command's exit status: 0 for success, -1 when it was killed (by a signal or
	// because it ran past its timeout).
	ExitCode int
}

// Combined returns Stdout followed by Stderr, for assertions on a message that a client may print to
// either stream.
func (r Result) Combined() string {
	return r.Stdout + r.Stderr
}

// String describes the result for failure messages.
func (r Result) String() string {
	return fmt.Sprintf("exit code %d\n--- stdout ---\n%s\n--- stderr ---\n%s", r.ExitCode,
		strings.TrimRight(r.Stdout, "\n"), strings.TrimRight(r.Stderr, "\n"))
}

// digestRE matches a sha256 digest as clients print it.
var digestRE = regexp.MustCompile(`sha256:[0-9a-f]{64}`)

// FindDigest returns the first sha256 digest in s, or "" when there is none.
func FindDigest(s string) string {
	return digestRE.FindString(s)
}

// command is one client invocation.
type command struct {
	path    string
	args    []string
	env     []string
	dir     string
	stdin   string
	timeout time.Duration
}

// execute runs c and returns its Result. It fails the test only when the command cannot be started;
// a non-zero exit is the caller's to judge.
func execute(t testing.TB, c command) Result {
	t.Helper()
	timeout := c.timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	// Not t.Context(): that one is already canceled when cleanup functions run commands.
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.path, c.args...)
	cmd.Env = c.env
	cmd.Dir = c.dir
	cmd.WaitDelay = 10 * time.Second
	if c.stdin != "" {
		cmd.Stdin = strings.NewReader(c.stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	display := displayCommand(c.path, c.args)
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start).Round(time.Millisecond)
	res := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		res.ExitCode = -1
		res.Stderr += fmt.Sprintf("\n[clients: %s killed after %s: %v]\n", display, timeout, ctx.Err())
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitCode()
	default:
		t.Fatalf("run %s: %v", display, err)
	}
	if res.ExitCode == 0 {
		t.Logf("$ %s  # exit 0 in %s", display, elapsed)
	} else {
		t.Logf("$ %s  # exit %d in %s\n%s", display, res.ExitCode, elapsed, tail(res.Combined(), 2000))
	}
	return res
}

// mustSucceed fails the test unless res is a success of the command shown as what.
func mustSucceed(t testing.TB, what string, res Result) Result {
	t.Helper()
	if res.ExitCode != 0 {
		t.Fatalf("%s failed: %s", what, res)
	}
	return res
}

// secretFlag reports whether the value of flag is a secret that displayCommand hides.
func secretFlag(flag string) bool {
	switch flag {
	case "-p", "--password", "--creds", "--src-creds", "--dest-creds", "--identity-token",
		"--registry-token", "--src-registry-token", "--dest-registry-token":
		return true
	}
	return false
}

// displayCommand renders a command line for logs, with the base name of the tool and secrets hidden.
func displayCommand(path string, args []string) string {
	parts := []string{path[strings.LastIndexByte(path, os.PathSeparator)+1:]}
	hideNext := false
	for _, a := range args {
		switch {
		case hideNext:
			a, hideNext = "***", false
		case secretFlag(a):
			hideNext = true
		default:
			if name, _, ok := strings.Cut(a, "="); ok && secretFlag(name) {
				a = name + "=***"
			}
		}
		if a == "" || strings.ContainsAny(a, " \t\"'") {
			a = fmt.Sprintf("%q", a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// tail returns the last n bytes of s, marked when cut.
func tail(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// cleanEnv returns the process environment without the variables for which drop returns true.
func cleanEnv(drop func(key string) bool) []string {
	var env []string
	for _, kv := range os.Environ() {
		key, _, _ := strings.Cut(kv, "=")
		if !drop(key) {
			env = append(env, kv)
		}
	}
	return env
}
