"""Benchmarks of ingest, build and analyst queries; writes BENCHMARKS.md (issue #5).

`make bench` runs everything issue #5 asks in one run:

    python bench/run.py --write BENCHMARKS.md --huge --profile

Sizes of 1,000 documents and more run once (no repeats) so that the whole run stays near 35
minutes on a 2-core machine; how long it takes is dominated by the ingest and the build of the
10,000 documents, so it depends on the ingest's speed (the report ends with the run's time).
`--corpus 10 --repeats 1 --parse-repeats 1 --fact-rows 100000 --incremental 10` checks every
code path in a few minutes. What is measured, each command with repeats (median and min)
where that is affordable:

1. parse of each real document and of both together (read_document + parse_document), in
   process and as a fresh process, against the ingest issue's budget (under one second);
2. the ingest command line on both real documents next to a Python process that imports
   DuckDB and opens a file, and in process the parse vs load split with ingest's own
   ingest.core.load.column_slice and load_frames in batches, as the ingest command line loads;
3. `python -m budgetwh build --force` of the two real documents, cold (fresh dbt target folder)
   and warm (dbt's partial parse reused), next to `dbt build` of an empty dbt-duckdb project;
   then `python -m budgetwh build` with nothing changed (the up-to-date check alone);
4. ingest throughput (documents/s, figures/s, per CPU-second = per core) of
   `python -m ingest` on generated corpora (bench/generate.py) of 10 and 100 documents,
   1,000 with --large, 1,000 and 10,000 with --huge (or any --corpus list); the floor is
   DuckDB loading the same extracted rows from Parquet in a fresh process;
5. `python -m budgetwh build --full` of each corpus: total, its ingest and dbt steps (from
   the build's own `== step` lines, timestamped as they are printed) and dbt's elapsed time
   and slowest nodes (run_results.json, dbt's target folder being a temporary one through
   DBT_TARGET_PATH); the floor is the Parquet load plus the empty-project dbt build. The
   build runs from a copy of the project whose seeds know the generated departments, units
   and classification years (bench/reference.py says why and how), with the two real
   documents added so that every dbt test keeps its severity;
6. adding one document to a built warehouse (--incremental N, default 1,000 when that corpus
   is measured): build N-1 documents, then build all N into the same target; the second
   build continues from the published warehouse and parses only the new document; next to
   the build of the two real documents;
7. latency of three analyst queries over marts.fct_expenditure scaled to 10^6 and 10^7 rows
   (bench/queries.py says how the rows are made): cold first run, median of 5 after a
   warm-up, each in a fresh read-only connection, and DuckDB's operator profile of the
   year-over-year query at the largest size;
8. with --profile: cProfile of the in-process parse + load of the 100-document corpus;
9. the two load paths in the same run (bench/load_paths.py): the typed polars frames the
   ingest loads through Arrow against the CSV path they replaced (rows as CSV text read back
   by read_csv), load time per document and peak RSS of a process per path, at 100 documents
   and at 10,000 with --huge (at the smallest corpus when neither is measured).

Every child process's peak RSS (ingest; build with its dbt process) comes from os.wait4. The
report's sections carry the same numbers. The report puts issue #5's targets first (measured value, PASS/MISS and by how much, and for
a miss what the profile says bounds it) and ends with a scale note computed from the
per-document costs of the same run. Nothing here is a test: it never fails on a slow number,
it reports it.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from bench import reference  # noqa: E402
from bench.pdf import bench_pdf  # noqa: E402
from bench.queries import bench_queries  # noqa: E402
from bench.report import render  # noqa: E402
from ingest.core.document import read_document  # noqa: E402
from ingest.core.fidelity import fidelity_report  # noqa: E402
from ingest.cli import BATCH_DOCUMENTS  # noqa: E402
from bench.csv_load import LOADERS  # noqa: E402
from ingest.core.load import ARROW, ensure_schema  # noqa: E402
from ingest.xiamen.parse import parse_document  # noqa: E402

REAL_DOCUMENTS = sorted((ROOT / "data" / "raw").rglob("*.txt"))
PARSE_BUDGET_SECONDS = 1.0
PYTHON = sys.executable
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "out"
# The build prints "== <step>" before each step (budgetwh/build.py); the benchmark stamps
# those lines as they arrive to split a build's time by step.
STEP_PREFIX = b"== "

# -- measuring ----------------------------------------------------------------------------------

@dataclass
class ChildRun:
    wall: float
    cpu: float  # user + system seconds of the child and the descendants it waited for
    maxrss_kib: int  # largest resident set of the child or of any such descendant
    returncode: int
    output: str
    steps: list[tuple[str, float]] = field(default_factory=list)  # (printed step, seconds after start)


def run_child(cmd: list[str], env: dict | None = None, cwd: Path = ROOT, stamp_steps: bool = False) -> ChildRun:
    """Run a command to completion; wall time by perf_counter, CPU and peak RSS by wait4.
    With stamp_steps, the output is read as it comes and each `== step` line is timed."""
    steps: list[tuple[str, float]] = []
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        if stamp_steps:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd)
            for line in proc.stdout:
                if line.startswith(STEP_PREFIX):
                    steps.append((line[len(STEP_PREFIX):].decode("utf-8", errors="replace").strip(),
                                  time.perf_counter() - start))
                out.write(line)
            proc.stdout.close()
        else:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode, text, steps)


def step_durations(run: ChildRun) -> list[dict]:
    """Seconds from each printed step to the next (the last to the end of the process); the
    time before the first step (interpreter start, imports) is its own row."""
    marks = [("start (interpreter, imports)", 0.0), *run.steps, ("", run.wall)]
    return [{"step": name, "seconds": marks[i + 1][1] - at} for i, (name, at) in enumerate(marks[:-1])]

@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def min(self) -> float:
        return min(self.samples) if self.samples else float("nan")

    def as_dict(self) -> dict:
        return {"median": self.median, "min": self.min, "samples": self.samples}


@dataclass
class ChildTiming:
    """Repeated runs of one command: wall, CPU and peak RSS of each."""

    wall: Timing = field(default_factory=Timing)
    cpu: Timing = field(default_factory=Timing)
    maxrss_kib: list[int] = field(default_factory=list)
    failure: str | None = None

    def add(self, run: ChildRun) -> None:
        self.wall.samples.append(run.wall)
        self.cpu.samples.append(run.cpu)
        self.maxrss_kib.append(run.maxrss_kib)

    @property
    def peak_mib(self) -> float:
        return max(self.maxrss_kib) / 1024 if self.maxrss_kib else float("nan")

    def as_dict(self) -> dict:
        return {"wall": self.wall.as_dict(), "cpu": self.cpu.as_dict(), "maxrss_kib": self.maxrss_kib,
                "failure": self.failure}



def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def repeat_child(cmd_for_run, repeats: int, label: str, env: dict | None = None,
                 prepare=None) -> ChildTiming:
    """Run `cmd_for_run(i)` `repeats` times (prepare(i) first, untimed); stop at a failure."""
    timing = ChildTiming()
    for i in range(repeats):
        if prepare:
            prepare(i)
        run = run_child(cmd_for_run(i), env=env)
        if run.returncode != 0:
            timing.failure = f"exit {run.returncode}: " + run.output.strip()[-1500:]
            progress(f"{label}: FAILED (exit {run.returncode})")
            break
        timing.add(run)
        progress(f"{label} run {i + 1}/{repeats}: {run.wall:.2f} s, peak RSS {run.maxrss_kib / 1024:.0f} MiB")
    return timing


# -- the machine ----------------------------------------------------------------------------------

def machine() -> dict:
    info = {"cores": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "duckdb": duckdb.__version__}
    for package in ("dbt-core", "dbt-duckdb"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "not installed"
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kib = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal:")))
        info["memory"] = f"{kib / 1024 / 1024:.1f} GiB"
        info["memory_bytes"] = kib * 1024
    except (OSError, StopIteration, ValueError):
        info["memory"] = "unknown"
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                           if line.startswith("model name"))
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "unknown"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        info["commit"] = commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = "unknown"
    return info


# -- 1. parse ---------------------------------------------------------------------------------------

def document_figures(paths: list[Path]) -> tuple[int, int, int]:
    """(lines, captured figures, printed amount tokens) over `paths`, by the fidelity report."""
    lines = figures = tokens = 0
    for path in paths:
        source = read_document(path)
        report = fidelity_report(source, parse_document(source).records)
        lines += len(source.lines)
        figures += report.figures
        tokens += report.amount_tokens
    return lines, figures, tokens


def time_parse(paths: list[Path], repeats: int) -> Timing:
    timing = Timing()
    for i in range(repeats + 1):
        start = time.perf_counter()
        for path in paths:
            parse_document(read_document(path))
        elapsed = time.perf_counter() - start
        if i:  # the first run warms caches (regex compilation, imports): discarded
            timing.samples.append(elapsed)
    return timing


_COLD_PARSE = ("import sys\nfrom pathlib import Path\nfrom ingest.core.document import read_document\n"
               "from ingest.xiamen.parse import parse_document\n"
               "for p in sys.argv[1:]:\n    parse_document(read_document(Path(p)))\n")


def bench_parse(repeats: int, cold_repeats: int) -> dict:
    rows = []
    sets = [(p.name, [p]) for p in REAL_DOCUMENTS] + [("both documents", REAL_DOCUMENTS)]
    for label, paths in sets:
        progress(f"parse {label} x{repeats}")
        lines, figures, tokens = document_figures(paths)
        timing = time_parse(paths, repeats)
        rows.append({"label": label, "documents": len(paths), "lines": lines, "figures": figures,
                     "amount_tokens": tokens, "time": timing.as_dict()})
    progress(f"parse both documents in a fresh process x{cold_repeats}")
    cold = repeat_child(lambda i: [PYTHON, "-c", _COLD_PARSE, *map(str, REAL_DOCUMENTS)], cold_repeats,
                        "cold parse")
    both = rows[-1]
    return {"rows": rows, "cold": cold.as_dict(), "budget_seconds": PARSE_BUDGET_SECONDS,
            "passes": both["time"]["median"] < PARSE_BUDGET_SECONDS
            and (cold.failure is None and cold.wall.median < PARSE_BUDGET_SECONDS)}


# -- 2. ingest command line ------------------------------------------------------------------------

def bench_ingest_cli(repeats: int, work: Path) -> dict:
    db = work / "ingest.duckdb"

    def fresh(_: int) -> None:
        for suffix in ("", ".wal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    progress(f"ingest CLI on both documents x{repeats}")
    ours = repeat_child(lambda i: [PYTHON, "-m", "ingest", *map(str, REAL_DOCUMENTS), "--db", str(db), "--quiet"],
                        repeats, "ingest CLI", prepare=fresh)
    progress(f"floor: python -c 'import duckdb; connect' x{repeats}")
    floor = repeat_child(lambda i: [PYTHON, "-c", f"import duckdb; duckdb.connect({str(db)!r}).close()"],
                         repeats, "python+duckdb floor", prepare=fresh)
    breakdown = load_breakdown(REAL_DOCUMENTS, repeats, work / "breakdown")
    return {"ours": ours.as_dict(), "floor": floor.as_dict(), "breakdown": breakdown}


def _fresh_db(path: Path) -> duckdb.DuckDBPyConnection:
    for suffix in ("", ".wal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return duckdb.connect(str(path))


def load_breakdown(paths: list[Path], repeats: int, work: Path, warm_up: bool = True) -> dict:
    """In process, where an ingest's time goes: parse alone, then the load alone (schema, then
    ingest.core.load.column_slice per document and load_frames per batch of BATCH_DOCUMENTS in
    one transaction, as the ingest command line loads)."""
    work.mkdir(parents=True, exist_ok=True)
    parse = Timing()
    parsed = []
    first = 1 if warm_up else 0  # runs before `first` are discarded warm-ups
    for i in range(repeats + first):
        start = time.perf_counter()
        parsed = [parse_document(read_document(p), str(p)) for p in paths]
        if i >= first:
            parse.samples.append(time.perf_counter() - start)
    load = Timing()
    for i in range(repeats + first):
        start = time.perf_counter()
        connection = _fresh_db(work / "load.duckdb")
        _load_as_ingest_does(connection, parsed)
        connection.close()
        if i >= first:
            load.samples.append(time.perf_counter() - start)
    figures = sum(fidelity_report(read_document(p), d.records).figures for p, d in zip(paths, parsed))
    return {"documents": len(paths), "rows": sum(len(d.rows()) + 1 for d in parsed), "figures": figures,
            "parse": parse.as_dict(), "load": load.as_dict()}


def _load_as_ingest_does(connection: duckdb.DuckDBPyConnection, parsed: list) -> None:
    connection.execute("begin transaction")
    ensure_schema(connection)
    slices = [ARROW.prepare(document.document, document.rows()) for document in parsed]
    for start in range(0, len(slices), BATCH_DOCUMENTS):
        ARROW.load(connection, slices[start:start + BATCH_DOCUMENTS])
    connection.execute("commit")


# -- 9. the load paths compared ---------------------------------------------------------------------

# The corpus sizes the load paths are compared at (those of them the run measures).
LOAD_PATH_SIZES = (100, 10_000)


def bench_load_paths(sizes: list[int], seed: int, work: Path) -> dict:
    """Each load path (bench.csv_load.LOADERS) on the same corpora in the same run, each in
    a fresh process: load seconds (prepare + load, the parse apart) and peak RSS."""
    chosen = [size for size in sizes if size in LOAD_PATH_SIZES] or sizes[:1]
    entries = []
    for size in chosen:
        _, paths, _ = corpus_paths(size, seed)
        listing = work / f"load-paths-{size}.txt"
        listing.write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")
        entry = {"documents": len(paths), "paths": {}}
        for name in LOADERS:
            db = work / f"load-paths-{size}-{name}.duckdb"
            _remove_db(db)
            progress(f"load path {name} on {size} generated documents")
            run = run_child([PYTHON, "-m", "bench.load_paths", name, str(db), str(listing)])
            _remove_db(db)
            if run.returncode != 0:
                entry["paths"][name] = {"failure": f"exit {run.returncode}: " + run.output.strip()[-1500:]}
                progress(f"load path {name}: FAILED (exit {run.returncode})")
                continue
            measured = json.loads(run.output.strip().splitlines()[-1])
            peak = measured.get("peak_rss_kib") or run.maxrss_kib
            entry["paths"][name] = {**measured, "wall": run.wall, "maxrss_kib": peak, "failure": None}
            progress(f"load path {name}: {(measured['prepare'] + measured['load']) / len(paths) * 1000:.1f} ms "
                     f"per document, peak RSS {peak / 1024:.0f} MiB")
        entries.append(entry)
    return {"seed": seed, "sizes": entries}


# -- 3. build ----------------------------------------------------------------------------------------

_FLOOR_PROJECT = """name: floor
version: "1.0.0"
config-version: 2
profile: floor
model-paths: ["models"]
"""
_FLOOR_PROFILE = """floor:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('BENCH_FLOOR_DB') }}"
      threads: 2
