"""python -m budgetwh export-parquet: the raw tables as parquet for Spark or Trino, typed as the
raw contract declares them, read-only, and nothing half-written on bad input."""

from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from budgetwh.__main__ import main as budgetwh_main
from budgetwh.export import ExportFailed, export_parquet
from ingest.core.schema import RAW_TABLES, contract_columns


@pytest.fixture(scope="module")
def ingested(raw_db, tmp_path_factory) -> Path:
    """A warehouse file holding both documents' raw tables (what the export reads)."""
    path = tmp_path_factory.mktemp("export-db") / "budget.duckdb"
    source = raw_db.execute("select path from duckdb_databases() where not internal").fetchone()[0]
    shutil.copyfile(source, path)
    return path


@pytest.fixture(scope="module")
def exported(ingested, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "raw-parquet"
    before = hashlib.sha256(ingested.read_bytes()).hexdigest()
    assert budgetwh_main(["export-parquet", "--target", str(ingested), "--out", str(out)]) == 0
    assert hashlib.sha256(ingested.read_bytes()).hexdigest() == before, "the export wrote to the warehouse"
    return out


def test_one_folder_per_raw_table(exported):
    assert sorted(p.name for p in exported.iterdir()) == sorted(RAW_TABLES)
    assert all((exported / table / "data.parquet").is_file() for table in RAW_TABLES)


def test_parquet_types_are_the_raw_contract(exported):
    for table in RAW_TABLES:
        described = duckdb.sql(f"describe select * from '{exported / table / 'data.parquet'}'").fetchall()
        found = [(name, kind.lower().replace(' ', '')) for name, kind, *_ in described]
        expected = [(name, kind.replace(' ', '')) for name, kind in contract_columns(table)]
        assert found == expected, table


def test_parquet_keeps_real_amounts_and_their_lines(exported):
    # 附件5 2080116 引进人才费用 of 2024: project 32994.00 万元 on line 1287, as a decimal.
    row = duckdb.sql(
        f"select total, project, source_line, table_id from '{exported / 'budget_expenditure' / 'data.parquet'}' "
        "where subject_code = '2080116' and fund_source = 'general_public_budget'").fetchall()
    assert row == [(Decimal("32994.00"), Decimal("32994.00"), 1287, "附件5")]
    # 2020 prose items printed under the old code 2011008: 22557.92 万元 for the department and
    # 3200.00 transferred to the districts.
    items = duckdb.sql(
        f"select amount, is_transfer_to_lower_level from '{exported / 'line_items' / 'data.parquet'}' "
        "where subject_code = '2011008' order by amount").fetchall()
    assert items == [(Decimal("3200.00"), True), (Decimal("22557.92"), False)]


def test_same_row_counts_as_the_warehouse(exported, ingested):
    connection = duckdb.connect(str(ingested), read_only=True)
    try:
        for table in RAW_TABLES:
            in_db = connection.execute(f"select count(*) from raw.{table}").fetchone()[0]
            # A relation (duckdb.sql) has no fetchone() since DuckDB 2.0: fetchall() it.
            in_parquet = duckdb.sql(f"select count(*) from '{exported / table / 'data.parquet'}'").fetchall()[0][0]
            assert in_parquet == in_db, table
    finally:
        connection.close()


def test_missing_warehouse_names_the_file(tmp_path):
    missing = tmp_path / "nowhere.duckdb"
    with pytest.raises(ExportFailed, match=r"nowhere\.duckdb: expected a built warehouse"):
        export_parquet(missing, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_table_off_the_contract_fails_and_leaves_the_last_export(ingested, exported, tmp_path):
    broken = tmp_path / "budget.duckdb"
    shutil.copyfile(ingested, broken)
    connection = duckdb.connect(str(broken))
    connection.execute("alter table raw.line_items drop column matched_subject_code")
    connection.close()
    out = tmp_path / "raw-parquet"
    shutil.copytree(exported, out)
    before = sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*"))
    with pytest.raises(ExportFailed, match=r"raw\.line_items: expected the columns of ingest/core/schema\.py; "
                                           r"found no matched_subject_code"):
        export_parquet(broken, out)
    assert sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*")) == before
    assert not list(tmp_path.glob(".raw-parquet.exporting-*"))
