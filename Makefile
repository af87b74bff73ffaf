# Emocl: `make run` serves the bundled model; `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Debian packages the build and `emocl serve` need.
APT_PACKAGES := libopenblas-dev liblapacke-dev libturbojpeg0-dev libpng-dev libwebp-dev opencv-data \
  libfreetype-dev pkg-config fonts-dejavu-core libsqlite3-dev \
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
# And the tests: PostgreSQL for the storage tests, Chromium and its WebDriver for the browser test.
TEST_APT_PACKAGES := postgresql chromium chromium-driver
# Without a target CPU, Swift lowers SIMD fused multiply-adds to libm calls (200x slower).
SWIFT_FLAGS := -c release -Xswiftc -target-cpu -Xswiftc haswell
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The service's storage tests run against this PostgreSQL too (started by `pg-start`).
PG_TEST_URL := postgres://emocl_test:emocl_test@127.0.0.1:5432/emocl_test?sslmode=disable

.PHONY: deps test-deps apt-install build test test-kernels run bench format clean pg-start fuzz

deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES) $(TEST_APT_PACKAGES)"

apt-install:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build $(SWIFT_FLAGS) --product emocl

# Tests run in the release configuration (numeric code is 10-100x slower in debug), sharing
# the build with `make build`: no test uses `@testable import`, and without
# --disable-testable-imports `swift test` compiles every module again with -enable-testing.
# OpenBLAS stays single-threaded: Swift Testing runs tests in parallel.
test: test-deps pg-start
	mkdir -p .build && EMOCL_TEST_POSTGRES='$(PG_TEST_URL)' OPENBLAS_NUM_THREADS=1 swift test $(SWIFT_FLAGS) --disable-testable-imports 2>&1 | tee .build/test.log; status=$${PIPESTATUS[0]}; [ $$status = 0 ] || exit $$status
	@$(MAKE) --no-print-directory test-kernels
	@echo "== the whole suite (above, in .build/test.log):"; grep -E "Test run with|Executed .* tests" .build/test.log | tail -n 2

# Emocl may run any OpenBLAS core this CPU supports (the best, or the next down when one fails
# its self-test), and older OpenBLAS releases can compute wrong results on some CPUs: the Tensor
# tests again under each of them, with OPENBLAS_CORETYPE set.
test-kernels:
	swift build $(SWIFT_FLAGS) --product emocl
	@for core in $$("$$(swift build $(SWIFT_FLAGS) --show-bin-path)/emocl" info --supported-cores); do \
	  echo "== Tensor tests with OPENBLAS_CORETYPE=$$core"; \
	  OPENBLAS_CORETYPE=$$core OPENBLAS_NUM_THREADS=1 swift test $(SWIFT_FLAGS) --disable-testable-imports \
	    --filter TensorTests >.build/test-kernel-$$core.log 2>&1; status=$$?; tail -n 2 .build/test-kernel-$$core.log; \
	  [ $$status = 0 ] || { echo "Tensor tests fail with OPENBLAS_CORETYPE=$$core: .build/test-kernel-$$core.log"; exit 1; }; \
	done

# Starts the local PostgreSQL and makes a fresh test database (Scripts/pg-start.sh).
pg-start: test-deps
	bash Scripts/pg-start.sh

# The web service with the shipped models at http://localhost:8080, results in data/emocl.sqlite.
# Override with e.g. `make run PORT=9000 HOST=0.0.0.0`.
HOST ?= 127.0.0.1
PORT ?= 8080
run: build
	mkdir -p data
	.build/release/emocl serve --host $(HOST) --port $(PORT) --models Models --database sqlite:data/emocl.sqlite

bench: build
	swift build $(SWIFT_FLAGS) --product emocl-bench
	bash Scripts/bench.sh

# libFuzzer with AddressSanitizer over every parser, FUZZ_SECONDS each (docs/fuzzing.md).
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash Scripts/fuzz/run.sh

format:
	swift format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build
