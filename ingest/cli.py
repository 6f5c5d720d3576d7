"""`python -m ingest PATH… --db FILE`: parse documents and load them into the raw schema.

Documents already in the database with the same content (sha256) are not parsed again;
`--prune` removes documents that are in the database but not among PATH…, so the database
mirrors the given set. Parsing runs on every core (`--jobs`); loading is serial and in the
order given, so the result is the same as a serial run."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb

from ingest.core.document import SourceDocument, read_document
from ingest.core.errors import IngestError
from ingest.core.fidelity import FidelityReport, fidelity_findings, fidelity_report
from ingest.core.load import delete_document, ensure_schema, replace_document
from ingest.core.version import parser_version
from ingest.progress import Progress
from ingest.xiamen.parse import ParsedDocument, parse_document

# Below this many documents a process pool costs more than it saves.
PARALLEL_THRESHOLD = 8


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
    try:
        sources, present = _read_new_sources(args.paths, known, args.quiet)
        parsed_documents = _parse_all(sources, args.jobs)
        _check_one_per_department_year([p for p, _ in parsed_documents])
    except IngestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    connection = duckdb.connect(str(args.db))
    try:
        ensure_schema(connection)
        # With --prune, documents not given are about to go: a revised document may replace
        # its older version for the same department and year.
        leaving = set()
        if args.prune:
            leaving = {d for (d,) in connection.execute("select document_id from raw.documents").fetchall()} - present
        for parsed, _ in parsed_documents:
            conflict = _conflicting_document(connection, parsed.document, leaving)
            if conflict:
                doc = parsed.document
                error = IngestError(doc.file_name, None,
                                    f"one document per department and year; {conflict} in {args.db.name} already is "
                                    f"{doc.department_name} {doc.fiscal_year} {doc.document_kind} with other content")
                print(f"error: {error}", file=sys.stderr)
                return 2
        for document_id, file_name in connection.execute("select document_id, file_name from raw.documents").fetchall():
            if document_id in leaving:
                delete_document(connection, document_id)
                if not args.quiet:
                    print(f"{file_name}: no longer among the documents; removed")
        for parsed, report in parsed_documents:
            counts = replace_document(connection, parsed.document, parsed.rows())
            if not args.quiet:
                _print_summary(parsed, counts, report)
    finally:
        connection.close()
    return 0


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


def _read_new_sources(paths: list[Path], known: dict[str, str], quiet: bool
                      ) -> tuple[list[SourceDocument], set[str]]:
    """The documents to parse (new or changed), and the ids of every document given."""
    sources: list[SourceDocument] = []
    seen: dict[str, Path] = {}
    for path in paths:
        source = read_document(path)
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


def _parse_one(source: SourceDocument) -> tuple[ParsedDocument, FidelityReport]:
    parsed = parse_document(source, str(source.path))
    report = fidelity_report(source, parsed.records)
    parsed.findings.extend(fidelity_findings(parsed.document.document_id, report))
    return parsed, report


def _parse_all(sources: list[SourceDocument], jobs: int) -> list[tuple[ParsedDocument, FidelityReport]]:
    progress = Progress(len(sources), "parsing")
    results = []
    try:
        if jobs > 1 and len(sources) >= PARALLEL_THRESHOLD:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                # map keeps the input order, so loading order and results match a serial run.
                for result in pool.map(_parse_one, sources, chunksize=max(1, len(sources) // (jobs * 8))):
                    results.append(result)
                    progress.advance()
        else:
            for source in sources:
                results.append(_parse_one(source))
                progress.advance()
    finally:
        progress.close()
    return results


def _check_one_per_department_year(documents: list[ParsedDocument]) -> None:
    seen: dict[tuple, str] = {}
    for parsed in documents:
        doc = parsed.document
        key = (doc.region, doc.department_name, doc.fiscal_year, doc.document_kind)
        if key in seen:
            raise IngestError(doc.file_name, None,
                              f"one document per department and year; {seen[key]} already is "
                              f"{doc.department_name} {doc.fiscal_year} {doc.document_kind} with other content")
        seen[key] = doc.file_name


def _conflicting_document(connection, document, leaving: set[str]) -> str | None:
    rows = connection.execute(
        "select document_id, file_name from raw.documents where region = ? and department_name = ? "
        "and fiscal_year = ? and document_kind = ? and document_id <> ?",
        [document.region, document.department_name, document.fiscal_year, document.document_kind,
         document.document_id]).fetchall()
    return next((name for document_id, name in rows if document_id not in leaving), None)


def _print_summary(parsed: ParsedDocument, counts: dict[str, int], report: FidelityReport) -> None:
    doc = parsed.document
    tables = Counter(getattr(r, "table_id", "") for r in parsed.records)
    severities = Counter(f.severity for f in parsed.findings)
    print(f"{doc.file_name}: {doc.department_name} {doc.fiscal_year} {doc.document_kind} "
          f"[{doc.template}, {doc.text_encoding}] id {doc.document_id}")
    print(f"  tables: {len(tables)}; rows: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.items())))
    print("  findings: " + (", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "none"))
    print(f"  figures: {report.figures}")
    print(f"  fidelity: {report.summary()}")
    for line, value, text in report.missed:
        print(f"    not captured: line {line}: {value} in {text!r}")
    for line, value, text in report.invented:
        print(f"    without a token: line {line}: {value} in {text!r}")
