# sladesk front door. `make run` and `make test` are the quick start; both
# install missing Debian packages first (scripts/install-deps.sh).
.PHONY: deps build run test bench clean

BUILD_DIR ?= build
TEST_BUILD_DIR ?= build-test
JOBS ?= $(shell nproc)
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

deps:
	bash scripts/install-deps.sh

# Optimised build: the server, the CLI and the benchmarks.
build: deps
	cmake -S . -B $(BUILD_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/sladesk serve --demo

# Every test, built with AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps
	cmake -S . -B $(TEST_BUILD_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DSLADESK_SANITIZE=ON -DSLADESK_BUILD_BENCH=OFF
	cmake --build $(TEST_BUILD_DIR) -j $(JOBS)
	cd $(TEST_BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	./$(BUILD_DIR)/bench/calendar_bench

clean:
	rm -rf $(BUILD_DIR) $(TEST_BUILD_DIR)
