"""BENCHMARKS.md from the result dict of bench/run.py: issue #5's targets first, then each
measurement, a profile where a target is missed, and a scale note computed from the run.

Only formatting and arithmetic on measured values live here, so the report of a recorded run
(`bench/run.py --render run.json`) is the report that run wrote."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bench.pdf import pdf_section

# Issue #5's targets.
INGEST_DOCUMENTS_PER_CORE_SECOND = 200.0
FULL_BUILD_TIMES_FLOOR = 3.0
FULL_BUILD_DOCUMENTS = 10_000
ADD_ONE_TIMES_TWO_DOCUMENT_BUILD = 2.0
YEAR_OVER_YEAR_SECONDS = 0.200
YEAR_OVER_YEAR_FACTS = 10_000_000
MEMORY_BYTES = 4 * 1024 ** 3

# Scale note: a full rebuild (every document parsed again, as after a parser change) has to
# fit a nightly window; these are the assumptions the estimate is computed against.
NIGHTLY_WINDOW_SECONDS = 8 * 3600
DISTRIBUTED_EXAMPLES = (100_000, 1_000_000)
DISTRIBUTED_DEADLINE_SECONDS = 3600


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    verdict: str  # PASS, MISS or NOT MEASURED
    margin: str
    bound: str


# -- formatting ----------------------------------------------------------------------------------------

def fmt_s(seconds: float | None) -> str:
    if seconds is None or seconds != seconds:  # None or nan
        return "–"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else fmt_s(seconds)


def fmt_mib(kib_values: list[int] | None) -> str:
    return f"{max(kib_values) / 1024:,.0f} MiB" if kib_values else "–"


def fmt_bytes(value: float) -> str:
    for unit, size in (("GiB", 1024 ** 3), ("MiB", 1024 ** 2), ("KiB", 1024)):
        if value >= size:
            return f"{value / size:,.1f} {unit}"
    return f"{value:,.0f} B"


def fmt_count(value: float) -> str:
    if value == math.inf:
        return "unbounded"
    for unit, size in ((" million", 1e6), (",000", 1e3)):
        if value >= 10 * size:
            return f"{value / size:,.0f}{unit}" if unit != ",000" else f"{round(value, -3):,.0f}"
    return f"{value:,.0f}"


def ratio(a: float | None, b: float | None) -> str:
    if not b or a is None or a != a or b != b:
        return "–"
    return f"{a / b:.2f}×" if a / b < 0.1 else f"{a / b:.1f}×"  # 0.05×, not 0.0×


def _ok(timing: dict | None) -> bool:
    return bool(timing) and not timing.get("failure") and bool(timing.get("wall", {}).get("samples"))


def _median(timing: dict) -> float:
    return timing["wall"]["median"]


def _step_seconds(build: dict, prefix: str) -> float:
    """Seconds of the build's printed steps named `prefix…`; nan when it printed none."""
    steps = [s["seconds"] for s in build.get("steps", []) if s["step"].startswith(prefix)]
    return sum(steps) if steps else float("nan")


def _dbt_seconds(build: dict) -> float:
    """dbt's part of a build: its printed step when the build prints one, else dbt's elapsed."""
    step = _step_seconds(build, "dbt")
    if step == step:
        return step
    return (build.get("dbt") or {}).get("elapsed") or float("nan")


def _node(name: str) -> str:
    parts = name.split(".")
    return f"{parts[0]} {'.'.join(parts[2:])}" if len(parts) > 2 else name


def _slowest_nodes(dbt: dict | None, count: int) -> str:
    if not dbt or not dbt.get("slowest"):
        return "no run_results.json"
    return ", ".join(f"{_node(n['node'])} {fmt_s(n['seconds'])}" for n in dbt["slowest"][:count])


# -- what the run measured, picked for the targets ------------------------------------------------------

def corpus_entries(results: dict) -> list[dict]:
    return sorted((results.get("corpus") or {}).get("sizes", []), key=lambda e: e["documents"])


def built_entries(results: dict) -> list[dict]:
    return [e for e in corpus_entries(results) if e.get("build") and _ok(e["build"])]


def ingested_entries(results: dict) -> list[dict]:
    return [e for e in corpus_entries(results) if _ok(e["cli"])]


def documents_per_core_second(entry: dict) -> float:
    return entry["documents"] / entry["cli"]["cpu"]["median"]


def build_floor(entry: dict) -> float:
    """DuckDB's Parquet load of the same rows plus `dbt build` of an empty project."""
    floor = entry.get("floor")
    parquet = _median(floor["process"]) if floor and _ok(floor["process"]) else float("nan")
    return parquet + entry["build"].get("floor_dbt_seconds", float("nan"))


def two_document_build(results: dict, mode: str) -> float:
    timing = (results.get("build") or {}).get(f"ours {mode}")
    return _median(timing) if _ok(timing) else float("nan")


def _peak_kib(*timings: dict | None) -> int:
    return max((max(t["maxrss_kib"]) for t in timings if t and t.get("maxrss_kib")), default=0)


# -- the targets ------------------------------------------------------------------------------------------

def targets(results: dict) -> list[Target]:
    return [_ingest_target(results), _full_build_target(results), _add_one_target(results),
            _query_target(results), _memory_target(results)]


def _margin(value: float, limit: float, higher_is_better: bool) -> tuple[str, str]:
    if value != value:
        return "NOT MEASURED", "–"
    good = value >= limit if higher_is_better else value <= limit
    factor = value / limit if higher_is_better else limit / value
    if good:
        return "PASS", f"{factor:.1f}× better than the target" if factor >= 1.05 else "at the target"
    return "MISS", f"{1 / factor:.1f}× short"


