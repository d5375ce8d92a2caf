# Targets behind ./dev.sh (which first installs what is missing with apt):
#   make demo   build, run wped against the bundled sandbox
#   make test   build, run the whole test suite (ctest), including the sanitizer tree in
#               $(BUILD)/clang (clang ASan+UBSan: unit + integration tests, and the fuzz
#               targets 60 s each; docs/fuzzing.md)
#   make bench  build, run the benchmarks (they print figures)
#   make deb    build, then the Debian package (build/packages/wped_VERSION_ARCH.deb) + lintian
# Everything else is plain CMake: cmake -S . -B build && cmake --build build.

BUILD ?= build
JOBS ?= $(shell nproc)
# The sanitizer tree (WPED_SANITIZE=ON: clang, ASan+UBSan, libFuzzer-ready, -Wthread-safety).
CLANG_BUILD ?= $(BUILD)/clang
# ctest runs more tests than cores: the integration tests mostly wait on I/O; the fuzzers are
# capped at two at a time (tests/ctest-resources.json) and run at a lower priority.
TEST_JOBS ?= $(shell echo $$(( $(JOBS) * 2 )))
# OFF leaves out the integration suite against the sanitizer tree (a quicker local run).
SANITIZE_INTEGRATION ?= ON
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: deps build sanitize-build test demo bench deb clean

deps:
	./dev.sh deps

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

sanitize-build:
	cmake -S . -B $(CLANG_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DWPED_SANITIZE=ON $(LAUNCHER) >/dev/null
	cmake --build $(CLANG_BUILD) -j $(JOBS)

test: sanitize-build
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(LAUNCHER) \
	  -DWPED_SANITIZER_BUILD_DIR=$(abspath $(CLANG_BUILD)) \
	  -DWPED_SANITIZE_INTEGRATION=$(SANITIZE_INTEGRATION) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(TEST_JOBS) \
	  --resource-spec-file $(CURDIR)/tests/ctest-resources.json $(CTEST_ARGS)

demo: build
	/usr/bin/python3 tests/demo.py $(BUILD)

bench: build
	tests/bench/run.sh $(BUILD)

deb: build
	packaging/build-deb.sh $(BUILD)

clean:
	rm -rf $(BUILD)
