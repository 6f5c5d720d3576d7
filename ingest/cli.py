"""`python -m ingest PATH… --db FILE`: parse documents and load them into the raw schema.

Documents already in the database with the same content (sha256) are not parsed again;
`--prune` removes documents that are in the database but not among PATH…, so the database
mirrors the given set.

The run streams: parsing runs on every core (`--jobs`) a few documents ahead of the
loading, and parsed documents are loaded as they arrive, in the order given, in batches of
at most BATCH_DOCUMENTS documents or BATCH_ROWS rows, so memory does not grow with the
number of documents and the database equals that of a serial run. The whole run is one
transaction for the documents it can read.

A document it cannot read (not a budget of a known template, encrypted, image-only, cut short,
undecodable, an ambiguous placement, a second document for the same
department, year, kind and scope, a parse over its time budget, a crashed parser) is
*rejected*: none of its rows is loaded, and it is recorded in raw.rejected_documents with its
message (file:line or file:page). If an earlier version of the same file (same source path) is
loaded, that version stays and the rejection names it (superseded_document_id). Exit status:
0 every document loaded, 3 loaded with rejections, 2 failure (nothing written; a database the
run created is removed). `--strict` keeps all-or-nothing: the first rejection fails the run
(exit 2) and nothing is written.

A file a family recognises as its blank template (上海市XX局, every table empty) is *set aside*:
recorded in raw.rejected_documents with the kind blank_template and nothing of it loaded, like a
rejection, but no failure (exit 0, `--strict` passes): it is no department's document, and the
finance bureau publishes it beside the accounts.

A document it reads but not faithfully (a printed amount not captured, a figure not printed
where it was read: the fidelity check) is loaded with one error finding per gap
(figure_not_captured, figure_not_printed) and named on stderr; `--strict` fails on it."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingest.core.document import SourceDocument, SourceFile, fingerprint
from ingest.core.errors import SET_ASIDE_KINDS, AmbiguousPlacement, BlankTemplate, IngestError, UnknownTemplate
from ingest.core.fidelity import FidelityReport, fidelity_report
from ingest.core.pdf import PdfDocument
from ingest.core.pdf_fidelity import pdf_fidelity_report
from ingest.core.load import (ColumnSlice, column_slice, connect, delete_slice, ensure_schema, load_frames,
                               rollback)
from ingest.core.records import DocumentRecord
from ingest.core.version import parser_version
from ingest.pool import ordered_map
from ingest.progress import Progress
from ingest.parsed import ParsedDocument
from ingest.registry import FAMILIES, parse_source, read_source

# Below this many documents a process pool costs more than it saves.
PARALLEL_THRESHOLD = 8
# Parsed documents waiting to be loaded, per parsing process: enough to keep every process
# busy while the loader writes a batch, few enough to keep memory flat.
AHEAD_PER_JOB = 4
# A batch is loaded with one insert per raw table; each costs about a millisecond whatever
# its size, so a batch of documents pays, and its frames (~100 KB per document) stay small.
BATCH_DOCUMENTS = 200
BATCH_ROWS = 100_000

# (region, department, fiscal year, document kind): at most one document each.
DepartmentYear = tuple[str, str, int, str]

# Seconds one document may take to read and parse (--parse-seconds); a parse that does not
# finish in time rejects its document.
PARSE_SECONDS = 120.0

EXIT_OK = 0
EXIT_FAILED = 2
EXIT_REJECTED = 3


@dataclass(frozen=True)
class IngestedDocument:
    """What a parsing process hands back: small and cheap to pickle (rows as typed frames)."""
    document: DocumentRecord
    rows: ColumnSlice
    summary: str
    # The fidelity check's message when some printed amount is not captured or some figure
    # is not printed where it was read (the document is loaded with a finding per gap).
    fidelity_gaps: str | None = None


@dataclass(frozen=True)
class RejectedDocument:
    """A document the ingest could not read: nothing of it is loaded; this row is recorded."""
    file_name: str
    source_path: str
    sha256: str | None
    template: str | None
    kind: str  # unknown_template, unreadable, ambiguous_placement, department_year_taken, …
    message: str  # names the file and the line or page, like the error it stands for
    superseded_document_id: str | None = None

    @property
    def set_aside(self) -> bool:
        return self.kind in SET_ASIDE_KINDS

    @property
    def document_id(self) -> str | None:
        return SourceDocument.id_for(self.sha256) if self.sha256 else None


class StrictRejection(Exception):
    """--strict: the first document rejected fails the whole run."""


class ParseTimeout(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, help="document text files")
    parser.add_argument("--db", required=True, type=Path, help="DuckDB file to load into")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parsing processes (default: cores)")
    parser.add_argument("--prune", action="store_true",
                        help="remove documents from the database that are not among PATH…")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    parser.add_argument("--strict", action="store_true",
                        help="all or nothing: fail the run (exit 2, nothing written) on the first document rejected")
    parser.add_argument("--parse-seconds", type=float, default=PARSE_SECONDS,
                        help=f"time budget to read and parse one document (default {PARSE_SECONDS:g}); "
                             "a parse over it rejects its document")
    args = parser.parse_args(argv)

    known = _loaded_hashes(args.db)
    created = not args.db.exists()
    try:
        sources, present, unreadable = _new_sources(args.paths, known, args.quiet)
        if unreadable and args.strict:
            raise StrictRejection(unreadable[0].message)
        removed, rejected = _ingest(args, sources, present, unreadable)
    except (IngestError, StrictRejection) as error:
        if created:
            _remove_database(args.db)
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except BaseException:
        if created:
            _remove_database(args.db)
        raise
    if not args.quiet:
        for file_name in removed:
            print(f"{file_name}: no longer among the documents; removed")
    for rejection in rejected:
        if rejection.set_aside:
            if not args.quiet:
                print(f"set aside (not loaded): {rejection.message} [{rejection.kind}]")
            continue
        kept = (f"; its earlier version {rejection.superseded_document_id} stays loaded"
                if rejection.superseded_document_id else "")
        print(f"rejected: {rejection.message} [{rejection.kind}]{kept}", file=sys.stderr)
    return EXIT_REJECTED if any(not r.set_aside for r in rejected) else EXIT_OK


def _ingest(args: argparse.Namespace, sources: list[SourceFile], present: set[str],
            unreadable: list[RejectedDocument]) -> tuple[list[str], list[RejectedDocument]]:
    """Prune, parse and load in one transaction; the file names of the documents removed and
    the documents rejected."""
    connection = connect(args.db)
    try:
        connection.execute("begin transaction")
        try:
            ensure_schema(connection)
            # With --prune, documents not given are about to go: a revised document may replace
            # its older version for the same department and year. The earlier version of a
            # file parsed again goes only once its new version is loaded: if the new version
            # is rejected, the earlier one stays.
            loaded = connection.execute("select document_id, file_name, source_path from raw.documents").fetchall()
            leaving = {d for d, _, _ in loaded} - present if args.prune else set()
            reparsed = {str(s.path) for s in sources}
            earlier = {path: d for d, _, path in loaded if d in leaving and path in reparsed}
            for document_id in leaving - set(earlier.values()):
                delete_slice(connection, document_id)
            staying = _department_years(connection, leaving)
            rejected = _load_stream(connection, sources, args, staying, earlier)
            rejected = [*unreadable, *rejected]
            kept = set()
            for rejection in rejected:
                kept.add(rejection.superseded_document_id)
            for document_id in set(earlier.values()) - kept:
                delete_slice(connection, document_id)
            _record_rejections(connection, args, rejected)
            connection.execute("commit")
        except BaseException:
            rollback(connection)
            raise
    finally:
        connection.close()
    gone = leaving - kept
    return [name for document_id, name, _ in loaded if document_id in gone], rejected


def _record_rejections(connection: duckdb.DuckDBPyConnection, args: argparse.Namespace,
                       rejected: list[RejectedDocument]) -> None:
    """raw.rejected_documents holds the rejections of the latest run of each file: a file
    given again is judged again (with --prune, the table holds this run's rejections only)."""
    if args.prune:
        connection.execute("delete from raw.rejected_documents")
    else:
        for path in args.paths:
            connection.execute("delete from raw.rejected_documents where source_path = ?", [str(path)])
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for r in rejected:
        connection.execute("insert into raw.rejected_documents values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [r.document_id, r.file_name, r.source_path, r.sha256, r.template, r.kind, r.message,
                            r.superseded_document_id, now])


