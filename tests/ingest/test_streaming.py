"""The ingest streams: documents are parsed in worker processes and loaded in batches as they
arrive. The database equals one built a document per run, and an error late in a run
leaves the database as it was before the run (the run is one transaction)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ingest.cli
from bench import generate
from ingest.cli import main
from tests.ingest.test_load import raw_contents

SEED = 515
YEARS = [2021, 2022, 2023, 2024]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """12 generated documents: 3 departments × 4 years (unchecked: the generator's own tests
    check that its documents parse; here a parse failure fails the ingest anyway)."""
    out = tmp_path_factory.mktemp("stream-corpus")
    manifest = generate.generate_corpus(out, 3, YEARS, SEED, check=False)
    return [out / d["file"] for d in manifest["documents"]], manifest


@pytest.fixture
def small_batches(monkeypatch):
    # Batches of 5 and a pool from 2 documents up, so 12 documents take 3 batches and two
    # processes, with several documents parsed ahead of the loader.
    monkeypatch.setattr(ingest.cli, "BATCH_DOCUMENTS", 5)
    monkeypatch.setattr(ingest.cli, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(ingest.cli, "AHEAD_PER_JOB", 2)


@pytest.fixture(scope="module")
def one_per_run(corpus, tmp_path_factory):
    paths, _ = corpus
    db = tmp_path_factory.mktemp("one-per-run") / "w.duckdb"
    for path in paths:
        assert main([str(path), "--db", str(db), "--quiet", "--jobs", "1"]) == 0
    return raw_contents(db)


def test_a_streamed_run_equals_one_run_per_document(corpus, one_per_run, small_batches, tmp_path):
    paths, manifest = corpus
    db = tmp_path / "w.duckdb"
    assert main([*map(str, paths), "--db", str(db), "--quiet", "--jobs", "2"]) == 0
    streamed = raw_contents(db)
    assert streamed == one_per_run
    # The documents are the generated ones, with their years and department codes.
    assert sorted((r[1], r[10], r[9]) for r in streamed["documents"]) == sorted(
        (d["file"], d["year"], d["department_code"]) for d in manifest["documents"])
    assert len(streamed["budget_expenditure"]) > 12 * 10


def test_the_second_streamed_run_of_the_same_documents_changes_nothing(corpus, one_per_run, small_batches,
                                                                      tmp_path, capsys):
    paths, _ = corpus
    db = tmp_path / "w.duckdb"
    assert main([*map(str, paths[:7]), "--db", str(db), "--quiet", "--jobs", "2"]) == 0
    assert main([*map(str, paths), "--db", str(db), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert out.count("unchanged since it was loaded; not parsed again") == 7
    assert raw_contents(db) == one_per_run


def test_an_error_late_in_a_run_leaves_the_database_as_it_was(corpus, small_batches, tmp_path, capsys):
    paths, _ = corpus
    db = tmp_path / "w.duckdb"
    assert main([str(paths[0]), "--db", str(db), "--quiet"]) == 0
    before = raw_contents(db)
    text = paths[5].read_text(encoding="utf-8")
    broken = tmp_path / "broken.txt"
    # A stray letter in a figure of the 11th document: two batches are loaded before it fails.
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines) if re.match(r"\d{7} \S+ \d+\.\d\d ", line))
    lines[number] = re.sub(r"(\d{7} \S+ \d+\.\d)\d", r"\1O", lines[number], count=1)
    broken.write_text("\n".join(lines), encoding="utf-8")
    given = [*map(str, paths[1:11]), str(broken)]
    assert main([*given, "--db", str(db), "--quiet", "--jobs", "2", "--prune", "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: broken.txt:{number + 1}: expected") and err.count("\n") == 1
    assert raw_contents(db) == before

    fresh = tmp_path / "fresh.duckdb"
    assert main([*given, "--db", str(fresh), "--quiet", "--jobs", "2", "--strict"]) == 2
    assert not fresh.exists() and not fresh.with_name("fresh.duckdb.wal").exists()


def test_a_second_document_for_a_department_year_in_a_later_batch_fails_the_whole_run(corpus, small_batches,
                                                                                     tmp_path, capsys):
    paths, manifest = corpus
    db = tmp_path / "w.duckdb"
    revised = tmp_path / "revised.txt"
    revised.write_text(paths[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert main([*map(str, paths), str(revised), "--db", str(db), "--quiet", "--jobs", "2", "--strict"]) == 2
    first = manifest["documents"][0]
    assert (f"error: revised.txt: expected one document per department and year; {first['file']} already is "
            f"{first['department']} {first['year']} 预算 with other content") in capsys.readouterr().err
    assert not db.exists()


def test_streamed_rows_keep_the_printed_figures(corpus, one_per_run):
    """Real values: every document's 附件3 合计 as loaded is the figure printed on its line."""
    paths, _ = corpus
    by_id = {r[0]: r[2] for r in one_per_run["documents"]}
    totals = [r for r in one_per_run["subject_expenditure"] if r[1] == "附件3" and r[5] is None]
    assert len(totals) == 12
    for row in totals:
        line = Path(by_id[row[0]]).read_text(encoding="utf-8").split("\n")[row[3] - 1]
        assert line.startswith("合计") and f"{row[7]:,.2f}" in line.split(), (line, row[7])
