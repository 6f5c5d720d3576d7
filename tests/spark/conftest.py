"""The marts built twice from the same documents: on DuckDB (`budgetwh build`) and on Spark
(`dbt build --target spark` over the raw tables exported as parquet). Minutes, not seconds:
these tests carry the `spark` marker, which plain `pytest` / `make test` deselects;
`make test-spark` runs them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from budgetwh.build import build
from budgetwh.spark import SparkWorkspace, build_on_spark, spark_session
from tests.conftest import DOC_2024, committed_documents, require_samples


@pytest.fixture(scope="session")
def spark_workspace(tmp_path_factory) -> SparkWorkspace:
    return SparkWorkspace(tmp_path_factory.mktemp("spark"))


@pytest.fixture(scope="session")
def duckdb_warehouse(tmp_path_factory, spark_workspace):
    """The sample corpus (the Xiamen texts and the sample PDFs) built and tested on DuckDB
    into a private file (the published warehouse is not read), dbt's target and logs in the
    scratch folder."""
    require_samples()
    path = tmp_path_factory.mktemp("duckdb") / "budget.duckdb"
    # The sample documents print no code whose comparison across years rests on an assumption,
    # so marts.unresolved_subject_code would be empty and compare nothing: the 2024 Xiamen text
    # one year on (2025, a year the classification seed does not cover) adds its codes there
    # (no_crosswalk_row), as tests/publish/test_new_documents.py builds it.
    later = path.parent / "xiamen-hrss-2025-budget.txt"
    later.write_text(DOC_2024.read_text(encoding="utf-8").replace("2024", "2025").replace("2023", "2024"),
                     encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBT_TARGET_PATH", str(spark_workspace.root / "duckdb-target"))
        patch.setenv("DBT_LOG_PATH", str(spark_workspace.root / "duckdb-logs"))
        build(path, committed_documents() + [later], quiet=True, full=True)
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def spark(duckdb_warehouse, spark_workspace):
    """The marts built on Spark from the DuckDB warehouse's raw tables, and a Spark session
    on the metastore the build wrote."""
    database = duckdb_warehouse.execute("select path from duckdb_databases() where not internal").fetchone()[0]
    build_on_spark(Path(database), spark_workspace)
    session = spark_session(spark_workspace)
    yield session
    session.stop()
