"""Build the warehouse into a new file and publish it atomically.

Analysts keep the published DuckDB file open read-only while a scheduled build runs. DuckDB
allows one writer or many readers, so the build never opens the published file: it ingests
and runs dbt against a new file in the same folder and renames it over the published one
only when ingest succeeded and every dbt test passed. A rename within one file system is
atomic: a reader opening the path gets the old warehouse or the new one, never a mix, and a
reader that already has the old file open keeps reading it. A failed or killed build leaves
the published file exactly as it was.

The private file is .building/<name> next to the published one, the same path for every
build of that warehouse, so dbt's partial parsing works from one build to the next; a lock
(budgetwh/build_lock.py) keeps a second build of the same warehouse from starting meanwhile.
The fact marts are incremental on DuckDB (only new documents' rows are computed); the build
runs dbt with --full-refresh when the models, seeds or parser changed since the published
build (budgetwh/model_state.py). When everything a build reads (documents by content hash,
models, seeds, dbt tests, analyses, parser, packages) is what the published warehouse was
built from, the build says it is up to date and stops before ingest and dbt (--force builds
anyway). That check reads the published file once, read-only, and hashes the inputs; ingest,
dbt and the lineage code are not even imported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from budgetwh.build_lock import BuildLock, BuildLocked, private_folder
from budgetwh.model_state import BuildInputs, ModelFingerprint, new_file_storage_version, published_state
from ingest.core.errors import SET_ASIDE_KINDS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "budget.duckdb"
DEFAULT_DOCUMENTS = PROJECT_ROOT / "data" / "raw"


class BuildFailed(Exception):
    pass


# Exit status of `python -m budgetwh build` (and `make build`).
EXIT_PUBLISHED = 0            # every document published (findings or not)
EXIT_FAILED = 1               # nothing published: ingest or dbt failed, --strict refused, every document rejected
EXIT_USAGE = 2                # bad command line (argparse)
EXIT_PUBLISHED_WITH_REJECTIONS = 3  # published, but some documents were rejected (meta.rejected_documents)


def warehouse_path() -> Path:
    return Path(os.environ.get("BUDGET_WAREHOUSE_PATH", DEFAULT_WAREHOUSE)).resolve()


# The sample documents: real published documents the project develops and tests with, read in
# place from the shared sources beside the checkout and never copied into it (they are not the
# project's files). BUDGET_SAMPLE_DOCUMENTS names another folder; set empty, it turns them off.
SAMPLE_DOCUMENTS_VARIABLE = "BUDGET_SAMPLE_DOCUMENTS"


# The dbt tests of what the sample documents print (tests/dbt/sample_documents, tag
# sample_documents) run only when this is 1: the test suite sets it on the builds of the
# sample corpus. `make build` runs the invariants alone, which hold for any corpus.
CHECK_SAMPLE_DOCUMENTS_VARIABLE = "BUDGET_CHECK_SAMPLE_DOCUMENTS"


def sample_documents_root(project_root: Path = PROJECT_ROOT) -> Path | None:
    """The folder of sample documents, or None when BUDGET_SAMPLE_DOCUMENTS is set empty."""
    setting = os.environ.get(SAMPLE_DOCUMENTS_VARIABLE)
    if setting is None:
        return (project_root.parent / "shared" / "sources").resolve()
    return Path(setting).expanduser().resolve() if setting.strip() else None


def _documents_under(root: Path) -> list[Path]:
    """Text extracted from a PDF (*.txt, the Xiamen template) and PDFs as published (*.pdf),
    sorted by path. A link that leads outside the folder is refused: the scheduled build
    reads only what the folder holds."""
    root = root.resolve()
    paths = sorted(path for pattern in ("*.txt", "*.pdf") for path in root.rglob(pattern))
    for path in paths:
        if not path.resolve().is_relative_to(root):
            raise BuildFailed(f"{path}: expected a document inside {root}; it links to {path.resolve()}")
    return paths


def document_paths(root: Path = DEFAULT_DOCUMENTS, samples: Path | None = None) -> list[Path]:
    """Every document under the data folder (data/raw), then the sample documents (when a
    folder is given and exists) that are not already there byte for byte: the two Xiamen
    texts are both committed and among the samples, and one document is one document."""
    paths = _documents_under(root)
    if samples is None or not samples.is_dir():
        return paths
    held = {_sha256(path) for path in paths}
    return paths + [path for path in _documents_under(samples) if _sha256(path) not in held]


def default_document_paths() -> tuple[list[Path], str | None]:
    """What `make build` reads: data/raw and the sample documents; with a note when the
    samples are not there (a clone without the shared sources beside it)."""
    samples = sample_documents_root()
    if samples is None:
        return document_paths(), f"sample documents off ({SAMPLE_DOCUMENTS_VARIABLE} is empty): data/raw only"
    if not samples.is_dir():
        return document_paths(), (f"sample documents not found at {samples} (set {SAMPLE_DOCUMENTS_VARIABLE} to "
                                  f"their folder): building data/raw only")
    return document_paths(DEFAULT_DOCUMENTS, samples), None


def _sha256(path: Path) -> str:
    import hashlib

    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def build(target: Path | None = None, documents: list[Path] | None = None, quiet: bool = False,
          full: bool = False, force: bool = False, strict: bool = False) -> Path:
    target = (target or warehouse_path()).resolve()
    documents = documents if documents is not None else default_document_paths()[0]
    if not documents:
        raise BuildFailed(f"no documents under {DEFAULT_DOCUMENTS} nor among the sample documents")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with BuildLock.for_warehouse(target) as lock:
            return _build_locked(target, documents, quiet, full, force, lock, strict)
    except BuildLocked as error:
        raise BuildFailed(str(error)) from None


def _build_locked(target: Path, documents: list[Path], quiet: bool, full: bool, force: bool,
                  lock: BuildLock, strict: bool = False) -> Path:
    _remove_stale_builds(target)
    # Same file name in a private sibling folder: DuckDB names the catalog after the file's
    # stem and dbt's views name their catalog, so the built file must keep the published name.
    # The path is the same for every build of this warehouse (the lock makes that safe), so
    # dbt's profile does not change and dbt can reuse its parse of the project.
    staging = private_folder(target) / target.name
    fingerprint = ModelFingerprint.of_project(PROJECT_ROOT)
    inputs = BuildInputs.of_build(PROJECT_ROOT, fingerprint, documents, DEFAULT_DOCUMENTS)
    published = published_state(target)
    if not (full or force) and published.up_to_date(fingerprint, inputs):
        if strict:
            _refuse_strict(target, "the published warehouse (up to date)")
        if not quiet:
            print(f"{target} is up to date: built at {published.built_at:%Y-%m-%d %H:%M:%S} UTC from these "
                  "documents, models, macros, seeds, dbt tests, analyses, parser and packages; nothing to "
                  "do (--force builds it again)")
        return target
    # Imported only when there is something to build: the up-to-date check stays quick.
    from budgetwh.lineage import write_column_lineage
    from ingest.cli import main as ingest_main

    started = time.monotonic()
    try:
        # Incremental: start from a copy of the published warehouse, so ingest parses only new
        # or changed documents (by content hash) and drops those no longer in data/raw. The
        # published file itself is only read.
        incremental = not full and published.parsed_by_this_parser
        if incremental:
            # A copy keeps the storage format of the file it copies (DuckDB never upgrades a
            # file it opens): a warehouse written by an older DuckDB (1.x: 'v1.0.0+') would
            # stay in that format through every incremental build. It is read (the checks
            # above), then rebuilt from empty, so the published file is always in the format
            # this DuckDB writes, whatever its history.
            current_format = new_file_storage_version()
            if not published.in_storage_format(current_format):
                incremental = False
                _step(f"the published warehouse is in DuckDB storage format {published.storage_version}, "
                      f"this DuckDB writes {current_format}: building it from empty", quiet)
        # The fact marts keep earlier documents' rows; they are only valid if the models,
        # seeds and parser that computed them are the current ones.
        full_refresh = incremental and published.fingerprint != fingerprint
        if incremental:
            shutil.copyfile(target, staging)
        _step(f"ingest ({'new and changed documents' if incremental else 'every document'})", quiet)
        args = ([str(p) for p in documents] + ["--db", str(staging), "--prune"] + (["--quiet"] if quiet else [])
                + (["--strict"] if strict else []))
        ingested = ingest_main(args)
        if ingested not in (0, 3):
            raise BuildFailed("ingest failed (see the message above); the published warehouse is unchanged")
        if not _loaded_documents(staging):
            raise BuildFailed("every document was rejected (see the messages above); nothing to publish; "
                              "the published warehouse is unchanged")
        if full_refresh:
            _step("dbt build --full-refresh (seeds, models, tests): models, seeds, parser or engine versions changed "
                  "since the published build", quiet)
            command = ["build", "--full-refresh"]
        elif incremental:
            _step("dbt build (models and tests; seeds unchanged; facts of new documents only)", quiet)
            # The copy's reference tables were loaded from these very seeds (the fingerprint
            # covers seeds/): loading them again would change nothing. Their tests still run.
            command = ["build", "--exclude-resource-type", "seed"]
        else:
            _step("dbt build (seeds, models, tests)", quiet)
            command = ["build"]
        if os.environ.get(CHECK_SAMPLE_DOCUMENTS_VARIABLE) != "1":
            command += ["--exclude", "tag:sample_documents"]
        _run_dbt(command, staging, quiet, lock)
        if strict:
            _refuse_strict(staging, "this build")
        _step("column lineage (marts.column_lineage)", quiet)
        write_column_lineage(staging)
        _record_build(staging, documents, time.monotonic() - started, fingerprint, inputs)
        os.replace(staging, target)
        _fsync_dir(target.parent)
    finally:
        _remove_private_files(staging)
    if not quiet:
        print(f"published {target} ({time.monotonic() - started:.1f} s)")
    return target


def _run_dbt(command: list[str], database: Path, quiet: bool, lock: BuildLock) -> None:
    dbt = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
    env = {**os.environ, "BUDGET_WAREHOUSE_PATH": str(database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [dbt, *command, "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)],
        # dbt inherits the build lock: a dbt left running by a killed build keeps the
        # private file locked until it ends.
        cwd=PROJECT_ROOT, env=env, capture_output=quiet, text=True, pass_fds=(lock.fd,))
    if result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout[-6000:])
        # "dbt build failed" whatever the flags: scripts and the README key on it.
        raise BuildFailed(f"dbt {command[0]} failed (exit {result.returncode}; `dbt {' '.join(command)}`); "
                          "the published warehouse is unchanged")


def _loaded_documents(database: Path) -> int:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute("select count(*) from raw.documents").fetchone()[0]
    finally:
        connection.close()


def _refuse_strict(database: Path, what: str) -> None:
    """--strict: all or nothing, and exactly on what nobody declared. A rejected document,
    one not faithfully read, one that contradicts itself or one incomplete (a table, a part or
    a cell it could not read) fails; a source contradiction recorded with its evidence in
    seeds/quality/known_source_findings.csv is a known finding, no contradiction, and passes."""
    summary = read_summary(database)
    problems = ([f"{r.file_name} rejected ({r.kind})" for r in summary.failures]
                + [f"{d.file_name} not faithfully read ({d.fidelity_gaps} fidelity gaps)"
                   for d in summary.documents if d.status == "not_faithfully_read"]
                + [f"{d.file_name} contradicts itself ({d.contradictions} differences above rounding)"
                   for d in summary.documents if d.status == "contradicts_itself"]
                + [f"{d.file_name} incomplete" for d in summary.documents if d.status == "incomplete"])
    if problems:
        raise BuildFailed(f"--strict: {what} has " + "; ".join(problems) + "; the published warehouse is unchanged")


@dataclass(frozen=True)
class DocumentQuality:
    file_name: str
    description: str
    status: str
    findings: int
    contradictions: int
    superseded_by: str | None
    # Findings across documents (marts.dim_document.cross_document_finding_count): never a status.
    disagreements: int = 0
    # Tables not printed or cut short (missing_table_count): a contradiction outranks incomplete
    # in the status, so the summary says it apart, or a missing page would go unmentioned.
    missing_tables: int = 0
    # Printed amounts not captured and figures not printed where read (fidelity_gap_count).
    fidelity_gaps: int = 0
    # Which tables are missing or cut short, and where: the reader should not have to query
    # fct_parse_finding to learn which page to look for.
    missing_where: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejection:
    file_name: str
    kind: str
    message: str
    superseded_document_id: str | None

    @property
    def set_aside(self) -> bool:
        """Recognised as no department's document (a family's blank template): listed, not a failure."""
        return self.kind in SET_ASIDE_KINDS


@dataclass(frozen=True)
class BuildSummary:
    documents: list[DocumentQuality]
    rejected: list[Rejection]  # meta.rejected_documents: the rejections and the files set aside

    @property
    def failures(self) -> list[Rejection]:
        """The documents rejected: what makes a build exit 3 and --strict fail."""
        return [r for r in self.rejected if not r.set_aside]

    def lines(self) -> list[str]:
        statuses = Counter(d.status for d in self.documents)
        with_findings = sum(1 for d in self.documents if d.findings)
        out = [f"summary: {len(self.documents)} documents published ("
               + ", ".join(f"{statuses[s]} {s}" for s in QUALITY_STATUSES if statuses[s])
               + f"; {with_findings} with findings), {len(self.failures)} rejected"
               + (f", {len(self.rejected) - len(self.failures)} set aside" if len(self.rejected) > len(self.failures)
                  else "")]
        for d in self.documents:
            superseded = f"; superseded by rejected {d.superseded_by}" if d.superseded_by else ""
            out.append(f"  {d.status:<{STATUS_WIDTH}} {d.file_name}: {d.description}, {d.findings} findings"
                       + (f", {d.contradictions} above rounding" if d.contradictions else "")
                       + (f", {d.disagreements} disagreeing with another document" if d.disagreements else "")
                       + (f", {d.missing_tables} table{'s' * (d.missing_tables > 1)} missing or cut short"
                          + (f" ({'; '.join(d.missing_where)})" if d.missing_where else "")
                          if d.missing_tables else "")
                       + (f", {d.fidelity_gaps} fidelity gap{'s' * (d.fidelity_gaps > 1)} (printed amounts "
                          "not captured or figures not printed where read)" if d.fidelity_gaps else "")
                       + superseded)
        for r in self.rejected:
            kept = f"; its earlier version {r.superseded_document_id} stays published" if r.superseded_document_id else ""
            out.append(f"  {'set aside' if r.set_aside else 'rejected':<{STATUS_WIDTH}} {r.message} [{r.kind}]{kept}")
        return out


QUALITY_STATUSES = ("clean", "rounding_only", "incomplete", "contradicts_itself", "not_faithfully_read")
STATUS_WIDTH = max(map(len, QUALITY_STATUSES))


def read_summary(database: Path) -> BuildSummary:
    """The documents of a built warehouse with their quality status, and those rejected."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        tables = {(s, t) for s, t in connection.execute(
            "select schema_name, table_name from duckdb_tables()").fetchall()}
        views = {(s, t) for s, t in connection.execute(
            "select schema_name, view_name from duckdb_views()").fetchall()}
        documents = []
        if ("marts", "dim_document") in tables | views:
            columns = {c for (c,) in connection.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' "
                "and table_name = 'dim_document'").fetchall()}
            # A warehouse built before the findings across documents has no such column.
            disagreements = ("cross_document_finding_count" if "cross_document_finding_count" in columns
                             else "0")
            fidelity_gaps = "fidelity_gap_count" if "fidelity_gap_count" in columns else "0"
            missing = _missing_tables(connection) if ("marts", "fct_parse_finding") in tables | views else {}
            documents = [DocumentQuality(*row[:-1], missing_where=missing.get(row[-1], ())) for row in connection.execute(
                "select file_name, fiscal_year || ' ' || department_name || ' ' || document_kind, quality_status, "
                f"finding_count, contradiction_count, superseded_by_file_name, {disagreements}, missing_table_count, "
                f"{fidelity_gaps}, document_id "
                "from marts.dim_document order by fiscal_year, file_name").fetchall()]
        rejected = []
        if ("raw", "rejected_documents") in tables:
            rejected = [Rejection(*row) for row in connection.execute(
                "select file_name, rejection_kind, message, superseded_document_id from raw.rejected_documents "
                "order by file_name").fetchall()]
    finally:
        connection.close()
    return BuildSummary(documents, rejected)


