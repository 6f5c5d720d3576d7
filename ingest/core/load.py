"""Write parsed documents into the DuckDB `raw` schema, replacing exactly each document's slice.

A document's *slice* is its row in raw.documents and every row of the other raw tables that
carries its document_id. Loading a document deletes its old slice and inserts the new one in
the same transaction, so a reader sees the old slice or the new one, never a mix.

Rows travel as typed polars frames that DuckDB scans through Arrow, not as Python
parameters: DuckDB binds Python values one at a time (an `executemany` of a document's ~400
rows took ~0.5 s, binding a list of 10,000 strings ~0.7 s), while a frame is handed over as
Arrow buffers in one call. The frames are exact by construction (tests/ingest/test_bulk_load.py,
tests/ingest/test_arrow_load.py):

- every column has the type the raw contract declares (ingest/core/schema.py declares the
  DuckDB DDL and the polars type of each column side by side), nothing is inferred;
- amounts are quantized to the declared scale in Python's decimal arithmetic and framed as
  decimals from their unscaled integers: no float is involved anywhere, and a value that does
  not fit the declared precision fails the load instead of turning NULL;
- NULL is Arrow's validity bit, so a NULL never meets an empty string or any text.

`column_slice` turns a document's rows into checked columns per raw table. It is pure and
cheap to pickle (lists of str, int, None), so the ingest's worker processes run it next to
the parse. `load_frames` loads a batch of them inside the caller's transaction: one polars
frame per raw table for the whole batch, inserted with one statement; `replace_document` is
the one-document, one-transaction form.

The earlier path, rows as CSV text read back with `read_csv`, lives in bench/csv_load.py as
the comparison the benchmark and tests/ingest/test_arrow_load.py measure the frames against;
the ingest does not use it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from ingest.core.records import DocumentRecord, raw_columns
from ingest.core.schema import RAW_TABLES, create_statements, polars_schema


@dataclass(frozen=True)
class ColumnTable:
    """One raw table's rows of one document, column by column, each value already checked
    against the column's declared type (a decimal as its unscaled integer at the declared scale)."""
    table: str
    columns: dict[str, list]
    row_count: int


@dataclass(frozen=True)
class ColumnSlice:
    """Everything one document writes into the raw schema, ready to be framed and loaded."""
    document_id: str
    tables: tuple[ColumnTable, ...]

    def row_counts(self) -> dict[str, int]:
        return _row_counts(self.tables)


def _row_counts(tables: Iterable[ColumnTable | EncodedTable]) -> dict[str, int]:
    """Rows per raw table, raw.documents aside (what the ingest summary prints)."""
    return {t.table: t.row_count for t in tables if t.table != DocumentRecord.TABLE}


def _delete_old_slices(connection: duckdb.DuckDBPyConnection, document_ids: str) -> None:
    """Delete every raw row of the documents listed in the relation `document_ids`.

    A slice is only ever written together with its raw.documents row (in one transaction), so
    a document raw.documents does not hold has no slice to delete. A full ingest loads only
    new documents: skipping 17 scans of ever larger tables per batch pays."""
    reloaded = connection.execute("select count(*) from raw.documents where document_id in "
                                  f"(select document_id from {document_ids})").fetchall()[0][0]
    if reloaded:
        for table in RAW_TABLES:
            # Fetched: DuckDB 2.0 refuses to unregister the relation while a result is unread.
            connection.execute(f"delete from raw.{table} where document_id in "
                               f"(select document_id from {document_ids})").fetchall()


# DuckDB keeps a transaction's inserted rows in its buffer pool until the commit, and its
# default limit is 80% of the machine: with the whole ingest one transaction, the ingest
# process grew by ~10 MB per 100 documents (1 GB at 10,000). Under a limit, DuckDB writes full
# row groups of the open transaction to the database file and evicts them, so the process stays
# the same size whatever the number of documents (bench §9). 128 MB holds some 1,200 generated
# documents' rows (6 batches); what a batch's deletes and inserts need is far less, and data
# that is not the database's own would spill to a temporary file rather than fail.
INGEST_MEMORY_LIMIT = "128MB"


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A writing connection to `db` for loading, with the ingest's memory limit."""
    return duckdb.connect(str(db), config={"memory_limit": INGEST_MEMORY_LIMIT})


def ensure_schema(connection: duckdb.DuckDBPyConnection) -> None:
    for statement in create_statements():
        connection.execute(statement)


