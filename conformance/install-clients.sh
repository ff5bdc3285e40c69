#!/usr/bin/env bash
# Installs the real registry clients that the end-to-end tests drive, each only when it is absent:
#   - the Docker engine and CLI (Debian's docker.io) and skopeo, with apt-get;
#   - crane and oras, built with `go install` from the Go module proxy into a bin directory.
# Idempotent: a second run installs nothing and only prints the versions.
#
# Environment:
#   ACREMU_CLIENTS_BIN    where crane and oras go (default: $(go env GOPATH)/bin), searched before PATH
#                         here and by the Go helpers in conformance/clients, which search the default too.
#   ACREMU_CRANE_VERSION  go-containerregistry release for crane (default: v0.22.1, the one in go.mod).
#   ACREMU_ORAS_VERSION   oras CLI release (default: v1.3.6).
# The defaults match CraneVersion and OrasVersion in conformance/clients/require.go.
set -euo pipefail

CRANE_VERSION="${ACREMU_CRANE_VERSION:-v0.22.1}"
ORAS_VERSION="${ACREMU_ORAS_VERSION:-v1.3.6}"

log() { printf 'install-clients: %s\n' "$*"; }
die() { printf 'install-clients: error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "go is not on PATH (needed to build crane and oras)"
BIN_DIR="${ACREMU_CLIENTS_BIN:-$(go env GOPATH)/bin}"
mkdir -p "$BIN_DIR"

# find_tool NAME prints the path of NAME, searching BIN_DIR first and then PATH.
find_tool() {
	if [[ -x "$BIN_DIR/$1" ]]; then
		printf '%s\n' "$BIN_DIR/$1"
	else
		command -v "$1" 2>/dev/null || true
	fi
}

# --- Debian packages -------------------------------------------------------------------------------

SUDO=()
if [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo)
fi

installed=()
apt_packages=()
# The engine is needed, not only a CLI: a docker CLI from elsewhere on PATH does not count.
if [[ -z "$(find_tool dockerd)" || -z "$(find_tool docker)" ]]; then
	apt_packages+=(docker.io)
fi
if [[ -z "$(find_tool skopeo)" ]]; then
	apt_packages+=(skopeo)
fi
if ((${#apt_packages[@]})); then
	command -v apt-get >/dev/null 2>&1 || die "missing ${apt_packages[*]} and apt-get is not available; install them by hand"
	log "installing with apt-get: ${apt_packages[*]}"
	export DEBIAN_FRONTEND=noninteractive
	"${SUDO[@]}" apt-get update -q || die "apt-get update failed"
	"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${apt_packages[@]}" ||
		die "apt-get install ${apt_packages[*]} failed"
	installed+=("${apt_packages[@]/%/ (apt)}")
fi

# --- Go-built clients ------------------------------------------------------------------------------

# go_install NAME PACKAGE VERSION builds PACKAGE@VERSION into BIN_DIR when NAME is absent.
go_install() {
	local name="$1" pkg="$2" version="$3" found
	found="$(find_tool "$name")"
	if [[ -n "$found" ]]; then
		log "$name already present at $found"
		return 0
	fi
	log "installing $name $version (go install $pkg@$version) into $BIN_DIR"
	# Outside any module, so the project's go.mod plays no part; static, so no C toolchain is needed.
	(cd "${TMPDIR:-/tmp}" && GOBIN="$BIN_DIR" CGO_ENABLED=0 GOFLAGS=-trimpath go install "$pkg@$version") ||
		die "go install $pkg@$version failed"
	installed+=("$name $version (go install)")
}

go_install crane github.com/google/go-containerregistry/cmd/crane "$CRANE_VERSION"
go_install oras oras.land/oras/cmd/oras "$ORAS_VERSION"

# --- Report ----------------------------------------------------------------------------------------

# first_line CMD... prints the first line of what CMD prints.
first_line() { "$@" 2>&1 | head -n 1 || true; }

docker_bin="$(find_tool docker)"
dockerd_bin="$(find_tool dockerd)"
skopeo_bin="$(find_tool skopeo)"
crane_bin="$(find_tool crane)"
oras_bin="$(find_tool oras)"
for v in docker_bin dockerd_bin skopeo_bin crane_bin oras_bin; do
	[[ -n "${!v}" ]] || die "${v%_bin} is still missing after installation"
done

if ((${#installed[@]})); then
	log "installed: $(IFS=,; printf '%s' "${installed[*]}" | sed 's/,/, /g')"
else
	log "installed: nothing (every client was present)"
fi
log "docker:  $docker_bin ($(first_line "$docker_bin" --version))"
log "dockerd: $dockerd_bin ($(first_line "$dockerd_bin" --version))"
log "skopeo:  $skopeo_bin ($(first_line "$skopeo_bin" --version))"
log "crane:   $crane_bin ($(first_line "$crane_bin" version))"
log "oras:    $oras_bin ($(first_line "$oras_bin" version))"
case ":$PATH:" in
*":$BIN_DIR:"*) ;;
*) log "note: $BIN_DIR is not on PATH; the Go helpers find crane and oras there anyway" ;;
esac
