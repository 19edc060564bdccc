# Two commands for a fresh machine:  make demo   and   make test
PY ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
DEMO ?= demo
PEOPLE ?= 2000
SEED ?= 1
AUDIT_STRICT ?= 0

.PHONY: setup demo test lint typecheck unit sysdeps sysdeps-run clean bench audit

$(BIN)/uv:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --all-extras --inexact --quiet
	touch $@

# The free-text detector compiled with mypyc (breachscope/native.py), and its candidate search
# against RE2 (detect/_re2scan.cc, with Debian's libre2-dev: sysdeps comes first). Rebuilt when
# a source of the detect package changes; a failed build leaves the pure-Python modules in use.
NATIVE_SRC := $(wildcard src/breachscope/detect/*.py src/breachscope/detect/*.cc) src/breachscope/native.py \
  scripts/build_native.py
$(VENV)/breachscope-native/.built: $(VENV)/.synced $(NATIVE_SRC)
	@$(BIN)/python scripts/build_native.py --out $(VENV)/breachscope-native $(if $(filter true,$(CI)),--strict,)
	@mkdir -p $(dir $@) && touch $@

setup: $(VENV)/.synced $(VENV)/breachscope-native/.built

# System packages some tests need (OCR, browser, PDF tools). Installed only when missing.
sysdeps:
	@bash scripts/sysdeps.sh test

sysdeps-run:
	@bash scripts/sysdeps.sh run

demo: sysdeps-run setup
	@test -f $(DEMO)/case.toml || $(BIN)/breachscope synth $(DEMO) --people $(PEOPLE) --seed $(SEED)
	$(BIN)/breachscope run $(DEMO)/case.toml
	$(BIN)/breachscope evaluate $(DEMO)/case.toml

lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

test: sysdeps setup lint typecheck audit unit

bench: setup
	$(BIN)/python bench/run_all.py

# Known vulnerabilities in the locked dependencies (pip-audit), part of `make test`. It ends
# with one line: PASSED, FAILED (known vulnerabilities: the build fails) or SKIPPED (no
# vulnerability service reachable; AUDIT_STRICT=1 makes that fail too).
audit: setup
	@BREACHSCOPE_AUDIT_STRICT=$(AUDIT_STRICT) $(BIN)/python scripts/audit.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
