"""Benchmarks of ingest and build; writes a markdown report (`make bench` = `python bench/run.py --write BENCHMARKS.md`).

What is measured, each with repeats (median and min; the first run of an in-process
measurement is a discarded warm-up):

1. parse of each real document and of both together (read_document + parse_document), in
   process and as a fresh process (interpreter start and imports included), with figures/s
   and the ingest issue's budget: a parse of both documents under one second;
2. the ingest command line (parse + load into a fresh DuckDB file) on both documents, next
   to the floor of a Python process that imports DuckDB and opens a file;
3. `python -m budgetwh build` into a temporary target, cold (fresh dbt target folder, full
   parse) and warm (dbt's partial parse reused), next to the floor of `dbt build` of an
   empty dbt-duckdb project;
4. peak RSS of ingest and build, read from os.wait4 for each child process (the largest
   resident set of the child and of every descendant it waited for: the dbt process of a
   build included, but as a maximum, not a sum);
5. ingest throughput on generated corpora (bench/generate.py) of 10 and 100 documents
   (1,000 with --large), DuckDB's own load of the same extracted rows from Parquet (the
   floor), and an in-process split of parse and load time with a faster load prototype.

Nothing here is a test: it never fails on a slow number, it reports it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
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

from ingest.core.document import read_document  # noqa: E402
from ingest.core.fidelity import fidelity_report  # noqa: E402
from ingest.core.load import ensure_schema, replace_document  # noqa: E402
from ingest.xiamen.parse import parse_document  # noqa: E402

REAL_DOCUMENTS = sorted((ROOT / "data" / "raw").rglob("*.txt"))
PARSE_BUDGET_SECONDS = 1.0
PYTHON = sys.executable
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "out"


# -- measuring ----------------------------------------------------------------------------------

@dataclass
class ChildRun:
    wall: float
    cpu: float  # user + system seconds of the child and the descendants it waited for
    maxrss_kib: int  # largest resident set of the child or of any such descendant
    returncode: int
    output: str


def run_child(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> ChildRun:
    """Run a command to completion; wall time by perf_counter, CPU and peak RSS by wait4."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode, text)


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


def load_rows_by_csv(connection: duckdb.DuckDBPyConnection, document, rows, folder: Path) -> None:
    """A prototype of another load, for comparison only (the ingest does not use it): the
    same delete-then-insert transaction per document as ingest.core.load.replace_document,
    but each table's rows written to a CSV file and inserted with one read_csv statement
    instead of executemany."""
    import csv
    from ingest.core.schema import RAW_TABLES

    by_table: dict[str, list[tuple]] = {}
    columns: dict[str, list[str]] = {}
    for row in [document, *rows]:
        by_table.setdefault(row.TABLE, []).append(dataclasses.astuple(row))
        columns.setdefault(row.TABLE, [f.name for f in dataclasses.fields(row)])
    connection.execute("begin transaction")
    for table in RAW_TABLES:
        connection.execute(f"delete from raw.{table} where document_id = ?", [document.document_id])
    for table, values in by_table.items():
        path = folder / f"{table}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([["\\N" if v is None else v for v in row] for row in values])
        connection.execute(f"insert into raw.{table} ({', '.join(columns[table])}) select * from read_csv("
                           f"'{path}', header = false, all_varchar = true, nullstr = '\\N', quote = '\"', "
                           f"escape = '\"')")
    connection.execute("commit")


def _same_content(a: Path, b: Path) -> bool:
    connection = duckdb.connect(str(a), read_only=True)
    try:
        connection.execute(f"attach '{b}' as other (read_only)")
        tables = [r[0] for r in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' "
            "and table_catalog = current_database()").fetchall()]
        for table in tables:
            keep = "* exclude (ingested_at)" if table == "documents" else "*"
            for x, y in ((f"raw.{table}", f"other.raw.{table}"), (f"other.raw.{table}", f"raw.{table}")):
                if connection.execute(f"select count(*) from (select {keep} from {x} except all "
                                      f"select {keep} from {y})").fetchone()[0]:
                    return False
        return True
    finally:
        connection.close()


