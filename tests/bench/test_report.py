"""The benchmark report (bench/report.py) rendered from a recorded run of bench/run.py.

recorded_run.json is the --json output of a small real run (`bench/run.py --corpus 10
--repeats 1 --parse-repeats 1 --fact-rows 100000,200000 --incremental 10 --profile
--profile-size 10`), so the renderer is checked on the shape the measuring code writes.
Variants of it move the measured values across issue #5's targets to check PASS and MISS,
the margins and the scale note's arithmetic."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from bench import run
from bench.report import render

RECORDED = Path(__file__).with_name("recorded_run.json")
GIB_KIB = 1024 * 1024  # maxrss is in KiB


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def table(report: str, heading: str) -> list[list[str]]:
    """The rows (cells, header and rule excluded) of the first table after `heading`."""
    lines = report[report.index(heading):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def targets(report: str) -> dict[str, list[str]]:
    return {row[0].split(" ")[0] + " " + row[0].split(" ")[1]: row[1:] for row in table(report, "## Targets")}


def test_the_command_line_renders_a_recorded_run(recorded, tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    # The recorded run measured another commit: written only when asked to.
    assert run.main(["--render", str(RECORDED), "--write", str(out)]) == 2
    assert not out.exists()
    assert run.main(["--render", str(RECORDED), "--write", str(out), "--allow-dirty"]) == 0
    report = out.read_text(encoding="utf-8")
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert [h.split(" ")[1] for h in headings] == ["Targets", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "Scale"]
    assert "- command: `.venv/bin/python bench/run.py --corpus 10 --repeats 1" in report

    # §4: the 10-document corpus, its figures from the generator's manifest.
    (ingest,) = table(report, "## 4.")
    assert ingest[:5] == ["10", "1 × 2016–2025", "0.4", "5,370", "18.49 s"]
    assert ingest[7] == f"{10 / recorded['corpus']['sizes'][0]['cli']['cpu']['median']:,.1f}" == "1.8"
    # §5: the build, split by its own steps, 320 facts in the published warehouse.
    (build,) = table(report, "## 5.")
    assert build[:4] == ["10", "58.73 s", "13.26 s", "35.53 s"] and build[8] == "320"
    assert build[9:] == ["9.29 s", "6.3×"]  # 2.12 s Parquet load + 7.17 s empty dbt project
    # §6: nine documents, then one added; the ingest parsed only the new one.
    base, add = table(report, "## 6.")
    assert (base[0], base[-1], add[0], add[1], add[-1]) == ("9 documents, --full", "9", "add one: all 10",
                                                            "47.32 s", "10")
    assert "ingest (new and changed documents) 2.68 s" in add[2]
    assert "The ingest reported 9 documents as unchanged (not parsed again); 1 parsed, of the 10 the warehouse holds." in report
    # §7: exactly the asked row counts, three queries each.
    queries = table(report, "## 7.")
    assert [(r[0], r[1], r[3], r[4]) for r in queries] == [
        ("100,000", "313", "year_over_year_by_subject", "180"), ("100,000", "313", "department_history", "30"),
        ("100,000", "313", "top_changes", "20"), ("200,000", "625", "year_over_year_by_subject", "180"),
        ("200,000", "625", "department_history", "30"), ("200,000", "625", "top_changes", "20")]
    # §8: the profile names the ingest's own load first.
    assert table(report, "## 8.")[0][0] == "`ingest/core/load.py:20 replace_document`"


def test_targets_of_the_small_run_are_missed_or_not_measured(recorded):
    rows = targets(render(recorded))
    assert rows["Ingest ≥"][:3] == ["1.8 documents per CPU-second (10 documents)", "**MISS**", "112.4× short"]
    # A miss names what bounds it: the load's share and the profile's top own-time function.
    assert "load 96%" in rows["Ingest ≥"][3] and "own time `<built-in method _duckdb.executemany>` 37%" in rows["Ingest ≥"][3]
    assert rows["10,000 documents:"][1:3] == ["**NOT MEASURED**", "largest corpus built: 10 documents (run with --huge)"]
    assert rows["Adding one"][0] == ("47.32 s ÷ 33.68 s (warm build of the two documents) = 1.4× "
                                     "(warehouse of 9 + 1)")
    assert rows["Adding one"][1] == "**NOT MEASURED**"
    assert rows["Year-over-year query"][0].endswith("(200,000 facts)")
    assert rows["Memory under"][1] == "**NOT MEASURED**"


def test_the_ingest_bound_names_ingest_functions_when_the_profile_has_them(recorded):
    variant = copy.deepcopy(recorded)
    profile = variant["profile"]
    profile["ingest_by_cumulative"] = [r for r in profile["by_cumulative"] if r["function"].startswith("ingest/")]
    report = render(variant)
    assert targets(report)["Ingest ≥"][3].endswith(
        "in ingest's code, cumulative `ingest/core/load.py:20 replace_document` 90%, "
        "`ingest/core/load.py:60 _insert` 87%, `ingest/xiamen/parse.py:28 parse_document` 10%")
    assert "| `ingest/xiamen/tables.py:302 read` | 10 | 5 ms | 2.22 s | 9% |" in report


def full_size_variant(recorded: dict) -> dict:
    """The recorded run as if it had measured the full sizes, with chosen values."""
    variant = copy.deepcopy(recorded)
    entry = variant["corpus"]["sizes"][0]
    entry["documents"] = 10_000
    entry["cli"]["cpu"]["median"] = 10_000 / 250  # 250 documents per CPU-second
    floor = entry["floor"]["process"]["wall"]["median"] + entry["build"]["floor_dbt_seconds"]
    entry["build"]["wall"]["median"] = 2.5 * floor
    entry["build"]["maxrss_kib"] = [5 * GIB_KIB]
    variant["incremental"]["size"] = 1000
    variant["incremental"]["add"]["wall"]["median"] = 2.5 * variant["build"]["ours warm"]["wall"]["median"]
    largest = variant["queries"]["sizes"][-1]
    largest["rows"] = 10_000_000
    largest["queries"][0]["median"] = 0.100
    return variant


def test_targets_pass_or_miss_by_how_much_at_the_full_sizes(recorded):
    rows = targets(render(full_size_variant(recorded)))
    assert rows["Ingest ≥"][:3] == ["250.0 documents per CPU-second (10,000 documents)", "**PASS**",
                                    "1.2× better than the target"]
    assert rows["10,000 documents:"][1:3] == ["**PASS**", "1.2× better than the target"]
    assert rows["10,000 documents:"][0].endswith("= 2.5× (10,000 documents)")
    assert rows["Adding one"][1:3] == ["**MISS**", "1.2× short"]
    # The miss is explained by the add's own steps and dbt's slowest nodes.
    assert rows["Adding one"][3].startswith("steps: start (interpreter, imports) 670 ms; ingest (new and changed "
                                            "documents) 2.68 s; dbt build (seeds, models, tests) 36.14 s")
    assert "slowest dbt nodes (§6): model stg_xiamen__overview_items 711 ms" in rows["Adding one"][3]
    assert rows["Year-over-year query"][:3] == ["median 100.0 ms, cold 22.6 ms (10,000,000 facts)", "**PASS**",
                                                "2.0× better than the target"]
    assert rows["Memory under"][:3] == ["5.0 GiB (ingest 93.5 MiB, build 5.0 GiB; 10,000 documents)", "**MISS**",
                                        "1.2× short"]
    assert rows["Memory under"][3] == "the build (or its dbt process) holds the peak"


def test_scale_note_extrapolates_between_the_two_largest_corpora(recorded):
    variant = copy.deepcopy(recorded)
    variant["machine"]["memory_bytes"] = 8 * 1024 ** 3
    small = variant["corpus"]["sizes"][0]
    large = copy.deepcopy(small)
    for entry, documents, build_seconds, peak_gib, file_mb, facts in ((small, 100, 50.0, 1, 100, 40_000),
                                                                      (large, 1000, 410.0, 2, 1000, 400_000)):
        entry["documents"] = documents
        entry["cli"]["cpu"]["median"] = 0.36 * documents
        entry["build"]["wall"]["median"] = build_seconds
        entry["build"]["maxrss_kib"] = [peak_gib * GIB_KIB]
        entry["build"]["warehouse_bytes"] = file_mb * 1_000_000
        entry["build"]["fact_rows"] = facts
    variant["corpus"]["sizes"].append(large)
    largest = variant["queries"]["sizes"][-1]
    largest["rows"], largest["queries"][0]["median"] = 10_000_000, 0.100  # 10 ns per fact
    report = render(variant)
    assert "- full build (ingest + dbt + publish): 400 ms per document on top of 10.00 s fixed" in report
    limits = dict(table(report, "## Scale note"))
    # (8 h - 10 s) / 0.4 s; (8 GiB - 0.89 GiB) / (1 GiB / 900); 8 GiB / 1 MB; 200 ms / (10 ns × 400 facts)
    assert list(limits.values()) == ["72,000", "6,400", "8,590", "50,000"]
    assert "stops being enough at about **6,400 documents**, when the build's peak memory reaches" in report
    assert "100,000 documents need 10 one-core workers to ingest within 1 hour" in report


def test_a_failed_build_is_reported_not_hidden(recorded):
    variant = copy.deepcopy(recorded)
    variant["corpus"]["sizes"][0]["build"] = {"wall": {"median": None, "min": None, "samples": []},
                                              "cpu": {"median": None, "min": None, "samples": []},
                                              "maxrss_kib": [], "steps": [], "dbt": None,
                                              "failure": "ValueError: dbt_project.yml changed"}
    variant["incremental"] = {"size": 10, "failure": "project copy: ValueError: dbt_project.yml changed"}
    report = render(variant)
    assert table(report, "## 5.") == [["10", "FAILED", "–", "–", "–", "–", "–", "–", "–", "–", "–"]]
    assert "Build of 10 documents failed:\n\n```\nValueError: dbt_project.yml changed\n```" in report
    assert "Failed: `project copy: ValueError: dbt_project.yml changed`" in report
    rows = targets(report)
    assert rows["10,000 documents:"][1:4] == ["**NOT MEASURED**", "–", "no generated corpus was built"]
    assert rows["Adding one"][1:4] == ["**NOT MEASURED**", "–", "project copy: ValueError: dbt_project.yml changed"]
    assert rows["Ingest ≥"][1] == "**MISS**"  # the ingest figures remain
    assert "## Scale note" in report and "nightly window" not in report  # nothing built to extrapolate


def test_the_no_change_build_is_shown_against_the_warm_floor(recorded):
    """§3's row for `make build` with nothing changed (the up-to-date check), when the run has it."""
    assert "no-change" not in render(recorded)  # recorded before it was measured
    variant = copy.deepcopy(recorded)
    unchanged = copy.deepcopy(variant["build"]["floor warm"])
    unchanged.update({"wall": {"median": 0.3376, "min": 0.31, "samples": [0.3376]}, "partial_parse": None})
    variant["build"]["ours unchanged"] = unchanged
    rows = {row[0]: row[1:] for row in table(render(variant), "## 3.")}
    row = rows["no-change `make build` (up to date: no ingest, no dbt) ÷ the warm floor"]
    assert row[:2] == ["338 ms", "310 ms"]
    assert row[-1] == f"{0.3376 / variant['build']['floor warm']['wall']['median']:.2f}×"
