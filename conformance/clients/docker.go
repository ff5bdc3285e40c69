package clients

import (
	"archive/tar"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	// engineStartTimeout bounds the wait for a private dockerd to answer.
	engineStartTimeout = 30 * time.Second
	// engineStopTimeout bounds the wait for a private dockerd to exit after SIGTERM.
	engineStopTimeout = 20 * time.Second
	// engineDirPrefix starts the name of each private engine's directory under os.TempDir(); the test
	// process's pid follows it.
	engineDirPrefix = "acremu-dockerd-"
)

// Docker runs the docker CLI against one engine with a configuration directory of its own.
type Docker struct {
	// Path is the docker CLI.
	Path string
	// Host is the engine's DOCKER_HOST, such as unix:///tmp/acremu-dockerd-42/docker.sock.
	Host string
	// ConfigDir is this value's DOCKER_CONFIG, where docker login stores credentials; private to the test.
	ConfigDir string
	// Timeout bounds each command; zero means DefaultTimeout.
	Timeout time.Duration
}

// dockerEngine is the private dockerd of this test process.
type dockerEngine struct {
	mu     sync.Mutex
	dir    string        // everything of the engine lives here
	host   string        // DOCKER_HOST, "" while not running
	cmd    *exec.Cmd     // the dockerd process
	exited chan struct{} // closed when dockerd has exited and been reaped
	err    error         // why the last start failed; later calls fail the same way
}

// engine is the package's one piece of global state: the private dockerd shared by every test of the
// process, started by the first StartDocker and stopped by StopDocker.
var engine dockerEngine

// StartDocker returns a Docker with a fresh, private client configuration, connected to the engine named
// by ACREMU_DOCKER_HOST or, when that is unset, to this test process's private dockerd, started on first
// use (storage driver vfs, no iptables, no bridge, files under os.TempDir()/acremu-dockerd-<pid>). The
// engine is shared by all tests of the process; call StopDocker (or use Main) from TestMain to stop it.
// A missing docker or dockerd fails the test in CI and skips it elsewhere, like Require.
func StartDocker(t testing.TB) *Docker {
	t.Helper()
	cli := Require(t, "docker")
	host := os.Getenv("ACREMU_DOCKER_HOST")
	if host == "" {
		if !canRunDockerd {
			skipOrFail(t, "a private dockerd runs on Linux only; set ACREMU_DOCKER_HOST to an engine's DOCKER_HOST")
		}
		dockerd := Require(t, "dockerd")
		if os.Geteuid() != 0 {
			skipOrFail(t, "a private dockerd needs root; run as root or set ACREMU_DOCKER_HOST to an engine's DOCKER_HOST")
		}
		var (
			note string
			err  error
		)
		host, note, err = engine.ensure(dockerd, cli)
		if err != nil {
			t.Fatalf("private Docker engine: %v", err)
		}
		if note != "" {
			t.Log(note)
		}
	}
	config := filepath.Join(t.TempDir(), "docker-config")
	if err := os.MkdirAll(config, 0o700); err != nil {
		t.Fatalf("docker config dir: %v", err)
	}
	// An empty configuration: no credential store or helper, so logins land in this file.
	if err := os.WriteFile(filepath.Join(config, "config.json"), []byte("{}\n"), 0o600); err != nil {
		t.Fatalf("docker config: %v", err)
	}
	d := &Docker{Path: cli, Host: host, ConfigDir: config}
	if os.Getenv("ACREMU_DOCKER_HOST") != "" {
		if res := d.Run(t, "version", "--format", "{{.Server.Version}}"); res.ExitCode != 0 {
			t.Fatalf("the engine at ACREMU_DOCKER_HOST=%s does not answer: %s", host, res)
		}
	}
	return d
}

// skipOrFail fails the test in CI and skips it elsewhere.
func skipOrFail(t testing.TB, msg string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s (CI is set: this is a failure)", msg)
	}
	t.Skip(msg)
}

