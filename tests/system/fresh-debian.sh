#!/usr/bin/env bash
# fresh-debian.sh: the README's two commands on a pristine Debian 12 root.
#
#   sudo tests/system/fresh-debian.sh [WORK_DIR]
#
# Makes (once, then reuses) a `debootstrap --variant=minbase bookworm` root — nothing else
# preinstalled, not even ca-certificates — copies this checkout's committed tree (git HEAD)
# into a fresh copy of it, and runs there, as a new user would:
#   ./dev.sh demo    install what is missing (apt), build, run the demo against the sandbox
#   ./dev.sh test    the whole test suite, except tests/system (the container test cannot
#                    boot a container of its own inside this one: CTEST_ARGS="-LE system")
# inside `systemd-nspawn` (its own /proc, /dev and /run; the host's network for apt).
# WORK_DIR defaults to build/fresh-debian; the pristine root is kept there as `pristine`,
# each run gets `run/` (removed at the start of the next run). Exit 0 when both passed.
# Takes about 15-25 minutes on a 2-core machine (apt, a full build, the tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$(pwd)
WORK=$(realpath -m "${1:-$SRC/build/fresh-debian}")
[ "$(id -u)" -eq 0 ] || { echo "fresh-debian.sh: run as root (debootstrap, systemd-nspawn)" >&2; exit 2; }
for tool in debootstrap systemd-nspawn git; do
  command -v "$tool" >/dev/null || {
    echo "fresh-debian.sh: $tool is missing: apt-get install debootstrap systemd-container git" >&2
    exit 2
  }
done
mkdir -p "$WORK"
say() { printf '\n=== fresh-debian: %s\n' "$*"; }

if [ ! -e "$WORK/pristine/.ready" ]; then
  say "debootstrap --variant=minbase bookworm into $WORK/pristine (once)"
  rm -rf "$WORK/pristine"
  python3 - "$SRC/tests/system" "$WORK/pristine" "$WORK/pristine.log" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import box
box.debootstrap_minbase(sys.argv[2], sys.argv[3], debs=sys.argv[2] + "-debs")
PY
  touch "$WORK/pristine/.ready"
fi

say "a fresh copy of the pristine root"
rm -rf --one-file-system "$WORK/run"
cp -a "$WORK/pristine" "$WORK/run"
rm -f "$WORK/run/.ready"
mkdir -p "$WORK/run/src"
git -C "$SRC" archive HEAD | tar -x -C "$WORK/run/src"

run_in_root() {
  systemd-nspawn -q --register=no --keep-unit --directory="$WORK/run" --pipe --chdir=/src \
    --setenv=CTEST_ARGS="-LE system" --setenv=HOME=/root bash -c "$1" </dev/null
}
say "./dev.sh demo"
run_in_root './dev.sh demo'
say "./dev.sh test"
run_in_root './dev.sh test'
say "both README commands passed on a pristine Debian 12 root"
