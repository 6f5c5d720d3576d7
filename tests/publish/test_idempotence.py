"""Two builds from the same inputs give identical marts; adding a document changes only
what that document brings; document text is data, never code."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import DOC_2020, DOC_2024, ROOT
from tests.publish.test_publish import build_command


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
def twice(tmp_path_factory, dbt_env):
    first = tmp_path_factory.mktemp("a") / "budget.duckdb"
    second = tmp_path_factory.mktemp("b") / "budget.duckdb"
    build(first, dbt_env, DOC_2020, DOC_2024)
    build(second, dbt_env, DOC_2020, DOC_2024)
    return first, second


def test_two_builds_from_the_same_inputs_give_identical_marts(twice):
    first, second = twice
    a, b = mart_checksums(first), mart_checksums(second)
    assert len(a) >= 15
    assert a == b


def test_adding_a_document_changes_only_what_it_brings(twice, tmp_path, dbt_env):
    """The facts of 2024 are the same whether or not 2020 is in the warehouse. (Dimensions
    and year-over-year comparisons do change: a department's first year, 2020→2024 growth.)"""
    both, _ = twice
    only_2024 = tmp_path / "budget.duckdb"
    build(only_2024, dbt_env, DOC_2024)
    facts = ("fct_", "map_")
    alone = mart_checksums(only_2024, "where fiscal_year = 2024", facts)
    assert len(alone) >= 9
    assert alone == mart_checksums(both, "where fiscal_year = 2024", facts)


def test_document_text_is_data_never_code(tmp_path, dbt_env):
    hostile = "'); drop table raw.documents; -- {{ env_var('HOME') }} {% raise %} $(rm -rf /)"
    text = DOC_2024.read_text(encoding="utf-8")
    original = "总目标 保障部门各单位履行各自职能，保障各项业务平稳运行"
    assert text.count(original) == 1
    path = tmp_path / "xiamen-hrss-2024-budget.txt"
    path.write_text(text.replace(original, f"总目标 {hostile}"), encoding="utf-8")
    target = tmp_path / "w" / "budget.duckdb"
    build(target, dbt_env, path)
    connection = duckdb.connect(str(target), read_only=True)
    try:
        stored = connection.execute("select overall_goal from raw.performance_projects "
                                    "where project_key = '附件11-1'").fetchall()
        assert stored == [(hostile,)]
        assert connection.execute("select count(*) from raw.documents").fetchall() == [(1,)]
    finally:
        connection.close()


def test_incremental_build_equals_a_full_build(twice, tmp_path, dbt_env):
    """Build 2024 alone, then add 2020: only 2020 is parsed, and the marts equal those of a
    build of both from scratch."""
    full, _ = twice
    target = tmp_path / "budget.duckdb"
    build(target, dbt_env, DOC_2024)
    result = subprocess.run([sys.executable, "-m", "budgetwh", "build", "--target", str(target),
                             "--documents", str(DOC_2020), str(DOC_2024)],
                            cwd=ROOT, env=dbt_env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "ingest (new and changed documents)" in result.stdout
    assert "xiamen-hrss-2024-budget.txt: unchanged since it was loaded; not parsed again" in result.stdout
    assert "xiamen-hrss-2020-budget.txt: 厦门市人力资源和社会保障局 2020 预算" in result.stdout
    assert mart_checksums(target) == mart_checksums(full)