// StopDocker stops this test process's private dockerd, if one was started, waits for it to exit and
// removes its directory. An engine named by ACREMU_DOCKER_HOST is left alone. It is safe to call more
// than once and when no engine was started; a later StartDocker starts a new engine.
func StopDocker() error {
	return engine.stop()
}

// Main runs the tests of a package that uses StartDocker, stops the private engine and exits:
//
//	func TestMain(m *testing.M) { clients.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if err := StopDocker(); err != nil {
		fmt.Fprintf(os.Stderr, "clients: stop the private Docker engine: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// ensure returns the DOCKER_HOST of the running private engine, starting it first when needed; note
// then says so.
func (e *dockerEngine) ensure(dockerd, cli string) (host, note string, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.host != "" {
		select {
		case <-e.exited:
			crashed := fmt.Errorf("dockerd exited while tests were using it; last lines of its log:\n%s",
				logTail(filepath.Join(e.dir, "dockerd.log"))) // before stopLocked removes the log
			e.err = errors.Join(crashed, e.stopLocked())
		default:
			return e.host, "", nil
		}
	}
	if e.err != nil {
		return "", "", e.err
	}
	if note, err = e.start(dockerd, cli); err != nil {
		e.err = err
		return "", "", err
	}
	return e.host, note, nil
}

// start launches dockerd and waits until it answers; note tells which engine started and how fast. The
// caller holds e.mu.
func (e *dockerEngine) start(dockerd, cli string) (note string, err error) {
	sweepStaleEngines()
	dir := filepath.Join(os.TempDir(), engineDirPrefix+strconv.Itoa(os.Getpid()))
	sock := filepath.Join(dir, "docker.sock")
	if len(sock) >= 104 {
		return "", fmt.Errorf("socket path %s is too long for a unix socket; set TMPDIR to a shorter directory", sock)
	}
	if err := removeEngineDir(dir); err != nil {
		return "", err
	}
	for _, sub := range []string{"data", "exec"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return "", fmt.Errorf("create engine directory: %w", err)
		}
	}
	// An empty configuration file, so that a machine's /etc/docker/daemon.json cannot change the engine.
	daemonJSON := filepath.Join(dir, "daemon.json")
	if err := os.WriteFile(daemonJSON, []byte("{}\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", daemonJSON, err)
	}
	logPath := filepath.Join(dir, "dockerd.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return "", fmt.Errorf("create dockerd log: %w", err)
	}
	host := "unix://" + sock
	args := []string{
		"--config-file=" + daemonJSON,
		"--storage-driver=vfs", "--iptables=false", "--ip6tables=false", "--bridge=none",
		"--host=" + host, "--data-root=" + filepath.Join(dir, "data"),
		"--exec-root=" + filepath.Join(dir, "exec"), "--pidfile=" + filepath.Join(dir, "docker.pid"),
	}
	args = append(args, strings.Fields(os.Getenv("ACREMU_DOCKERD_ARGS"))...)
	cmd := exec.Command(dockerd, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = cleanEnv(func(k string) bool { return strings.HasPrefix(k, "DOCKER_") })
	cmd.SysProcAttr = daemonProcAttr()
	began := time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return "", fmt.Errorf("start %s: %w", dockerd, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // the exit is reported through exited and the log
		logFile.Close()
		close(exited)
	}()
	e.dir, e.cmd, e.exited = dir, cmd, exited
	if err := waitForEngine(sock, exited, engineStartTimeout); err != nil {
		err = fmt.Errorf("%w; last lines of its log:\n%s", err, logTail(logPath)) // before stop removes it
		return "", errors.Join(err, e.stopLocked())
	}
	// The CLI must talk to the engine too (it negotiates the API version down to the engine's).
	out, err := exec.Command(cli, "--host", host, "version", "--format", "{{.Server.Version}}").CombinedOutput()
	if err != nil {
		stopErr := e.stopLocked()
		return "", errors.Join(fmt.Errorf("docker version against the new engine: %w: %s", err, out), stopErr)
	}
	e.host = host
	return fmt.Sprintf("private dockerd %s started in %s at %s", strings.TrimSpace(string(out)),
		time.Since(began).Round(time.Millisecond), host), nil
}

// waitForEngine polls the engine's /_ping on sock until it answers, the engine exits or timeout passes.
func waitForEngine(sock string, exited <-chan struct{}, timeout time.Duration) error {
	client := &http.Client{
		Timeout: 2 * time.Second,
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		}},
	}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(timeout)
	var lastErr error
	for {
		resp, err := client.Get("http://docker/_ping")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("/_ping answered %s", resp.Status)
		}
		lastErr = err
		select {
		case <-exited:
			return errors.New("dockerd exited during start")
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("dockerd did not answer within %s: %w", timeout, lastErr)
		}
	}
}