"""


def _dbt_env(work: Path, target_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "BUDGET_WAREHOUSE_PATH"}
    # dbt writes its target/ and logs/ here instead of the project's own folders, which
    # other people's runs in the same checkout use.
    env.update({"DBT_TARGET_PATH": str(target_path), "DBT_LOG_PATH": str(target_path) + "-logs",
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "BENCH_FLOOR_DB": str(work / "floor.duckdb")})
    return env


def bench_build(repeats: int, work: Path) -> dict:
    target = work / "warehouse" / "budget.duckdb"
    result = {}
    # --force: every run after the first would otherwise find the warehouse up to date.
    unchanged_cmd = [PYTHON, "-m", "budgetwh", "build", "--target", str(target), "--quiet",
                     "--documents", *map(str, REAL_DOCUMENTS)]
    build_cmd = [*unchanged_cmd, "--force"]
    floor_dir = work / "floor-project"
    (floor_dir / "models").mkdir(parents=True, exist_ok=True)
    (floor_dir / "dbt_project.yml").write_text(_FLOOR_PROJECT)
    (floor_dir / "profiles.yml").write_text(_FLOOR_PROFILE)
    dbt = shutil.which("dbt", path=str(BIN)) or "dbt"
    floor_cmd = [dbt, "build", "--project-dir", str(floor_dir), "--profiles-dir", str(floor_dir)]
    for mode in ("cold", "warm"):
        for name, cmd in (("ours", build_cmd), ("floor", floor_cmd)):
            label = f"{name} {mode}"
            targets = work / f"dbt-target-{name}"

            def prepare(i: int, targets=targets, mode=mode) -> None:
                # cold: no dbt state; warm: the state the previous run (the last cold one first) left
                if mode == "cold":
                    shutil.rmtree(targets, ignore_errors=True)
                shutil.rmtree(f"{targets}-logs", ignore_errors=True)  # keep the last run's log only

            # The warm runs are fewer: they start from the state the cold runs leave.
            runs = repeats if mode == "cold" else max(1, repeats - 1)
            progress(f"build {label} x{runs}")
            result[label] = repeat_child(lambda i, cmd=cmd: cmd, runs, f"build {label}",
                                         env=_dbt_env(work, targets), prepare=prepare).as_dict()
            result[label]["partial_parse"] = _partial_parse_note(Path(f"{targets}-logs"))
    # `make build` with nothing changed since the last build: the up-to-date check, no ingest, no dbt.
    progress(f"build ours unchanged x{repeats}")
    result["ours unchanged"] = repeat_child(lambda i: unchanged_cmd, repeats, "build ours unchanged",
                                            env=_dbt_env(work, work / "dbt-target-ours")).as_dict()
    return result


def _partial_parse_note(log_dir: Path) -> str | None:
    """What dbt said about partial parsing on the last run (from its log file)."""
    notes = []
    for log in sorted(log_dir.glob("dbt.log*")):
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if "partial pars" in line.lower():
                notes.append(re.sub(r"^.*?\]:\s*", "", re.sub(r"\x1b\[[0-9;]*m", "", line)).strip())
    return notes[-1] if notes else None



def run_results_summary(target_path: Path, top: int = 12) -> dict | None:
    """dbt's own timing of the last command (run_results.json): elapsed, slowest nodes, and
    the tests that did not pass."""
    path = target_path / "run_results.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = [{"node": r["unique_id"], "status": r["status"], "seconds": r.get("execution_time") or 0.0,
              "failures": r.get("failures")} for r in data.get("results", [])]
    by_kind: dict[str, float] = {}
    for node in nodes:
        kind = node["node"].split(".", 1)[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + node["seconds"]
    return {"elapsed": data.get("elapsed_time"), "nodes": len(nodes),
            "node_seconds": sum(n["seconds"] for n in nodes), "by_kind": by_kind,
            "slowest": sorted(nodes, key=lambda n: n["seconds"], reverse=True)[:top],
            "not_passed": [n for n in nodes if n["status"] not in ("pass", "success")][:30]}


# -- 4 and 5. generated corpora: ingest, the Parquet floor, build ------------------------------------------

def corpus_paths(size: int, seed: int) -> tuple[dict, list[Path], float]:
    from bench import generate

    departments, years = generate.corpus_shape(size)
    corpus_dir = OUT / f"corpus-{size}-seed{seed}"
    progress(f"corpus of {size} documents ({departments} departments x {years[0]}-{years[-1]}) in {corpus_dir}")
    start = time.perf_counter()
    manifest = generate.ensure_corpus(corpus_dir, departments, years, seed, limit=size,
                                      log=lambda m: progress(f"  {m}"))
    manifest = {**manifest, "departments": departments, "years": [years[0], years[-1]]}
    return manifest, [corpus_dir / d["file"] for d in manifest["documents"]], time.perf_counter() - start


def ingest_command(paths: list[Path], db: Path) -> list[str]:
    return [PYTHON, "-m", "ingest", *map(str, paths), "--db", str(db), "--quiet"]


def _remove_db(db: Path) -> None:
    for suffix in ("", ".wal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def bench_corpus(sizes: list[int], seed: int, repeats: int, work: Path, build: bool, floor_dbt: float) -> dict:
    results = {"seed": seed, "sizes": []}
    for size in sizes:
        manifest, paths, generation = corpus_paths(size, seed)
        db = work / f"corpus-{size}.duckdb"
        runs = repeats if size <= 10 else 1  # one run of a large corpus already takes minutes
        progress(f"ingest CLI on {size} generated documents x{runs}")
        cli = repeat_child(lambda i, paths=paths, db=db: ingest_command(paths, db), runs, f"ingest {size}",
                           prepare=lambda i, db=db: _remove_db(db))
        entry = {"documents": len(paths), "departments": manifest["departments"], "years": manifest["years"],
                 "figures": sum(d["figures"] for d in manifest["documents"]),
                 "bytes": sum(p.stat().st_size for p in paths), "generation_seconds": generation,
                 "regenerated": manifest.get("regenerated", 0), "generation_failures": manifest.get("failures", []),
                 "reused": manifest.get("reused", False), "cli": cli.as_dict()}
        if cli.failure is None:
            entry["floor"] = duckdb_load_floor(db, work / f"corpus-{size}-parquet", runs)
            if build:
                entry["build"] = build_corpus(size, paths, work, floor_dbt)
        if size == min(sizes):
            progress(f"in-process parse/load split on {size} generated documents")
            entry["breakdown"] = load_breakdown(paths, 1, work / f"breakdown-{size}", warm_up=False)
        results["sizes"].append(entry)
    return results


def project_for(size: int, corpus_dir: Path, work: Path) -> tuple[Path, dict]:
    """The project copy for a corpus (bench/reference.py), made once per corpus size."""
    project = work / f"project-{size}"
    if not (project / "dbt_project.yml").exists():
        added = reference.project_copy(project, [corpus_dir])
        (project / ".bench-reference-rows.json").write_text(json.dumps(added))
    return project, json.loads((project / ".bench-reference-rows.json").read_text())


def build_command(target: Path, paths: list[Path], full: bool) -> list[str]:
    # Not --quiet: the build then prints its "== step" lines, which time the steps.
    return [PYTHON, "-m", "budgetwh", "build", "--target", str(target), *(["--full"] if full else []),
            "--documents", *map(str, paths)]


def timed_build(label: str, project: Path, target: Path, paths: list[Path], full: bool, dbt_target: Path,
                work: Path) -> dict:
    """One build from `project` with its steps, dbt's node timings, peak RSS and the result."""
    run = run_child(build_command(target, paths, full), env=_dbt_env(work, dbt_target), cwd=project,
                    stamp_steps=True)
    timing = ChildTiming()
    if run.returncode != 0:
        timing.failure = f"exit {run.returncode}: " + run.output.strip()[-3000:]
        progress(f"{label}: FAILED (exit {run.returncode})")
    else:
        timing.add(run)
        progress(f"{label}: {run.wall:.1f} s, peak RSS {run.maxrss_kib / 1024:.0f} MiB")
    result = {**timing.as_dict(), "steps": step_durations(run), "dbt": run_results_summary(dbt_target),
              "unchanged_reported": len(re.findall(r"not parsed again", run.output))}
    if run.returncode == 0:
        connection = duckdb.connect(str(target), read_only=True)
        try:
            result["fact_rows"] = connection.execute("select count(*) from marts.fct_expenditure").fetchone()[0]
            result["warehouse_documents"] = connection.execute("select count(*) from raw.documents").fetchone()[0]
        finally:
            connection.close()
        result["warehouse_bytes"] = target.stat().st_size
    return result