def load_breakdown(paths: list[Path], repeats: int, work: Path, warm_up: bool = True) -> dict:
    """In process, where an ingest's time goes: parse alone, then the load alone (schema +
    inserts of the parsed rows) as ingest.core.load does it and as the CSV prototype does it."""
    work.mkdir(parents=True, exist_ok=True)
    parse = Timing()
    parsed = []
    first = 1 if warm_up else 0  # runs before `first` are discarded warm-ups
    for i in range(repeats + first):
        start = time.perf_counter()
        parsed = [parse_document(read_document(p), str(p)) for p in paths]
        if i >= first:
            parse.samples.append(time.perf_counter() - start)
    ours_db, csv_db = work / "executemany.duckdb", work / "csv.duckdb"
    ours, prototype = Timing(), Timing()
    for i in range(repeats + first):
        start = time.perf_counter()
        connection = _fresh_db(ours_db)
        ensure_schema(connection)
        for document in parsed:
            replace_document(connection, document.document, document.rows())
        connection.close()
        if i >= first:
            ours.samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        connection = _fresh_db(csv_db)
        ensure_schema(connection)
        for document in parsed:
            load_rows_by_csv(connection, document.document, document.rows(), work)
        connection.close()
        if i >= first:
            prototype.samples.append(time.perf_counter() - start)
    figures = sum(fidelity_report(read_document(p), d.records).figures for p, d in zip(paths, parsed))
    return {"documents": len(paths), "rows": sum(len(d.rows()) + 1 for d in parsed), "figures": figures,
            "parse": parse.as_dict(), "load": ours.as_dict(), "load_csv_prototype": prototype.as_dict(),
            "prototype_same_content": _same_content(ours_db, csv_db)}


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
    build_cmd = [PYTHON, "-m", "budgetwh", "build", "--target", str(target), "--quiet",
                 "--documents", *map(str, REAL_DOCUMENTS)]
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
    return result


def _partial_parse_note(log_dir: Path) -> str | None:
    """What dbt said about partial parsing on the last run (from its log file)."""
    notes = []
    for log in sorted(log_dir.glob("dbt.log*")):
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if "partial pars" in line.lower():
                notes.append(re.sub(r"^.*?\]:\s*", "", re.sub(r"\x1b\[[0-9;]*m", "", line)).strip())
    return notes[-1] if notes else None


# -- 5. generated corpora ------------------------------------------------------------------------------

