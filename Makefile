# sladesk front door. `make run` and `make test` are the quick start; both
# install missing Debian packages first (scripts/install-deps.sh).
.PHONY: deps build run test bench clean fuzz web

BUILD_DIR ?= build
TEST_BUILD_DIR ?= build-test
JOBS ?= $(shell nproc)
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

deps:
	bash scripts/install-deps.sh

# Optimised build of the one binary `make run` starts (no tests, no
# benchmarks: `make bench` builds those).
build: deps
	cmake -S . -B $(BUILD_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS) --target sladesk

# The web app (web/): npm ci from the lock file, types from api/openapi.json, vite build.
web: deps
	bash scripts/web.sh build

run: build web
	./$(BUILD_DIR)/sladesk serve --demo --web-root web/dist

# Every test, built with AddressSanitizer + UndefinedBehaviorSanitizer, on
# SQLite and on a throwaway PostgreSQL cluster (scripts/run-tests.sh), then
# each libFuzzer target for a bounded time (TEST_FUZZ_TIME seconds).
TEST_FUZZ_TIME ?= 20
test: deps
	cmake -S . -B $(TEST_BUILD_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DSLADESK_SANITIZE=ON -DSLADESK_BUILD_BENCH=OFF
	cmake --build $(TEST_BUILD_DIR) -j $(JOBS)
	bash scripts/run-tests.sh $(TEST_BUILD_DIR) $(JOBS)
	$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(TEST_FUZZ_TIME)

bench: build
	cmake --build $(BUILD_DIR) -j $(JOBS)
	./$(BUILD_DIR)/bench/calendar_bench

clean:
	rm -rf $(BUILD_DIR) $(TEST_BUILD_DIR)

# libFuzzer (clang) with ASan+UBSan: builds tests/fuzz/ in $(FUZZ_BUILD_DIR)
# and runs each target for FUZZ_TIME seconds from the seed corpus in
# tests/fuzz/corpus/ (plus policies/ for the policy loader). New inputs go
# to $(FUZZ_BUILD_DIR)/corpus/; crashes are written as crash-* files in
# $(FUZZ_BUILD_DIR) and fail the target.
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_TIME ?= 30
FUZZERS := sla_evaluate policy compliance json_body mustache mail_parse
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD_DIR) $(CMAKE_GEN) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSLADESK_SANITIZE=ON -DSLADESK_FUZZ=ON -DSLADESK_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target $(addsuffix _fuzzer,$(FUZZERS))
	set -e; for f in $(FUZZERS); do \
	  mkdir -p $(FUZZ_BUILD_DIR)/corpus/$$f; \
	  echo "fuzzing $$f for $(FUZZ_TIME) s"; \
	  $(FUZZ_BUILD_DIR)/tests/fuzz/$${f}_fuzzer -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD_DIR)/ $(FUZZ_BUILD_DIR)/corpus/$$f tests/fuzz/corpus/$$f $$( [ $$f = policy ] && echo policies; [ $$f = mail_parse ] && echo tests/data/mail ); \
	done