def column_slice(document: DocumentRecord, rows: Iterable[object]) -> ColumnSlice:
    """The document's row and its rows as columns per raw table (tables in first-seen order)."""
    values: dict[str, dict[str, list]] = {}
    for row in (document, *rows):
        columns = values.get(row.TABLE)
        if columns is None:
            columns = values[row.TABLE] = {name: [] for name in raw_columns(row)}
        # getattr per field, not dataclasses.astuple: astuple deep-copies every value.
        for name, column in columns.items():
            column.append(getattr(row, name))
    tables = []
    for table, columns in values.items():
        declared = _declared(table, columns)
        checked = {name: _checked(table, name, column, declared[name]) for name, column in columns.items()}
        tables.append(ColumnTable(table, checked, len(next(iter(columns.values())))))
    return ColumnSlice(document.document_id, tuple(tables))


def load_frames(connection: duckdb.DuckDBPyConnection, slices: Sequence[ColumnSlice]) -> None:
    """Delete the old slice of every document in `slices`, then insert the new ones: one
    polars frame per raw table for the whole batch, inserted with one statement that scans it.
    Runs inside the caller's transaction (it neither begins nor commits)."""
    if not slices:
        return
    # One frame per table and batch, not per document: building a polars Series costs some
    # 0.1 ms whatever its length, which per document cost more than the whole CSV encoding.
    batch: dict[str, dict[str, list]] = {}
    for document in slices:
        for part in document.tables:
            columns = batch.setdefault(part.table, {name: [] for name in part.columns})
            if columns.keys() != part.columns.keys():
                raise ValueError(f"raw.{part.table}: rows with different columns in one batch")
            for name, values in part.columns.items():
                columns[name].extend(values)
    documents = pl.DataFrame({"document_id": [s.document_id for s in slices]}, schema={"document_id": pl.String()})
    with _registered(connection, "ingest_batch_documents", documents):
        _delete_old_slices(connection, "ingest_batch_documents")
    for table in list(batch):
        frame = _frame(table, batch.pop(table))  # the frame holds the rows now, not the lists as well
        columns = frame.columns
        with _registered(connection, "ingest_batch_rows", frame):
            del frame  # the stream's reference is the only one, and it is released after the insert
            # Fetched (the row count): DuckDB 2.0 refuses to unregister the frame while the
            # statement's result is unread.
            connection.execute(f"insert into raw.{table} ({', '.join(columns)}) "
                               "select * from ingest_batch_rows").fetchall()


class _ArrowStream:
    """A frame as nothing but an Arrow C stream. DuckDB recognises a polars frame by its type
    and converts it with `to_arrow()`, which needs pyarrow (not a dependency of the project);
    an object that only offers the Arrow PyCapsule stream is scanned directly, with no copy
    through Python objects.

    DuckDB keeps every Python object a statement scanned alive until the transaction ends,
    unregistered or not, and the ingest is one transaction: holding the frame itself, the
    wrapper kept every batch's frame in memory until the commit (peak RSS grew with the
    number of documents, issue #16). `release` drops the frame once its statement is done,
    so DuckDB keeps only this empty shell."""

    def __init__(self, frame: pl.DataFrame):
        self._frame: pl.DataFrame | None = frame

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        if self._frame is None:
            raise RuntimeError("the frame was released: its statement has finished")
        return self._frame.__arrow_c_stream__(requested_schema)

    def release(self) -> None:
        self._frame = None