def bench_corpus(sizes: list[int], seed: int, repeats: int, work: Path) -> dict | None:
    try:
        from bench import generate
    except ImportError:
        return None
    results = {"seed": seed, "sizes": []}
    for size in sizes:
        departments, years = generate.corpus_shape(size)
        corpus_dir = OUT / f"corpus-{size}-seed{seed}"
        progress(f"corpus of {size} documents ({departments} departments x {years[0]}-{years[-1]}) in {corpus_dir}")
        start = time.perf_counter()
        manifest = generate.ensure_corpus(corpus_dir, departments, years, seed, limit=size,
                                          log=lambda m: progress(f"  {m}"))
        generation = time.perf_counter() - start
        paths = [corpus_dir / d["file"] for d in manifest["documents"]]
        figures = sum(d["figures"] for d in manifest["documents"])
        db = work / f"corpus-{size}.duckdb"

        def fresh(_: int, db=db) -> None:
            for suffix in ("", ".wal"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)

        runs = repeats if size <= 10 else 1  # one run of a large corpus already takes minutes
        progress(f"ingest CLI on {size} generated documents x{runs}")
        cli = repeat_child(lambda i, paths=paths, db=db: [PYTHON, "-m", "ingest", *map(str, paths), "--db", str(db),
                                                           "--quiet"], runs, f"ingest {size}", prepare=fresh)
        entry = {"documents": len(paths), "departments": departments, "years": [years[0], years[-1]],
                 "figures": figures, "bytes": sum(p.stat().st_size for p in paths),
                 "generation_seconds": generation, "regenerated": manifest.get("regenerated", 0),
                 "generation_failures": manifest.get("failures", []), "reused": manifest.get("reused", False),
                 "cli": cli.as_dict()}
        if cli.failure is None:
            entry["floor"] = duckdb_load_floor(db, work / f"corpus-{size}-parquet", runs)
        if size == min(sizes):
            progress(f"in-process parse/load breakdown on {size} generated documents")
            entry["breakdown"] = load_breakdown(paths, 1, work / f"breakdown-{size}", warm_up=False)
        results["sizes"].append(entry)
    return results


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

    def fresh(_: int) -> None:
        for suffix in ("", ".wal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)

    timing = repeat_child(lambda i: [PYTHON, "-c", script, str(target), str(folder), *tables], max(repeats, 3),
                          "duckdb parquet load floor", prepare=fresh)
    return {"rows": rows, "tables": len(tables), "process": timing.as_dict()}


# -- report ---------------------------------------------------------------------------------------------

def fmt_s(seconds: float) -> str:
    if seconds != seconds:  # nan
        return "–"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def ratio(a: float, b: float) -> str:
    return "–" if not b or a != a or b != b else f"{a / b:.1f}×"


def render(results: dict) -> str:
    m = results["machine"]
    out = ["# Benchmarks", "",
           "Written by `bench/run.py` (see its docstring for what each number is). Re-run with the command "
           "below; numbers from another machine are not comparable.", "",
           f"- command: `{results['command']}`",
           f"- date: {results['date']}",
           f"- commit: {m['commit']}",
           f"- machine: {m['cores']} cores ({m['cpu']}), {m['memory']} memory, {m['platform']}",
           f"- versions: Python {m['python']}, DuckDB {m['duckdb']}, dbt-core {m['dbt-core']}, "
           f"dbt-duckdb {m['dbt-duckdb']}",
           f"- repeats: {results['repeats']} runs of each command ({max(1, results['repeats'] - 1)} of a warm build, "
           f"1 of a corpus above 10 documents); in-process parse timings: {results['parse_repeats']} after one "
           "discarded warm-up; median and min of the runs", ""]

    parse = results["parse"]
    both = parse["rows"][-1]
    cold = parse["cold"]
    verdict = "PASS" if parse["passes"] else "FAIL"
    out += ["## Summary", "",
            "| check | measured (median) | budget | ratio | result |", "| --- | --- | --- | --- | --- |",
            f"| parse of both documents, in process | {fmt_s(both['time']['median'])} | "
            f"{fmt_s(parse['budget_seconds'])} | {ratio(both['time']['median'], parse['budget_seconds'])} | "
            f"{'PASS' if both['time']['median'] < parse['budget_seconds'] else 'FAIL'} |",
            f"| parse of both documents, fresh process (interpreter + imports) | {fmt_s(cold['wall']['median'])} | "
            f"{fmt_s(parse['budget_seconds'])} | {ratio(cold['wall']['median'], parse['budget_seconds'])} | "
            f"{'PASS' if cold['failure'] is None and cold['wall']['median'] < parse['budget_seconds'] else 'FAIL'} |",
            "", f"Ingest issue requirement \"a parse of both documents takes under one second\": **{verdict}**.", ""]

    out += ["## 1. Parse (read_document + parse_document)", "",
            "| document | lines | figures | amount tokens | median | min | figures/s (median) | share of the 1 s budget |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in parse["rows"]:
        t = row["time"]
        out.append(f"| {row['label']} | {row['lines']:,} | {row['figures']:,} | {row['amount_tokens']:,} | "
                   f"{fmt_s(t['median'])} | {fmt_s(t['min'])} | {row['figures'] / t['median']:,.0f} | "
                   f"{t['median'] / parse['budget_seconds']:.1%} |")
    out += ["", f"Fresh process parsing both (`python -c` importing ingest, then parsing): median "
            f"{fmt_s(cold['wall']['median'])}, min {fmt_s(cold['wall']['min'])}, peak RSS "
            f"{max(cold['maxrss_kib'] or [0]) / 1024:.0f} MiB. *figures* are the figures the fidelity report "
            "counts as captured; *amount tokens* the amounts printed in the text.", ""]

    cli = results["ingest_cli"]
    ours, floor = cli["ours"], cli["floor"]
    out += ["## 2. Ingest command line: both documents into a fresh DuckDB file", "",
            "| what | median | min | CPU (median) | peak RSS | ratio to floor (median) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            _child_row("`python -m ingest <both> --db new.duckdb --quiet`", ours, floor["wall"]["median"]),
            _child_row("floor: `python -c 'import duckdb; duckdb.connect(new)'`", floor, floor["wall"]["median"]),
            ""]
    if ours["failure"]:
        out += [f"Ingest failed: `{ours['failure']}`", ""]
    out += _breakdown_lines(cli["breakdown"], "the two real documents")
    build = results.get("build")
    out += ["## 3. Build: `python -m budgetwh build` (ingest + dbt build + publish) vs an empty dbt project", ""]
    if build is None:
        out += ["Not measured (--skip-build).", ""]
    else:
        out += ["| what | median | min | CPU (median) | peak RSS | ours ÷ floor (median) |",
                "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for mode in ("cold", "warm"):
            f = build.get(f"floor {mode}")
            o = build.get(f"ours {mode}")
            floor_median = f["wall"]["median"] if f and not f["failure"] else float("nan")
            if o:
                out.append(_child_row(f"build, {mode}", o, floor_median))
            if f:
                out.append(_child_row(f"floor: `dbt build` of an empty project, {mode}", f, floor_median))
        out += ["", "*cold*: a fresh dbt target folder each run (full parse of the project); *warm*: the target "
                "folder of an earlier run kept, so dbt may reuse its parse (partial parsing). dbt's target and "
                "log folders are temporary ones (DBT_TARGET_PATH, DBT_LOG_PATH), never the checkout's. Peak RSS "
                "is that of the build process or of its dbt child, whichever is larger.", ""]
        for label in ("ours warm", "floor warm"):
            note = (build.get(label) or {}).get("partial_parse")
            out += [f"dbt's log on the last {label} run: \"{note or 'no message about partial parsing'}\"", ""]
        note = (build.get("ours warm") or {}).get("partial_parse") or ""
        if "profile has changed" in note:
            out += ["So a second build re-parses the whole dbt project although nothing changed: "
                    "budgetwh/build.py points the profile at a new private path each build "
                    "(`.building-<pid>/…` in BUDGET_WAREHOUSE_PATH), which changes dbt's profile hash. The "
                    "warm floor shows what partial parsing saves on an empty project.", ""]
        for label, value in build.items():
            if value["failure"]:
                out += [f"{label} failed:", "", "```", value["failure"], "```", ""]

    corpus = results.get("corpus")
    out += ["## 4. Ingest throughput on generated corpora", ""]
    if not corpus:
        out += ["Not measured.", ""]
    else:
        cores = results["machine"]["cores"] or 1
        out += [f"Documents from `bench/generate.py` (seed {corpus['seed']}; 2024 appendix layout, years and "
                "departments varied, every identity kept; generation verified each document parses with full "
                "fidelity). One ingest process; it uses one core, so *per core* is per CPU-second of that "
                f"process; the machine has {cores}.", "",
                "| documents | departments × years | MB | figures | ingest median | min | documents/s | "
                "figures/s | documents per CPU-s | figures per CPU-s | peak RSS | DuckDB Parquet load (floor) | "
                "ours ÷ floor |",
                "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for entry in corpus["sizes"]:
            c = entry["cli"]
            wall, cpu = c["wall"]["median"], c["cpu"]["median"]
            floor = entry.get("floor")
            floor_median = floor["process"]["wall"]["median"] if floor else float("nan")
            out.append(
                f"| {entry['documents']:,} | {entry['departments']} × {entry['years'][0]}–{entry['years'][1]} | "
                f"{entry['bytes'] / 1e6:.1f} | {entry['figures']:,} | {fmt_s(wall)} | {fmt_s(c['wall']['min'])} | "
                f"{entry['documents'] / wall:.1f} | {entry['figures'] / wall:,.0f} | {entry['documents'] / cpu:.1f} | "
                f"{entry['figures'] / cpu:,.0f} | {max(c['maxrss_kib'] or [0]) / 1024:.0f} MiB | "
                f"{fmt_s(floor_median)} ({floor['rows']:,} rows) | {ratio(wall, floor_median)} |"
                if c["failure"] is None else
                f"| {entry['documents']:,} | – | – | – | FAILED | – | – | – | – | – | – | – | – |")
        out += ["", "The floor is a fresh Python process creating the same raw tables in a new DuckDB file from "
                "Parquet copies of the rows our ingest wrote (interpreter start and DuckDB import included).", ""]
        for entry in corpus["sizes"]:
            if entry["cli"]["failure"]:
                out += [f"Ingest of {entry['documents']} documents failed:", "", "```", entry["cli"]["failure"],
                        "```", ""]
            if entry.get("regenerated"):
                out += [f"Documents that failed to parse when first generated, regenerated with the next "
                        f"attempt's seed ({entry['regenerated']} of {entry['documents']}); what the ingest said:", ""]
                out += [f"- `{f}`" for f in entry["generation_failures"][:10]] + [""]
        for entry in corpus["sizes"]:
            if entry.get("breakdown"):
                out += _breakdown_lines(entry["breakdown"], f"the {entry['documents']} generated documents")
        runs = [e for e in corpus["sizes"] if e["documents"] > 10]
        if runs:
            out += ["Corpora above 10 documents are ingested once (median = min = that run).", ""]
        out += [f"Generation time, with every document parsed once to verify it (not part of the ingest "
                "figures): " + ", ".join(
                    f"{e['documents']:,} documents " + ("reused from bench/out/" if e.get("reused")
                                                        else fmt_s(e["generation_seconds"]))
                    for e in corpus["sizes"])
                + ". A corpus already under bench/out/ whose manifest matches the generator version and seed is "
                "reused.", ""]
    return "\n".join(out)


def _breakdown_lines(b: dict, what: str) -> list[str]:
    parse, load, csv_load = b["parse"]["median"], b["load"]["median"], b["load_csv_prototype"]["median"]
    same = "identical" if b["prototype_same_content"] else "**different** (the prototype is wrong)"
    return [f"Where the time goes, in process, for {what} ({b['documents']} documents, {b['rows']:,} rows, "
            f"{b['figures']:,} figures):", "",
            "| step | median | min | share of parse + load | per document |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| parse (read_document + parse_document) | {fmt_s(parse)} | {fmt_s(b['parse']['min'])} | "
            f"{parse / (parse + load):.0%} | {fmt_s(parse / b['documents'])} |",
            f"| load as ingest.core.load does it (schema, per document: delete + executemany per table) | "
            f"{fmt_s(load)} | {fmt_s(b['load']['min'])} | {load / (parse + load):.0%} | "
            f"{fmt_s(load / b['documents'])} |",
            f"| load prototype in bench/run.py (same transaction, a CSV file + one read_csv insert per table) | "
            f"{fmt_s(csv_load)} | {fmt_s(b['load_csv_prototype']['min'])} | – | "
            f"{fmt_s(csv_load / b['documents'])} |", "",
            f"The prototype's tables are {same} to the ingest's (every raw table compared both ways, "
            f"ingested_at aside); it loads {ratio(load, csv_load)} faster.", ""]


def _child_row(label: str, timing: dict, floor_median: float) -> str:
    if timing["failure"]:
        return f"| {label} | FAILED | – | – | – | – |"
    return (f"| {label} | {fmt_s(timing['wall']['median'])} | {fmt_s(timing['wall']['min'])} | "
            f"{fmt_s(timing['cpu']['median'])} | {max(timing['maxrss_kib']) / 1024:.0f} MiB | "
            f"{ratio(timing['wall']['median'], floor_median)} |")


# -- main -------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="write the markdown report here (default: print it)")
    parser.add_argument("--json", type=Path, help="also write every sample as JSON here")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--parse-repeats", type=int, default=10, help="in-process parse runs (default 10)")
    parser.add_argument("--skip-build", action="store_true", help="do not measure the dbt build")
    parser.add_argument("--corpus", default="10,100",
                        help="generated corpus sizes, comma-separated (default 10,100; '' for none)")
    parser.add_argument("--large", action="store_true", help="add the 1,000-document corpus (several minutes)")
    parser.add_argument("--seed", type=int, default=1, help="corpus generator seed (default 1)")
    args = parser.parse_args(argv)

    executable = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    results = {"command": shlex.join([executable, *sys.argv]),
               "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": machine(), "repeats": args.repeats, "parse_repeats": args.parse_repeats}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        results["parse"] = bench_parse(args.parse_repeats, args.repeats)
        results["ingest_cli"] = bench_ingest_cli(args.repeats, work)
        results["build"] = None if args.skip_build else bench_build(args.repeats, work)
        sizes = [int(s) for s in args.corpus.split(",") if s.strip()]
        if args.large and 1000 not in sizes:
            sizes.append(1000)
        results["corpus"] = bench_corpus(sizes, args.seed, args.repeats, work) if sizes else None
    results["seconds"] = time.perf_counter() - started
    results["load_average"] = (load_before, os.getloadavg()[0])
    report = render(results) + (f"\nThe whole run took {results['seconds']:.0f} s. One-minute load average "
                                f"{results['load_average'][0]:.2f} before it and {results['load_average'][1]:.2f} "
                                "after it (other work on the machine distorts the numbers).\n")
    if args.write:
        args.write.write_text(report, encoding="utf-8")
        progress(f"wrote {args.write}")
    else:
        print(report)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
