// Package clients drives real registry clients — the Docker engine and CLI, skopeo, crane and oras — from
// Go tests, so that end-to-end tests exercise the emulator exactly as people and pipelines do.
//
// Every helper runs the real binary as a child process with a private configuration: each [Docker] value
// has its own DOCKER_CONFIG and each [CLI] value its own HOME, so logins made by one test never reach
// another, and nothing is read from or written to the user's own ~/.docker or containers configuration.
// Registries under test listen on 127.0.0.1 over plain HTTP by default, so the helpers add each tool's
// plain-HTTP flag (skopeo --tls-verify=false, crane --insecure, oras --plain-http); the Docker engine
// treats 127.0.0.0/8 as an insecure registry by itself.
//
// Tools are found by [Lookup]: first in $ACREMU_CLIENTS_BIN (or, when unset, in each $GOPATH/bin, where
// conformance/install-clients.sh puts crane and oras), then on $PATH. [Require] fails the test when a tool
// is missing and the CI variable is set, and skips it otherwise; with -short it always skips.
//
// [StartDocker] starts one private dockerd per test process, the package's only global state, unless
// ACREMU_DOCKER_HOST names an engine to reuse. A package whose tests use it stops the engine from
// TestMain:
//
//	func TestMain(m *testing.M) { clients.Main(m) }
//
// or, with a TestMain of its own, by calling [StopDocker] after m.Run. Should the test process die first,
// the engine gets SIGTERM from the kernel (Linux parent-death signal) and its directory is removed by the
// next process that starts one.
//
// Environment variables:
//
//	CI                    set (and not "false" or "0"): a missing client fails the test instead of skipping it
//	ACREMU_CLIENTS_BIN    directory searched first for the tools (default: each $GOPATH/bin)
//	ACREMU_DOCKER_HOST    DOCKER_HOST of an existing engine to use instead of starting a private dockerd
//	ACREMU_DOCKERD_ARGS   extra dockerd flags, split on spaces (e.g. --insecure-registry=host:5000)
package clients
