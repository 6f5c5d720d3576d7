"""The published warehouse is replaced atomically: a failed or killed build leaves the last
good one in place, and readers during a build see the old warehouse or the new one."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.bad_documents import BAD_INPUTS
from tests.conftest import DOC_2020, DOC_2024, ROOT
from tests.warehouses import WITHOUT_DBT_TESTS, query as read_query

EXPENDITURE = "select count(*), sum(amount_wan) from marts.fct_expenditure"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_command(target: Path, *documents: Path, force: bool = False) -> list[str]:
    return [sys.executable, "-m", "budgetwh", "build", "--quiet", "--target", str(target),
            *(["--force"] if force else []), "--documents", *map(str, documents)]


def run_build(target: Path, env: dict, *documents: Path) -> subprocess.CompletedProcess:
    return subprocess.run(build_command(target, *documents), cwd=ROOT, env=env, capture_output=True, text=True)


def query(path: Path, sql: str = EXPENDITURE):
    return read_query(path, sql)


@pytest.fixture(scope="module")
def published(xiamen_pair, tmp_path_factory):
    """A copy of the session's build of the two Xiamen documents (tests/warehouses.py), which
    these tests build over; and how long that build took."""
    target = tmp_path_factory.mktemp("warehouse") / "budget.duckdb"
    shutil.copyfile(xiamen_pair.target, target)
    return target, xiamen_pair.seconds


def test_build_publishes_a_warehouse_with_the_documents(xiamen_pair):
    target = xiamen_pair.target
    assert query(target, "select fiscal_year, sum(amount_wan) from marts.fct_expenditure group by 1 order by 1") == [
        (2020, Decimal("78046.06")), (2024, Decimal("180144.40"))]
    documents = query(target, "select documents, tests_passed from meta.build_info")
    assert documents[0][1] is True and "xiamen-hrss-2024-budget.txt" in documents[0][0]
    assert not list(target.parent.glob(".building-*"))
    # The private folder keeps only the build lock; the private file was renamed over the target.
    assert [p.name for p in (target.parent / ".building").iterdir()] == ["budget.duckdb.lock"]


def test_a_document_contradicting_itself_is_published_with_its_finding(published, dbt_env, tmp_path):
    """A document whose prose disagrees with its own table parses (the disagreement is a
    finding) and is published contradicting itself: a data problem of one document is that
    document's finding, never a failed build for everyone (the dbt tests `make build` runs are
    invariants of the models). Its identity fails in fct_reconciliation with the printed
    figures: 附件5 prints 2080116 引进人才费用 32,994.00, the prose here 32,949.00."""
    target = tmp_path / "budget.duckdb"
    shutil.copyfile(published[0], target)
    text = DOC_2024.read_text(encoding="utf-8")
    assert text.count("务（款）引进人才费用（项）32,994.00万元") == 1
    disagreeing = tmp_path / "xiamen-hrss-2024-budget.txt"
    disagreeing.write_text(text.replace("务（款）引进人才费用（项）32,994.00万元", "务（款）引进人才费用（项）32,949.00万元"),
                           encoding="utf-8")
    result = run_build(target, dbt_env, DOC_2020, disagreeing)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    assert query(target, "select quality_status from marts.dim_document "
                         "where file_name = 'xiamen-hrss-2024-budget.txt'") == [("contradicts_itself",)]
    failed = query(target, "select expected_wan, actual_wan from marts.fct_reconciliation "
                           "where status = 'fail' and file_name = 'xiamen-hrss-2024-budget.txt'")
    assert (Decimal("32949.00"), Decimal("32994.00")) in failed or (Decimal("32994.00"), Decimal("32949.00")) in failed


READER = textwrap.dedent("""
    import os, sys, time, duckdb
    path, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(out, "w") as log:
        while not os.path.exists(stop):
            try:
                c = duckdb.connect(path, read_only=True)
                n, total = c.execute("%s").fetchone()
                c.close()
                log.write(f"ok {n} {total}\\n")
            except Exception as error:
                log.write(f"error {type(error).__name__}: {error}\\n".replace("\\n", " ") + "\\n")
            time.sleep(0.02)