// stop stops the private engine, if running, and removes its directory.
func (e *dockerEngine) stop() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	err := e.stopLocked()
	e.err = nil
	return err
}

// stopLocked sends SIGTERM to dockerd, SIGKILL after engineStopTimeout, waits for it and removes its
// directory. The caller holds e.mu.
func (e *dockerEngine) stopLocked() error {
	if e.cmd == nil {
		return nil
	}
	var errs []error
	select {
	case <-e.exited:
	default:
		if err := e.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			errs = append(errs, fmt.Errorf("signal dockerd: %w", err))
		}
		select {
		case <-e.exited:
		case <-time.After(engineStopTimeout):
			errs = append(errs, fmt.Errorf("dockerd ignored SIGTERM for %s; killed it", engineStopTimeout))
			_ = e.cmd.Process.Kill() // reaped by the goroutine waiting on it
			<-e.exited
		}
	}
	if err := removeEngineDir(e.dir); err != nil {
		errs = append(errs, err)
	}
	e.dir, e.host, e.cmd, e.exited = "", "", nil, nil
	return errors.Join(errs...)
}

// removeEngineDir unmounts whatever a dockerd left mounted under dir and removes dir.
func removeEngineDir(dir string) error {
	if err := unmountUnder(dir); err != nil {
		return fmt.Errorf("clean engine directory: %w", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove engine directory: %w", err)
	}
	return nil
}

// sweepStaleEngines stops the engines and removes the directories left by test processes that died
// without calling StopDocker. A directory whose owner still runs is never touched, nor a dockerd whose
// command line does not name that directory's pid file.
func sweepStaleEngines() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), engineDirPrefix+"*"))
	for _, dir := range dirs {
		owner, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(dir), engineDirPrefix))
		if err != nil || owner == os.Getpid() || processAlive(owner) {
			continue
		}
		pidFile := filepath.Join(dir, "docker.pid")
		if b, err := os.ReadFile(pidFile); err == nil {
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			if processAlive(pid) && containsArg(processArgs(pid), "--pidfile="+pidFile) {
				_ = syscall.Kill(pid, syscall.SIGTERM) // best effort: a stale engine of a dead process
				for deadline := time.Now().Add(engineStopTimeout); processAlive(pid) && time.Now().Before(deadline); {
					time.Sleep(100 * time.Millisecond)
				}
				if processAlive(pid) {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
		_ = removeEngineDir(dir) // best effort; a failure here does not stop this process's engine
	}
}

// containsArg reports whether args holds arg.
func containsArg(args []string, arg string) bool {
	for _, a := range args {
		if a == arg {
			return true
		}
	}
	return false
}

// logTail returns the last lines of the file at path, for error messages.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return strings.Join(lines, "\n")
}

// Env returns the environment in which d runs the docker CLI: the process's, without any DOCKER_*
// variable, plus DOCKER_HOST and DOCKER_CONFIG of d.
func (d *Docker) Env() []string {
	return append(cleanEnv(func(k string) bool { return strings.HasPrefix(k, "DOCKER_") }),
		"DOCKER_HOST="+d.Host, "DOCKER_CONFIG="+d.ConfigDir, "DOCKER_CLI_HINTS=false")
}

// Run runs `docker args...` and returns what it did; a non-zero exit does not fail the test.
func (d *Docker) Run(t testing.TB, args ...string) Result {
	t.Helper()
	return d.RunInput(t, "", args...)
}

