# Every target creates .venv on first use; a fresh machine needs only python3 and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
SERVE_STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8017

.PHONY: serve test check format bench fuzz soak clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# serving needs only the package itself (the dev set, for tests, is ten times larger)
$(SERVE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(SERVE_STAMP)

serve: $(SERVE_STAMP)
	$(BIN)/parceltrace serve --host $(HOST) --port $(PORT)

check: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test: check
	$(BIN)/pytest -q

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# schemathesis 1,000 cases per operation and mode, 100,000 hostile requests, the crash tests
fuzz: $(STAMP)
	PARCELTRACE_FUZZ_EXAMPLES=1000 PARCELTRACE_HOSTILE_REQUESTS=100000 \
		$(BIN)/pytest -q tests/api/test_schemathesis.py tests/test_hostile.py tests/test_crash.py

# 30 minutes of mixed traffic at 100 requests/s (not in CI)
soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py --minutes 30 --rate 50 --json soak-result.json

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
