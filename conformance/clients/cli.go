package clients

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// CLI runs one registry client (skopeo, crane or oras) with a private HOME, so that its logins and
// configuration belong to the test alone.
type CLI struct {
	// Name is the tool: "skopeo", "crane" or "oras".
	Name string
	// Path is the tool's executable.
	Path string
	// Home is the private HOME; the tool's configuration and credentials live under it.
	Home string
	// Dir is the working directory of each command, an empty private directory at first: oras push
	// takes files relative to it (it refuses absolute paths) and oras pull writes there without -o.
	Dir string
	// PlainHTTP makes Run add the tool's plain-HTTP flag to every command that talks to a registry
	// (skopeo --tls-verify=false, or --src-tls-verify=false --dest-tls-verify=false for copy and sync;
	// crane --insecure; oras --plain-http, or --from-plain-http --to-plain-http for cp), unless the
	// arguments already name that flag. The constructors set it: the emulator serves plain HTTP by
	// default. Clear it for a registry served over TLS.
	PlainHTTP bool
	// Timeout bounds each command; zero means DefaultTimeout.
	Timeout time.Duration
}

// NewSkopeo returns a skopeo CLI with a private HOME. Its credentials live in AuthFile (also given as
// REGISTRY_AUTH_FILE); commands take credentials either from there (after Login) or from the flags
// --creds user:password (inspect, list-tags, delete) and --src-creds/--dest-creds (copy, sync). A
// permissive signature policy is in the private HOME, so copy needs no --policy.
func NewSkopeo(t testing.TB) *CLI {
	t.Helper()
	return newCLI(t, "skopeo")
}

// NewCrane returns a crane CLI with a private HOME. Credentials come from Login (`crane auth login`),
// which writes DOCKER_CONFIG/config.json under that HOME; crane has no per-command credential flags.
func NewCrane(t testing.TB) *CLI {
	t.Helper()
	return newCLI(t, "crane")
}

// NewOras returns an oras CLI with a private HOME. Credentials come from Login (`oras login`, which
// checks them against the registry and writes DOCKER_CONFIG/config.json under that HOME) or from the
// per-command flags -u user -p password (push, pull, and the other commands that reach a registry).
func NewOras(t testing.TB) *CLI {
	t.Helper()
	return newCLI(t, "oras")
}

// Skopeo runs `skopeo args...` with a fresh private HOME and the plain-HTTP flags; see NewSkopeo.
func Skopeo(t testing.TB, args ...string) Result {
	t.Helper()
	return NewSkopeo(t).Run(t, args...)
}

// Crane runs `crane args...` with a fresh private HOME and --insecure; see NewCrane.
func Crane(t testing.TB, args ...string) Result {
	t.Helper()
	return NewCrane(t).Run(t, args...)
}

// Oras runs `oras args...` with a fresh private HOME and the plain-HTTP flags; see NewOras.
func Oras(t testing.TB, args ...string) Result {
	t.Helper()
	return NewOras(t).Run(t, args...)
}

// skopeoPolicy accepts every image: tests check registries, not signatures.
const skopeoPolicy = `{"default": [{"type": "insecureAcceptAnything"}]}` + "\n"

// newCLI finds tool (see Require) and prepares its private HOME.
func newCLI(t testing.TB, tool string) *CLI {
	t.Helper()
	tmp := t.TempDir()
	c := &CLI{Name: tool, Path: Require(t, tool), Home: filepath.Join(tmp, "home"), Dir: filepath.Join(tmp, "work"),
		PlainHTTP: true}
	files := map[string]string{
		".docker/config.json": "{}\n",
		// An empty registries.conf: no machine-wide mirrors, blocks or short-name aliases.
		".config/containers/registries.conf": "",
		".config/containers/policy.json":     skopeoPolicy,
	}
	dirs := []string{c.Dir}
	for _, sub := range []string{".docker", ".config/containers", ".cache", "run"} {
		dirs = append(dirs, filepath.Join(c.Home, sub))
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatalf("%s home: %v", tool, err)
		}
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(c.Home, name), []byte(content), 0o600); err != nil {
			t.Fatalf("%s home: %v", tool, err)
		}
	}
	return c
}

// AuthFile returns the file in which the tool keeps the credentials of Login.
func (c *CLI) AuthFile() string {
	if c.Name == "skopeo" {
		return filepath.Join(c.Home, "auth.json")
	}
	return filepath.Join(c.Home, ".docker", "config.json")
}

