# The quick start: `make run` and `make test` each install what is missing
# (scripts/deps.sh), configure, build, and then serve or test.
BUILD   ?= build
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE   ?= cmake
HOST    ?= 127.0.0.1
PORT    ?= 8080

.PHONY: all deps release debug run test test-clang bench install clean fuzz

all: release

deps:
	@sh scripts/deps.sh

# Optimised build used by `make run` and the benchmarks.
release: deps
	@$(CMAKE) -S . -B $(BUILD)/release -DCMAKE_BUILD_TYPE=Release -DHTTPSTATUS_BUILD_TESTS=OFF >/dev/null
	@$(CMAKE) --build $(BUILD)/release -j $(JOBS)

# Sanitized, warnings-as-errors build that the tests run against.
debug: deps
	@$(CMAKE) -S . -B $(BUILD)/debug -DCMAKE_BUILD_TYPE=Debug -DHTTPSTATUS_WERROR=ON \
	    -DHTTPSTATUS_SANITIZE=ON -DHTTPSTATUS_BUILD_TESTS=ON >/dev/null
	@$(CMAKE) --build $(BUILD)/debug -j $(JOBS)

run: release
	@$(BUILD)/release/src/cli/httpstatus serve --host $(HOST) --port $(PORT)

test: debug
	@cd $(BUILD)/debug && ctest --output-on-failure -j $(JOBS)

# The same warnings-as-errors build with clang (no sanitizers, no test run).
test-clang: deps
	@CC=clang $(CMAKE) -S . -B $(BUILD)/clang -DHTTPSTATUS_WERROR=ON -DHTTPSTATUS_BUILD_TESTS=ON >/dev/null
	@$(CMAKE) --build $(BUILD)/clang -j $(JOBS)

# Runs every libFuzzer target (fuzz/fuzz_*.c) for FUZZ_SECONDS each (clang,
# ASan + UBSan), then merges the inputs that reach new code into
# fuzz/corpus/<name>/, which `make test` replays.
FUZZ_SECONDS ?= 60
fuzz: deps
	@CC=clang $(CMAKE) -S . -B $(BUILD)/fuzz -DHTTPSTATUS_FUZZ=ON -DHTTPSTATUS_SANITIZE=ON \
	    -DHTTPSTATUS_BUILD_TESTS=OFF >/dev/null
	@$(CMAKE) --build $(BUILD)/fuzz -j $(JOBS)
	@set -e; for src in fuzz/fuzz_*.c; do \
	  name=$${src#fuzz/fuzz_}; name=$${name%.c}; new=$(BUILD)/fuzz/new/$$name; \
	  dict=; [ -f fuzz/$$name.dict ] && dict=-dict=fuzz/$$name.dict; \
	  mkdir -p $$new fuzz/corpus/$$name; \
	  echo "fuzz_$$name: $(FUZZ_SECONDS) s"; \
	  $(BUILD)/fuzz/fuzz/fuzz_$$name $$dict -max_len=20000 -max_total_time=$(FUZZ_SECONDS) \
	      -print_final_stats=1 $$new fuzz/corpus/$$name 2>$(BUILD)/fuzz/$$name.log || \
	      { tail -40 $(BUILD)/fuzz/$$name.log; exit 1; }; \
	  $(BUILD)/fuzz/fuzz/fuzz_$$name -merge=1 fuzz/corpus/$$name $$new 2>>$(BUILD)/fuzz/$$name.log; \
	  rm -rf $$new; \
	done

bench: release
	@sh bench/run

install: release
	@$(CMAKE) --install $(BUILD)/release

clean:
	rm -rf $(BUILD)
