"""budgetwh: build and inspect the budget warehouse.

  build   ingest the documents under data/raw (only new or changed ones when a warehouse
          built by the same parser is published; --full for all), run dbt build (seeds,
          models, tests) on a private copy, and publish it over warehouse/budget.duckdb
          only if all of it passed
  ingest  parse documents into a DuckDB file's raw schema (no dbt, no publishing)
  status  which documents are in the published warehouse, when it was built, whether its
          tests passed, and what ingest found in the sources
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from budgetwh.build import BuildFailed, build, document_paths, warehouse_path
from ingest.cli import main as ingest_main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m budgetwh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="ingest, dbt build, publish atomically")
    build_cmd.add_argument("--target", type=Path, default=None,
                           help="warehouse file (default: $BUDGET_WAREHOUSE_PATH or warehouse/budget.duckdb)")
    build_cmd.add_argument("--documents", type=Path, nargs="*", default=None,
                           help="document text files (default: every .txt under data/raw)")
    build_cmd.add_argument("--quiet", action="store_true", help="print only errors")
    build_cmd.add_argument("--full", action="store_true",
                           help="parse every document again instead of continuing from the published warehouse")
    ingest_cmd = sub.add_parser("ingest", help="parse documents into a DuckDB file's raw schema")
    ingest_cmd.add_argument("paths", nargs="+", type=Path)
    ingest_cmd.add_argument("--db", required=True, type=Path)
    status_cmd = sub.add_parser("status", help="what the published warehouse holds")
    status_cmd.add_argument("--target", type=Path, default=None)
    args = parser.parse_args(argv)

    if args.command == "build":
        try:
            build(args.target or warehouse_path(), args.documents or document_paths(), args.quiet, args.full)
        except BuildFailed as failure:
            print(f"build failed: {failure}", file=sys.stderr)
            return 1
        return 0
    if args.command == "ingest":
        return ingest_main([*map(str, args.paths), "--db", str(args.db)])
    return status((args.target or warehouse_path()).resolve())


def status(target: Path) -> int:
    if not target.exists():
        print(f"no warehouse at {target}: run `make build`")
        return 1
    connection = duckdb.connect(str(target), read_only=True)
    try:
        if not connection.execute("select 1 from duckdb_tables() where schema_name = 'meta' "
                                  "and table_name = 'build_info'").fetchall():
            print(f"{target} was not published by `budgetwh build` (no meta.build_info)")
            return 1
        built_at, documents, passed, seconds = connection.execute(
            "select built_at, documents, tests_passed, build_seconds from meta.build_info").fetchone()
        print(f"warehouse: {target}")
        print(f"built at:  {built_at:%Y-%m-%d %H:%M:%S} UTC in {seconds:.1f} s; dbt tests "
              f"{'passed' if passed else 'FAILED'}")
        print("documents:")
        rows = connection.execute(
            "select d.file_name, d.department_name, d.fiscal_year, d.document_kind, d.template, d.document_id, "
            "count(f.finding_kind) filter (where f.severity = 'warn'), count(f.finding_kind) filter (where f.severity = 'error') "
            "from raw.documents d left join raw.parse_findings f using (document_id) "
            "group by all order by d.fiscal_year, d.file_name").fetchall()
        for name, department, year, kind, template, doc_id, warns, errors in rows:
            print(f"  {year} {department} {kind}  {name} [{template}] {doc_id}: {warns} warnings, {errors} errors")
        listed = set(json.loads(documents))
        missing = listed - {r[0] for r in rows}
        if missing:
            print(f"  (named in the build but not loaded: {', '.join(sorted(missing))})")
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
