"""The marts were compared row for row before and after the last engine upgrade.

tests/upgrade/recorded_marts_comparison.json is the result of scripts/compare_marts.py for the
upgrade to the engine versions requirements.lock pins now (how it was run is in the file). It
must cover every mart and find each equal; when the lock moves dbt-core, dbt-duckdb or DuckDB
again, this test fails until the comparison is run again for the new pins and recorded."""

import json

from tests.conftest import ROOT
from tests.test_lock import pins

RECORDED = ROOT / "tests" / "upgrade" / "recorded_marts_comparison.json"


def recorded() -> dict:
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def test_every_mart_of_the_recorded_comparison_was_found_equal():
    """The record of the last upgrade: every mart of that day compared, each equal. A mart added
    since (unresolved_economic_code) was never part of an engine upgrade; the next upgrade's
    comparison covers it."""
    tables = recorded()["tables"]
    assert {"fct_expenditure", "dim_document", "subject_year_comparison", "column_lineage"} <= set(tables)
    assert recorded()["equal"] and all(table["equal"] for table in tables.values())
    assert all(table["rows_only_before"] == table["rows_only_after"] == 0 for table in tables.values())


def test_the_comparison_is_for_the_locked_engines():
    locked = pins("requirements.lock")
    after = recorded()["after"]["versions"]
    for package in ("duckdb", "dbt-core", "dbt-duckdb"):
        assert after[package] == locked[package][0], (
            f"{package} is pinned at {locked[package][0]} but the marts were last compared with {after[package]}: "
            "run scripts/compare_marts.py (export with the old and the new environment, then compare) and "
            f"record the result in {RECORDED.relative_to(ROOT)}")
