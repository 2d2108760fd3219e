# commonfund — two commands: `make demo` and `make test`. Both install what is missing first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench fuzz system-deps install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests and the demo need (chromium for browser tests, poppler-utils for PDFs,
# a CJK font for chromium). Installed only when missing; needs root or sudo.
system-deps:
	@bash scripts/system-deps.sh

demo: install
	$(BIN)/commonfund demo $(DEMO_ARGS)

test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks against bare Beancount (not part of `make test`; a tiny smoke run of it is). BENCH_ARGS=--quick
bench: install
	$(BIN)/python -m compileall -q src benchmarks  # as an installed package would be (no compile in the timings)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Long hardening runs (tests/hardening): 10,000 cases per fuzzed input kind, a SIGKILL at every write point of
# an import and 60 random ones; the figures are printed at the end (and saved as JSON to FUZZ_REPORT).
FUZZ_REPORT ?= test-artifacts/hardening.json
fuzz: install system-deps
	mkdir -p $(dir $(FUZZ_REPORT))
	HYPOTHESIS_PROFILE=long HARDENING_REPORT=$(FUZZ_REPORT) $(BIN)/python -m pytest tests/hardening -p no:cacheprovider $(PYTEST_ARGS)

# ruff, mypy (strict) and the layers of docs/architecture.md (import-linter; also a test in `make test`).
lint: install
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) ledgers/demo ledgers/demo-out .pytest_cache