""" % EXPENDITURE)


KILLS = 8


def test_readers_during_builds_and_kills_see_old_or_new_and_the_last_good_warehouse_stays(published, dbt_env,
                                                                                         tmp_path):
    """A reader opens the warehouse every 20 ms throughout: a build that publishes another
    warehouse (the 2024 document alone), then builds SIGKILLed (with dbt under them) at
    KILLS moments, one drawn at random in each KILLS-th of a build's duration (and a little
    past it), then a build that publishes the first warehouse again. The reader only ever sees
    the old warehouse or the new one, and after each kill the published file is a complete
    warehouse that opens cleanly.

    These builds run dbt without its data tests (tests/warehouses.py, WITHOUT_DBT_TESTS): what
    is under test is the private file, the lock and the rename, and shorter builds put the
    kills in every step of a build (ingest, dbt, lineage, publish) more evenly."""
    target, _ = published
    env = {**dbt_env, **WITHOUT_DBT_TESTS}
    old = query(target)[0]
    log = tmp_path / "reader.log"
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(target), str(stop), str(log)])
    try:
        started = time.monotonic()
        assert run_build(target, env, DOC_2024).returncode == 0
        seconds = time.monotonic() - started
        new = query(target)[0]
        assert new != old
        rng = random.Random(20261123)
        good = {sha256(target)}
        for slot in range(KILLS):
            # --force: the published warehouse may be up to date with these documents (a kill
            # after the rename), and an up-to-date build would stop before there is anything to kill.
            process = subprocess.Popen(build_command(target, DOC_2020, DOC_2024, force=True), cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            moment = rng.uniform(slot, slot + 1) * seconds * 1.1 / KILLS
            time.sleep(max(0.05, moment))
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            digest = sha256(target)
            if digest not in good:
                # The build got as far as publishing before the kill: it must be complete.
                assert query(target, "select tests_passed from meta.build_info") == [(True,)]
                good.add(digest)
            assert query(target)[0][0] > 0
        # The next build clears what killed builds left behind (and publishes the old warehouse).
        assert run_build(target, env, DOC_2020, DOC_2024).returncode == 0
        assert query(target)[0] == old
    finally:
        stop.touch()
        reader.wait(timeout=120)
    assert not list(target.parent.glob(".building-*"))
    assert [p.name for p in (target.parent / ".building").iterdir()] == ["budget.duckdb.lock"]
    lines = log.read_text().splitlines()
    assert lines, "the reader never ran"
    assert [line for line in lines if line.startswith("error")] == []
    seen = {tuple(line.split()[1:]) for line in lines}
    allowed = {(str(old[0]), str(old[1])), (str(new[0]), str(new[1]))}
    assert seen <= allowed and len(seen) == 2


def test_status_reports_the_published_documents(xiamen_pair):
    target = xiamen_pair.target
    result = subprocess.run([sys.executable, "-m", "budgetwh", "status", "--target", str(target)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "dbt tests passed" in result.stdout
    assert "2020 厦门市人力资源和社会保障局 预算  xiamen-hrss-2020-budget.txt [xiamen-prose]" in result.stdout
    assert "xiamen-hrss-2024-budget.txt [xiamen-appendix]" in result.stdout


def test_documents_linked_from_outside_the_data_folder_are_refused(tmp_path):
    from budgetwh.build import BuildFailed, document_paths

    data = tmp_path / "data"
    (data / "xiamen").mkdir(parents=True)
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("not ours", encoding="utf-8")
    (data / "xiamen" / "inside.txt").write_text("ours", encoding="utf-8")
    assert [p.name for p in document_paths(data)] == ["inside.txt"]
    (data / "xiamen" / "link.txt").symlink_to(outside)
    with pytest.raises(BuildFailed, match="link.txt: expected a document inside"):
        document_paths(data)


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[b.case for b in BAD_INPUTS])
def test_bad_input_in_strict_mode_leaves_published_warehouse_unchanged(bad, published, dbt_env, tmp_path):
    target, _ = published
    before = sha256(target)
    result = subprocess.run(build_command(target, *bad.make(tmp_path)) + ["--strict"], cwd=ROOT, env=dbt_env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert bad.message in result.stderr
    assert "the published warehouse is unchanged" in result.stderr
    assert sha256(target) == before


ONLY_BAD = [b for b in BAD_INPUTS if b.case not in ("same_department_year_other_content", "valid_beside_bad")]


@pytest.mark.parametrize("bad", ONLY_BAD, ids=[b.case for b in ONLY_BAD])
def test_every_document_rejected_leaves_published_warehouse_unchanged(bad, published, dbt_env, tmp_path):
    """Rejected documents are left out; when no document is left, nothing is published.
    (A bad document beside good ones: tests/publish/test_quarantine.py.)"""
    target, _ = published
    before = sha256(target)
    result = run_build(target, dbt_env, *bad.make(tmp_path))
    assert result.returncode == 1
    assert bad.message in result.stderr
    assert "every document was rejected" in result.stderr
    assert sha256(target) == before