def _load_stream(connection: duckdb.DuckDBPyConnection, sources: list[SourceFile], args: argparse.Namespace,
                 staying: dict[DepartmentYear, list[tuple[str, str]]],
                 earlier: dict[str, str]) -> list[RejectedDocument]:
    """Parse (in worker processes when there are enough documents) and load in input order;
    the documents rejected (with --strict the first one raises StrictRejection)."""
    jobs = args.jobs if len(sources) >= PARALLEL_THRESHOLD else 1
    this_run: dict[DepartmentYear, str] = {}
    batch: list[ColumnSlice] = []
    batch_rows = 0
    rejected: list[RejectedDocument] = []
    progress = Progress(len(sources), "ingesting")
    work = [(source, args.parse_seconds) for source in sources]
    try:
        for source, ingested in zip(sources, ordered_map(_parse_guarded, work, jobs,
                                                         ahead=jobs * AHEAD_PER_JOB,
                                                         on_crash=_crashed)):
            if isinstance(ingested, IngestedDocument):
                try:
                    _check_department_year(ingested.document, this_run, staying)
                except IngestError as error:
                    ingested = _rejection(source, ingested.document.template, "department_year_taken", error)
            if isinstance(ingested, RejectedDocument):
                if args.strict and not ingested.set_aside:
                    raise StrictRejection(ingested.message)
                rejected.append(replace(ingested, superseded_document_id=earlier.get(str(source.path))))
                progress.advance()
                continue
            if ingested.fidelity_gaps is not None:
                if args.strict:
                    raise StrictRejection(ingested.fidelity_gaps)
                print(f"not faithfully read (loaded with a finding per gap): {ingested.fidelity_gaps}",
                      file=sys.stderr)
            if not args.quiet:
                print(ingested.summary)
            batch.append(ingested.rows)
            batch_rows += sum(t.row_count for t in ingested.rows.tables)
            if len(batch) >= BATCH_DOCUMENTS or batch_rows >= BATCH_ROWS:
                load_frames(connection, batch)
                batch, batch_rows = [], 0
            progress.advance()
        load_frames(connection, batch)
    finally:
        progress.close()
    return rejected


