"""The typed frames the ingest loads through Arrow (ingest.core.load.ARROW) write the same raw
tables as the CSV path they replaced (bench.csv_load.CSV): the real documents (text and
PDF) and a small generated corpus, loaded with each path into its own DuckDB file, batched
and in one transaction as the ingest loads, give every raw table row for row, in the same
order, value for value with the same Python types (a Decimal with the same digits)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import duckdb
import pytest

from bench import generate
from ingest.cli import BATCH_DOCUMENTS
from ingest.core import load as load_module
from bench.csv_load import CSV
from ingest.core.load import ARROW, INGEST_MEMORY_LIMIT, Loader, connect, ensure_schema
from ingest.core.schema import RAW_TABLES
from ingest.registry import parse_source, read_source
from tests.conftest import committed_documents

REAL_DOCUMENTS = committed_documents()
pytestmark = pytest.mark.samples
SEED = 20240
# Small batches so that a batch boundary falls inside the corpus, as it does in a large ingest.
BATCH = 3


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    manifest = generate.generate_corpus(corpus, 2, [2019, 2020, 2021], SEED, check=False, limit=5)
    paths = REAL_DOCUMENTS + [corpus / d["file"] for d in manifest["documents"]]
    return [parse_source(read_source(path), str(path)) for path in paths]


def load(path: Path, loader: Loader, parsed: list, batch: int) -> duckdb.DuckDBPyConnection:
    connection = connect(path)
    connection.execute("begin transaction")
    ensure_schema(connection)
    slices = [loader.prepare(p.document, p.rows()) for p in parsed]
    for start in range(0, len(slices), batch):
        loader.load(connection, slices[start:start + batch])
    connection.execute("commit")
    return connection


def typed_rows(connection: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    """Every row in storage order, each value as (type, repr): Decimal('1.0') and
    Decimal('1.00') differ here, and so do None and ''."""
    return [tuple((type(v).__name__, repr(v)) for v in row)
            for row in connection.execute(f"select * from raw.{table} order by rowid").fetchall()]


@pytest.mark.parametrize("batch", [BATCH, BATCH_DOCUMENTS])
def test_frames_load_the_same_raw_tables_as_the_csv_path(tmp_path, parsed, batch):
    assert {p.suffix for p in REAL_DOCUMENTS} == {".txt", ".pdf"}
    by_csv = load(tmp_path / "csv.duckdb", CSV, parsed, batch)
    by_arrow = load(tmp_path / "arrow.duckdb", ARROW, parsed, batch)
    columns = "select table_name, column_name, data_type from duckdb_columns() where schema_name = 'raw' order by all"
    assert by_arrow.execute(columns).fetchall() == by_csv.execute(columns).fetchall()
    rows = {}
    for table in RAW_TABLES:
        expected = typed_rows(by_csv, table)
        assert typed_rows(by_arrow, table) == expected, table
        rows[table] = len(expected)
    # Both inputs reached their tables: text documents the appendix tables, PDFs the cells.
    assert rows["documents"] == len(parsed)
    assert rows["line_items"] > 0 and rows["table_cells"] > 0 and rows["prose_figures"] > 0
    # NULL amounts and empty-looking values took part in the comparison.
    assert by_arrow.execute("select count(*) from raw.table_cells where amount is null").fetchone()[0] > 0
    by_csv.close()
    by_arrow.close()


def test_a_loaded_batch_leaves_no_frame_behind_in_the_open_transaction(tmp_path, parsed, monkeypatch):
    """DuckDB keeps every Python object a statement scanned until the transaction ends; the
    ingest is one transaction, so a frame kept there would stay in memory until the commit
    and the ingest would grow with the number of documents (issue #16)."""
    frames = []
    build_frame = load_module._frame

    def recorded(table, columns):
        frame = build_frame(table, columns)
        frames.append(weakref.ref(frame))
        return frame

    monkeypatch.setattr(load_module, "_frame", recorded)
    connection = connect(tmp_path / "open.duckdb")
    connection.execute("begin transaction")
    ensure_schema(connection)
    ARROW.load(connection, [ARROW.prepare(p.document, p.rows()) for p in parsed])
    gc.collect()
    assert len(frames) >= 10  # one per raw table the documents fill
    assert [ref for ref in frames if ref() is not None] == []
    # ...and the rows are there, in the transaction still open.
    assert connection.execute("select count(*) from raw.documents").fetchone()[0] == len(parsed)
    connection.execute("commit")
    connection.close()


def test_the_ingest_connection_caps_duckdbs_memory(tmp_path):
    """Under a limit DuckDB writes the open transaction's full row groups to the file and
    evicts them; without one, the one-transaction ingest holds every row until the commit."""
    connection = connect(tmp_path / "capped.duckdb")
    limit = connection.execute("select current_setting('memory_limit')").fetchone()[0]
    connection.close()
    # DuckDB reports the limit in binary units: 256 MB is 244.1 MiB.
    megabytes = int(INGEST_MEMORY_LIMIT.removesuffix("MB"))
    assert limit.endswith(" MiB") and abs(float(limit.removesuffix(" MiB")) - megabytes * 10**6 / 2**20) < 0.1
