# Two commands do everything on a fresh clone:  make demo  and  make test.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PGDIR  := $(CURDIR)/.pgtmp

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)
	@scripts/system-packages

demo: install
	$(VENV)/bin/bargain demo --out demo-out

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Runs every test on SQLite and on a real PostgreSQL: BARGAIN_TEST_PG if set, else a throw-away
# cluster started here (when the server binaries exist; otherwise PostgreSQL tests skip, or fail under CI=true).
test: lint
	@if [ -n "$$BARGAIN_TEST_PG" ]; then \
	  $(PY) -m pytest -q; \
	else \
	  rm -rf $(PGDIR); url=$$(scripts/pg-throwaway start $(PGDIR) 2>/dev/null) || url=""; \
	  if [ -n "$$url" ]; then echo "PostgreSQL: $$url"; fi; \
	  BARGAIN_TEST_PG=$$url $(PY) -m pytest -q; rc=$$?; \
	  if [ -n "$$url" ]; then scripts/pg-throwaway stop $(PGDIR); fi; exit $$rc; \
	fi

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) demo-out .pgtmp .pytest_cache .mypy_cache .ruff_cache
