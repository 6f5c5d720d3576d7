"""Quarantine: a corpus of every real document under data/raw plus one bad document of each
kind builds and publishes every good document; each bad one is left out and named in
meta.rejected_documents with its message; 司法局 2026 单位预算 (which contradicts itself) is
published with quality_status contradicts_itself; `--strict` fails on the same corpus and
publishes nothing; building again is idempotent; a rejected new version of a published file
leaves the earlier version published, marked superseded."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.bad_documents import BAD_INPUTS, OFFICE_2025, PDF_BAD_INPUTS, truncated_pdf
from tests.conftest import ROOT

DATA = ROOT / "data" / "raw"
# One of each kind of bad text document (tests/bad_documents.py), besides the PDFs.
TEXT_CASES = ["empty", "binary", "not_a_budget", "stray_character", "figures_fit_no_placement",
              "contradicts_another_table", "truncated_mid_table", "same_department_year_other_content"]


def run(target: Path, documents: list[Path], env: dict, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetwh", "build", "--target", str(target), *flags,
                           "--documents", *map(str, documents)], cwd=ROOT, env=env, capture_output=True, text=True)


def query(path: Path, sql: str) -> list[tuple]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(good documents, bad documents with (file name, kind or None, message))."""
    folder = tmp_path_factory.mktemp("corpus")
    good = sorted(p for pattern in ("*.txt", "*.pdf") for p in DATA.rglob(pattern))
    bad: list[tuple[Path, str | None, str]] = []
    for case in TEXT_CASES:
        spec = next(b for b in BAD_INPUTS if b.case == case)
        sub = folder / case
        sub.mkdir()
        # The conflicting case gives the real 2024 document and a second one with other content.
        made = [p for p in spec.make(sub) if p.parent == sub]
        assert len(made) == 1
        bad.append((made[0], None, spec.message))
    for make, kind, message in PDF_BAD_INPUTS:
        bad.append((make(folder), kind, message))
    return good, bad


@pytest.fixture(scope="module")
def published(corpus, tmp_path_factory, dbt_env):
    good, bad = corpus
    target = tmp_path_factory.mktemp("quarantine") / "budget.duckdb"
    result = run(target, good + [p for p, _, _ in bad], dbt_env)
    return target, result


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
    assert "summary: 9 documents published" in result.stdout
    assert "rejected           locked.pdf: expected a readable, unencrypted PDF" in result.stdout


def test_the_justice_unit_budget_is_published_contradicting_itself(published):
    target, _ = published
    assert query(target, "select quality_status, contradiction_count from marts.dim_document "
                         "where file_name = '2026-unit-justice.pdf'") == [("contradicts_itself", 4)]
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
    assert "contradicts_itself 2026-unit-justice.pdf" in result.stdout
    assert "rejected           scan.pdf:page 1: expected a PDF with a text layer" in result.stdout


def test_strict_fails_on_the_same_corpus_and_publishes_nothing(corpus, published, dbt_env):
    good, bad = corpus
    target, _ = published
    before = sha256(target)
    result = run(target, good + [p for p, _, _ in bad], dbt_env, "--strict", "--force")
    assert result.returncode == 1
    assert "build failed: ingest failed" in result.stderr and "error: " in result.stderr
    assert sha256(target) == before
    # Without the bad documents strict still fails: the justice unit budget contradicts itself.
    fresh = target.with_name("strict.duckdb")
    result = run(fresh, good, dbt_env, "--strict")
    assert result.returncode == 1
    assert "--strict: this build has 2024-final-finance.pdf contradicts itself" in result.stderr
    assert "2026-unit-justice.pdf contradicts itself" in result.stderr
    assert not fresh.exists()


def test_building_again_is_idempotent(corpus, published, dbt_env):
    good, bad = corpus
    target, _ = published
    dims = "select * exclude (sha256) from marts.dim_document order by document_id"
    rejections = "select * exclude (rejected_at) from meta.rejected_documents order by source_path"
    before = query(target, dims), query(target, rejections)
    digest = sha256(target)
    up_to_date = run(target, good + [p for p, _, _ in bad], dbt_env)
    assert up_to_date.returncode == 3 and "is up to date" in up_to_date.stdout
    assert sha256(target) == digest
    again = run(target, good + [p for p, _, _ in bad], dbt_env, "--force")
    assert again.returncode == 3, again.stderr[-3000:]
    assert (query(target, dims), query(target, rejections)) == before


def test_a_rejected_new_version_leaves_the_earlier_one_published_and_superseded(tmp_path, dbt_env):
    folder = tmp_path / "docs"
    folder.mkdir()
    document = folder / OFFICE_2025.name
    shutil.copyfile(OFFICE_2025, document)
    target = tmp_path / "budget.duckdb"
    assert run(target, [document], dbt_env).returncode == 0
    (earlier,) = query(target, "select document_id from marts.dim_document")
    document.write_bytes(truncated_pdf(tmp_path).read_bytes())  # a broken download over the good file
    result = run(target, [document], dbt_env)
    assert result.returncode == 3, result.stderr[-3000:]
    assert query(target, "select document_id, is_superseded, superseded_by_file_name from marts.dim_document") == [
        (earlier[0], True, document.name)]
    assert query(target, "select superseded_document_id, rejection_kind from meta.rejected_documents") == [
        (earlier[0], "unreadable")]
    assert f"superseded by rejected {document.name}" in result.stdout