def _loaded_hashes(db: Path) -> dict[str, str]:
    """sha256 → document_id of the documents the database already holds, parsed by this
    version of the parser (older parses are parsed again)."""
    if not db.exists():
        return {}
    connection = duckdb.connect(str(db), read_only=True)
    try:
        if not connection.execute("select 1 from duckdb_tables() where schema_name = 'raw' "
                                  "and table_name = 'documents'").fetchall():
            return {}
        return dict(connection.execute("select sha256, document_id from raw.documents where parser_version = ?",
                                       [parser_version()]).fetchall())
    finally:
        connection.close()


def _new_sources(paths: list[Path], known: dict[str, str], quiet: bool
                 ) -> tuple[list[SourceFile], set[str], list[RejectedDocument]]:
    """The documents to parse (new or changed), the ids of every document given, and the
    files rejected before parsing (missing, unreadable, oversized). Only hashes are kept: the
    text is read again by the process that parses it."""
    sources: list[SourceFile] = []
    seen: dict[str, Path] = {}
    unreadable: list[RejectedDocument] = []
    for path in paths:
        try:
            source = fingerprint(path)
        except IngestError as error:
            unreadable.append(RejectedDocument(Path(path).name, str(path), None, None, "unreadable", str(error)))
            continue
        if source.sha256 in seen:
            print(f"{path.name}: same content as {seen[source.sha256].name}; ingested once", file=sys.stderr)
            continue
        seen[source.sha256] = path
        if source.sha256 in known:
            if not quiet:
                print(f"{path.name}: unchanged since it was loaded; not parsed again")
            continue
        sources.append(source)
    present = {known.get(h) or SourceDocument.id_for(h) for h in seen}
    return sources, present, unreadable


def _parse_guarded(work: tuple[SourceFile, float]) -> IngestedDocument | RejectedDocument:
    """_parse_one, with every failure of the document turned into its rejection (in the
    worker, so nothing but a small record crosses back) and a time budget for the parse."""
    source, seconds = work
    previous = signal.signal(signal.SIGALRM, _timed_out)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            return _parse_one(source)
        finally:
            # Disarmed before any handler runs: the alarm repeats once it has fired
            # (_timed_out), and a handler below may read the document again (_family).
            signal.setitimer(signal.ITIMER_REAL, 0)
    except ParseTimeout:
        return RejectedDocument(source.file_name, str(source.path), source.sha256, None, "parse_timeout",
                                f"{source.file_name}: expected a parse within {seconds:g} s; found 'a parse still running "
                                f"after {seconds:g} s (stopped)'")
    except AmbiguousPlacement as error:
        return _rejection(source, _family(source), "ambiguous_placement", error)
    except BlankTemplate as error:
        return _rejection(source, _family(source), "blank_template", error)
    except UnknownTemplate as error:
        return _rejection(source, None, "unknown_template", error)
    except IngestError as error:
        return _rejection(source, _family(source), "unreadable", error)
    except Exception as error:  # a parser bug met on hostile input rejects its document, not the run
        return RejectedDocument(source.file_name, str(source.path), source.sha256, _family(source), "parser_error",
                                f"{source.file_name}: expected a document the parser can read; found "
                                f"{type(error).__name__}: {str(error)[:300]!r}")
    finally:
        signal.signal(signal.SIGALRM, previous)


# After the budget runs out, the alarm repeats this often until the parse stops.
TIMEOUT_REPEAT_SECONDS = 0.05


