"""The CSV load path: rows as CSV text read back by DuckDB's `read_csv`, the path the Arrow
load (ingest.core.load) replaced. The ingest does not use it; it stays as the comparison the
benchmark (bench/load_paths.py, BENCHMARKS.md section 9) and tests/ingest/test_arrow_load.py
measure the frames against, so it lives here and not in a production module. `LOADERS` names
both paths."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from ingest.core.load import ARROW, Loader, _delete_old_slices, _row_counts
from ingest.core.records import DocumentRecord, raw_columns

# Rows as CSV text, read back by `read_csv` with every column's name and type taken from the
# table itself, nothing sniffed. The text is exact by construction:
# - every text value is quoted (`"` doubled inside), so commas, tabs, newlines, carriage
#   returns, quotes, backslashes and CJK text are read back as written;
# - NULL is the unquoted marker `\N` and `allow_quoted_nulls = false`, so a NULL never meets
#   an empty string `""` or a text that happens to read `\N`;
# - amounts are written as the Decimal's own digits and read with the column's declared type.

NULL_MARKER = "\\N"

# One read_csv per table and batch; the options spell out the encoding of `_cell` so that
# nothing is detected from the data.
_READ_OPTIONS = ("header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
                 "new_line = '\\n', nullstr = '\\N', allow_quoted_nulls = false, encoding = 'utf-8'")

# read_csv refuses a line longer than this unless told otherwise; a larger limit costs a
# larger read buffer on every call, so it is raised only for a batch that needs it.
DEFAULT_MAX_LINE_BYTES = 2_000_000


@dataclass(frozen=True)
class EncodedTable:
    """One raw table's rows of one document, as CSV lines in the order of `columns`."""
    table: str
    columns: tuple[str, ...]
    text: str
    row_count: int
    longest_line: int  # in characters; the file holds at most 4 UTF-8 bytes per character


@dataclass(frozen=True)
class DocumentSlice:
    """Everything one document writes into the raw schema, ready to load."""
    document_id: str
    tables: tuple[EncodedTable, ...]

    def row_counts(self) -> dict[str, int]:
        return _row_counts(self.tables)


def encode_slice(document: DocumentRecord, rows: Iterable[object]) -> DocumentSlice:
    """The document's row and its rows as CSV text per raw table (tables in first-seen order)."""
    lines: dict[str, list[str]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    for row in (document, *rows):
        table = row.TABLE
        if table not in columns:
            columns[table] = raw_columns(row)
            lines[table] = []
        # getattr per field, not dataclasses.astuple: astuple deep-copies every value.
        lines[table].append(",".join([_cell(getattr(row, name)) for name in columns[table]]) + "\n")
    return DocumentSlice(document.document_id, tuple(
        EncodedTable(table, columns[table], "".join(text), len(text), max(map(len, text)))
        for table, text in lines.items()))


def load_slices(connection: duckdb.DuckDBPyConnection, slices: Sequence[DocumentSlice],
                scratch: Path) -> None:
    """Delete the old slice of every document in `slices`, then insert the new ones: one
    read_csv insert per raw table for the whole batch. Runs inside the caller's transaction
    (it neither begins nor commits); `scratch` is a private folder for the batch's files."""
    if not slices:
        return
    types = _column_types(connection)
    texts: dict[str, list[str]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    longest: dict[str, int] = {}
    for document_slice in slices:
        for encoded in document_slice.tables:
            if columns.setdefault(encoded.table, encoded.columns) != encoded.columns:
                raise ValueError(f"raw.{encoded.table}: rows with different columns in one batch")
            texts.setdefault(encoded.table, []).append(encoded.text)
            longest[encoded.table] = max(longest.get(encoded.table, 0), encoded.longest_line)
    files = {}
    for table, parts in texts.items():
        files[table] = scratch / f"{table}.csv"
        with files[table].open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(parts)
    # The batch's document ids go through a temporary table read from its documents file:
    # binding them as a list parameter costs ~0.15 ms per id in DuckDB's Python binding.
    document_ids = scratch / "document_ids.csv"
    document_ids.write_text("".join(_cell(s.document_id) + "\n" for s in slices), encoding="utf-8")
    connection.execute("create or replace temporary table ingest_batch_documents as select document_id from "
                       f"read_csv(?, columns = {{'document_id': 'varchar'}}, {_READ_OPTIONS})",
                       [str(document_ids)])
    _delete_old_slices(connection, "temp.ingest_batch_documents")
    connection.execute("drop table temp.ingest_batch_documents")
    for table, path in files.items():
        declared = types.get(table)
        if declared is None:
            raise ValueError(f"raw.{table}: no such table in the raw schema")
        missing = [c for c in columns[table] if c not in declared]
        if missing:
            raise ValueError(f"raw.{table}: no column {', '.join(missing)} in the raw schema")
        column_types = ", ".join(f"'{c}': '{declared[c]}'" for c in columns[table])
        options = _READ_OPTIONS
        if 4 * longest[table] + 2 > DEFAULT_MAX_LINE_BYTES:
            options += f", max_line_size = {4 * longest[table] + 2}"
        connection.execute(f"insert into raw.{table} ({', '.join(columns[table])}) select * from "
                           f"read_csv(?, columns = {{{column_types}}}, {options})", [str(path)])


def _load_csv(connection: duckdb.DuckDBPyConnection, slices: Sequence[DocumentSlice]) -> None:
    with tempfile.TemporaryDirectory(prefix="ingest-load-") as scratch:
        load_slices(connection, slices, Path(scratch))


def _cell(value: object) -> str:
    """One CSV cell in the encoding `_READ_OPTIONS` reads (see the module docstring)."""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if value is None:
        return NULL_MARKER
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # 'f' keeps every digit and never writes an exponent ('1E+2' -> '100').
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Positions on a PDF page, in points; repr round-trips a double exactly.
        return repr(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError(f"timestamp {value!r}: the raw schema stores naive UTC timestamps")
        return value.isoformat(sep=" ")
    raise TypeError(f"no CSV encoding for {type(value).__name__} value {value!r}")


def _column_types(connection: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    types: dict[str, dict[str, str]] = {}
    for table, column, data_type in connection.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where schema_name = 'raw' and database_name = current_database()").fetchall():
        types.setdefault(table, {})[column] = data_type
    return types


CSV = Loader("csv", encode_slice, _load_csv)
LOADERS = {loader.name: loader for loader in (ARROW, CSV)}
