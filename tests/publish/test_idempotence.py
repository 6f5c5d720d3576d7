"""Two builds from the same inputs give identical marts; adding a document changes only
what that document brings; an incremental build equals a build from scratch. (Document text
is data, never code: tests/publish/test_incremental.py, whose changed document carries SQL,
Jinja and shell.)"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import DOC_2020, DOC_2024, ROOT
from tests.publish.test_publish import build_command
from tests.warehouses import WITHOUT_DBT_TESTS


def mart_checksums(path, where: str = "", prefixes: tuple[str, ...] = ("",)) -> dict[str, str]:
    """A checksum of every mart's rows in a canonical order (all columns, sorted)."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        marts = [r[0] for r in connection.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1").fetchall()
            if r[0].startswith(prefixes)]
        sums = {}
        for mart in marts:
            columns = [r[0] for r in connection.execute(f"describe marts.{mart}").fetchall()]
            filter_sql = where if where and "fiscal_year" in columns else ""
            rows = connection.execute(f"select * from marts.{mart} {filter_sql} order by all").fetchall()
            sums[mart] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return sums
    finally:
        connection.close()


def build(target, env, *documents):
    result = subprocess.run(build_command(target, *documents), cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout[-3000:]


@pytest.fixture(scope="module")
def twice(xiamen_pair, xiamen_project):
    """The two Xiamen documents built twice from scratch, each with every dbt test: from the
    checkout (--documents) and from a copy of the project whose data/raw holds just them."""
    return xiamen_pair.target, xiamen_project.target


@pytest.fixture(scope="module")
def only_2024(tmp_path_factory, dbt_env):
    """The 2024 document alone, built from scratch with every dbt test."""
    target = tmp_path_factory.mktemp("only-2024") / "budget.duckdb"
    build(target, dbt_env, DOC_2024)
    return target


def test_two_builds_from_the_same_inputs_give_identical_marts(twice):
    first, second = twice
    a, b = mart_checksums(first), mart_checksums(second)
    assert len(a) >= 15
    assert a == b


def test_adding_a_document_changes_only_what_it_brings(twice, only_2024):
    """The facts of 2024 are the same whether or not 2020 is in the warehouse. (Dimensions
    and year-over-year comparisons do change: a department's first year, 2020→2024 growth.)"""
    both, _ = twice
    facts = ("fct_", "map_")
    alone = mart_checksums(only_2024, "where fiscal_year = 2024", facts)
    assert len(alone) >= 9
    assert alone == mart_checksums(both, "where fiscal_year = 2024", facts)


def test_incremental_build_equals_a_full_build(twice, only_2024, tmp_path, dbt_env):
    """2024 alone, then add 2020: only 2020 is parsed, and the marts equal those of a build of
    both from scratch. (This build's dbt tests are skipped: every mart is compared with that
    build's, which ran them all.)"""
    full, _ = twice
    target = tmp_path / "budget.duckdb"
    shutil.copyfile(only_2024, target)
    result = subprocess.run([sys.executable, "-m", "budgetwh", "build", "--target", str(target),
                             "--documents", str(DOC_2020), str(DOC_2024)],
                            cwd=ROOT, env={**dbt_env, **WITHOUT_DBT_TESTS}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "ingest (new and changed documents)" in result.stdout
    assert "xiamen-hrss-2024-budget.txt: unchanged since it was loaded; not parsed again" in result.stdout
    assert "xiamen-hrss-2020-budget.txt: 厦门市人力资源和社会保障局 2020 预算" in result.stdout
    assert mart_checksums(target) == mart_checksums(full)
