# Two commands do everything on a fresh machine with Python 3.11:
#   make build   - ingest every document under data/raw, run dbt build, publish warehouse/budget.duckdb
#   make test    - run every test (pytest: ingest, build, dbt)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt

.PHONY: build test bench docs clean

$(VENV)/.installed: requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

build: $(VENV)/.installed
	$(PY) -m budgetwh build

test: $(VENV)/.installed
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) bench/run.py --write BENCHMARKS.md

# dbt docs reads the catalog from a copy of the published warehouse: dbt opens its database
# for writing, which must never touch the file analysts have open.
docs: $(VENV)/.installed
	@test -f $${BUDGET_WAREHOUSE_PATH:-warehouse/budget.duckdb} || { echo "no warehouse: run make build first"; exit 1; }
	mkdir -p target/docs-db
	cp $${BUDGET_WAREHOUSE_PATH:-warehouse/budget.duckdb} target/docs-db/budget.duckdb
	BUDGET_WAREHOUSE_PATH=target/docs-db/budget.duckdb $(DBT) docs generate --static --profiles-dir . --project-dir .
	@echo "docs: target/static_index.html"

clean:
	rm -rf target logs warehouse/.building-*