def _ingest_target(results: dict) -> Target:
    name = f"Ingest ≥ {INGEST_DOCUMENTS_PER_CORE_SECOND:.0f} documents/s per core (Xiamen template)"
    entries = ingested_entries(results)
    if not entries:
        return Target(name, "–", "NOT MEASURED", "–", "no generated corpus was ingested")
    entry = entries[-1]
    value = documents_per_core_second(entry)
    verdict, margin = _margin(value, INGEST_DOCUMENTS_PER_CORE_SECOND, True)
    bound = ""
    if verdict == "MISS":
        bound = _ingest_bound(results)
    return Target(name, f"{value:,.1f} documents per CPU-second ({entry['documents']:,} documents)",
                  verdict, margin, bound)


def _ingest_bound(results: dict) -> str:
    parts = []
    split = next((e["breakdown"] for e in corpus_entries(results) if e.get("breakdown")), None)
    if split:
        parse, load = split["parse"]["median"], split["load"]["median"]
        parts.append(f"in process, parse is {parse / (parse + load):.0%} and load {load / (parse + load):.0%} "
                     f"of parse + load ({fmt_s(parse / split['documents'])} + {fmt_s(load / split['documents'])} "
                     "per document)")
    profile = results.get("profile")
    if profile:
        total = profile["profiled_seconds"]
        own = ", ".join(f"`{r['function']}` {r['own'] / total:.0%}" for r in profile["by_own"][:3])
        ingest = ", ".join(f"`{r['function']}` {r['cumulative'] / total:.0%}"
                           for r in profile.get("ingest_by_cumulative", [])[:3])
        parts.append(f"profile (§8): own time {own}" + (f"; in ingest's code, cumulative {ingest}" if ingest else ""))
    else:
        parts.append("no profile in this run (--profile)")
    return "; ".join(parts)


def _full_build_target(results: dict) -> Target:
    name = (f"{FULL_BUILD_DOCUMENTS:,} documents: ingest + build ≤ {FULL_BUILD_TIMES_FLOOR:.0f}× "
            "(DuckDB Parquet load of the same rows + empty-project dbt build)")
    entries = built_entries(results)
    if not entries:
        return Target(name, "–", "NOT MEASURED", "–", "no generated corpus was built")
    entry = next((e for e in entries if e["documents"] == FULL_BUILD_DOCUMENTS), None)
    shown = entry or entries[-1]
    build = shown["build"]
    times = _median(build) / build_floor(shown)
    measured = (f"{fmt_s(_median(build))} ÷ {fmt_s(build_floor(shown))} = {times:.1f}× "
                f"({shown['documents']:,} documents)")
    if entry is None:
        return Target(name, measured, "NOT MEASURED",
                      f"largest corpus built: {shown['documents']:,} documents (run with --huge)", "")
    verdict, margin = _margin(times, FULL_BUILD_TIMES_FLOOR, False)
    bound = ""
    if verdict == "MISS":
        ingest, dbt = _step_seconds(build, "ingest"), _dbt_seconds(build)
        bound = (f"steps: ingest {fmt_s(ingest)} ({ingest / _median(build):.0%}), dbt build {fmt_s(dbt)} "
                 f"({dbt / _median(build):.0%}); slowest dbt nodes (§5): {_slowest_nodes(build.get('dbt'), 3)}")
    return Target(name, measured, verdict, margin, bound)


def _add_one_target(results: dict) -> Target:
    name = (f"Adding one document to a built 1,000-document warehouse ≤ {ADD_ONE_TIMES_TWO_DOCUMENT_BUILD:.0f}× "
            "the build of the two real documents")
    incremental = results.get("incremental")
    two = two_document_build(results, "warm")
    if not incremental or not incremental.get("add") or not _ok(incremental["add"]):
        why = (incremental or {}).get("failure") or ("a build failed" if incremental else "not run (--incremental)")
        return Target(name, "–", "NOT MEASURED", "–", why)
    add = incremental["add"]
    times = _median(add) / two
    measured = (f"{fmt_s(_median(add))} ÷ {fmt_s(two)} (warm build of the two documents) = {times:.1f}× "
                f"(warehouse of {incremental['size'] - 1:,} + 1)")
    if incremental["size"] != 1000:
        return Target(name, measured, "NOT MEASURED", f"measured on {incremental['size'] - 1:,} + 1, not 999 + 1", "")
    verdict, margin = _margin(times, ADD_ONE_TIMES_TWO_DOCUMENT_BUILD, False)
    bound = ""
    if verdict == "MISS":
        steps = "; ".join(f"{s['step']} {fmt_s(s['seconds'])}" for s in add.get("steps", []))
        bound = f"steps: {steps}; slowest dbt nodes (§6): {_slowest_nodes(add.get('dbt'), 3)}"
    return Target(name, measured, verdict, margin, bound)


def _query_target(results: dict) -> Target:
    name = f"Year-over-year query at 10^7 facts ≤ {YEAR_OVER_YEAR_SECONDS * 1000:.0f} ms"
    sizes = (results.get("queries") or {}).get("sizes", [])
    if not sizes:
        return Target(name, "–", "NOT MEASURED", "–", "no scaled fact table (--fact-rows, needs a corpus build)")
    size = next((s for s in sizes if s["rows"] == YEAR_OVER_YEAR_FACTS), None)
    shown = size or max(sizes, key=lambda s: s["rows"])
    yoy = next(q for q in shown["queries"] if q["name"] == "year_over_year_by_subject")
    measured = f"median {fmt_ms(yoy['median'])}, cold {fmt_ms(yoy['cold'])} ({shown['rows']:,} facts)"
    if size is None:
        return Target(name, measured, "NOT MEASURED", f"largest size measured: {shown['rows']:,} facts", "")
    verdict, margin = _margin(yoy["median"], YEAR_OVER_YEAR_SECONDS, False)
    bound = ""
    if verdict == "MISS" and shown.get("profile"):
        bound = "DuckDB profile (§7): " + ", ".join(f"{o['operator']} {o['share']:.0%}" for o in shown["profile"][:3])
    return Target(name, measured, verdict, margin, bound)


