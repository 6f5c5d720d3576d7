"""Incremental builds equal builds from scratch.

Six generated documents (bench/generate.py: three departments, 2019 and 2022, so both the
2020 and the 2024 classification) are built together from scratch, and so are five of them
with the second one changed (its overall goal carries SQL, Jinja and shell: document text is
data, never code). A copy of the five is brought to the six by one incremental build (a
document added, a changed one replaced), then back to the five (a document removed, another
changed); after each step every raw and mart table equals, as a multiset of rows over all
columns but timestamps, the one the build from scratch of the same documents gives. (One
document added at a time: tests/publish/test_idempotence.py.) Generated departments are not
in the project's seeds, so the builds run from a copy of the project whose seeds list them
(bench/reference.py).

The build from scratch of the five runs every dbt test (over the hostile text too); the
other builds skip them (tests/warehouses.py, WITHOUT_DBT_TESTS): the incremental ones are
compared row for row with builds from scratch, and the six-document one differs from the
five by a generated document of the same kind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from bench import generate
from bench.reference import project_copy
from budgetwh.build_lock import BuildLock
from budgetwh.model_state import ModelFingerprint
from tests.warehouses import WITHOUT_DBT_TESTS

SEED = 5
DEPARTMENTS = 3
YEARS = [2019, 2022]
GOAL = "总目标 保障部门各单位履行各自职能，保障各项业务平稳运行"
HOSTILE = "'); drop table raw.documents; -- {{ env_var('HOME') }} {% raise %} $(rm -rf /)"


class Project:
    """The copy of the project the builds of this module run from, with its own dbt folders."""

    def __init__(self, root: Path, corpus: Path, documents: list[Path], dbt: Path):
        self.root = root
        self.corpus = corpus
        self.documents = documents
        self.env = {**os.environ, "DBT_TARGET_PATH": str(dbt / "target"), "DBT_LOG_PATH": str(dbt / "logs")}
        self.log = dbt / "logs" / "dbt.log"

    def build(self, target: Path, documents: list[Path], *extra: str, dbt_tests: bool = True,
              ) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "budgetwh", "build", "--target", str(target), *extra,
             "--documents", *map(str, documents)],
            cwd=self.root, env=self.env if dbt_tests else {**self.env, **WITHOUT_DBT_TESTS},
            capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
        return result


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    base = tmp_path_factory.mktemp("incremental")
    corpus = base / "corpus"
    manifest = generate.generate_corpus(corpus, DEPARTMENTS, YEARS, SEED, check=False)
    documents = [corpus / entry["file"] for entry in manifest["documents"]]
    assert len(documents) == 6 and {entry["year"] for entry in manifest["documents"]} == set(YEARS)
    root = base / "project"
    project_copy(root, [corpus])
    return Project(root, corpus, documents, base / "dbt")


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every raw and mart table's rows in a canonical order, all columns but timestamps."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        tables = connection.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name in ('raw', 'marts') "
            "order by all").fetchall()
        rows = {}
        for schema, table in tables:
            columns = [name for name, kind in connection.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = ? and table_name = ? "
                "order by column_index", [schema, table]).fetchall() if not kind.startswith("TIMESTAMP")]
            rows[f"{schema}.{table}"] = connection.execute(
                f"select {', '.join(columns)} from {schema}.{table} order by all").fetchall()
        return rows
    finally:
        connection.close()


def assert_same_tables(incremental: Path, full: Path) -> None:
    built, expected = table_rows(incremental), table_rows(full)
    assert sorted(built) == sorted(expected)
    assert len(expected) >= 30 and len(expected["marts.fct_expenditure"]) > 100
    different = [name for name in expected if built[name] != expected[name]]
    assert different == []


def last_dbt_run(log: Path) -> str:
    return log.read_text(encoding="utf-8").rsplit("Running with dbt=", 1)[-1]


@pytest.fixture(scope="module")
def built_together(project, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("together") / "budget.duckdb"
    project.build(target, project.documents, "--quiet", dbt_tests=False)
    return target


@pytest.fixture(scope="module")
def five(project, tmp_path_factory) -> tuple[Path, list[Path], str]:
    """The documents without the first one and with the second one changed (another overall
    goal, hostile text: same figures, new content, so a new document_id), built from scratch."""
    changed_folder = tmp_path_factory.mktemp("changed")
    original = project.documents[1]
    text = original.read_text(encoding="utf-8")
    assert text.count(GOAL) == 1
    changed = changed_folder / original.name
    changed.write_text(text.replace(GOAL, f"总目标 {HOSTILE}"), encoding="utf-8")
    documents = [changed, *project.documents[2:]]
    target = tmp_path_factory.mktemp("scratch") / "budget.duckdb"
    output = project.build(target, documents).stdout
    assert "ingest (every document)" in output
    return target, documents, output


@pytest.fixture(scope="module")
def built_incrementally(project, five, tmp_path_factory) -> tuple[Path, str]:
    """A copy of the five brought to the six: the first document added, the changed one back
    to its original content."""
    target = tmp_path_factory.mktemp("incremental") / "budget.duckdb"
    shutil.copyfile(five[0], target)
    output = project.build(target, project.documents, dbt_tests=False).stdout
    return target, output


def test_adding_and_changing_documents_equals_all_at_once(project, built_together, built_incrementally):
    target, output = built_incrementally
    assert "ingest (new and changed documents)" in output
    assert "dbt build (models and tests; seeds unchanged; facts of new documents only)" in output
    assert "--full-refresh" not in output
    assert f"{project.documents[0].name}: unchanged" not in output
    assert f"{project.documents[1].name}: unchanged" not in output
    assert f"{project.documents[2].name}: unchanged since it was loaded" in output
    assert_same_tables(target, built_together)


def test_incremental_facts_carry_the_printed_figures(project, built_incrementally):
    """The document added: its 附件5 rows in fct_expenditure are the figures printed at their
    source line, and it reconciles like the others."""
    target, _ = built_incrementally
    document = project.documents[0]
    lines = document.read_text(encoding="utf-8").splitlines()
    connection = duckdb.connect(str(target), read_only=True)
    try:
        rows = connection.execute(
            "select reported_subject_code, reported_subject_name, expenditure_type, amount_wan, source_line "
            "from marts.fct_expenditure where file_name = ? and table_id = '附件5' order by source_line, "
            "expenditure_type", [document.name]).fetchall()
        statuses = connection.execute(
            "select status, count(*) from marts.fct_reconciliation where file_name = ? group by all order by all",
            [document.name]).fetchall()
    finally:
        connection.close()
    assert len(rows) >= 10
    for code, name, kind, amount, line in rows:
        printed = lines[line - 1].split()
        assert printed[:2] == [code, name], (line, printed)
        assert f"{amount:,.2f}" in printed[2:], (kind, amount, line, printed)
    basic = [r for r in rows if r[2] == "basic"]
    assert basic and all(isinstance(r[3], Decimal) and r[3] > 0 for r in basic)
    assert dict(statuses).get("ok", 0) > 100 and "fail" not in dict(statuses)


@pytest.fixture(scope="module")
def removed_and_changed(project, five, built_incrementally) -> tuple[Path, list[Path], str]:
    """The incremental warehouse without the first document and with the second one changed."""
    target, _ = built_incrementally
    _, documents, _ = five
    output = project.build(target, documents, dbt_tests=False).stdout
    return target, documents, output


def test_removing_and_changing_documents_equals_a_build_from_scratch(project, five, removed_and_changed):
    target, documents, output = removed_and_changed
    assert "dbt build (models and tests; seeds unchanged; facts of new documents only)" in output
    assert f"{documents[0].name}: unchanged" not in output
    assert_same_tables(target, five[0])
    connection = duckdb.connect(str(target), read_only=True)
    try:
        files = connection.execute("select distinct file_name from marts.fct_expenditure order by 1").fetchall()
        goals = connection.execute("select overall_goal from raw.performance_projects "
                                   "where overall_goal like '%drop table%'").fetchall()
        loaded = connection.execute("select count(*) from raw.documents").fetchall()
    finally:
        connection.close()
    assert files == sorted((d.name,) for d in documents)
    assert project.documents[0].name not in {f for (f,) in files}
    # The hostile goal is stored as printed, and did nothing: every document is still there.
    assert goals == [(HOSTILE,)]
    assert loaded == [(len(documents),)]


def test_a_second_build_reuses_dbt_s_parse(project, removed_and_changed):
    """The private file has the same path every build of a warehouse, so dbt's profile does
    not change between the incremental warehouse's two builds."""
    run = last_dbt_run(project.log)
    # dbt says "Partial parsing enabled: …" when project files changed since its last parse and
    # "Nothing changed, skipping partial parsing" when none did; both reuse the saved manifest.
    assert "Partial parsing enabled" in run or "Nothing changed, skipping partial parsing" in run
    assert "Unable to do partial parsing" not in run