class _registered:
    """`frame` visible to SQL on `connection` as `name` for the duration of the block."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame):
        self.connection, self.name, self.stream = connection, name, _ArrowStream(frame)

    def __enter__(self) -> None:
        self.connection.register(self.name, self.stream)

    def __exit__(self, exc_type: type | None, *exc: object) -> None:
        self.stream.release()
        try:
            self.connection.unregister(self.name)
        except duckdb.Error:
            # DuckDB 2.0 refuses any work in a transaction a failed statement aborted, the
            # unregistering too: the statement's error is the one to report (the caller rolls
            # back), and the next register() of the name replaces the frame.
            if exc_type is None:
                raise


def _declared(table: str, columns: Iterable[str]) -> dict[str, pl.DataType]:
    if table not in RAW_TABLES:
        raise ValueError(f"raw.{table}: no such table in the raw schema")
    declared = polars_schema(table)
    missing = [name for name in columns if name not in declared]
    if missing:
        raise ValueError(f"raw.{table}: no column {', '.join(missing)} in the raw schema")
    return declared


def _checked(table: str, name: str, values: list, dtype: pl.DataType) -> list:
    if isinstance(dtype, pl.Decimal):
        return [_unscaled(table, name, value, dtype) for value in values]
    if isinstance(dtype, pl.Datetime):
        for value in values:
            if isinstance(value, datetime) and value.tzinfo is not None:
                raise ValueError(f"timestamp {value!r}: the raw schema stores naive UTC timestamps")
    return values


def _frame(table: str, columns: dict[str, list]) -> pl.DataFrame:
    declared = _declared(table, columns)
    series = []
    for name, values in columns.items():
        dtype = declared[name]
        try:
            if isinstance(dtype, pl.Decimal):
                # polars converts Python Decimals one by one, slowly and, where lenient, a value
                # it cannot hold to NULL; the unscaled integers times one unit of the scale are
                # the same decimals, exactly, in integer arithmetic. The unit is cast from its
                # text: polars' first Python Decimal costs ~0.5 s of initialisation per process.
                unit = pl.Series([format(_QUANTUM[dtype.scale], "f")]).cast(pl.Decimal(38, dtype.scale))
                column = (pl.Series(name, values, dtype=pl.Int64, strict=True).cast(pl.Decimal(38, 0)) * unit
                          ).cast(dtype)
            else:
                column = pl.Series(name, values, dtype=dtype, strict=True)
        except (TypeError, OverflowError, pl.exceptions.PolarsError) as error:
            raise TypeError(f"raw.{table}.{name}: values that are not {dtype}: {error}") from error
        series.append(column.alias(name))
    return pl.DataFrame(series)


def _unscaled(table: str, name: str, value: object, dtype: pl.Decimal) -> int | None:
    """`value` as the integer count of units of the declared scale (12.30 at scale 2: 1230),
    or an error if it does not fit the declared type."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        raise TypeError(f"raw.{table}.{name}: {type(value).__name__} value {value!r} is not a decimal")
    # A float becomes the decimal its repr prints (the digits the CSV path wrote).
    number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    try:
        # Half away from zero: how DuckDB casts a decimal text with more places than its type,
        # so a value with excess places loads as the CSV path loaded it.
        exact = number.quantize(_QUANTUM[dtype.scale], rounding=ROUND_HALF_UP)
    except InvalidOperation:
        exact = None
    if exact is None or not exact.is_finite() or exact.adjusted() >= dtype.precision - dtype.scale:
        raise ValueError(f"raw.{table}.{name}: {value!r} does not fit {dtype}")
    return int(exact.scaleb(dtype.scale))


_QUANTUM = {scale: Decimal(1).scaleb(-scale) for scale in range(39)}


class Loader(NamedTuple):
    """A load path: `prepare` turns one document's rows into what crosses from the parsing
    process (pure, picklable); `load` writes a batch of those inside the caller's transaction."""
    name: str
    prepare: Callable[[DocumentRecord, Iterable[object]], object]
    load: Callable[[duckdb.DuckDBPyConnection, Sequence], None]


ARROW = Loader("arrow", column_slice, load_frames)


def replace_document(connection: duckdb.DuckDBPyConnection, document: DocumentRecord,
                     rows: Iterable[object], loader: Loader = ARROW) -> dict[str, int]:
    """Delete every row of `document` and insert its rows, in one transaction: a reader
    sees the old slice or the new one, never a mix. Returns rows per raw table."""
    document_slice = loader.prepare(document, rows)
    connection.execute("begin transaction")
    try:
        loader.load(connection, [document_slice])
        connection.execute("commit")
    except Exception:
        rollback(connection)
        raise
    return document_slice.row_counts()


def delete_document(connection: duckdb.DuckDBPyConnection, document_id: str) -> None:
    """Delete the document's slice in one transaction."""
    connection.execute("begin transaction")
    try:
        delete_slice(connection, document_id)
        connection.execute("commit")
    except Exception:
        rollback(connection)
        raise


def rollback(connection: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction. A commit that failed has already ended it in DuckDB,
    and a second error there would hide the first."""
    try:
        connection.execute("rollback")
    except duckdb.TransactionException:
        pass


def delete_slice(connection: duckdb.DuckDBPyConnection, document_id: str) -> None:
    """Delete the document's slice inside the caller's transaction."""
    for table in RAW_TABLES:
        connection.execute(f"delete from raw.{table} where document_id = ?", [document_id])
