"""`python -m ingest PATH… --db FILE`: parse documents and load them into the raw schema.

Documents already in the database with the same content (sha256) are not parsed again;
`--prune` removes documents that are in the database but not among PATH…, so the database
mirrors the given set.

The run streams: parsing runs on every core (`--jobs`) a few documents ahead of the
loading, and parsed documents are loaded as they arrive, in the order given, in batches of
at most BATCH_DOCUMENTS documents or BATCH_ROWS rows, so memory does not grow with the
number of documents and the database equals that of a serial run. The whole run is one
transaction: an error in the 900th of 1,000 documents (a bad file, a second document for a
department and year) leaves the database as it was before the run, and a database the run
created is removed again."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.core.document import SourceDocument, SourceFile, fingerprint, read_document
from ingest.core.errors import IngestError
from ingest.core.fidelity import FidelityReport, fidelity_report
from ingest.core.pdf import PdfDocument
from ingest.core.pdf_fidelity import pdf_fidelity_report
from ingest.core.load import DocumentSlice, delete_slice, encode_slice, ensure_schema, load_slices, rollback
from ingest.core.records import DocumentRecord
from ingest.core.version import parser_version
from ingest.pool import ordered_map
from ingest.progress import Progress
from ingest.parsed import ParsedDocument
from ingest.registry import parse_source, read_source

# Below this many documents a process pool costs more than it saves.
PARALLEL_THRESHOLD = 8
# Parsed documents waiting to be loaded, per parsing process: enough to keep every process
# busy while the loader writes a batch, few enough to keep memory flat.
AHEAD_PER_JOB = 4
# A batch is loaded with one read_csv per raw table; each call costs a few milliseconds
# whatever its size, so a batch of documents pays, and its CSV text (~60 KB per document)
# stays small.
BATCH_DOCUMENTS = 200
BATCH_ROWS = 100_000

# (region, department, fiscal year, document kind): at most one document each.
DepartmentYear = tuple[str, str, int, str]


@dataclass(frozen=True)
class IngestedDocument:
    """What a parsing process hands back: small and cheap to pickle (rows as CSV text)."""
    document: DocumentRecord
    rows: DocumentSlice
    summary: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, help="document text files")
    parser.add_argument("--db", required=True, type=Path, help="DuckDB file to load into")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parsing processes (default: cores)")
    parser.add_argument("--prune", action="store_true",
                        help="remove documents from the database that are not among PATH…")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)

    known = _loaded_hashes(args.db)
    created = not args.db.exists()
    try:
        sources, present = _new_sources(args.paths, known, args.quiet)
        removed = _ingest(args, sources, present)
    except IngestError as error:
        if created:
            _remove_database(args.db)
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BaseException:
        if created:
            _remove_database(args.db)
        raise
    if not args.quiet:
        for file_name in removed:
            print(f"{file_name}: no longer among the documents; removed")
    return 0


def _ingest(args: argparse.Namespace, sources: list[SourceFile], present: set[str]) -> list[str]:
    """Prune, parse and load in one transaction; the file names of the documents removed."""
    connection = duckdb.connect(str(args.db))
    try:
        connection.execute("begin transaction")
        try:
            ensure_schema(connection)
            # With --prune, documents not given are about to go: a revised document may replace
            # its older version for the same department and year.
            loaded = connection.execute("select document_id, file_name from raw.documents").fetchall()
            leaving = {d for d, _ in loaded} - present if args.prune else set()
            for document_id in leaving:
                delete_slice(connection, document_id)
            staying = _department_years(connection, leaving)
            _load_stream(connection, sources, args, staying)
            connection.execute("commit")
        except BaseException:
            rollback(connection)
            raise
    finally:
        connection.close()
    return [name for document_id, name in loaded if document_id in leaving]


def _load_stream(connection: duckdb.DuckDBPyConnection, sources: list[SourceFile], args: argparse.Namespace,
                 staying: dict[DepartmentYear, list[tuple[str, str]]]) -> None:
    """Parse (in worker processes when there are enough documents) and load in input order."""
    jobs = args.jobs if len(sources) >= PARALLEL_THRESHOLD else 1
    this_run: dict[DepartmentYear, str] = {}
    batch: list[DocumentSlice] = []
    batch_rows = 0
    progress = Progress(len(sources), "ingesting")
    try:
        with tempfile.TemporaryDirectory(prefix="ingest-load-") as scratch:
            for ingested in ordered_map(_parse_one, sources, jobs, ahead=jobs * AHEAD_PER_JOB):
                _check_department_year(ingested.document, this_run, staying, args.db.name)
                if not args.quiet:
                    print(ingested.summary)
                batch.append(ingested.rows)
                batch_rows += sum(t.row_count for t in ingested.rows.tables)
                if len(batch) >= BATCH_DOCUMENTS or batch_rows >= BATCH_ROWS:
                    load_slices(connection, batch, Path(scratch))
                    batch, batch_rows = [], 0
                progress.advance()
            load_slices(connection, batch, Path(scratch))
    finally:
        progress.close()


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


def _new_sources(paths: list[Path], known: dict[str, str], quiet: bool) -> tuple[list[SourceFile], set[str]]:
    """The documents to parse (new or changed), and the ids of every document given. Only
    hashes are kept: the text is read again by the process that parses it."""
    sources: list[SourceFile] = []
    seen: dict[str, Path] = {}
    for path in paths:
        source = fingerprint(path)
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
    return sources, present


def _parse_one(source: SourceFile) -> IngestedDocument:
    document = read_source(source.path)
    if document.sha256 != source.sha256:
        raise IngestError(source.file_name, None, "the content the ingest hashed when it started",
                          "a file that changed during the ingest")
    parsed = parse_source(document, str(source.path))
    # Every printed amount captured, every figure printed where it was read: else the
    # document fails like any other it cannot read (and the run loads nothing).
    report = (pdf_fidelity_report(document, parsed.records) if isinstance(document, PdfDocument)
              else fidelity_report(document, parsed.records))
    if (error := report.error()) is not None:
        raise error
    rows = encode_slice(parsed.document, parsed.rows())
    return IngestedDocument(parsed.document, rows, _summary(parsed, rows.row_counts(), report))


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
                           staying: dict[DepartmentYear, list[tuple[str, str]]], db_name: str) -> None:
    """One document per department and year, among the documents of this run and against
    those staying in the database (other than an earlier parse of this same document)."""
    key = (doc.region, doc.department_name, doc.fiscal_year, doc.document_kind)
    what = f"{doc.department_name} {doc.fiscal_year} {doc.document_kind} with other content"
    if key in this_run:
        raise IngestError(doc.file_name, None,
                          f"one document per department and year; {this_run[key]} already is {what}")
    this_run[key] = doc.file_name
    conflict = next((name for document_id, name in staying.get(key, []) if document_id != doc.document_id), None)
    if conflict:
        raise IngestError(doc.file_name, None,
                          f"one document per department and year; {conflict} in {db_name} already is {what}")


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
