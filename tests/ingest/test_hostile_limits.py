"""Hostile input limits: a parse over its time budget rejects its document; a parsing process
that dies rejects its document, not the run."""

from __future__ import annotations

import os
import signal
import time

import duckdb

from ingest import cli
from ingest.cli import ParseTimeout, _parse_guarded, main
from ingest.core.document import fingerprint
from ingest.pool import ordered_map
from tests.bad_documents import OFFICE_2025
from tests.conftest import DOC_2020


def test_a_parse_over_its_time_budget_rejects_the_document():
    rejected = _parse_guarded((fingerprint(OFFICE_2025), 0.01))
    assert rejected.kind == "parse_timeout"
    assert rejected.message.startswith("2025-dept-district-office.pdf: expected a parse within 0.01 s")


def test_a_timeout_swallowed_by_a_finaliser_still_stops_the_parse(monkeypatch):
    """Raised inside a finaliser (a __del__, a gc callback: the CI log of 2026-12-01 shows one in
    hypothesis's), the timeout is reported as unraisable and the parse goes on; the alarm repeats
    until the parse stops, and none is left armed afterwards."""
    swallowed = []

    def parse_that_swallows_the_first_timeout(source):
        try:
            time.sleep(1)
        except ParseTimeout:
            swallowed.append(True)  # what Python does with an exception raised in a finaliser
        for _ in range(200):  # 2 s of parse going on; without a repeat nothing stops it
            time.sleep(0.01)
        return "parsed past its budget"

    monkeypatch.setattr(cli, "_parse_one", parse_that_swallows_the_first_timeout)
    started = time.monotonic()
    rejected = _parse_guarded((fingerprint(OFFICE_2025), 0.01))
    assert swallowed == [True]
    assert rejected.kind == "parse_timeout"
    assert time.monotonic() - started < 1.0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_time_budget_is_a_command_line_option(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    assert main([str(OFFICE_2025), str(DOC_2020), "--db", str(db), "--quiet", "--parse-seconds", "0.01"]) == 3
    connection = duckdb.connect(str(db), read_only=True)
    try:
        kinds = connection.execute("select rejection_kind from raw.rejected_documents").fetchall()
    finally:
        connection.close()
    assert ("parse_timeout",) in kinds


def _square_or_die(item: int) -> int:
    if item == 3:
        os._exit(1)  # a crash in native code looks like this to the pool
    return item * item


def test_a_worker_that_dies_rejects_its_item_not_the_run():
    results = list(ordered_map(_square_or_die, range(8), jobs=2, ahead=4,
                               on_crash=lambda item, error: f"crashed {item}"))
    assert results == [0, 1, 4, "crashed 3", 16, 25, 36, 49]
