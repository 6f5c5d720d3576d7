"""`python -m ingest PATH… --db FILE`: parse documents and load them into the raw schema."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import duckdb

from ingest.core.document import read_document
from ingest.core.errors import IngestError
from ingest.core.fidelity import fidelity_findings, fidelity_report
from ingest.core.load import ensure_schema, replace_document
from ingest.xiamen.parse import parse_document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Parse department budget documents (text extracted from their PDFs) into the "
                    "DuckDB schema raw. Every figure keeps its document and line.")
    parser.add_argument("paths", nargs="+", type=Path, help="document text files")
    parser.add_argument("--db", required=True, type=Path, help="DuckDB file to load into")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)

    parsed_documents = []
    seen_hashes: dict[str, Path] = {}
    seen_keys: dict[tuple, Path] = {}
    try:
        for path in args.paths:
            source = read_document(path)
            if source.sha256 in seen_hashes:
                print(f"{path.name}: same content as {seen_hashes[source.sha256].name}; ingested once",
                      file=sys.stderr)
                continue
            seen_hashes[source.sha256] = path
            parsed = parse_document(source, str(path))
            doc = parsed.document
            key = (doc.region, doc.department_name, doc.fiscal_year, doc.document_kind)
            if key in seen_keys:
                raise IngestError(path.name, None,
                                  f"one document per department and year; {seen_keys[key].name} already is "
                                  f"{doc.department_name} {doc.fiscal_year} {doc.document_kind} with other content")
            seen_keys[key] = path
            report = fidelity_report(source, parsed.records)
            parsed.findings.extend(fidelity_findings(parsed.document.document_id, report))
            parsed_documents.append((parsed, report))
    except IngestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    connection = duckdb.connect(str(args.db))
    try:
        ensure_schema(connection)
        for parsed, _ in parsed_documents:
            conflict = _conflicting_document(connection, parsed.document)
            if conflict:
                doc = parsed.document
                error = IngestError(doc.file_name, None,
                                    f"one document per department and year; {conflict} in {args.db.name} already is "
                                    f"{doc.department_name} {doc.fiscal_year} {doc.document_kind} with other content")
                print(f"error: {error}", file=sys.stderr)
                return 2
        for parsed, report in parsed_documents:
            counts = replace_document(connection, parsed.document, parsed.rows())
            if not args.quiet:
                _print_summary(parsed, counts, report)
    finally:
        connection.close()
    return 0


def _conflicting_document(connection, document) -> str | None:
    row = connection.execute(
        "select file_name from raw.documents where region = ? and department_name = ? and fiscal_year = ? "
        "and document_kind = ? and document_id <> ?",
        [document.region, document.department_name, document.fiscal_year, document.document_kind,
         document.document_id]).fetchone()
    return row[0] if row else None


def _print_summary(parsed, counts: dict[str, int], report) -> None:
    doc = parsed.document
    tables = Counter(getattr(r, "table_id", "") for r in parsed.records)
    severities = Counter(f.severity for f in parsed.findings)
    print(f"{doc.file_name}: {doc.department_name} {doc.fiscal_year} {doc.document_kind} "
          f"[{doc.template}, {doc.text_encoding}] id {doc.document_id}")
    print(f"  tables: {len(tables)}; rows: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.items())))
    print(f"  findings: " + (", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "none"))
    print(f"  figures: {report.figures}")
    print(f"  fidelity: {report.summary()}")
    for line, value, text in report.missed:
        print(f"    not captured: line {line}: {value} in {text!r}")
    for line, value, text in report.invented:
        print(f"    without a token: line {line}: {value} in {text!r}")