def _memory_target(results: dict) -> Target:
    name = f"Memory under {fmt_bytes(MEMORY_BYTES)} at {FULL_BUILD_DOCUMENTS:,} documents (peak RSS, ingest and build)"
    entries = ingested_entries(results)
    if not entries:
        return Target(name, "–", "NOT MEASURED", "–", "no generated corpus was ingested")
    entry = next((e for e in entries if e["documents"] == FULL_BUILD_DOCUMENTS), None)
    shown = entry or entries[-1]
    ingest_kib, build_kib = _peak_kib(shown["cli"]), _peak_kib(shown.get("build"))
    peak = max(ingest_kib, build_kib) * 1024
    measured = (f"{fmt_bytes(peak)} (ingest {fmt_bytes(ingest_kib * 1024)}, build "
                f"{fmt_bytes(build_kib * 1024) if build_kib else '–'}; {shown['documents']:,} documents)")
    if entry is None:
        return Target(name, measured, "NOT MEASURED", f"largest corpus: {shown['documents']:,} documents", "")
    verdict, margin = _margin(peak, MEMORY_BYTES, False)
    bound = ""
    if verdict == "MISS":
        bound = f"the {'build (or its dbt process)' if build_kib >= ingest_kib else 'ingest'} holds the peak"
    return Target(name, measured, verdict, margin, bound)


# -- the report -------------------------------------------------------------------------------------------

def render(results: dict) -> str:
    m = results["machine"]
    out = ["# Benchmarks", "",
           "Written by `bench/run.py` (its docstring says what each number is; `bench/queries.py` and "
           "`bench/reference.py` say how the scaled facts and the build's project copy are made). Re-run with the "
           "command below; numbers from another machine, or taken while other work ran, are not comparable.", "",
           f"- command: `{results['command']}`",
           f"- date: {results['date']}",
           f"- commit: {m['commit']}",
           f"- machine: {m['cores']} cores ({m['cpu']}), {m['memory']} memory, {m['platform']}",
           f"- versions: Python {m['python']}, DuckDB {m['duckdb']}, dbt-core {m['dbt-core']}, "
           f"dbt-duckdb {m['dbt-duckdb']}",
           f"- repeats: {results['repeats']} runs of each command on the real documents ({max(1, results['repeats'] - 1)} "
           "of a warm build), corpora up to 10 documents likewise, larger corpora and every corpus build once; "
           f"in-process parse timings: {results['parse_repeats']} after one discarded warm-up; median and min", ""]
    out += _targets_section(results)
    out += _parse_section(results)
    out += _ingest_cli_section(results)
    out += _build_section(results)
    out += _corpus_section(results)
    out += _corpus_build_section(results)
    out += _incremental_section(results)
    out += _query_section(results)
    out += _profile_section(results)
    out += _load_paths_section(results)
    out += pdf_section(results)
    out += scale_note(results)
    if "seconds" in results:
        before, after = results["load_average"]
        out += [f"The whole run took {results['seconds']:.0f} s. One-minute load average {before:.2f} before it and "
                f"{after:.2f} after it (other work on the machine distorts the numbers).", ""]
    return "\n".join(out)


def _targets_section(results: dict) -> list[str]:
    out = ["## Targets (issue #5)", "",
           "| target | measured | result | by how much | what bounds it (from the profiles below) |",
           "| --- | --- | --- | --- | --- |"]
    for target in targets(results):
        out.append(f"| {target.name} | {target.measured} | **{target.verdict}** | {target.margin} | "
                   f"{target.bound or '–'} |")
    parse = results["parse"]
    both, cold = parse["rows"][-1], parse["cold"]
    out += ["", "The ingest issue's own budget, a parse of both real documents under "
            f"{fmt_s(parse['budget_seconds'])}: in process {fmt_s(both['time']['median'])}, as a fresh process "
            f"{fmt_s(cold['wall']['median'])}: **{'PASS' if parse['passes'] else 'FAIL'}**.", ""]
    return out


