#!/usr/bin/env bash
# The README's two commands, for a fresh Debian 12 machine (bash and apt are all it needs):
#   ./dev.sh demo   install what is missing, build, run wped against the bundled sandbox
#   ./dev.sh test   install what is missing, build, run the whole test suite (ctest)
# Also: ./dev.sh deps | build | bench. Everything after the install is `make TARGET`.
set -euo pipefail
cd "$(dirname "$0")"

# Debian 12 packages: the build (compiler, cmake, make, POCO, SQLite, libsecret, libsystemd,
# Catch2, scdoc for the man pages), what wped needs at run time besides its libraries
# (ca-certificates: the system trust store that verifies the live API), the package
# (dpkg-dev's dpkg-shlibdeps for its Depends, lintian), and the real processes the tests and
# the demo run (gnome-keyring on a private D-Bus session, secret-tool, systemd-analyze for the
# unit files, pytest, curl, openssl, setpriv, sqlite3, ss, pgrep, man, the three shells whose
# completions are tested; node, php with curl and jq run the client examples in examples/;
# systemd-nspawn and debootstrap boot the Debian 12 containers of tests/system; clang with
# libclang-rt-14-dev (ASan, UBSan and libFuzzer runtimes) builds the sanitizer tree and the fuzz
# targets of `make test`, ccache keeps its rebuilds short).
PACKAGES=(g++ cmake make pkg-config libpoco-dev libsqlite3-dev libsecret-1-dev libsystemd-dev
  libssl-dev catch2 scdoc ca-certificates dpkg-dev lintian gnome-keyring dbus dbus-x11
  libsecret-tools systemd python3 python3-pytest curl openssl util-linux sqlite3 iproute2 procps
  man-db bash-completion zsh fish systemd-container debootstrap nodejs php-cli php-curl jq
  clang libclang-rt-14-dev ccache)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "dev.sh: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

case "${1:-}" in
  deps) install_missing ;;
  demo | test | build | bench) install_missing && exec make "$1" ;;
  *)
    echo "usage: ./dev.sh demo | test | build | bench | deps" >&2
    exit 2
    ;;
esac
