"""Quarantine: a corpus of every real document under data/raw plus one bad document of each
kind builds and publishes every good document; each bad one is left out and named in
meta.rejected_documents with its message; 司法局 2026 单位预算 (whose misprint is a known source
finding) is published with it; `--strict` fails on the same corpus and publishes nothing, and
passes on the sample documents alone; building again is idempotent; a rejected new version of a published file
leaves the earlier version published, marked superseded."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.bad_documents import OFFICE_2025, truncated_pdf
from tests.conftest import ROOT
from tests.warehouses import WITHOUT_DBT_TESTS, dbt_env as scratch_env, query, run_build


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus(real_warehouse):
    """(good documents, bad documents with (file name, kind or None, message)): the corpus of
    the session's real warehouse (tests/warehouses.py), which the docs and report tests read."""
    return real_warehouse.good, real_warehouse.bad


@pytest.fixture(scope="module")
def published(real_warehouse):
    """The session's build of that corpus: only read here (the tests that build again work on
    a copy)."""
    return real_warehouse.target, real_warehouse.result


def test_every_good_document_is_published_and_each_bad_one_rejected(corpus, published):
    good, bad = corpus
    target, result = published
    assert result.returncode == 3, result.stderr[-3000:] + result.stdout[-3000:]
    assert {r[0] for r in query(target, "select file_name from marts.dim_document")} == {p.name for p in good}
    rejected = {Path(path): (kind, message) for path, kind, message in
                query(target, "select source_path, rejection_kind, message from meta.rejected_documents")}
    assert set(rejected) == {p for p, _, _ in bad}
    for path, kind, message in bad:
        assert message in rejected[path][1]
        if kind:
            assert rejected[path][0] == kind
    kinds = {path.name: kind for path, (kind, _) in rejected.items()}
    assert kinds["other-2024.txt"] == "department_year_taken"
    assert kinds["novel.txt"] == "unknown_template"
    # Nothing of a rejected document is in raw or the marts.
    assert query(target, "select count(*) from raw.parse_findings where document_id in "
                         "(select document_id from meta.rejected_documents)") == [(0,)]
    # The summary names them.
    assert f"summary: {len(good)} documents published" in result.stdout and len(good) == 16
    assert "rejected            locked.pdf: expected a readable, unencrypted PDF" in result.stdout


def test_the_justice_unit_budget_is_published_with_its_known_misprint(published):
    """2026-unit-justice.pdf prints 2040601 行政运行 项目支出 64,840,547.00 元, the 款's whole
    项目支出 (pages 11 and 14): four identities fail by 6,484.05 万元, each recorded with its
    evidence in seeds/quality/known_source_findings.csv, so they are known findings, not
    contradictions; its 5 other differences are rounding."""
    target, _ = published
    assert query(target, "select quality_status, contradiction_count, known_finding_count, rounding_difference_count "
                         "from marts.dim_document where file_name = '2026-unit-justice.pdf'") == [
        ("rounding_only", 0, 4, 5)]
    assert query(target, "select count(*), min(difference_wan), max(difference_wan) from marts.fct_reconciliation "
                         "where file_name = '2026-unit-justice.pdf' and status = 'known_finding'") == [
        (4, Decimal("6484.05"), Decimal("6484.05"))]
    # Its facts are published: 行政运行 as printed (basic + project).
    assert query(target, "select count(*) > 0 from marts.fct_expenditure e join marts.dim_document d "
                         "using (document_id) where d.file_name = '2026-unit-justice.pdf'") == [(True,)]
    statuses = dict(query(target, "select file_name, quality_status from marts.dim_document"))
    assert statuses["2025-dept-district-office.pdf"] == "clean"
    assert statuses["xiamen-hrss-2024-budget.txt"] == "rounding_only"


