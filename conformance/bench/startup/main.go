// Command startup measures the acremu binary's time to ready (the /v2/ challenge and /readyz answering)
// and its idle resident memory. `make bench` runs it.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/acremu", "acremu binary")
	runs := flag.Int("runs", 5, "starts to measure")
	flag.Parse()
	if err := run(*bin, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "startup:", err)
		os.Exit(1)
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func run(bin string, runs int) error {
	var best, worst time.Duration
	var rss string
	for i := 0; i < runs; i++ {
		addr, err := freePort()
		if err != nil {
			return err
		}
		dir, err := os.MkdirTemp("", "acremu-startup-")
		if err != nil {
			return err
		}
		cmd := exec.Command(bin, "serve", "--addr", addr, "--data-dir", dir, "--log-level", "warn")
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		ready := time.Duration(0)
		for time.Since(start) < 10*time.Second {
			resp, err := http.Get("http://" + addr + "/v2/")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusUnauthorized {
					ready = time.Since(start)
					break
				}
			}
			time.Sleep(500 * time.Microsecond)
		}
		if ready == 0 {
			_ = cmd.Process.Kill()
			return fmt.Errorf("not ready within 10s")
		}
		if best == 0 || ready < best {
			best = ready
		}
		if ready > worst {
			worst = ready
		}
		if i == runs-1 {
			time.Sleep(2 * time.Second) // idle
			status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
			for _, l := range strings.Split(string(status), "\n") {
				if strings.HasPrefix(l, "VmRSS:") {
					rss = strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:"))
				}
			}
		}
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		_ = os.RemoveAll(dir)
	}
	fmt.Printf("time to ready (first /v2/ 401, fresh data dir, %d runs): best %s, worst %s\n", runs, best.Round(time.Microsecond), worst.Round(time.Microsecond))
	fmt.Printf("idle RSS after start: %s\n", rss)
	return nil
}
