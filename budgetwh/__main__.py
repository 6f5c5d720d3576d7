"""budgetwh: build and inspect the budget warehouse.

  build   ingest the documents under data/raw (only new or changed ones when a warehouse
          built by the same parser is published; --full for all), run dbt build (seeds,
          models, tests) on a private copy, and publish it over warehouse/budget.duckdb
          only if all of it passed; when the published warehouse was built from these very
          documents, models, seeds, tests, parser and packages, say it is up to date and
          stop (--force builds anyway). A document ingest cannot read is rejected (left out,
          listed in meta.rejected_documents); a family's blank template is set aside (listed
          there as blank_template, no failure); the build ends with a summary. Exit status:
          0 published, 3 published with rejections, 1 failed (nothing published), 2 usage.
          --strict: all or nothing (any rejection or document contradicting itself fails)
  ingest  parse documents into a DuckDB file's raw schema (no dbt, no publishing)
  status  which documents are in the published warehouse, when it was built, whether its
          tests passed, what ingest found in the sources, each document's quality status
          (marts.dim_document) and the documents rejected (meta.rejected_documents)
  docs    the dbt docs site (every model and column, 中文 / English) as one offline file,
          generated from a copy of the published warehouse; --check opens it in headless
          Chromium and takes a screenshot
  export-parquet
          write the raw tables of a built warehouse as parquet (OUT/<table>/data.parquet,
          types as ingest/core/schema.py declares them), read-only: what the dbt project
          reads on Spark or Trino
  report  a static HTML report with PNG charts (latest year by 类/款, change by conformed
          subject with and without transfers, basic/project and personnel/public, 三公,
          reconciliation findings), read from the published warehouse read-only
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from budgetwh.build import (EXIT_FAILED, EXIT_PUBLISHED, EXIT_PUBLISHED_WITH_REJECTIONS, PROJECT_ROOT, BuildFailed,
                            build, default_document_paths, read_summary, warehouse_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m budgetwh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="ingest, dbt build, publish atomically")
    build_cmd.add_argument("--target", type=Path, default=None,
                           help="warehouse file (default: $BUDGET_WAREHOUSE_PATH or warehouse/budget.duckdb)")
    build_cmd.add_argument("--documents", type=Path, nargs="*", default=None,
                           help="documents (default: every .txt and .pdf under data/raw and the sample documents, "
                                "$BUDGET_SAMPLE_DOCUMENTS or ../shared/sources)")
    build_cmd.add_argument("--quiet", action="store_true", help="print only errors")
    build_cmd.add_argument("--full", action="store_true",
                           help="parse every document again instead of continuing from the published warehouse")
    build_cmd.add_argument("--force", action="store_true",
                           help="build even when the published warehouse is up to date")
    build_cmd.add_argument("--strict", action="store_true",
                           help="all or nothing: fail (exit 1, nothing published) when any document is rejected "
                                "or contradicts itself")
    ingest_cmd = sub.add_parser("ingest", help="parse documents into a DuckDB file's raw schema")
    ingest_cmd.add_argument("paths", nargs="+", type=Path)
    ingest_cmd.add_argument("--db", required=True, type=Path)
    status_cmd = sub.add_parser("status", help="what the published warehouse holds")
    status_cmd.add_argument("--target", type=Path, default=None)
    docs_cmd = sub.add_parser(
        "docs", help="generate the dbt docs site (one offline HTML file)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""Generate the dbt docs site of the warehouse.

  1. copy the published warehouse to OUT/docs-db/ (dbt opens its database for writing,
     so it never touches the file analysts have open)
  2. dbt docs generate --static against the copy, with dbt's target path set to OUT:
     OUT/static_index.html is the whole site in one file (works offline, open it in a
     browser); OUT/index.html, manifest.json and catalog.json are dbt's usual output.
     Its head gets the CJK font (Noto Sans SC, SIL OFL 1.1) cut to the file's Chinese
     characters as a data: URL, so the Chinese reads on a machine without CJK fonts
  3. with --check: open the site in headless Chromium (/usr/bin/chromium, installed from
     Debian by scripts/ensure_chromium.sh where missing) with the fonts of a plain machine
     (any CJK font installed is hidden), require that the model list shows every mart, that
     the fct_expenditure page shows its columns with their Chinese descriptions and that the
     overview explains the crosswalk and the measures, save a screenshot of the page to
     OUT/docs-screenshot.png, and require on a screenshot (OUT/fct_expenditure-glyphs.png)
     that the page's Chinese characters are drawn as glyphs, not boxes""")
    docs_cmd.add_argument("--target", type=Path, default=None,
                          help="warehouse file (default: $BUDGET_WAREHOUSE_PATH or warehouse/budget.duckdb)")
    docs_cmd.add_argument("--out", type=Path, default=PROJECT_ROOT / "target",
                          help="folder the site is written to (default: target/)")
    docs_cmd.add_argument("--check", action="store_true",
                          help="open the site in headless Chromium, check it renders, take a screenshot")
    docs_cmd.add_argument("--quiet", action="store_true", help="print only errors and the result")
    report_cmd = sub.add_parser(
        "report", help="write the HTML report and its PNG charts",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""Write a static HTML report with PNG charts from the published warehouse.

  1. open the warehouse read-only (a running build never conflicts with it) and read the
     marts: fct_expenditure + dim_subject, subject_year_comparison, fct_headline_figure,
     fct_basic_expenditure_economic, fct_three_public, fct_reconciliation, fct_parse_finding
  2. register the CJK font with matplotlib (Noto Sans SC from the pinned PyPI package
     pylopdf-fonts-zh-cn, else fonts-noto-cjk / fonts-wqy-microhei; fails if none is
     installed rather than drawing boxes) and draw the charts as PNG:
       latest_by_section.png  the latest year's budget by 类 and 款, by fund source,
                              transfers to districts apart
       subject_change.png     totals per year and the largest changes by conformed subject
                              from the previous year, with and without transfers
       basic_project.png      basic vs project and personnel vs public by year
       three_public.png       三公 by year and category
       reconciliation.png     identities checked per document by status
  3. write OUT/index.html: the charts with their figures as tables (万元 as printed), and
     per document the reconciliation identities whose status is not ok and the parse
     findings; and OUT/fonts/: the same CJK font cut to the page's characters
     (noto-sans-sc-subset.woff, which the page's @font-face loads) and its licence
     (OFL.txt), so the page reads on a machine without CJK fonts. Open OUT/index.html in a
     browser; nothing is fetched from the network.""")
    report_cmd.add_argument("--target", type=Path, default=None,
                            help="warehouse file (default: $BUDGET_WAREHOUSE_PATH or warehouse/budget.duckdb)")
    report_cmd.add_argument("--out", type=Path, default=PROJECT_ROOT / "target" / "report",
                            help="folder for index.html and the PNGs (default: target/report/)")
    report_cmd.add_argument("--department", default=None,
                            help="the department of the per-department charts, by code or name (default: the "
                                 "one whose 部门预算 the warehouse holds for the most years)")
    export_cmd = sub.add_parser("export-parquet", help="write the raw tables as parquet (for Spark, Trino)")
    export_cmd.add_argument("--target", type=Path, default=None,
                            help="warehouse file (default: $BUDGET_WAREHOUSE_PATH or warehouse/budget.duckdb)")
    export_cmd.add_argument("--out", type=Path, required=True,
                            help="folder to write (replaced as a whole once every table is written)")
    args = parser.parse_args(argv)

    if args.command == "build":
        try:
            documents = args.documents
            if not documents:
                documents, note = default_document_paths()
                if note and not args.quiet:
                    print(note)
            target = build(args.target or warehouse_path(), documents, args.quiet,
                           args.full, args.force, args.strict)
        except BuildFailed as failure:
            print(f"build failed: {failure}", file=sys.stderr)
            return EXIT_FAILED
        summary = read_summary(target)
        if not args.quiet:
            print("\n".join(summary.lines()))
        elif summary.failures:
            print("\n".join(line for line in summary.lines() if line.lstrip().startswith("rejected")),
                  file=sys.stderr)
        return EXIT_PUBLISHED_WITH_REJECTIONS if summary.failures else EXIT_PUBLISHED
    if args.command == "ingest":
        from ingest.cli import main as ingest_main

        return ingest_main([*map(str, args.paths), "--db", str(args.db)])
    if args.command == "docs":
        return docs(args.target or warehouse_path(), args.out, args.check, args.quiet)
    if args.command == "report":
        return report(args.target or warehouse_path(), args.out, args.department)
    if args.command == "export-parquet":
        return export_parquet_command(args.target or warehouse_path(), args.out)
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
    summary = read_summary(target)
    print("quality (marts.dim_document) and rejected documents (meta.rejected_documents):")
    print("\n".join(summary.lines()))
    return 0


def docs(target: Path, out: Path, check: bool, quiet: bool) -> int:
    from report.docs_site import DocsFailed, check as check_site, generate
    from report.fonts import CJKFontMissing

    try:
        site = generate(target.resolve(), out.resolve(), quiet=quiet)
        print(f"docs: {site} (open it in a browser; one file, works offline)")
        if check:
            result = check_site(site, out.resolve() / "docs-screenshot.png")
            print(f"docs check: the model list shows {len(result.models_listed)} models; the "
                  f"{result.model} page renders its columns; screenshot {result.screenshot}; "
                  f"{result.glyphs.characters} drawn as glyphs without system CJK fonts "
                  f"({result.glyphs.screenshot})")
    except (DocsFailed, CJKFontMissing) as failure:
        print(f"docs failed: {failure}", file=sys.stderr)
        return 1
    return 0


def export_parquet_command(target: Path, out: Path) -> int:
    from budgetwh.export import ExportFailed, export_parquet

    try:
        tables = export_parquet(target, out)
    except ExportFailed as failure:
        print(f"export failed: {failure}", file=sys.stderr)
        return 1
    print(f"exported {len(tables)} raw tables ({sum(t.rows for t in tables)} rows) to {out.resolve()}")
    return 0


def report(target: Path, out: Path, department: str | None = None) -> int:
    from report.build import build_report
    from report.data import WarehouseMissing
    from report.fonts import CJKFontMissing

    try:
        index = build_report(target.resolve(), out.resolve(), department)
    except (WarehouseMissing, CJKFontMissing) as failure:
        print(f"report failed: {failure}", file=sys.stderr)
        return 1
    pngs = sorted(p.name for p in index.parent.glob("*.png"))
    print(f"report: {index} (open it in a browser) with {', '.join(pngs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