def _missing_tables(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """Per document, each table missing or cut short as `title cut short after page N` or
    `table not printed`, and what could not be read, with its page (the findings dim_document
    counts in missing_table_count, var incomplete_finding_kinds)."""
    missing: dict[str, list[str]] = {}
    for document_id, kind, subject, page, line in connection.execute(
            "select document_id, finding_kind, finding_subject, page_number, source_line "
            "from marts.fct_parse_finding where finding_kind in ('missing_table', 'table_cut_short', "
            "'missing_part', 'unknown_table', 'unreadable_cell', 'unreadable_row', 'unreadable_table') "
            "order by document_id, page_number nulls last, source_line nulls last, finding_subject").fetchall():
        if kind in ("missing_table", "missing_part"):
            where = f"{subject} not printed"
        elif kind == "unknown_table":
            where = f"{subject} (a table the template does not declare) on page {page}"
        elif kind.startswith("unreadable_"):
            where = f"{subject!r} unreadable on page {page}"
        else:
            at = f" after page {page}" if page is not None else f" after line {line}" if line is not None else ""
            where = f"{subject} cut short{at}"
        missing.setdefault(document_id, []).append(where)
    return {document_id: tuple(found) for document_id, found in missing.items()}


def _record_build(database: Path, documents: list[Path], seconds: float, fingerprint: ModelFingerprint,
                  inputs: BuildInputs | None) -> None:
    connection = duckdb.connect(str(database))
    try:
        connection.execute("create schema if not exists meta")
        connection.execute("create or replace table meta.build_info (built_at timestamp, documents json, "
                           "tests_passed boolean, build_seconds double, model_fingerprint varchar, "
                           "inputs_fingerprint varchar)")
        connection.execute("insert into meta.build_info values (?, ?, true, ?, ?, ?)",
                           [datetime.now(timezone.utc).replace(tzinfo=None),
                            json.dumps([p.name for p in documents], ensure_ascii=False), seconds,
                            fingerprint.digest, inputs.digest if inputs else None])
        # What the ingest rejected, for whoever runs the warehouse (raw.rejected_documents is
        # the same rows, as the contract the models read).
        connection.execute("create or replace table meta.rejected_documents as "
                           "select * from raw.rejected_documents order by file_name, source_path")
        connection.execute("checkpoint")
    finally:
        connection.close()


def _remove_stale_builds(target: Path) -> None:
    """A build killed earlier leaves its private file behind; no reader ever opens it. Called
    with the build lock held, so nothing else is writing it."""
    _remove_private_files(private_folder(target) / target.name)
    # Builds before the fixed private path used .building-<pid>/ folders.
    for stale in target.parent.glob(".building-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _remove_private_files(staging: Path) -> None:
    for path in (staging, staging.with_name(staging.name + ".wal")):
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _step(name: str, quiet: bool) -> None:
    if not quiet:
        print(f"== {name}", flush=True)
