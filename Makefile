# Targets behind ./dev.sh (which first installs what is missing with apt):
#   make demo   build, run wped against the bundled sandbox
#   make test   build, run the whole test suite (ctest)
#   make bench  build, run the benchmarks (they print figures)
#   make deb    build, then the Debian package (build/packages/wped_VERSION_ARCH.deb) + lintian
# Everything else is plain CMake: cmake -S . -B build && cmake --build build.

BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build test demo bench deb clean

deps:
	./dev.sh deps

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

demo: build
	/usr/bin/python3 tests/demo.py $(BUILD)

bench: build
	tests/bench/run.sh $(BUILD)

deb: build
	packaging/build-deb.sh $(BUILD)

clean:
	rm -rf $(BUILD)
