# Two commands do everything on a fresh machine with Python 3.11, 3.12 or 3.13 (PYTHON=python3.13 make …):
#   make build   - ingest every document under data/raw, run dbt build, publish warehouse/budget.duckdb
#   make check   - run every test: make test (pytest: ingest, build, dbt, lint, portability, bench)
#                  and make test-spark (the marts built on Apache Spark, compared with DuckDB's)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt

.PHONY: build test test-spark bench docs report clean

# --no-deps: requirements.lock is the whole resolved set, every package pinned (tests/test_lock.py),
# so pip installs exactly it and fetches nothing else. That leaves out on purpose the one package
# dbt-core 1.12 requires that the lock does not hold: dbt-core-experimental-parser, whose install
# downloads a binary from outside the package registries (dbt-core issue #15670) and which only
# serves the opt-in --use-v2-parser. `pip check` reports it missing; nothing else.
$(VENV)/.installed: requirements.lock
	$(PYTHON) -c 'import sys; assert (3, 11) <= sys.version_info[:2] <= (3, 13), "Python 3.11, 3.12 or 3.13 is required"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	touch $@

# STRICT=1: all or nothing (a rejected document or one contradicting itself fails the build).
# Exit status: 0 published, 3 published with rejected documents, 1 failed (nothing published).
build: $(VENV)/.installed
	$(PY) -m budgetwh build $(if $(filter 1,$(STRICT)),--strict,)

# Two workers (pytest-xdist; tests/conftest.py groups the tests that share a build on one
# worker): the machine has two cores and most of the suite waits on dbt builds.
TEST_WORKERS ?= 2
test: $(VENV)/.installed
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

# dbt-spark + PySpark (a local Spark; Java 17) on top of requirements.lock, which they leave as pinned
# (--no-deps for the same reason: resolving dbt-spark's dependencies would reach dbt-core's parser).
$(VENV)/.installed-spark: requirements-spark.lock $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-spark.lock
	touch $@

# DuckDB build of data/raw into a temp file, raw tables exported as parquet, dbt build
# --target spark (seeds, models, dbt tests) in a temp folder, then every mart compared
# row for row (tests/spark). Nothing is written into the checkout.
test-spark: $(VENV)/.installed-spark
	$(PY) -m pytest -m spark tests/spark

# Every test: the pytest suite, the same dbt project built on Spark and compared with DuckDB,
# then the warehouse of the sample documents built all or nothing (STRICT=1): every sample
# read, faithfully, and no contradiction that seeds/quality/known_source_findings.csv does not
# record with its evidence.
check: test test-spark
	$(MAKE) build STRICT=1

# Issue #5's full benchmark (about 35 minutes on 2 cores); BENCH_FLAGS= for the quick one.
BENCH_FLAGS ?= --huge --profile
bench: $(VENV)/.installed
	$(PY) bench/run.py --write BENCHMARKS.md --json bench/out/last-run.json $(BENCH_FLAGS)

# dbt docs reads the catalog from a copy of the published warehouse: dbt opens its database
# for writing, which must never touch the file analysts have open. -> target/static_index.html
docs: $(VENV)/.installed
	$(PY) -m budgetwh docs

# HTML report + PNG charts from the published warehouse (read-only) -> target/report/index.html
# DEPARTMENT=403 (a code or a name): the department of the per-department charts.
report: $(VENV)/.installed
	$(PY) -m budgetwh report $(if $(DEPARTMENT),--department "$(DEPARTMENT)",)

clean:
	rm -rf target logs warehouse/.building-* warehouse/.building