// isolatedVar reports whether Env drops the variable key of the test process, because it would point a
// client at configuration or credentials outside its private HOME.
func isolatedVar(key string) bool {
	switch key {
	case "HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME", "XDG_DATA_HOME", "REGISTRY_AUTH_FILE",
		"CONTAINERS_REGISTRIES_CONF", "CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF":
		return true
	}
	return strings.HasPrefix(key, "DOCKER_") || strings.HasPrefix(key, "ORAS_")
}

// Env returns the environment in which c runs: the process's, without DOCKER_*, ORAS_* and the
// variables that locate configuration, plus HOME, the XDG directories, DOCKER_CONFIG and
// REGISTRY_AUTH_FILE, all under c.Home.
func (c *CLI) Env() []string {
	return append(cleanEnv(isolatedVar),
		"HOME="+c.Home,
		"XDG_CONFIG_HOME="+filepath.Join(c.Home, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(c.Home, ".cache"),
		"XDG_RUNTIME_DIR="+filepath.Join(c.Home, "run"),
		"DOCKER_CONFIG="+filepath.Join(c.Home, ".docker"),
		"REGISTRY_AUTH_FILE="+filepath.Join(c.Home, "auth.json"),
		"CONTAINERS_REGISTRIES_CONF="+filepath.Join(c.Home, ".config", "containers", "registries.conf"),
	)
}

// Run runs the tool with args, plus the plain-HTTP flags when c.PlainHTTP is set, and returns what it
// did; a non-zero exit does not fail the test.
func (c *CLI) Run(t testing.TB, args ...string) Result {
	t.Helper()
	return c.RunInput(t, "", args...)
}

// RunInput is Run with stdin as the command's standard input.
func (c *CLI) RunInput(t testing.TB, stdin string, args ...string) Result {
	t.Helper()
	return execute(t, command{path: c.Path, args: c.Args(args), env: c.Env(), dir: c.Dir, stdin: stdin,
		timeout: c.Timeout})
}

// MustRun is Run that fails the test unless the command exits 0.
func (c *CLI) MustRun(t testing.TB, args ...string) Result {
	t.Helper()
	return mustSucceed(t, displayCommand(c.Path, c.Args(args)), c.Run(t, args...))
}

// Login stores credentials for server, giving password on standard input: `skopeo login
// --password-stdin`, `crane auth login --password-stdin` or `oras login --password-stdin` (oras, and
// skopeo, check them against the registry first; crane only writes them).
func (c *CLI) Login(t testing.TB, server, user, password string) Result {
	t.Helper()
	switch c.Name {
	case "crane":
		return c.RunInput(t, password, "auth", "login", server, "--username", user, "--password-stdin")
	default:
		return c.RunInput(t, password, "login", "--username", user, "--password-stdin", server)
	}
}

// Logout removes the credentials stored for server.
func (c *CLI) Logout(t testing.TB, server string) Result {
	t.Helper()
	switch c.Name {
	case "crane":
		return c.Run(t, "auth", "logout", server)
	default:
		return c.Run(t, "logout", server)
	}
}

// Args returns the command line that Run passes to the tool for args: args with the plain-HTTP flags
// appended (before a "--", if any) when c.PlainHTTP is set and the command reaches a registry.
func (c *CLI) Args(args []string) []string {
	if !c.PlainHTTP {
		return args
	}
	flags := plainHTTPFlags(c.Name, args)
	if len(flags) == 0 {
		return args
	}
	for _, a := range args {
		for _, f := range flags {
			name, _, _ := strings.Cut(f, "=")
			if a == name || strings.HasPrefix(a, name+"=") {
				return args // the caller chose
			}
		}
	}
	at := slices.Index(args, "--")
	if at < 0 {
		at = len(args)
	}
	return slices.Concat(args[:at], flags, args[at:])
}

// plainHTTPFlags returns the flags with which tool's command args talks plain HTTP to a registry, or
// nothing for a command that reaches no registry.
func plainHTTPFlags(tool string, args []string) []string {
	sub := ""
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			sub = a
			break
		}
	}
	switch tool {
	case "skopeo":
		switch sub {
		case "copy", "sync":
			return []string{"--src-tls-verify=false", "--dest-tls-verify=false"}
		case "inspect", "list-tags", "delete", "login", "logout":
			return []string{"--tls-verify=false"}
		}
	case "crane":
		switch sub {
		case "", "version", "help", "completion":
		default:
			return []string{"--insecure"}
		}
	case "oras":
		switch sub {
		case "", "version", "help", "completion", "logout":
		case "cp", "copy":
			return []string{"--from-plain-http", "--to-plain-http"}
		default:
			return []string{"--plain-http"}
		}
	}
	return nil
}
