# Two commands do everything on a fresh clone:  make demo  and  make test.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

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

# Runs every test on SQLite and on a real PostgreSQL: BARGAIN_TEST_PG if set, else a throw-away cluster
# in a fresh folder under /tmp (scripts/pg-throwaway run), stopped and removed afterwards, even on failure
# or Ctrl-C. If PostgreSQL cannot start, the reason is printed; the PostgreSQL tests then skip, or under
# CI=true `make test` fails. pytest collecting no tests (exit 5) fails too.
test: lint
	@scripts/pg-throwaway run $(PY) -m pytest -q -n $${PYTEST_WORKERS:-2} --dist loadfile; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: FAILED: pytest collected no tests (exit 5)" >&2; fi; \
	exit $$rc

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) demo-out .pgtmp .pytest_cache .mypy_cache .ruff_cache