def _parse_section(results: dict) -> list[str]:
    parse = results["parse"]
    cold = parse["cold"]
    out = ["## 1. Parse (read_document + parse_document)", "",
           "| document | lines | figures | amount tokens | median | min | figures/s (median) | share of the 1 s budget |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in parse["rows"]:
        t = row["time"]
        out.append(f"| {row['label']} | {row['lines']:,} | {row['figures']:,} | {row['amount_tokens']:,} | "
                   f"{fmt_s(t['median'])} | {fmt_s(t['min'])} | {row['figures'] / t['median']:,.0f} | "
                   f"{t['median'] / parse['budget_seconds']:.1%} |")
    out += ["", f"Fresh process parsing both (`python -c` importing ingest, then parsing): median "
            f"{fmt_s(cold['wall']['median'])}, min {fmt_s(cold['wall']['min'])}, peak RSS "
            f"{fmt_mib(cold['maxrss_kib'])}. *figures* are the figures the fidelity report counts as captured; "
            "*amount tokens* the amounts printed in the text.", ""]
    return out


def _ingest_cli_section(results: dict) -> list[str]:
    cli = results["ingest_cli"]
    ours, floor = cli["ours"], cli["floor"]
    out = ["## 2. Ingest command line: both real documents into a fresh DuckDB file", "",
           "| what | median | min | CPU (median) | peak RSS | ours ÷ floor (median) |",
           "| --- | ---: | ---: | ---: | ---: | ---: |",
           _child_row("`python -m ingest <both> --db new.duckdb --quiet`", ours, floor["wall"]["median"]),
           _child_row("floor: `python -c 'import duckdb; duckdb.connect(new)'`", floor, floor["wall"]["median"]), ""]
    if ours["failure"]:
        out += [f"Ingest failed: `{ours['failure']}`", ""]
    return out + _breakdown_lines(cli["breakdown"], "the two real documents")


def _build_section(results: dict) -> list[str]:
    build = results.get("build")
    out = ["## 3. Build of the two real documents: `python -m budgetwh build` (ingest + dbt build + publish) "
           "vs an empty dbt project", ""]
    if build is None:
        return out + ["Not measured (--skip-build).", ""]
    out += ["| what | median | min | CPU (median) | peak RSS | ours ÷ floor (median) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for mode in ("cold", "warm"):
        floor, ours = build.get(f"floor {mode}"), build.get(f"ours {mode}")
        floor_median = _median(floor) if _ok(floor) else float("nan")
        if ours:
            out.append(_child_row(f"build, {mode}", ours, floor_median))
        if floor:
            out.append(_child_row(f"floor: `dbt build` of an empty project, {mode}", floor, floor_median))
    if build.get("ours unchanged"):  # runs before the up-to-date check was measured lack it
        warm = build.get("floor warm")
        out.append(_child_row("no-change `make build` (up to date: no ingest, no dbt) ÷ the warm floor",
                              build["ours unchanged"], _median(warm) if _ok(warm) else float("nan")))
    out += ["", "*cold*: a fresh dbt target folder each run (full parse of the project); *warm*: the target folder of "
            "an earlier run kept, so dbt may reuse its parse (partial parsing). dbt's target and log folders are "
            "temporary ones (DBT_TARGET_PATH, DBT_LOG_PATH), never the checkout's. Peak RSS is that of the build "
            "process or of its dbt child, whichever is larger.", ""]
    for label in ("ours warm", "floor warm"):
        note = (build.get(label) or {}).get("partial_parse")
        out += [f"dbt's log on the last {label} run: \"{note or 'no message about partial parsing'}\"", ""]
    for label, value in build.items():
        if value.get("failure"):
            out += [f"{label} failed:", "", "```", value["failure"], "```", ""]
    return out


def _corpus_section(results: dict) -> list[str]:
    corpus = results.get("corpus")
    out = ["## 4. Ingest throughput on generated corpora", ""]
    if not corpus:
        return out + ["Not measured.", ""]
    cores = results["machine"]["cores"] or 1
    out += [f"Documents from `bench/generate.py` (seed {corpus['seed']}; 2024 appendix layout, years and departments "
            "varied, every identity kept; generation verified each document parses with full fidelity). "
            "`python -m ingest` parses on every core and loads in one process; its CPU time includes its parsing "
            f"processes, so *per core* is per CPU-second (the machine has {cores} cores).", "",
            "| documents | departments × years | MB | figures | ingest | documents/s | figures/s | "
            "documents per CPU-s | figures per CPU-s | peak RSS | DuckDB Parquet load (floor) | ours ÷ floor |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for entry in corpus_entries(results):
        c = entry["cli"]
        if not _ok(c):
            out.append(f"| {entry['documents']:,} | – | – | – | FAILED | – | – | – | – | – | – | – |")
            continue
        wall, cpu = c["wall"]["median"], c["cpu"]["median"]
        floor = entry.get("floor")
        floor_median = _median(floor["process"]) if floor and _ok(floor["process"]) else float("nan")
        out.append(
            f"| {entry['documents']:,} | {entry['departments']} × {entry['years'][0]}–{entry['years'][1]} | "
            f"{entry['bytes'] / 1e6:.1f} | {entry['figures']:,} | {fmt_s(wall)} | {entry['documents'] / wall:,.1f} | "
            f"{entry['figures'] / wall:,.0f} | {entry['documents'] / cpu:,.1f} | {entry['figures'] / cpu:,.0f} | "
            f"{fmt_mib(c['maxrss_kib'])} | {fmt_s(floor_median)} ({floor['rows']:,} rows) | "
            f"{ratio(wall, floor_median)} |")
    out += ["", "The floor is a fresh Python process creating the same raw tables in a new DuckDB file from Parquet "
            "copies of the rows our ingest wrote (interpreter start and DuckDB import included). Corpora above 10 "
            "documents are ingested once (median = that run).", ""]
    for entry in corpus_entries(results):
        if entry["cli"]["failure"]:
            out += [f"Ingest of {entry['documents']:,} documents failed:", "", "```", entry["cli"]["failure"], "```", ""]
        if entry.get("regenerated"):
            out += [f"Documents that failed to parse when first generated, regenerated with the next attempt's seed "
                    f"({entry['regenerated']} of {entry['documents']:,}); what the ingest said:", ""]
            out += [f"- `{f}`" for f in entry["generation_failures"][:10]] + [""]
    for entry in corpus_entries(results):
        if entry.get("breakdown"):
            out += _breakdown_lines(entry["breakdown"], f"the {entry['documents']:,} generated documents")
    out += ["Generation time, with every document parsed once to verify it (not part of the ingest figures): "
            + ", ".join(f"{e['documents']:,} documents " + ("reused from bench/out/" if e.get("reused")
                                                            else fmt_s(e["generation_seconds"]))
                        for e in corpus_entries(results)) + ".", ""]
    return out


def _corpus_build_section(results: dict) -> list[str]:
    entries = [e for e in corpus_entries(results) if e.get("build")]
    out = ["## 5. Full build of each corpus: `python -m budgetwh build --full`", ""]
    if not entries:
        return out + ["Not measured (no corpus, or --skip-build).", ""]
    out += ["Each build runs once, cold (a fresh dbt target folder), from a copy of the project whose organisation "
            "and classification seeds also cover the generated departments, units and years (`bench/reference.py`), "
            "of the generated documents plus the two real ones, so every dbt test runs at its own severity and "
            "passes before the build publishes. *ingest* "
            "and *dbt build* are the build's own steps, timed from its `== step` lines; *dbt elapsed* is dbt's own "
            "figure (run_results.json). The floor is the Parquet load of §4 plus the cold empty-project dbt build "
            "of §3.", "",
            "| documents | build | ingest step | dbt build step | dbt elapsed | other steps | peak RSS | warehouse file "
            "| facts | floor | ours ÷ floor |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for entry in entries:
        build = entry["build"]
        if not _ok(build):
            out.append(f"| {entry['documents']:,} | FAILED | – | – | – | – | – | – | – | – | – |")
            continue
        total, ingest, dbt = _median(build), _step_seconds(build, "ingest"), _step_seconds(build, "dbt")
        floor = build_floor(entry)
        out.append(f"| {entry['documents']:,} | {fmt_s(total)} | {fmt_s(ingest)} | {fmt_s(dbt)} | "
                   f"{fmt_s((build.get('dbt') or {}).get('elapsed'))} | {fmt_s(total - ingest - dbt)} | "
                   f"{fmt_mib(build['maxrss_kib'])} | {fmt_bytes(build['warehouse_bytes'])} | {build['fact_rows']:,} | "
                   f"{fmt_s(floor)} | {ratio(total, floor)} |")
    out.append("")
    for entry in entries:
        build = entry["build"]
        if build.get("failure"):
            out += [f"Build of {entry['documents']:,} documents failed:", "", "```", build["failure"], "```", ""]
        added = build.get("reference_rows")
        if added and entry is entries[-1]:
            out += [f"Seed rows the project copy added for the {entry['documents']:,}-document corpus: "
                    f"{added['departments']:,} departments, {added['units']:,} unit-years, {added['years']} "
                    f"classification years, {added['crosswalk']:,} crosswalk rows, {added.get('names', 0):,} subject "
                    "names of the conformed classification.", ""]
    largest = next((e for e in reversed(entries) if _ok(e["build"])), None)
    if largest:
        out += _dbt_lines(largest["build"].get("dbt"), f"the build of {largest['documents']:,} documents")
    return out


def _dbt_lines(dbt: dict | None, what: str) -> list[str]:
    if not dbt:
        return [f"No run_results.json for {what}.", ""]
    kinds = ", ".join(f"{kind}s {fmt_s(seconds)}" for kind, seconds in
                      sorted(dbt["by_kind"].items(), key=lambda kv: kv[1], reverse=True))
    out = [f"dbt's slowest nodes in {what} (run_results.json; {dbt['nodes']} nodes, elapsed "
           f"{fmt_s(dbt['elapsed'])}, node times summed {fmt_s(dbt['node_seconds'])} on 2 dbt threads; by kind: "
           f"{kinds}):", "", "| node | status | execution time | share of node time |", "| --- | --- | ---: | ---: |"]
    for node in dbt["slowest"]:
        out.append(f"| {_node(node['node'])} | {node['status']} | {fmt_s(node['seconds'])} | "
                   f"{node['seconds'] / dbt['node_seconds']:.0%} |")
    out.append("")
    if dbt["not_passed"]:
        names = ", ".join(f"{_node(n['node'])} ({n['status']}"
                          + (f", {n['failures']} rows" if n.get("failures") else "") + ")"
                          for n in dbt["not_passed"][:12])
        more = f" and {len(dbt['not_passed']) - 12} more" if len(dbt["not_passed"]) > 12 else ""
        out += [f"Nodes that did not pass (warnings: the source's documented roundings, "
                f"`assert_reconciliation_rounding_is_visible`, warn by design): {names}{more}.", ""]
    return out


def _incremental_section(results: dict) -> list[str]:
    incremental = results.get("incremental")
    out = ["## 6. Adding one document to a built warehouse", ""]
    if not incremental:
        return out + ["Not measured (--incremental 0 or --skip-build).", ""]
    if incremental.get("failure"):
        return out + [f"Failed: `{incremental['failure']}`", ""]
    size = incremental["size"]
    base, add = incremental["base"], incremental.get("add")
    out += [f"`python -m budgetwh build --full --target T` of the first {size - 1:,} documents of the {size:,}-document "
            f"corpus, then `python -m budgetwh build --target T` of all {size:,} (new: `{incremental['new_document']}`), "
            "both from the same project copy and dbt target folder, as a scheduled build would run.", "",
            "| build | time | steps | peak RSS | documents in the warehouse |", "| --- | ---: | --- | ---: | ---: |"]
    for label, build in ((f"{size - 1:,} documents, --full", base), (f"add one: all {size:,}", add)):
        if not build:
            continue
        if not _ok(build):
            out.append(f"| {label} | FAILED | – | – | – |")
            continue
        steps = "; ".join(f"{s['step']} {fmt_s(s['seconds'])}" for s in build["steps"])
        out.append(f"| {label} | {fmt_s(_median(build))} | {steps} | {fmt_mib(build['maxrss_kib'])} | "
                   f"{build['warehouse_documents']:,} |")
    out.append("")
    if add and _ok(add):
        cold, warm = two_document_build(results, "cold"), two_document_build(results, "warm")
        out += [f"Next to the build of the two real documents (§3): {ratio(_median(add), warm)} the warm build "
                f"({fmt_s(warm)}), {ratio(_median(add), cold)} the cold one ({fmt_s(cold)}).", ""]
        if add.get("unchanged_reported"):
            out += [f"The ingest reported {add['unchanged_reported']:,} documents as unchanged (not parsed again); "
                    f"{add['warehouse_documents'] - add['unchanged_reported']:,} parsed, of the "
                    f"{add['warehouse_documents']:,} the warehouse holds.", ""]
        out += _dbt_lines(add.get("dbt"), "the build that added one document")
    for label, build in (("base", base), ("add", add)):
        if build and build.get("failure"):
            out += [f"The {label} build failed:", "", "```", build["failure"], "```", ""]
    return out


def _query_section(results: dict) -> list[str]:
    queries = results.get("queries")
    out = ["## 7. Analyst queries on scaled fact tables (10^6 and 10^7 facts in the full run)", ""]
    if not queries:
        return out + ["Not measured (--fact-rows '', or no corpus build to scale).", ""]
    first = queries["sizes"][0]
    out += [f"The facts are `marts.fct_expenditure` of the warehouse built in §5 ({queries['source']}), copied into "
            "a scratch DuckDB file until it holds exactly the row count shown: each copy after the first gets "
            "synthetic department, document and fact keys (`<key>~<copy>`), every other column (subject, year, fund "
            "source, amounts, source lines) is the build's own. The queries are "
            + "; ".join(f"**{q['name']}**: {q['description']}" for q in first["queries"])
            + f". Each query runs in a fresh read-only connection ({first['queries'][0]['threads']} DuckDB threads): "
            f"*cold* is its first run (DuckDB's buffers empty; the OS page cache is not dropped), then one discarded "
            f"warm-up and {queries['runs']} timed runs.", "",
            "| facts | copies | file | query | result rows | cold | median | min |",
            "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"]
    for size in queries["sizes"]:
        for query in size["queries"]:
            out.append(f"| {size['rows']:,} | {size['copies']} | {fmt_bytes(size['bytes'])} | {query['name']} | "
                       f"{query['result_rows']:,} | {fmt_ms(query['cold'])} | {fmt_ms(query['median'])} | "
                       f"{fmt_ms(query['min'])} |")
    out.append("")
    largest = queries["sizes"][-1]
    if largest.get("profile"):
        out += [f"DuckDB's profile of one warm year-over-year run at {largest['rows']:,} facts (operator time, "
                "largest first): " + ", ".join(f"{o['operator']} {fmt_ms(o['seconds'])} ({o['share']:.0%}, "
                                               f"{o['rows']:,} rows)" for o in largest["profile"]) + ".", ""]
    return out


def _profile_section(results: dict) -> list[str]:
    profile = results.get("profile")
    out = ["## 8. Profile: in-process parse + load", ""]
    if not profile:
        return out + ["Not run (--profile).", ""]
    total = profile["profiled_seconds"]
    out += [f"cProfile of parsing and loading {profile['documents']:,} generated documents one after another in one "
            f"process (read_document, parse_document, then column_slice + load_frames in batches into a fresh file): {fmt_s(profile['wall'])} "
            f"under the profiler, {fmt_s(total)} of profiled time. Top functions by cumulative time:", "",
            "| function | calls | own | cumulative | share of total |", "| --- | ---: | ---: | ---: | ---: |"]
    for row in profile["by_cumulative"]:
        out.append(f"| `{row['function']}` | {row['calls']:,} | {fmt_s(row['own'])} | {fmt_s(row['cumulative'])} | "
                   f"{row['cumulative'] / total:.0%} |")
    if profile.get("ingest_by_cumulative"):
        out += ["", "The same, ingest's own functions only (where in the project the time is spent):", "",
                "| function | calls | own | cumulative | share of total |", "| --- | ---: | ---: | ---: | ---: |"]
        for row in profile["ingest_by_cumulative"][:10]:
            out.append(f"| `{row['function']}` | {row['calls']:,} | {fmt_s(row['own'])} | "
                       f"{fmt_s(row['cumulative'])} | {row['cumulative'] / total:.0%} |")
    out += ["", "By own time (the function itself, without what it calls):", "",
            "| function | calls | own | share of total |", "| --- | ---: | ---: | ---: |"]
    for row in profile["by_own"][:10]:
        out.append(f"| `{row['function']}` | {row['calls']:,} | {fmt_s(row['own'])} | {row['own'] / total:.0%} |")
    return out + [""]


def _load_paths_section(results: dict) -> list[str]:
    load_paths = results.get("load_paths")
    if load_paths is None:  # a run from before the comparison existed
        return []
    out = ["## 9. Load paths: typed polars frames through Arrow vs the CSV path (issue #16)", ""]
    if not load_paths["sizes"]:
        return out + ["Not measured.", ""]
    out += [f"The same generated documents (seed {load_paths['seed']}) loaded in the same run by each path of "
            "`bench.csv_load.LOADERS`, each in a fresh process (`bench/load_paths.py`), as the ingest loads: "
            "batches of BATCH_DOCUMENTS, one transaction. *arrow* is what the ingest uses (column_slice per document, "
            "load_frames per batch: one insert per raw table scanning the batch's frame); *csv* is the path it "
            "replaced (encode_slice, then load_slices writing a CSV file per raw table and reading it back with "
            "read_csv). *load* is prepare + load + commit; the parse runs in the same process, one document at a "
            "time, timed apart and not counted; peak RSS is the process's own (VmHWM), parse included. Both paths "
            "load through the ingest's connection, whose DuckDB memory limit (INGEST_MEMORY_LIMIT) makes DuckDB write "
            "the open transaction's full row groups to the file instead of holding every row until the commit.", "",
            "| documents | path | load per document | of which prepare | of which insert (incl. schema, commit) | "
            "load total | peak RSS | arrow ÷ csv (load) |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for entry in load_paths["sizes"]:
        paths, n = entry["paths"], entry["documents"]
        csv = paths.get("csv") or {}
        csv_load = csv["prepare"] + csv["load"] if csv and not csv.get("failure") else float("nan")
        for name, measured in paths.items():
            if measured.get("failure"):
                out.append(f"| {n:,} | {name} | FAILED | – | – | – | – | – |")
                continue
            load = measured["prepare"] + measured["load"]
            out.append(f"| {n:,} | {name} | {fmt_ms(load / n)} | {fmt_ms(measured['prepare'] / n)} | "
                       f"{fmt_ms(measured['load'] / n)} | {fmt_s(load)} | {fmt_mib([measured['maxrss_kib']])} | "
                       f"{ratio(load, csv_load) if name != 'csv' else '1.0×'} |")
    out.append("")
    for name in dict.fromkeys(name for entry in load_paths["sizes"] for name in entry["paths"]):
        peaks = [(entry["documents"], entry["paths"][name]["maxrss_kib"]) for entry in load_paths["sizes"]
                 if name in entry["paths"] and not entry["paths"][name].get("failure")]
        if len(peaks) >= 2:
            (small, low), (large, high) = peaks[0], peaks[-1]
            out.append(f"- {name}: peak RSS {fmt_mib([low])} at {small:,} documents, {fmt_mib([high])} at "
                       f"{large:,} ({high / low:.1f}× for {large // small:,}× the documents)")
    out.append("")
    for entry in load_paths["sizes"]:
        for name, measured in entry["paths"].items():
            if measured.get("failure"):
                out += [f"Load path {name} on {entry['documents']:,} documents failed:", "", "```",
                        measured["failure"], "```", ""]
    return out


def _breakdown_lines(b: dict, what: str) -> list[str]:
    parse, load = b["parse"]["median"], b["load"]["median"]
    return [f"Where the time goes, in process, for {what} ({b['documents']:,} documents, {b['rows']:,} rows, "
            f"{b['figures']:,} figures):", "",
            "| step | median | min | share of parse + load | per document |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| parse (read_document + parse_document) | {fmt_s(parse)} | {fmt_s(b['parse']['min'])} | "
            f"{parse / (parse + load):.0%} | {fmt_s(parse / b['documents'])} |",
            f"| load (ensure_schema, then ingest.core.load.column_slice per document and load_frames per batch, one transaction) | {fmt_s(load)} | "
            f"{fmt_s(b['load']['min'])} | {load / (parse + load):.0%} | {fmt_s(load / b['documents'])} |", ""]


def _child_row(label: str, timing: dict, floor_median: float) -> str:
    if timing["failure"]:
        return f"| {label} | FAILED | – | – | – | – |"
    return (f"| {label} | {fmt_s(timing['wall']['median'])} | {fmt_s(timing['wall']['min'])} | "
            f"{fmt_s(timing['cpu']['median'])} | {fmt_mib(timing['maxrss_kib'])} | "
            f"{ratio(timing['wall']['median'], floor_median)} |")


# -- scale note (issue #7) ---------------------------------------------------------------------------------

def _per_document(entries: list[dict], value, average_ok: bool = True) -> tuple[float, float]:
    """(marginal cost per document, fixed part) of `value(entry)` between the two largest
    corpora. With one corpus: its average and no fixed part when an average is a fair upper
    bound (time, file size), else unknown (peak memory, mostly fixed at small sizes)."""
    points = [(e["documents"], value(e)) for e in entries]
    points = [(n, v) for n, v in points if v == v]
    if len(points) < 2 or points[-1][0] == points[-2][0]:
        if not points or not average_ok:
            return float("nan"), float("nan")
        n, v = points[-1]
        return v / n, 0.0
    (n1, v1), (n2, v2) = points[-2], points[-1]
    slope = (v2 - v1) / (n2 - n1)
    return slope, v2 - slope * n2


def _documents_until(limit: float, per_document: float, fixed: float) -> float:
    if per_document != per_document:
        return float("nan")
    return (limit - max(fixed, 0.0)) / per_document if per_document > 0 else math.inf


def scale_estimates(results: dict) -> dict | None:
    """Per-document costs of this run and the corpus sizes at which they exceed one machine."""
    built = built_entries(results)
    ingested = ingested_entries(results)
    if not ingested:
        return None
    largest = ingested[-1]
    cores = results["machine"]["cores"] or 1
    memory = results["machine"].get("memory_bytes") or float("nan")
    estimates = {"documents": largest["documents"], "cores": cores, "memory_bytes": memory,
                 "ingest_cpu_per_document": largest["cli"]["cpu"]["median"] / largest["documents"],
                 "ingest_wall_per_document": largest["cli"]["wall"]["median"] / largest["documents"]}
    if built:
        build_slope, build_fixed = _per_document(built, lambda e: _median(e["build"]))
        dbt_slope, _ = _per_document(built, lambda e: _dbt_seconds(e["build"]))
        bytes_slope, _ = _per_document(built, lambda e: e["build"]["warehouse_bytes"])
        rss_slope, rss_fixed = _per_document(built, lambda e: _peak_kib(e["cli"], e["build"]) * 1024.0,
                                             average_ok=False)
        facts_per_document = built[-1]["build"]["fact_rows"] / built[-1]["documents"]
        estimates.update({"built_documents": built[-1]["documents"], "build_per_document": build_slope,
                          "build_fixed": build_fixed, "dbt_per_document": dbt_slope,
                          "bytes_per_document": bytes_slope, "rss_per_document": rss_slope, "rss_fixed": rss_fixed,
                          "facts_per_document": facts_per_document,
                          "corpora_built": len(built),
                          "window_documents": _documents_until(NIGHTLY_WINDOW_SECONDS, build_slope, build_fixed),
                          "memory_documents": _documents_until(memory, rss_slope, rss_fixed),
                          "file_in_memory_documents": _documents_until(memory, bytes_slope, 0.0)})
    sizes = (results.get("queries") or {}).get("sizes", [])
    if sizes and built:
        size = max(sizes, key=lambda s: s["rows"])
        yoy = next(q for q in size["queries"] if q["name"] == "year_over_year_by_subject")
        per_fact = yoy["median"] / size["rows"]
        estimates.update({"yoy_per_fact": per_fact,
                          "query_documents": YEAR_OVER_YEAR_SECONDS / (per_fact * estimates["facts_per_document"])})
    return estimates


def scale_note(results: dict) -> list[str]:
    out = ["## Scale note (issue #7): when one machine stops being enough", ""]
    e = scale_estimates(results)
    if not e:
        return out + ["No corpus was ingested in this run; nothing to extrapolate from.", ""]
    c = e["ingest_cpu_per_document"]
    out += [f"Computed from this run's per-document costs (largest corpus ingested: {e['documents']:,} documents; "
            "linear extrapolation, marginal cost between the two largest corpora where two were built):", "",
            f"- ingest: {fmt_s(c)} CPU per document ({1 / c:,.1f} documents per CPU-second), "
            f"{fmt_s(e['ingest_wall_per_document'])} wall per document on {e['cores']} cores; 10^6 documents are "
            f"{10**6 * c / 3600:,.1f} CPU-hours, {10**6 * e['ingest_wall_per_document'] / 3600:,.1f} hours on this "
            "machine;"]
    if "build_per_document" in e:
        fixed = (f"on top of {fmt_s(max(e['build_fixed'], 0))} fixed" if e["corpora_built"] > 1
                 else "(one corpus built: its average, fixed costs included)")
        memory = (f"{fmt_bytes(e['rss_per_document'])} more per document (from {fmt_bytes(max(e['rss_fixed'], 0))})"
                  if e["rss_per_document"] == e["rss_per_document"] else "not extrapolated from one corpus size")
        out += [f"- full build (ingest + dbt + publish): {fmt_s(e['build_per_document'])} per document {fixed}; "
                f"dbt's part {fmt_s(e['dbt_per_document'])} per document;",
                f"- warehouse file: {fmt_bytes(e['bytes_per_document'])} per document, "
                f"{e['facts_per_document']:,.0f} expenditure facts per document;",
                f"- peak memory (ingest or build): {memory};"]
    if "yoy_per_fact" in e:
        out += [f"- year-over-year query: {e['yoy_per_fact'] * 1e9:,.1f} ns per fact at the largest scaled size."]
    out.append("")
    if "window_documents" in e:
        limits = [("a full rebuild (needed whenever the parser version changes, since the build then parses every "
                   f"document again) no longer fits a nightly window of {NIGHTLY_WINDOW_SECONDS // 3600} hours",
                   e["window_documents"]),
                  (f"the build's peak memory reaches this machine's {fmt_bytes(e['memory_bytes'])}", e["memory_documents"]),
                  (f"the warehouse file outgrows this machine's memory ({fmt_bytes(e['memory_bytes'])}; DuckDB then reads "
                   "from disk and queries slow down)", e["file_in_memory_documents"])]
        if "query_documents" in e:
            limits.append((f"the year-over-year query exceeds {YEAR_OVER_YEAR_SECONDS * 1000:.0f} ms",
                           e["query_documents"]))
        out += ["| limit | reached at about (documents) |", "| --- | ---: |"]
        out += [f"| {what} | {fmt_count(n) if n == n else 'not estimated'} |" for what, n in limits]
        what, n = min(((w, n) for w, n in limits if n == n), key=lambda item: item[1])
        out += ["", f"So one machine like this one stops being enough at about **{fmt_count(n)} documents**, when {what}. "
                "The estimates assume costs keep growing linearly with documents, which only a run at that size can "
                "confirm.", ""]
    examples = "; ".join(f"{n:,} documents need {math.ceil(n * c / DISTRIBUTED_DEADLINE_SECONDS):,} one-core workers "
                         f"to ingest within {DISTRIBUTED_DEADLINE_SECONDS // 3600} hour"
                         for n in DISTRIBUTED_EXAMPLES)
    out += ["Ingest parallelises by document: a document's parse reads only that document's text, and its rows are "
            "keyed by its document_id (the load deletes and inserts one document's rows in one transaction). On a "
            "distributed engine (Spark, Ray, a task queue) each task parses one document, or a batch, and writes its "
            "raw rows as Parquet partitioned by document; the one cross-document check, one document per department "
            "and year, is a group-by over the small documents table afterwards; the dbt models then run on the "
            "engine's SQL (models/portability.md: sqlglot transpiles every model to Spark and Trino in the test "
            f"suite). At this run's {fmt_s(c)} CPU per document, {examples} (ignoring task start-up and I/O).", ""]
    return out
