"""Incremental builds equal builds from scratch.

Six generated documents (bench/generate.py: three departments, 2019 and 2022, so both the
2020 and the 2024 classification) are built once together and once one document at a time;
then one is removed and another changed. After each step every raw and mart table equals,
as a multiset of rows over all columns but timestamps, the one a single build of the same
documents gives. Generated departments are not in the project's seeds, so the builds run
from a copy of the project whose seeds list them (bench/reference.py)."""

from __future__ import annotations

import os
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

SEED = 5
DEPARTMENTS = 3
YEARS = [2019, 2022]
GOAL = "总目标 保障部门各单位履行各自职能，保障各项业务平稳运行"


class Project:
    """The copy of the project the builds of this module run from, with its own dbt folders."""

    def __init__(self, root: Path, corpus: Path, documents: list[Path], dbt: Path):
        self.root = root
        self.corpus = corpus
        self.documents = documents
        self.env = {**os.environ, "DBT_TARGET_PATH": str(dbt / "target"), "DBT_LOG_PATH": str(dbt / "logs")}
        self.log = dbt / "logs" / "dbt.log"

    def build(self, target: Path, documents: list[Path], *extra: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "budgetwh", "build", "--target", str(target), *extra,
             "--documents", *map(str, documents)],
            cwd=self.root, env=self.env, capture_output=True, text=True)
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
    project.build(target, project.documents, "--quiet")
    return target


@pytest.fixture(scope="module")
def built_one_at_a_time(project, tmp_path_factory) -> tuple[Path, list[str]]:
    target = tmp_path_factory.mktemp("one-at-a-time") / "budget.duckdb"
    outputs = []
    for count in range(1, len(project.documents) + 1):
        outputs.append(project.build(target, project.documents[:count]).stdout)
    return target, outputs


def test_one_document_at_a_time_equals_all_at_once(built_together, built_one_at_a_time):
    target, outputs = built_one_at_a_time
    assert "ingest (every document)" in outputs[0]
    for output in outputs[1:]:
        assert "ingest (new and changed documents)" in output
        assert "dbt build (models and tests; seeds unchanged; facts of new documents only)" in output
        assert "--full-refresh" not in output
    assert_same_tables(target, built_together)


def test_a_second_build_reuses_dbt_s_parse(project, built_one_at_a_time):
    """The private file has the same path every build, so dbt's profile does not change."""
    run = last_dbt_run(project.log)
    # dbt says "Partial parsing enabled: …" when project files changed since its last parse and
    # "Nothing changed, skipping partial parsing" when none did; both reuse the saved manifest.
    assert "Partial parsing enabled" in run or "Nothing changed, skipping partial parsing" in run
    assert "Unable to do partial parsing" not in run


def test_incremental_facts_carry_the_printed_figures(project, built_one_at_a_time):
    """The last document added: its 附件5 rows in fct_expenditure are the figures printed at
    their source line, and it reconciles like the others."""
    target, _ = built_one_at_a_time
    document = project.documents[-1]
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
def removed_and_changed(project, tmp_path_factory, built_one_at_a_time) -> tuple[Path, list[Path], str]:
    """The incremental warehouse without the first document and with the second one changed
    (another overall goal: same figures, new content, so a new document_id)."""
    target, _ = built_one_at_a_time
    changed_folder = tmp_path_factory.mktemp("changed")
    original = project.documents[1]
    text = original.read_text(encoding="utf-8")
    assert text.count(GOAL) == 1
    changed = changed_folder / original.name
    changed.write_text(text.replace(GOAL, GOAL + "，并按季度通报进度"), encoding="utf-8")
    documents = [changed, *project.documents[2:]]
    output = project.build(target, documents).stdout
    return target, documents, output


def test_removing_and_changing_documents_equals_a_build_from_scratch(project, removed_and_changed,
                                                                     tmp_path_factory):
    target, documents, output = removed_and_changed
    assert "dbt build (models and tests; seeds unchanged; facts of new documents only)" in output
    assert f"{documents[0].name}: unchanged" not in output
    full = tmp_path_factory.mktemp("scratch") / "budget.duckdb"
    project.build(full, documents, "--quiet")
    assert_same_tables(target, full)
    connection = duckdb.connect(str(target), read_only=True)
    try:
        files = connection.execute("select distinct file_name from marts.fct_expenditure order by 1").fetchall()
        goals = connection.execute("select distinct overall_goal from raw.performance_projects "
                                   "where overall_goal like '%按季度通报进度'").fetchall()
    finally:
        connection.close()
    assert files == sorted((d.name,) for d in documents)
    assert project.documents[0].name not in {f for (f,) in files}
    assert goals == [(GOAL.removeprefix("总目标 ") + "，并按季度通报进度",)]


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
    output = project.build(target, documents).stdout
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