def _failed(error: Exception) -> dict:
    progress(f"FAILED: {error}")
    return {**ChildTiming(failure=f"{type(error).__name__}: {error}").as_dict(), "steps": [], "dbt": None}


def build_corpus(size: int, paths: list[Path], work: Path, floor_dbt: float) -> dict:
    # A project copy that cannot be made (the seeds changed shape) fails this measurement,
    # not the whole run.
    try:
        project, added = project_for(size, paths[0].parent, work)
    except (OSError, ValueError, KeyError) as error:
        return _failed(error)
    target = work / f"warehouse-{size}" / "budget.duckdb"
    dbt_target = work / f"dbt-target-corpus-{size}"
    shutil.rmtree(dbt_target, ignore_errors=True)  # cold: dbt parses the project afresh
    progress(f"build --full of {size} generated + the 2 real documents (from the project copy {project.name})")
    result = timed_build(f"build {size}", project, target, paths + REAL_DOCUMENTS, True, dbt_target, work)
    result.update({"target": str(target), "reference_rows": added, "floor_dbt_seconds": floor_dbt})
    return result


def duckdb_load_floor(db: Path, folder: Path, repeats: int) -> dict:
    """DuckDB loading the rows our ingest extracted, from Parquet: the floor for the load."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = duckdb.connect(str(db), read_only=True)
    tables = [r[0] for r in source.execute(
        "select table_name from information_schema.tables where table_schema = 'raw' order by 1").fetchall()]
    rows = 0
    for table in tables:
        rows += source.execute(f"select count(*) from raw.{table}").fetchone()[0]
        source.execute(f"copy raw.{table} to '{folder / table}.parquet' (format parquet)")
    source.close()
    target = folder / "load.duckdb"
    script = ("import sys, duckdb\nc = duckdb.connect(sys.argv[1])\nc.execute('create schema raw')\n"
              "for t in sys.argv[3:]:\n    c.execute(f\"create table raw.{t} as select * from "
              "read_parquet('{sys.argv[2]}/{t}.parquet')\")\nc.close()\n")
    timing = repeat_child(lambda i: [PYTHON, "-c", script, str(target), str(folder), *tables], max(repeats, 3),
                          "duckdb parquet load floor", prepare=lambda i: _remove_db(target))
    shutil.rmtree(folder, ignore_errors=True)  # the 10,000-document copy is large; nothing reads it again
    return {"rows": rows, "tables": len(tables), "process": timing.as_dict()}


# -- 6. adding one document -----------------------------------------------------------------------------

def bench_incremental(size: int, seed: int, work: Path) -> dict:
    """Build `size - 1` generated documents (and the two real ones), then all of them into the
    same target: the time of the second build is the time to add one document to a built
    warehouse."""
    manifest, paths, _ = corpus_paths(size, seed)
    try:
        project, _ = project_for(size, paths[0].parent, work)
    except (OSError, ValueError, KeyError) as error:
        return {"size": size, "failure": f"project copy: {type(error).__name__}: {error}"}
    target = work / f"incremental-{size}" / "budget.duckdb"
    dbt_target = work / f"dbt-target-incremental-{size}"
    shutil.rmtree(dbt_target, ignore_errors=True)
    progress(f"incremental: build --full of the first {size - 1} documents (and the 2 real ones)")
    base = timed_build(f"build of {size - 1}", project, target, paths[:-1] + REAL_DOCUMENTS, True, dbt_target,
                       work)
    result = {"size": size, "new_document": paths[-1].name, "base": base}
    if base["failure"]:
        return result
    progress(f"incremental: build of all {size} documents continuing from the published warehouse")
    result["add"] = timed_build(f"add 1 to {size - 1}", project, target, paths + REAL_DOCUMENTS, False, dbt_target,
                                work)
    return result


# -- 9. profile ------------------------------------------------------------------------------------------

def profile_ingest(paths: list[Path], work: Path, top: int = 15) -> dict:
    """cProfile of the in-process parse + load (column_slice, load_frames) of `paths`: which functions
    the time goes to, by cumulative and by own time."""
    db = work / "profile.duckdb"
    _remove_db(db)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    connection = duckdb.connect(str(db))
    _load_as_ingest_does(connection, [parse_document(read_document(path), str(path)) for path in paths])
    connection.close()
    profiler.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    total = stats.total_tt

    def label(key: tuple) -> str:
        file, line, name = key
        if file == "~":
            return name
        try:
            file = str(Path(file).resolve().relative_to(ROOT))
        except ValueError:
            file = "/".join(Path(file).parts[-2:])
        return f"{file}:{line} {name}"

    rows = [{"function": label(key), "calls": nc, "own": tt, "cumulative": ct}
            for key, (cc, nc, tt, ct, _) in stats.stats.items()]
    by_cumulative = sorted(rows, key=lambda r: r["cumulative"], reverse=True)
    return {"documents": len(paths), "wall": wall, "profiled_seconds": total, "by_cumulative": by_cumulative[:top],
            # The project's own functions: where in ingest the time is spent, below the library calls.
            "ingest_by_cumulative": [r for r in by_cumulative if r["function"].startswith("ingest/")][:top],
            "by_own": sorted(rows, key=lambda r: r["own"], reverse=True)[:top]}


# -- main -------------------------------------------------------------------------------------------

def corpus_sizes(text: str, large: bool, huge: bool) -> list[int]:
    sizes = [int(s) for s in text.split(",") if s.strip()]
    for size, wanted in ((1000, large or huge), (10000, huge)):
        if wanted and size not in sizes:
            sizes.append(size)
    return sorted(sizes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="write the markdown report here (default: print it)")
    parser.add_argument("--json", type=Path, help="also write every sample as JSON here")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="only render the report from a --json file of an earlier run (no measuring)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--parse-repeats", type=int, default=10, help="in-process parse runs (default 10)")
    parser.add_argument("--skip-build", action="store_true", help="do not measure any dbt build")
    parser.add_argument("--corpus", default="10,100",
                        help="generated corpus sizes, comma-separated (default 10,100; '' for none)")
    parser.add_argument("--large", action="store_true", help="add the 1,000-document corpus")
    parser.add_argument("--huge", action="store_true", help="add the 1,000- and 10,000-document corpora")
    parser.add_argument("--incremental", type=int, default=None, metavar="N",
                        help="add one document to a built warehouse of N-1 generated documents (default 1000 "
                             "when that corpus is measured; 0 to skip)")
    parser.add_argument("--fact-rows", default="1000000,10000000",
                        help="scaled fact-table sizes for the query latencies (default 10^6,10^7; '' to skip)")
    parser.add_argument("--query-runs", type=int, default=5, help="timed runs of each query (default 5)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the in-process parse + load of the --profile-size corpus")
    parser.add_argument("--profile-size", type=int, default=100, help="corpus size to profile (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="corpus generator seed (default 1)")
    parser.add_argument("--allow-dirty", action="store_true",
                        help="with --write: measure a tree with uncommitted changes, or render a run of another "
                             "commit (the header says so); without it both are refused")
    args = parser.parse_args(argv)

    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        if args.write and not args.allow_dirty and (problem := _not_head(results["machine"].get("commit", ""))):
            print(f"bench: refusing to write {args.write}: {problem} (--allow-dirty to write it anyway)",
                  file=sys.stderr)
            return 2
        return _emit(render(results), args.write)
    if args.write and not args.allow_dirty and (problem := _not_head(machine()["commit"])):
        print(f"bench: refusing to measure for {args.write}: {problem}; commit first, or --allow-dirty",
              file=sys.stderr)
        return 2

    executable = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    sizes = corpus_sizes(args.corpus, args.large, args.huge)
    incremental = args.incremental if args.incremental is not None else (1000 if 1000 in sizes else 0)
    fact_rows = [int(s) for s in args.fact_rows.split(",") if s.strip()]
    results = {"command": shlex.join([executable, *sys.argv]),
               "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": machine(), "repeats": args.repeats, "parse_repeats": args.parse_repeats,
               "query_runs": args.query_runs}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        results["parse"] = bench_parse(args.parse_repeats, args.repeats)
        results["ingest_cli"] = bench_ingest_cli(args.repeats, work)
        progress("PDF input: end to end and the two floors")
        results["pdf"] = bench_pdf(args.repeats, work)
        results["build"] = None if args.skip_build else bench_build(args.repeats, work)
        floor_dbt = (results["build"] or {}).get("floor cold", {}).get("wall", {}).get("median", float("nan"))
        results["corpus"] = (bench_corpus(sizes, args.seed, args.repeats, work, not args.skip_build, floor_dbt)
                             if sizes else None)
        results["load_paths"] = bench_load_paths(sizes, args.seed, work) if sizes else None
        results["incremental"] = (bench_incremental(incremental, args.seed, work)
                                  if incremental > 1 and not args.skip_build else None)
        results["queries"] = None
        built = [e["build"] for e in (results["corpus"] or {}).get("sizes", [])
                 if e.get("build") and not e["build"]["failure"]]
        if fact_rows and built:
            source = Path(max(built, key=lambda b: b["fact_rows"])["target"])
            results["queries"] = {"source": f"{source.parent.name} ({max(b['fact_rows'] for b in built):,} facts)",
                                  **bench_queries(source, work, fact_rows, args.query_runs, log=progress)}
        results["profile"] = None
        if args.profile:
            _, paths, _ = corpus_paths(args.profile_size, args.seed)
            progress(f"cProfile of the in-process parse + load of {len(paths)} documents")
            results["profile"] = profile_ingest(paths, work)
    results["seconds"] = time.perf_counter() - started
    results["load_average"] = (load_before, os.getloadavg()[0])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    return _emit(render(results), args.write)


def _not_head(recorded: str) -> str | None:
    """Why a report of `recorded` (machine()['commit']) must not stand as BENCHMARKS.md: the
    numbers would not be those of the commit it names, or of any commit."""
    if "uncommitted" in recorded or recorded == "unknown":
        return f"the measured tree is not a commit ({recorded})"
    head = machine()["commit"]
    if "uncommitted" in head:
        return f"the working tree has uncommitted changes ({head})"
    if recorded.split()[0] != head.split()[0]:
        return f"the run measured commit {recorded}, HEAD is {head}"
    return None


def _emit(report: str, path: Path | None) -> int:
    if path:
        path.write_text(report, encoding="utf-8")
        progress(f"wrote {path}")
    else:
        print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
