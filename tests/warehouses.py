"""The warehouses a test session builds once and shares, and what building one costs.

A build (`python -m budgetwh build`) is seconds of ingest and then a `dbt build` of about 350
nodes plus the column lineage: nearly a minute on two cores, whatever the documents. Tests
that only read a built warehouse share one of these (session fixtures in tests/conftest.py
and tests/publish/conftest.py) and copy it when they must change it; a copy of a published
warehouse is what the build itself starts from, and is up to date wherever it lies.

  real_warehouse  every file under data/raw plus one bad document of each kind
                  (tests/bad_documents.py): the 9 real documents are published (dbt tests
                  and all), each bad one is rejected and named in meta.rejected_documents,
                  and so is the blank final-account template (set aside: blank_template).
                  The quarantine tests assert that; docs, report and the column lineage read
                  its marts, which hold the real documents only.
  xiamen_pair     the two Xiamen text documents, built from the checkout (--documents).

Builds whose outcome is compared row for row with a build that ran every dbt test, or that
test publishing itself (atomic rename, kills, readers, locks), may run dbt without its data
and unit tests: WITHOUT_DBT_TESTS, dbt's own DBT_RESOURCE_TYPES (the build's own
--exclude-resource-type seed still applies). Which builds do is said where they run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from budgetwh.build import CHECK_SAMPLE_DOCUMENTS_VARIABLE
from tests.bad_documents import BAD_INPUTS, PDF_BAD_INPUTS
from tests.conftest import BLANK_TEMPLATE, DOC_2020, DOC_2024, ROOT, committed_documents, require_samples

# dbt builds models and seeds (the on-run-start hook still runs); its data tests and unit
# tests are skipped.
WITHOUT_DBT_TESTS = {"DBT_RESOURCE_TYPES": "model seed"}
# One of each kind of bad text document (tests/bad_documents.py), besides the PDFs.
TEXT_CASES = ["empty", "binary", "not_a_budget", "stray_character", "figures_fit_no_placement",
              "contradicts_another_table", "truncated_mid_table", "same_department_year_other_content"]


def dbt_env(folder: Path, **extra: str) -> dict:
    """The environment of a build whose dbt target/ and logs/ are in FOLDER, not the project's."""
    env = {**os.environ, "DBT_TARGET_PATH": str(folder / "target"), "DBT_LOG_PATH": str(folder / "logs"),
           # The suite's builds check what the sample documents print (tests/dbt/sample_documents).
           CHECK_SAMPLE_DOCUMENTS_VARIABLE: "1", **extra}
    env.pop("BUDGET_WAREHOUSE_PATH", None)
    return env


def run_build(target: Path, documents: list[Path], env: dict, *flags: str, cwd: Path = ROOT,
              ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetwh", "build", "--target", str(target), *flags,
                           "--documents", *map(str, documents)], cwd=cwd, env=env, capture_output=True, text=True)


def query(path: Path, sql: str) -> list[tuple]:
    """SQL on a built warehouse, opened read-only (as an analyst would)."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def bad_corpus(folder: Path) -> list[tuple[Path, str | None, str]]:
    """One bad document of each kind written into FOLDER: (path, rejection kind or None, message)."""
    bad: list[tuple[Path, str | None, str]] = [
        (BLANK_TEMPLATE, "blank_template", "the blank 部门决算 template's placeholder, not a department's document")]
    for case in TEXT_CASES:
        spec = next(b for b in BAD_INPUTS if b.case == case)
        sub = folder / case
        sub.mkdir()
        # The conflicting case gives the real 2024 document and a second one with other content.
        made = [p for p in spec.make(sub) if p.parent == sub]
        assert len(made) == 1
        bad.append((made[0], None, spec.message))
    for make, kind, message in PDF_BAD_INPUTS:
        bad.append((make(folder), kind, message))
    return bad


@dataclass(frozen=True)
class RealWarehouse:
    target: Path
    result: subprocess.CompletedProcess  # the build's exit status and output (not --quiet)
    good: list[Path]
    bad: list[tuple[Path, str | None, str]]
    env: dict

    @property
    def documents(self) -> list[Path]:
        return self.good + [p for p, _, _ in self.bad]

    def checked(self) -> Path:
        """The warehouse, for tests that only read it: the build must have published it."""
        assert self.result.returncode == 3, self.result.stderr[-3000:] + self.result.stdout[-3000:]
        return self.target


def build_real_warehouse(base: Path) -> RealWarehouse:
    corpus = base / "corpus"
    corpus.mkdir()
    require_samples()
    good, bad = committed_documents(), bad_corpus(corpus)
    target = base / "warehouse" / "budget.duckdb"
    env = dbt_env(base / "dbt")
    result = run_build(target, good + [p for p, _, _ in bad], env)
    return RealWarehouse(target, result, good, bad, env)


@dataclass(frozen=True)
class PairWarehouse:
    target: Path
    seconds: float  # how long its build took (from scratch, every dbt test)
    env: dict


def build_xiamen_pair(base: Path) -> PairWarehouse:
    target = base / "warehouse" / "budget.duckdb"
    env = dbt_env(base / "dbt")
    started = time.monotonic()
    result = run_build(target, [DOC_2020, DOC_2024], env, "--quiet")
    assert result.returncode == 0, result.stderr + result.stdout
    return PairWarehouse(target, time.monotonic() - started, env)