def _timed_out(signum, frame):
    # The exception is raised wherever the parse happens to be; inside a finaliser (__del__, a
    # weakref or gc callback) Python reports it as unraisable and carries on, and the parse
    # would run on without a budget. The alarm is armed again so that it repeats until the
    # exception reaches _parse_guarded, which disarms it.
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_REPEAT_SECONDS)
    raise ParseTimeout()


def _crashed(work: tuple[SourceFile, float], error: BaseException) -> RejectedDocument:
    """The worker parsing this document died (a crash in native code, killed for memory)."""
    source = work[0]
    return RejectedDocument(source.file_name, str(source.path), source.sha256, None, "worker_crashed",
                            f"{source.file_name}: expected a parse that ends; found 'the parsing process "
                            f"died ({type(error).__name__})'")


def _rejection(source: SourceFile, template: str | None, kind: str, error: IngestError) -> RejectedDocument:
    return RejectedDocument(source.file_name, str(source.path), source.sha256, template, kind, str(error))


def _family(source: SourceFile) -> str | None:
    """The family that recognises the document, where it can still be told (best effort)."""
    try:
        document = read_source(source.path)
        claimed = [f.name for f in FAMILIES if f.recognise(document)]
    except Exception:
        return None
    return claimed[0] if len(claimed) == 1 else None


def _parse_one(source: SourceFile) -> IngestedDocument:
    document = read_source(source.path)
    if document.sha256 != source.sha256:
        raise IngestError(source.file_name, None, "the content the ingest hashed when it started",
                          "a file that changed during the ingest")
    parsed = parse_source(document, str(source.path))
    # Every printed amount captured, every figure printed where it was read. A gap does not
    # keep the document out (one parser limit must not hold back a city's refresh): it is
    # published with one error finding per gap, so marts.dim_document says it is not
    # faithfully read, and --strict refuses it.
    report = (pdf_fidelity_report(document, parsed.records, parsed.quarantined)
              if isinstance(document, PdfDocument) else fidelity_report(document, parsed.records))
    error = report.error()
    if error is not None:
        parsed.findings.extend(report.findings(parsed.document.document_id))
    rows = column_slice(parsed.document, parsed.rows())
    return IngestedDocument(parsed.document, rows, _summary(parsed, rows.row_counts(), report),
                            None if error is None else str(error))


def _department_years(connection: duckdb.DuckDBPyConnection, leaving: set[str]
                      ) -> dict[DepartmentYear, list[tuple[str, str]]]:
    """(document_id, file_name) of the documents that stay in the database, by department and year."""
    staying: dict[DepartmentYear, list[tuple[str, str]]] = {}
    for region, department, year, kind, document_id, file_name in connection.execute(
            "select region, department_name, fiscal_year, document_kind, document_id, file_name "
            "from raw.documents order by file_name").fetchall():
        if document_id not in leaving:
            staying.setdefault((region, department, year, kind), []).append((document_id, file_name))
    return staying


def _check_department_year(doc: DocumentRecord, this_run: dict[DepartmentYear, str],
                           staying: dict[DepartmentYear, list[tuple[str, str]]]) -> None:
    """One document per department and year, among the documents of this run and against
    those staying in the database (other than an earlier parse of this same document). The
    message is the same either way, so a rejection reads the same in every build."""
    key = (doc.region, doc.department_name, doc.fiscal_year, doc.document_kind)
    what = f"{doc.department_name} {doc.fiscal_year} {doc.document_kind} with other content"
    if key in this_run:
        raise IngestError(doc.file_name, None,
                          f"one document per department and year; {this_run[key]} already is {what}")
    conflict = next((name for document_id, name in staying.get(key, []) if document_id != doc.document_id), None)
    if conflict:
        raise IngestError(doc.file_name, None,
                          f"one document per department and year; {conflict} already is {what}")
    # Only a document that is loaded takes its department and year.
    this_run[key] = doc.file_name


def _remove_database(db: Path) -> None:
    """A run that created the database and failed leaves no file behind."""
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)


def _summary(parsed: ParsedDocument, counts: dict[str, int], report: FidelityReport) -> str:
    doc = parsed.document
    tables = Counter(getattr(r, "table_id", "") for r in parsed.records)
    severities = Counter(f.severity for f in parsed.findings)
    lines = [f"{doc.file_name}: {doc.department_name} {doc.fiscal_year} {doc.document_kind} "
             f"[{doc.template}, {doc.text_encoding}] id {doc.document_id}",
             f"  tables: {len(tables)}; rows: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.items())),
             "  findings: " + (", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "none"),
             f"  figures: {report.figures}",
             f"  fidelity: {report.summary()}"]
    return "\n".join(lines)
