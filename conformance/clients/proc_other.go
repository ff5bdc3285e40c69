//go:build !linux

package clients

import "syscall"

// canRunDockerd tells whether StartDocker may start a private dockerd on this system: dockerd runs on
// Linux only, so elsewhere ACREMU_DOCKER_HOST must name an engine (Docker Desktop, a VM).
const canRunDockerd = false

// daemonProcAttr returns no special attributes outside Linux.
func daemonProcAttr() *syscall.SysProcAttr { return nil }

// processAlive reports false: no private engine is started outside Linux.
func processAlive(int) bool { return false }

// processArgs returns nothing outside Linux.
func processArgs(int) []string { return nil }

// unmountUnder does nothing outside Linux.
func unmountUnder(string) error { return nil }
