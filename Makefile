# The two commands a newcomer needs:
#   make run   install missing Debian packages, build, write config.yaml if absent, start on 127.0.0.1:8080
#   make test  build and run the whole test suite through ctest
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
BUILD_TYPE ?= RelWithDebInfo
CONFIG ?= config.yaml
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps deps-test build run test sanitize-test fuzz bench package clean help

all: build

help:
	@echo "make run            build and start the service (config.yaml in this directory)"
	@echo "make test           build and run every test"
	@echo "make build          build into $(BUILD_DIR)/ (binary: $(BUILD_DIR)/bin/claude-code-companion)"
	@echo "make sanitize-test  the test suite under ASan+UBSan ($(ASAN_DIR)/)"
	@echo "make fuzz           run the libFuzzer targets for a bounded time"
	@echo "make bench          run the benchmarks (figures go to docs/BENCHMARKS.md)"
	@echo "make clean          remove build trees"

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test
	@scripts/js-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/bin/claude-code-companion --config $(CONFIG)

test: deps-test build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_JOBS) --timeout 900

# The sanitizers check native code; the wasm build and its browser/node tests already ran in
# `make test`, so they are left out here.
$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCCC_SANITIZE=address,undefined -DCCC_BUILD_BENCH=OFF -DCCC_BUILD_WASM=OFF $(CMAKE_FLAGS)

sanitize-test: deps-test $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp \
		ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(CTEST_JOBS) --timeout 1800

fuzz: deps-test
	scripts/fuzz.sh

bench: deps-test
	scripts/deps.sh bench
	scripts/bench.sh

package: build
	cmake --build $(BUILD_DIR) --target package

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) build-fuzz build-bench