// RunInput runs `docker args...` with stdin as its standard input.
func (d *Docker) RunInput(t testing.TB, stdin string, args ...string) Result {
	t.Helper()
	return execute(t, command{path: d.Path, args: args, env: d.Env(), stdin: stdin, timeout: d.Timeout})
}

// MustRun runs `docker args...` and fails the test unless it exits 0.
func (d *Docker) MustRun(t testing.TB, args ...string) Result {
	t.Helper()
	return mustSucceed(t, displayCommand(d.Path, args), d.Run(t, args...))
}

// Login runs `docker login` to server as user, giving password on standard input (--password-stdin).
// The credentials land in d.ConfigDir only.
func (d *Docker) Login(t testing.TB, server, user, password string) Result {
	t.Helper()
	return d.RunInput(t, password, "login", "--username", user, "--password-stdin", server)
}

// Logout runs `docker logout server`.
func (d *Docker) Logout(t testing.TB, server string) Result {
	t.Helper()
	return d.Run(t, "logout", server)
}

// BuildTestImage creates, without any network, a tiny image tagged ref whose single layer holds one
// small file with random content, so that every call makes new blobs and a push really uploads them. It
// imports a tar file with `docker import` and returns the image ID. The image (with every tag it has by
// then) is removed from the engine when the test ends.
func (d *Docker) BuildTestImage(t testing.TB, ref string) string {
	t.Helper()
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		t.Fatalf("random content for %s: %v", ref, err)
	}
	content := fmt.Sprintf("acremu test image %s\nnonce %s\n", ref, hex.EncodeToString(nonce))
	path := filepath.Join(t.TempDir(), "rootfs.tar")
	if err := writeSingleFileTar(path, "acremu-test.txt", content); err != nil {
		t.Fatalf("test image %s: %v", ref, err)
	}
	res := d.MustRun(t, "import", "--message", "acremu test image", path, ref)
	id := FindDigest(res.Stdout)
	if id == "" {
		t.Fatalf("docker import printed no image ID: %s", res)
	}
	// Best effort, for an engine shared through ACREMU_DOCKER_HOST: -f also drops the tags tests added.
	t.Cleanup(func() { d.Run(t, "rmi", "--force", id) })
	return id
}

// writeSingleFileTar writes to path a tar archive holding one regular file.
func writeSingleFileTar(path, name, content string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create tar: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close tar: %w", cerr)
		}
	}()
	tw := tar.NewWriter(f)
	hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)), ModTime: time.Now(), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("write tar header: %w", err)
	}
	if _, err := io.WriteString(tw, content); err != nil {
		return fmt.Errorf("write tar content: %w", err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("finish tar: %w", err)
	}
	return nil
}

// pushDigestRE matches the digest line that docker push prints last.
var pushDigestRE = regexp.MustCompile(`digest: (sha256:[0-9a-f]{64})`)

// Push runs `docker push ref`, fails the test unless it succeeds, and returns the manifest digest that
// the registry acknowledged.
func (d *Docker) Push(t testing.TB, ref string) string {
	t.Helper()
	res := d.MustRun(t, "push", ref)
	m := pushDigestRE.FindStringSubmatch(res.Stdout)
	if m == nil {
		t.Fatalf("docker push %s printed no digest: %s", ref, res)
	}
	return m[1]
}

// pullDigestRE matches the digest line of docker pull.
var pullDigestRE = regexp.MustCompile(`Digest: (sha256:[0-9a-f]{64})`)

// Pull runs `docker pull ref`, fails the test unless it succeeds, and returns the manifest digest it
// pulled.
func (d *Docker) Pull(t testing.TB, ref string) string {
	t.Helper()
	res := d.MustRun(t, "pull", ref)
	m := pullDigestRE.FindStringSubmatch(res.Stdout)
	if m == nil {
		t.Fatalf("docker pull %s printed no digest: %s", ref, res)
	}
	return m[1]
}
