#!/usr/bin/env bash
# Runs a private Docker engine whose every file lives under one directory, for tests and for trying the
# emulator by hand; it shares nothing with a system engine (own socket, data, exec root, pid file, config).
#
#   conformance/dockerd.sh start <dir>   start it (no-op when it already answers); waits up to
#                                        DOCKERD_START_TIMEOUT seconds (30) for `docker version`
#   conformance/dockerd.sh stop <dir>    stop it (SIGTERM, then SIGKILL after 20 s) and wait for it
#   conformance/dockerd.sh env <dir>     print `export DOCKER_HOST=unix://<dir>/docker.sock`
#
# Use it with:  eval "$(conformance/dockerd.sh env /tmp/acremu-docker)"
# Keep <dir> short: a unix socket path must stay under 108 bytes. Registries on 127.0.0.0/8 (localhost
# included) are plain HTTP for this engine by default; extra dockerd flags, such as
# --insecure-registry=myregistry.example:5000, go in DOCKERD_EXTRA_ARGS (split on spaces).
set -euo pipefail

usage() { printf 'usage: %s start|stop|env <dir>\n' "$0" >&2; exit 2; }
die() { printf 'dockerd.sh: error: %s\n' "$*" >&2; exit 1; }

(($# == 2)) || usage
cmd="$1"
case "$2" in
/*) dir="${2%/}" ;;
*) dir="$PWD/${2%/}" ;;
esac
sock="$dir/docker.sock"
pidfile="$dir/docker.pid"
logfile="$dir/dockerd.log"
export DOCKER_HOST="unix://$sock"

# alive PID succeeds while PID exists and is not a zombie (an engine reparented to an init that does not
# reap stays a zombie after it exits).
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	local state
	state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null)" || return 1
	[[ "$state" != Z ]]
}

# running prints the engine's pid when the pid file names a live dockerd started for this directory.
running() {
	local pid
	[[ -s "$pidfile" ]] || return 1
	pid="$(<"$pidfile")"
	[[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
	# Only a dockerd whose command line names this directory: never a recycled pid.
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--pidfile=$pidfile" || return 1
	printf '%s\n' "$pid"
}

answers() { docker version >/dev/null 2>&1; }

start() {
	command -v dockerd >/dev/null 2>&1 || die "dockerd is not installed (run conformance/install-clients.sh)"
	command -v docker >/dev/null 2>&1 || die "docker is not installed (run conformance/install-clients.sh)"
	((${#sock} < 108)) || die "socket path $sock is too long for a unix socket; use a shorter <dir>"
	if pid="$(running)"; then
		if answers; then
			printf 'dockerd.sh: already running (pid %s) at %s\n' "$pid" "$DOCKER_HOST"
			return 0
		fi
		die "dockerd (pid $pid) is running for $dir but does not answer; run: $0 stop $dir"
	fi
	rm -f "$pidfile" "$sock"
	mkdir -p "$dir/data" "$dir/exec"
	# An empty config file, so that a machine-wide /etc/docker/daemon.json cannot change the engine.
	[[ -e "$dir/daemon.json" ]] || printf '{}\n' >"$dir/daemon.json"
	local extra=()
	[[ -n "${DOCKERD_EXTRA_ARGS:-}" ]] && read -r -a extra <<<"$DOCKERD_EXTRA_ARGS"
	# setsid: the engine outlives this script and is not hit by the terminal's Ctrl-C.
	setsid dockerd \
		--config-file="$dir/daemon.json" \
		--storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
		--host="$DOCKER_HOST" --data-root="$dir/data" --exec-root="$dir/exec" --pidfile="$pidfile" \
		"${extra[@]}" </dev/null >"$logfile" 2>&1 &
	local launched=$! deadline=$((SECONDS + ${DOCKERD_START_TIMEOUT:-30}))
	until answers; do
		if ! alive "$launched"; then
			printf 'dockerd.sh: dockerd exited during start; last lines of %s:\n' "$logfile" >&2
			tail -n 40 "$logfile" >&2 || true
			exit 1
		fi
		if ((SECONDS >= deadline)); then
			printf 'dockerd.sh: dockerd did not answer within %ss; last lines of %s:\n' \
				"${DOCKERD_START_TIMEOUT:-30}" "$logfile" >&2
			tail -n 40 "$logfile" >&2 || true
			kill "$launched" 2>/dev/null || true
			exit 1
		fi
		sleep 0.2
	done
	printf 'dockerd.sh: started (pid %s) at %s, log %s\n' "$launched" "$DOCKER_HOST" "$logfile"
}

stop() {
	local pid
	if ! pid="$(running)"; then
		printf 'dockerd.sh: not running for %s\n' "$dir"
		rm -f "$pidfile"
		return 0
	fi
	kill -TERM "$pid"
	for _ in $(seq 1 100); do
		alive "$pid" || break
		sleep 0.2
	done
	if alive "$pid"; then
		printf 'dockerd.sh: dockerd (pid %s) ignored SIGTERM for 20 s; killing it\n' "$pid" >&2
		kill -KILL "$pid" 2>/dev/null || true
		while alive "$pid"; do sleep 0.1; done
	fi
	rm -f "$pidfile" "$sock"
	printf 'dockerd.sh: stopped (pid %s)\n' "$pid"
}

case "$cmd" in
start) start ;;
stop) stop ;;
env) printf 'export DOCKER_HOST=%q\n' "$DOCKER_HOST" ;;
*) usage ;;
esac
