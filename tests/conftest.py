from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.core.document import read_document
from ingest.xiamen.parse import parse_document

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw" / "xiamen" / "hrss"
DOC_2020 = RAW / "xiamen-hrss-2020-budget.txt"
DOC_2024 = RAW / "xiamen-hrss-2024-budget.txt"


@pytest.fixture(scope="session")
def parsed_2020():
    return parse_document(read_document(DOC_2020))


@pytest.fixture(scope="session")
def parsed_2024():
    return parse_document(read_document(DOC_2024))


@pytest.fixture(scope="session")
def raw_db(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """Both documents loaded through the command line, as the build does."""
    from ingest.cli import main

    path = tmp_path_factory.mktemp("raw") / "ingested.duckdb"
    assert main([str(DOC_2020), str(DOC_2024), "--db", str(path), "--quiet"]) == 0
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()
