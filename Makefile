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

docs: $(VENV)/.installed
	BUDGET_WAREHOUSE_PATH=$${BUDGET_WAREHOUSE_PATH:-warehouse/budget.duckdb} \
	  $(DBT) docs generate --static --profiles-dir . --project-dir .

clean:
	rm -rf target logs warehouse/.building-*
