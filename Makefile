# Two commands do everything on a fresh machine with Python 3.11:
#   make build   - ingest every document under data/raw, run dbt build, publish warehouse/budget.duckdb
#   make test    - run every test (pytest: ingest, build, dbt)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt

.PHONY: build test bench docs report clean

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
# for writing, which must never touch the file analysts have open. -> target/static_index.html
docs: $(VENV)/.installed
	$(PY) -m budgetwh docs

# HTML report + PNG charts from the published warehouse (read-only) -> target/report/index.html
report: $(VENV)/.installed
	$(PY) -m budgetwh report

clean:
	rm -rf target logs warehouse/.building-* warehouse/.building