def test_changed_models_or_seeds_force_a_full_refresh(project, removed_and_changed):
    """A published warehouse whose fingerprint is not the project's is rebuilt with
    --full-refresh, and ends up the same."""
    target, documents, _ = removed_and_changed
    before = table_rows(target)
    connection = duckdb.connect(str(target))
    try:
        connection.execute("update meta.build_info set model_fingerprint = 'models of an older commit'")
    finally:
        connection.close()
    output = project.build(target, documents, dbt_tests=False).stdout
    assert "dbt build --full-refresh" in output
    assert "ingest (new and changed documents)" in output
    assert table_rows(target) == before
    # dbt ran the facts' full select (no filter by document), not the incremental one.
    executed = (Path(project.env["DBT_TARGET_PATH"]) / "run" / "budget_warehouse" / "models" / "marts"
                / "fct_expenditure.sql").read_text(encoding="utf-8")
    assert "where document_id in" not in executed and "where false" not in executed


def test_fingerprint_follows_seeds_models_and_macros(project, tmp_path):
    """Any change to what dbt computes the tables from changes the fingerprint."""
    before = ModelFingerprint.of_project(project.root)
    assert ModelFingerprint.of_project(project.root) == before
    seed = project.root / "seeds" / "quality" / "known_source_findings.csv"
    original = seed.read_bytes()
    try:
        seed.write_bytes(original + b"\n")
        assert ModelFingerprint.of_project(project.root) != before
    finally:
        seed.write_bytes(original)
    assert ModelFingerprint.of_project(project.root) == before
    analysis = next((project.root / "analyses").glob("*.sql"))
    analysis.write_text(analysis.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert ModelFingerprint.of_project(project.root) == before  # analyses do not build tables


def test_a_second_build_of_the_same_warehouse_is_refused_while_one_runs(project, tmp_path):
    target = tmp_path / "budget.duckdb"
    with BuildLock.for_warehouse(target):
        result = subprocess.run(
            [sys.executable, "-m", "budgetwh", "build", "--quiet", "--target", str(target),
             "--documents", str(project.documents[0])],
            cwd=project.root, env=project.env, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"another build of {target} is running (pid {os.getpid()})" in result.stderr
    assert not target.exists()
