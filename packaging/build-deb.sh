#!/usr/bin/env bash
# build-deb.sh BUILD_DIR: the .deb from an already built tree (CPack's DEB generator: stripped
# binaries, dependencies from dpkg-shlibdeps), then lintian on it; fails on any lintian error.
# Prints the package's path last. `make deb` runs it; so does ctest (package.deb).
set -euo pipefail
build=$(realpath "${1:?usage: build-deb.sh BUILD_DIR}")
rm -f "$build"/packages/wped_*.deb
(cd "$build" && cpack -G DEB --config CPackConfig.cmake >/dev/null 2>&1) ||
  { echo "build-deb.sh: cpack failed; rerun it in $build to see why" >&2; exit 1; }
deb=$(ls "$build"/packages/wped_*.deb)
command -v lintian >/dev/null || { echo "build-deb.sh: lintian is missing: ./dev.sh deps" >&2; exit 1; }
# --fail-on error: warnings are printed for people to read but do not fail the build.
rc=0
out=$(lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1) || rc=$?
grep -v 'running with root privileges' <<<"$out" || true
((rc == 0)) || { echo "build-deb.sh: lintian found errors in $deb" >&2; exit 1; }
echo "$deb"
