"""Export the raw tables of a built warehouse as parquet, for another engine (Spark, Trino).

The dbt project builds the same marts from the same raw tables on any engine; an engine
other than DuckDB reads them as parquet: one folder per raw table, OUT/<table>/data.parquet
(a folder, not a file, because Spark and Trino register a table over a directory, and a
cluster copy to object storage keeps the layout). The warehouse is opened read-only, so an
analyst's published file is never written. Columns are selected and cast exactly as the
raw contract (ingest/core/schema.py) declares them: an amount stays DECIMAL(18,2) in the
parquet, never a float.

Nothing half-written: the folders are written to a private sibling folder and renamed
over OUT only when every table was exported."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.core.schema import RAW_TABLES, contract_columns


class ExportFailed(Exception):
    pass


@dataclass(frozen=True)
class ExportedTable:
    table: str
    rows: int
    path: Path


def export_parquet(warehouse: Path, out: Path) -> list[ExportedTable]:
    warehouse, out = warehouse.resolve(), out.resolve()
    if not warehouse.exists():
        raise ExportFailed(f"{warehouse}: expected a built warehouse; no such file (run `make build`)")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.exporting-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        connection = duckdb.connect(str(warehouse), read_only=True)
        try:
            exported = [_export_table(connection, warehouse, table, partial) for table in RAW_TABLES]
        finally:
            connection.close()
        if out.exists():
            shutil.rmtree(out)
        os.replace(partial, out)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return [ExportedTable(t.table, t.rows, out / t.path.relative_to(partial)) for t in exported]


def _export_table(connection: duckdb.DuckDBPyConnection, warehouse: Path, table: str,
                  folder: Path) -> ExportedTable:
    expected = contract_columns(table)
    found = {name: kind for name, kind in connection.execute(
        "select column_name, data_type from duckdb_columns() where schema_name = 'raw' and table_name = ?",
        [table]).fetchall()}
    missing = [name for name, _ in expected if name not in found]
    if not found or missing:
        raise ExportFailed(f"{warehouse}: raw.{table}: expected the columns of ingest/core/schema.py; "
                           f"found {'no such table' if not found else 'no ' + ', '.join(missing)}")
    target = folder / table / "data.parquet"
    target.parent.mkdir()
    columns = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in expected)
    # Ordered so the same warehouse gives the same file (readers never rely on row order).
    connection.execute(f"copy (select {columns} from raw.{table} order by all) "
                       f"to '{target}' (format parquet)")
    rows = connection.execute(f"select count(*) from raw.{table}").fetchone()[0]
    return ExportedTable(table, rows, target)
