# The README's two commands:
#   make demo   install what is missing, build, run wped against the bundled sandbox
#   make test   install what is missing, build, run the whole test suite (ctest)
# Everything else is plain CMake: cmake -S . -B build && cmake --build build.

BUILD ?= build
JOBS ?= $(shell nproc)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages: build (compiler, POCO, SQLite, libsecret, libsystemd, Catch2) and the
# real processes the tests and the demo run (gnome-keyring on a private D-Bus session,
# secret-tool for the keyring benchmark, systemd-analyze for the unit files, pytest, curl).
DEB_PACKAGES := g++ cmake make pkg-config libpoco-dev libsqlite3-dev libsecret-1-dev \
  libsystemd-dev libssl-dev catch2 gnome-keyring dbus dbus-x11 libsecret-tools systemd \
  python3 python3-pytest curl openssl util-linux sqlite3 iproute2

.PHONY: deps build test demo bench clean

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	/usr/bin/python3 tests/demo.py $(BUILD)

bench: build
	tests/bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
