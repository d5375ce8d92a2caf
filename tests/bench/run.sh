#!/usr/bin/env bash
# The benchmark driver behind `make bench`:  tests/bench/run.sh BUILD_DIR [bench_sync bench_cli …]
# (default: every tests/bench/bench_*.py; then every figure with a target again, together).
#
# Runs each Python benchmark in turn against the binaries in BUILD_DIR and prints their figures
# beside the targets. Exits non-zero only when a benchmark could not run; a slow figure is
# printed as MISSED and never fails (the machines are shared and noisy).
# WPED_BENCH_SECONDS=N sets the length of each timed window of bench_token (default 5).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-build}"
shift || true
benchmarks=("$@")
if [ ${#benchmarks[@]} -eq 0 ]; then
  # Every bench_*.py here, so a new benchmark is in `make bench` as soon as it exists.
  for script in "$here"/bench_*.py; do
    name="$(basename "$script" .py)"
    benchmarks+=("$name")
  done
fi

if [ ! -d "$build" ]; then
  echo "run.sh: build directory '$build' not found (make build, or cmake --build BUILD)" >&2
  exit 2
fi
build="$(cd "$build" && pwd)"
export WPED_BUILD_DIR="$build"
export WPED_BIN="${WPED_BIN:-$build/daemon/wped}"
export WPECTL_BIN="${WPECTL_BIN:-$build/ctl/wpectl}"
export WPE_SANDBOX_BIN="${WPE_SANDBOX_BIN:-$build/tests/sandbox/wpe-sandbox}"
export WPED_BENCH_HTTP_BIN="${WPED_BENCH_HTTP_BIN:-$build/tests/bench/wped-bench-http}"
export PYTHONDONTWRITEBYTECODE=1
python=/usr/bin/python3
[ -x "$python" ] || python=python3

missing=0
for bin in "$WPED_BIN" "$WPECTL_BIN" "$WPE_SANDBOX_BIN" "$WPED_BENCH_HTTP_BIN"; do
  if [ ! -x "$bin" ]; then
    echo "run.sh: $bin is not built" >&2
    missing=1
  fi
done
if [ "$missing" -ne 0 ]; then
  echo "run.sh: build everything first: cmake --build $build" >&2
  exit 1
fi

echo "wped benchmarks: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(date -u +%FT%TZ)"
failed=()
figures="$(mktemp)"
trap 'rm -f "$figures"' EXIT
for bench in "${benchmarks[@]}"; do
  script="$here/$bench.py"
  if [ ! -f "$script" ]; then
    echo "run.sh: no benchmark $bench ($script)" >&2
    failed+=("$bench")
    continue
  fi
  "$python" "$script" | tee -a "$figures"
  rc=${PIPESTATUS[0]}
  [ "$rc" -ne 0 ] && failed+=("$bench (exit $rc)")
done

# Every figure that has a target, once more in one place (issue 10's table and the others).
echo
echo "== every figure with a target"
grep -E '   target ' "$figures" | sed -E 's/^ +/   /'

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "run.sh: could not run: ${failed[*]}" >&2
  exit 1
fi
echo "run.sh: all ${#benchmarks[@]} benchmarks ran (figures above; MISSED marks a target not met)"
