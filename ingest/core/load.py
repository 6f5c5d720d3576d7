"""Write parsed documents into the DuckDB `raw` schema, replacing exactly each document's slice."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

import duckdb

from ingest.core.records import DocumentRecord
from ingest.core.schema import RAW_TABLES, create_statements


def ensure_schema(connection: duckdb.DuckDBPyConnection) -> None:
    for statement in create_statements():
        connection.execute(statement)


def replace_document(connection: duckdb.DuckDBPyConnection, document: DocumentRecord,
                     rows: Iterable[object]) -> dict[str, int]:
    """Delete every row of `document` and insert its rows, in one transaction: a reader
    sees the old slice or the new one, never a mix."""
    by_table: dict[str, list[tuple]] = defaultdict(list)
    columns: dict[str, list[str]] = {}
    for row in rows:
        table = row.TABLE
        if table not in columns:
            columns[table] = [f.name for f in dataclasses.fields(row)]
        by_table[table].append(dataclasses.astuple(row))
    connection.execute("begin transaction")
    try:
        _delete_slice(connection, document.document_id)
        _insert(connection, "documents", [f.name for f in dataclasses.fields(document)],
                [dataclasses.astuple(document)])
        for table, values in by_table.items():
            _insert(connection, table, columns[table], values)
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
    return {table: len(values) for table, values in by_table.items()}


def delete_document(connection: duckdb.DuckDBPyConnection, document_id: str) -> None:
    connection.execute("begin transaction")
    try:
        _delete_slice(connection, document_id)
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise


def _delete_slice(connection: duckdb.DuckDBPyConnection, document_id: str) -> None:
    for table in RAW_TABLES:
        connection.execute(f"delete from raw.{table} where document_id = ?", [document_id])


def _insert(connection: duckdb.DuckDBPyConnection, table: str, columns: list[str], values: list[tuple]) -> None:
    placeholders = ", ".join("?" for _ in columns)
    connection.executemany(
        f"insert into raw.{table} ({', '.join(columns)}) values ({placeholders})", values)
