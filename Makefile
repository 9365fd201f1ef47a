# SPDX-License-Identifier: MIT
# The quick start: `make run` and `make test` each install what is missing
# (scripts/deps.sh), configure, build, and then serve or test.
BUILD   ?= build
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE   ?= cmake
HOST    ?= 127.0.0.1
PORT    ?= 8080
PREFIX  ?= /usr/local
DESTDIR ?=

.PHONY: all deps release debug run test test-clang test-package image bench install uninstall clean fuzz

all: release

# What `make run` and `make test` need (scripts/deps.sh also knows bench,
# fuzz and package).
deps:
	@sh scripts/deps.sh run test

# Optimised build used by `make run`, `make install` and the benchmarks.
release:
	@sh scripts/deps.sh run
	@$(CMAKE) -S . -B $(BUILD)/release -DCMAKE_BUILD_TYPE=Release -DHTTPSTATUS_BUILD_TESTS=OFF \
	    -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@$(CMAKE) --build $(BUILD)/release -j $(JOBS)

# Sanitized, warnings-as-errors build that the tests run against.
debug:
	@sh scripts/deps.sh test
	@$(CMAKE) -S . -B $(BUILD)/debug -DCMAKE_BUILD_TYPE=Debug -DHTTPSTATUS_WERROR=ON \
	    -DHTTPSTATUS_SANITIZE=ON -DHTTPSTATUS_BUILD_TESTS=ON >/dev/null
	@$(CMAKE) --build $(BUILD)/debug -j $(JOBS)

run: release
	@echo "make run: the command is $(BUILD)/release/src/cli/httpstatus (README: Quick start)"
	@$(BUILD)/release/src/cli/httpstatus serve --host $(HOST) --port $(PORT)

test: debug
	@cd $(BUILD)/debug && ctest --output-on-failure -j $(JOBS)

# The same warnings-as-errors build with clang (no sanitizers, no test run).
test-clang:
	@sh scripts/deps.sh test
	@CC=clang $(CMAKE) -S . -B $(BUILD)/clang -DHTTPSTATUS_WERROR=ON -DHTTPSTATUS_BUILD_TESTS=ON >/dev/null
	@$(CMAKE) --build $(BUILD)/clang -j $(JOBS)

# Runs every libFuzzer target (fuzz/fuzz_*.c) for FUZZ_SECONDS each (clang,
# ASan + UBSan), then adds to fuzz/corpus/<name>/, which `make test`
# replays, only the inputs that reach code the corpus did not (edges, not
# hit counts: a few files per run). A crash is kept in $(BUILD)/fuzz/ and
# fails the target once every target has run.
FUZZ_SECONDS ?= 60
fuzz: deps
	@CC=clang $(CMAKE) -S . -B $(BUILD)/fuzz -DHTTPSTATUS_FUZZ=ON -DHTTPSTATUS_SANITIZE=ON \
	    -DHTTPSTATUS_BUILD_TESTS=OFF >/dev/null
	@$(CMAKE) --build $(BUILD)/fuzz -j $(JOBS)
	@failed=; for src in fuzz/fuzz_*.c; do \
	  name=$${src#fuzz/fuzz_}; name=$${name%.c}; out=$(BUILD)/fuzz; new=$$out/new/$$name; \
	  dict=; [ -f fuzz/$$name.dict ] && dict=-dict=fuzz/$$name.dict; \
	  rm -rf $$new; mkdir -p $$new fuzz/corpus/$$name; \
	  echo "fuzz_$$name: $(FUZZ_SECONDS) s"; \
	  if ! $$out/fuzz/fuzz_$$name $$dict -max_len=20000 -max_total_time=$(FUZZ_SECONDS) \
	      -artifact_prefix=$$out/$$name- $$new fuzz/corpus/$$name 2>$$out/$$name.log; then \
	    tail -30 $$out/$$name.log; failed="$$failed $$name"; continue; fi; \
	  $$out/fuzz/fuzz_$$name -merge=1 -use_counters=0 fuzz/corpus/$$name $$new \
	      2>>$$out/$$name.log; \
	  grep 'MERGE-OUTER: [0-9]* new files' $$out/$$name.log | tail -1; \
	done; \
	if [ -n "$$failed" ]; then echo "make fuzz: crashes in:$$failed (see $(BUILD)/fuzz/)"; exit 1; fi

# The Debian packages, the container image and the systemd unit, built and
# tried for real (tests/package); a Release build of its own.
test-package:
	@sh scripts/deps.sh package
	@$(CMAKE) -S . -B $(BUILD)/package -DCMAKE_BUILD_TYPE=Release -DHTTPSTATUS_BUILD_TESTS=OFF \
	    -DHTTPSTATUS_PACKAGE_TESTS=ON >/dev/null
	@$(CMAKE) --build $(BUILD)/package -j $(JOBS)
	@cd $(BUILD)/package && ctest --output-on-failure -L package
	@echo "What lintian still says about the packages:" && cat $(BUILD)/package/tests/package/deb/lintian.txt

# The container image, httpstatus:VERSION (PODMAN: see scripts/image.sh).
image: release
	@sh scripts/deps.sh image
	@sh scripts/image.sh $(BUILD)/release/src/cli/httpstatus-serve \
	    httpstatus:$$(sed -n 's/^project(httpstatus VERSION \([^ ]*\).*/\1/p' CMakeLists.txt)

bench: release
	@sh scripts/deps.sh bench
	@BUILD=$(BUILD) sh bench/run

# PREFIX (default /usr/local) and DESTDIR as usual. Installing into the
# system itself (no DESTDIR, as root) refreshes the loader's cache, so
# programs linked against libhttpstatus.so find it at once. installed.txt is
# CMake's install_manifest.txt with DESTDIR in front: what uninstall removes.
install: release
	@DESTDIR="$(DESTDIR)" $(CMAKE) --install $(BUILD)/release
	@sed 's|^|$(DESTDIR)|' $(BUILD)/release/install_manifest.txt >$(BUILD)/release/installed.txt
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ]; then ldconfig; fi

# Removes what the last `make install` from this tree installed, wherever
# that was, and the folders it leaves empty.
uninstall:
	@list=$(BUILD)/release/installed.txt; \
	if [ ! -f "$$list" ]; then echo "make uninstall: no $$list: nothing was installed from $(BUILD)/release" >&2; exit 1; fi; \
	while IFS= read -r f || [ -n "$$f" ]; do if [ -e "$$f" ] || [ -L "$$f" ]; then rm -f "$$f" && echo "removed $$f"; fi; done <"$$list"; \
	while IFS= read -r f || [ -n "$$f" ]; do rmdir "$${f%/*}" 2>/dev/null || true; done <"$$list"; \
	rm -f "$$list"
	@if [ "$$(id -u)" -eq 0 ]; then ldconfig; fi

clean:
	rm -rf $(BUILD)
