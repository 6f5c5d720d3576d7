"""The checks of what the sample documents print (tests/dbt/sample_documents) have teeth: they
run in the suite's build of the sample corpus, every one of them, and that build holds every
sample document by content hash, so a sample rejected, renamed or missing fails here instead
of leaving its real-value checks to look at nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.samples
SAMPLE_CHECKS = sorted(p.stem for p in (ROOT / "tests" / "dbt" / "sample_documents").glob("*.sql"))


def listed_samples() -> dict[str, str]:
    """macros/committed_documents.sql: file name -> sha256 of every sample document."""
    macro = (ROOT / "macros" / "committed_documents.sql").read_text(encoding="utf-8")
    return dict(re.findall(r"'([^']+\.(?:txt|pdf))': '([0-9a-f]{64})'", macro))


def missing_samples(warehouse: Path) -> list[str]:
    """The sample documents (by content hash) that the warehouse does not hold."""
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        held = {row[0] for row in connection.execute("select sha256 from raw.documents").fetchall()}
    finally:
        connection.close()
    return sorted(name for name, sha256 in listed_samples().items() if sha256 not in held)


def test_the_suites_build_holds_every_sample_document(real_warehouse):
    assert missing_samples(real_warehouse.checked()) == []


def test_every_check_of_the_samples_ran_and_passed_in_that_build(real_warehouse):
    out = real_warehouse.checked() and real_warehouse.result.stdout
    assert len(SAMPLE_CHECKS) >= 15
    for check in SAMPLE_CHECKS:
        assert re.search(rf"PASS {check} \.", out), f"{check} did not pass in the sample corpus's build"


def test_a_sample_missing_from_the_warehouse_is_named(real_warehouse, tmp_path):
    """The test of the test: the same warehouse without one sample document fails the check above."""
    copy = tmp_path / "budget.duckdb"
    shutil.copyfile(real_warehouse.checked(), copy)
    connection = duckdb.connect(str(copy))
    connection.execute("delete from raw.documents where file_name = '2024-final-finance.pdf'")
    connection.close()
    assert missing_samples(copy) == ["2024-final-finance.pdf"]

