"""marts.column_lineage: every mart column traced to the raw document columns and reference
seeds it is computed from (budgetwh/lineage.py), and written by every build before publish."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

from budgetwh.lineage import column_lineage, write_column_lineage


@pytest.fixture(scope="module")
def lineage_db(built_project):
    count = write_column_lineage(built_project.database, built_project.manifest_path)
    assert count > 0
    connection = duckdb.connect(str(built_project.database), read_only=True)
    yield connection
    connection.close()


def sources(connection, mart: str, column: str) -> set[tuple]:
    return set(connection.execute(
        "select source_schema, source_table, source_column from marts.column_lineage "
        "where mart_name = ? and column_name = ?", [mart, column]).fetchall())


def test_amount_yuan_comes_from_the_document_cells(lineage_db):
    found = sources(lineage_db, "fct_expenditure", "amount_yuan")
    assert {
        ("raw", "line_items", "amount"),            # 2020 prose line items
        ("raw", "budget_expenditure", "project"),   # 附件5/附件8 project column
        ("raw", "budget_expenditure", "basic_subtotal"),
        ("raw", "subject_expenditure", "non_fiscal_basic"),  # 附件3 non-fiscal columns
        ("raw", "subject_expenditure", "non_fiscal_project"),
        ("raw", "transfer_payments", "amount"),     # 附件9
        ("raw", "table_cells", "amount"),           # Shanghai district PDFs (exact 元)
        ("raw", "table_cells", "amount_unit"),      # 元 as printed, 万元 × 10000
        ("raw", "prose_figures", "value"),          # a final account's 年初预算 per 项 (万元)
    } == found
    path = lineage_db.execute(
        "select path from marts.column_lineage where mart_name = 'fct_expenditure' "
        "and column_name = 'amount_yuan' and source_table = 'line_items'").fetchone()[0]
    assert path == ("fct_expenditure.amount_yuan <- int_expenditure_lines_unioned.amount_yuan"
                    " <- stg_xiamen__line_items.amount_wan <- raw.line_items.amount")


def test_seeds_count_as_sources(lineage_db):
    assert ("reference", "subject_code_crosswalk", "relation") in sources(lineage_db, "map_subject_code", "relation")
    assert ("reference", "subject_names_by_year", "subject_name") in sources(lineage_db, "dim_subject", "subject_name")
    # A code is the crosswalk's new code or the printed one.
    assert {("reference", "subject_code_crosswalk", "new_code"), ("raw", "line_items", "subject_code")} <= \
        sources(lineage_db, "fct_expenditure", "subject_code")


def test_constants_name_the_rows_they_are_set_for(lineage_db):
    """'table' / 'prose' is set per row of 附件2 or of the prose figures: no column, a table."""
    assert sources(lineage_db, "fct_income", "source_kind") == {
        ("raw", "unit_income", None), ("raw", "headline_figures", None), ("raw", "table_cells", None)}


def test_every_mart_column_has_a_source(lineage_db):
    columns = set(lineage_db.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name <> 'column_lineage'").fetchall())
    traced = set(lineage_db.execute(
        "select mart_name, column_name from marts.column_lineage where source_table is not null").fetchall())
    assert len(columns) > 150
    assert columns - traced == set()
    assert traced - columns == set()
    unavailable = lineage_db.execute(
        "select mart_name, column_name, path from marts.column_lineage where source_table is null").fetchall()
    assert unavailable == []


def test_every_source_exists(lineage_db):
    known = set(lineage_db.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('raw', 'reference')").fetchall())
    rows = lineage_db.execute(
        "select distinct source_schema, source_table, source_column, path from marts.column_lineage").fetchall()
    for schema, table, column, path in rows:
        assert schema in ("raw", "reference"), path
        if column is not None:
            assert (schema, table, column) in known, path
            assert path.endswith(f"{schema}.{table}.{column}"), path
        else:
            assert path.endswith(f"{schema}.{table}"), path


_LINEAGE_IN_A_PROCESS = (
    "import json, sys, duckdb\n"
    "from budgetwh.lineage import column_lineage\n"
    "connection = duckdb.connect(sys.argv[1], read_only=True)\n"
    "manifest = json.load(open(sys.argv[2], encoding='utf-8'))\n"
    "print(json.dumps(column_lineage(connection, manifest), ensure_ascii=False, default=str))\n")


def test_lineage_is_deterministic(built_project, lineage_db):
    """Two separate processes (each with its own hash seed, so set and dict order differ
    between them) compute the same rows as this one: run-to-run nondeterminism would show."""
    here = json.loads(json.dumps(column_lineage(lineage_db, built_project.manifest), ensure_ascii=False, default=str))
    runs = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", _LINEAGE_IN_A_PROCESS, str(built_project.database),
                               str(built_project.manifest_path)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        runs.append(json.loads(done.stdout))
    assert len(here) > 100
    assert runs[0] == runs[1] == here


def test_build_publishes_column_lineage(xiamen_pair):
    """The build writes the table into its private file, so the published warehouse has it
    (the session's build of the two Xiamen documents, tests/warehouses.py)."""
    published = xiamen_pair.target
    connection = duckdb.connect(str(published), read_only=True)
    try:
        assert ("raw", "line_items", "amount") in sources(connection, "fct_expenditure", "amount_yuan")
        marts_without_lineage = connection.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' and table_name <> 'column_lineage' "
            "except select mart_name from marts.column_lineage").fetchall()
        assert marts_without_lineage == []
    finally:
        connection.close()
