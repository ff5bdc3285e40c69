// Package cmdutil holds what every `acremu az` command shares: the Factory of dependencies (built lazily),
// az's global options and output formats, its error lines and exit codes, and flag helpers that make cobra
// parse az's argument syntax.
package cmdutil

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/acremu/acremu/cmd/acremu/az/client"
)

// Environment variables of the CLI.
const (
	// EnvURL names the acremu server; --endpoint overrides it.
	EnvURL = "ACREMU_URL"
	// EnvConfigDir names the directory holding the login state (default ~/.acremu).
	EnvConfigDir = "ACREMU_CONFIG_DIR"
)

// IOStreams are the command's standard streams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// InTerminal reports whether In is a terminal, so that a confirmation can be asked.
	InTerminal bool
}

// Globals are az's global options, set by the root command's persistent flags.
type Globals struct {
	Output         string
	Query          string
	OnlyShowErrors bool
	Verbose        bool
	Debug          bool
	// Endpoint is the acremu server (acremu's own option; az has none).
	Endpoint string
	// Subscription, when set, must name the signed-in subscription (by id or name).
	Subscription string
}

// Exec runs an external program, as `az acr login` runs docker.
type Exec func(ctx context.Context, name string, args []string, stdin io.Reader, stdout, stderr io.Writer) error

// Factory provides the dependencies of the commands. Fields are set by NewFactory and may be replaced by
// tests; Client is built on first use from the others.
type Factory struct {
	IO      *IOStreams
	Globals *Globals
	// LookupEnv reads the environment.
	LookupEnv func(string) (string, bool)
	// Now is the clock.
	Now func() time.Time
	// HTTPClient returns the client requests are sent with.
	HTTPClient func() (*http.Client, error)
	// Exec runs external programs.
	Exec Exec

	once   sync.Once
	client *client.Client
	err    error
}

// NewFactory returns a Factory over the process's streams and environment.
func NewFactory() *Factory {
	return &Factory{
		IO:         &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, InTerminal: isTerminal(os.Stdin)},
		Globals:    &Globals{Output: "json"},
		LookupEnv:  os.LookupEnv,
		Now:        time.Now,
		HTTPClient: func() (*http.Client, error) { return &http.Client{Timeout: 60 * time.Second}, nil },
		Exec:       runExec,
	}
}

// ConfigDir returns the directory of the login state: $ACREMU_CONFIG_DIR, else ~/.acremu.
func (f *Factory) ConfigDir() (string, error) {
	if d, ok := f.LookupEnv(EnvConfigDir); ok && d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("cannot find the home directory: set " + EnvConfigDir)
	}
	return filepath.Join(home, ".acremu"), nil
}

// Endpoint returns the server named by --endpoint or $ACREMU_URL; empty means the one saved at login.
func (f *Factory) Endpoint() string {
	if f.Globals.Endpoint != "" {
		return f.Globals.Endpoint
	}
	if u, ok := f.LookupEnv(EnvURL); ok {
		return u
	}
	return ""
}

// Client returns the server client, built once.
func (f *Factory) Client() (*client.Client, error) {
	f.once.Do(func() {
		dir, err := f.ConfigDir()
		if err != nil {
			f.err = err
			return
		}
		hc, err := f.HTTPClient()
		if err != nil {
			f.err = err
			return
		}
		f.client, f.err = client.New(client.Options{ConfigDir: dir, Endpoint: f.Endpoint(), HTTP: hc, Now: f.Now,
			Debugf: func(format string, args ...any) { f.Debugf(format, args...) }})
	})
	return f.client, f.err
}

// ARMClient returns the client after checking --subscription against the signed-in account.
func (f *Factory) ARMClient() (*client.Client, error) {
	c, err := f.Client()
	if err != nil {
		return nil, err
	}
	if s := f.Globals.Subscription; s != "" {
		a, err := c.Account()
		if err != nil {
			return nil, err
		}
		if !strings.EqualFold(s, a.ID) && !strings.EqualFold(s, a.Name) {
			return nil, errors.New("Subscription '" + s + "' not found. Check the spelling and casing and try again.")
		}
	}
	return c, nil
}

// Warnf writes an az warning line to stderr unless --only-show-errors is set.
func (f *Factory) Warnf(format string, args ...any) {
	if !f.Globals.OnlyShowErrors {
		f.logf("WARNING: ", format, args...)
	}
}

// Infof writes an info line with --verbose or --debug.
func (f *Factory) Infof(format string, args ...any) {
	if f.Globals.Verbose || f.Globals.Debug {
		f.logf("INFO: ", format, args...)
	}
}

// Debugf writes a debug line with --debug.
func (f *Factory) Debugf(format string, args ...any) {
	if f.Globals.Debug {
		f.logf("DEBUG: ", format, args...)
	}
}

func (f *Factory) logf(prefix, format string, args ...any) {
	w := bufio.NewWriter(f.IO.ErrOut)
	_, _ = w.WriteString(prefix + fmt.Sprintf(format, args...) + "\n")
	_ = w.Flush()
}

// Confirm asks a yes/no question on the terminal, as az's prompt_y_n; without a terminal it fails the way
// az does, asking for --yes.
func (f *Factory) Confirm(question string) error {
	if !f.IO.InTerminal {
		return errors.New("Unable to prompt for confirmation as no tty available. Use --yes.")
	}
	f.logf("", "%s (y/n): ", question)
	line, _ := bufio.NewReader(f.IO.In).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return ErrCancelled
}

// ErrCancelled is Confirm's answer when the user says no.
var ErrCancelled = errors.New("Operation cancelled.")

func runExec(ctx context.Context, name string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	return cmd.Run()
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