def test_status_lists_rejections_and_statuses(published):
    target, _ = published
    result = subprocess.run([sys.executable, "-m", "budgetwh", "status", "--target", str(target)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "rounding_only       2026-unit-justice.pdf" in result.stdout
    assert "rejected            scan.pdf:page 1: expected a PDF with a text layer" in result.stdout


def test_strict_fails_on_the_same_corpus_and_passes_on_the_samples_alone(corpus, published, tmp_path):
    good, bad = corpus
    target = tmp_path / "published" / "budget.duckdb"
    target.parent.mkdir()
    shutil.copyfile(published[0], target)
    before = sha256(target)
    env = scratch_env(tmp_path / "dbt")
    result = run_build(target, good + [p for p, _, _ in bad], env, "--strict", "--force")
    assert result.returncode == 1
    assert "build failed: ingest failed" in result.stderr and "error: " in result.stderr
    assert sha256(target) == before
    # Without the bad documents strict passes: every sample is read, faithfully, and its
    # contradictions (司法局's and 财政局's misprints) are known source findings with their
    # evidence. What strict reads is dim_document's status after dbt ran; the dbt tests of
    # these documents ran in the published build, so this build skips them.
    fresh = target.with_name("strict.duckdb")
    result = run_build(fresh, good, {**env, **WITHOUT_DBT_TESTS}, "--strict")
    assert result.returncode == 0, result.stderr[-3000:]
    assert fresh.exists() and "--strict" not in result.stderr


def test_building_again_is_idempotent(corpus, published, tmp_path):
    """Up to date, then --force builds anyway (ingest and dbt again) and publishes the same
    documents, statuses and rejections. On a copy of the published warehouse: the inputs are
    the same wherever the file is. The forced build skips the dbt tests (they ran in the
    published build; tests/warehouses.py)."""
    good, bad = corpus
    target = tmp_path / "budget.duckdb"
    shutil.copyfile(published[0], target)
    env = scratch_env(tmp_path / "dbt")
    dims = "select * exclude (sha256) from marts.dim_document order by document_id"
    rejections = "select * exclude (rejected_at) from meta.rejected_documents order by source_path"
    before = query(target, dims), query(target, rejections)
    digest = sha256(target)
    up_to_date = run_build(target, good + [p for p, _, _ in bad], env)
    assert up_to_date.returncode == 3 and "is up to date" in up_to_date.stdout
    assert "== ingest" not in up_to_date.stdout
    assert sha256(target) == digest
    inode = target.stat().st_ino
    again = run_build(target, good + [p for p, _, _ in bad], {**env, **WITHOUT_DBT_TESTS}, "--force")
    assert again.returncode == 3, again.stderr[-3000:]
    assert "is up to date" not in again.stdout
    assert "== ingest (new and changed documents)" in again.stdout and "== dbt build" in again.stdout
    assert target.stat().st_ino != inode  # a new file was published
    assert (query(target, dims), query(target, rejections)) == before


def test_a_rejected_new_version_leaves_the_earlier_one_published_and_superseded(tmp_path, dbt_env):
    # The first build only sets the scene (its dbt tests are the real documents', which ran in
    # the session's published build); the second, which rejects the new version, runs them all.
    folder = tmp_path / "docs"
    folder.mkdir()
    document = folder / OFFICE_2025.name
    shutil.copyfile(OFFICE_2025, document)
    target = tmp_path / "budget.duckdb"
    assert run_build(target, [document], {**dbt_env, **WITHOUT_DBT_TESTS}).returncode == 0
    (earlier,) = query(target, "select document_id from marts.dim_document")
    document.write_bytes(truncated_pdf(tmp_path).read_bytes())  # a broken download over the good file
    result = run_build(target, [document], dbt_env)
    assert result.returncode == 3, result.stderr[-3000:]
    assert query(target, "select document_id, is_superseded, superseded_by_file_name from marts.dim_document") == [
        (earlier[0], True, document.name)]
    assert query(target, "select superseded_document_id, rejection_kind from meta.rejected_documents") == [
        (earlier[0], "unreadable")]
    assert f"superseded by rejected {document.name}" in result.stdout


def test_summary_names_tables_missing_or_cut_short():
    """A document contradicting itself is listed as such, and a missing page (a table cut short,
    tests/ingest/test_shanghai_pdf.py) would be hidden behind that status: the summary says it."""
    from budgetwh.build import BuildSummary, DocumentQuality

    summary = BuildSummary([
        DocumentQuality("2025-dept-commerce.pdf", "2025 上海市普陀区商务委员会 部门预算", "contradicts_itself",
                        3, 2, None, missing_tables=1,
                        missing_where=("2025年部门支出预算总表 cut short after page 12",)),
        DocumentQuality("2026-dept-justice.pdf", "2026 上海市普陀区司法局 部门预算", "clean", 0, 0, None),
    ], [])
    assert summary.lines() == [
        "summary: 2 documents published (1 clean, 1 contradicts_itself; 1 with findings), 0 rejected",
        "  contradicts_itself  2025-dept-commerce.pdf: 2025 上海市普陀区商务委员会 部门预算, 3 findings, "
        "2 above rounding, 1 table missing or cut short (2025年部门支出预算总表 cut short after page 12)",
        "  clean               2026-dept-justice.pdf: 2026 上海市普陀区司法局 部门预算, 0 findings"]


def test_a_document_not_faithfully_read_is_published_as_such_and_fails_strict(tmp_path, dbt_env):
    """Issue 15's experiment: an amount the parser has no place for, added to line 10 of a copy
    of the 2024 document. The build publishes the copy with its gap as a finding and the status
    not_faithfully_read (dbt tests and all); --strict refuses it and publishes nothing."""
    from tests.ingest.test_fidelity import with_an_amount_added

    folder = tmp_path / "docs"
    folder.mkdir()
    copy = with_an_amount_added(folder)
    target = tmp_path / "budget.duckdb"
    result = run_build(target, [copy], dbt_env)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    assert query(target, "select quality_status, fidelity_gap_count from marts.dim_document") == [
        ("not_faithfully_read", 1)]
    assert query(target, "select finding_kind, severity, source_line, expected_value, actual_value "
                         "from marts.fct_parse_finding where table_id = 'fidelity'") == [
        ("figure_not_captured", "error", 10, Decimal("123.45"), None)]
    assert f"not faithfully read (loaded with a finding per gap): {copy.name}:10:" in result.stderr
    assert f"not_faithfully_read {copy.name}: " in result.stdout and "1 fidelity gap (" in result.stdout
    strict = tmp_path / "strict.duckdb"
    result = run_build(strict, [copy], {**dbt_env, **WITHOUT_DBT_TESTS}, "--strict")
    assert result.returncode == 1
    assert "123.45 not captured (line 10)" in result.stderr
    assert not strict.exists()


def test_summary_reads_which_tables_are_missing_or_cut_short_from_the_findings():
    """The words come from fct_parse_finding's rows (as tests/ingest/test_shanghai_pdf.py's cut
    document and a text document's missing table give them), page or line where known."""
    import duckdb

    from budgetwh.build import _missing_tables

    connection = duckdb.connect()
    connection.execute("create schema marts")
    connection.execute("create table marts.fct_parse_finding (document_id varchar, finding_kind varchar, "
                       "finding_subject varchar, page_number integer, source_line integer)")
    connection.execute("insert into marts.fct_parse_finding values "
                       "('pdf', 'table_cut_short', '2025年部门支出预算总表', 12, null), "
                       "('pdf', 'parent_sum', '20805', 12, null), "
                       "('pdf', 'missing_table', 'three_public', null, null), "
                       "('txt', 'table_cut_short', '附件3', null, 412)")
    assert _missing_tables(connection) == {
        "pdf": ("2025年部门支出预算总表 cut short after page 12", "three_public not printed"),
        "txt": ("附件3 cut short after line 412",)}
