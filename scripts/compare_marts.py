"""Compare the marts of two warehouses row for row, across DuckDB versions.

An upgrade of dbt or DuckDB must leave the published results as they were. A warehouse
written by a newer DuckDB may not open in an older one, so the comparison goes through
Parquet, each warehouse exported by the DuckDB that built it:

    # before: the old environment exports its warehouse
    /old/.venv/bin/python scripts/compare_marts.py export /tmp/before/budget.duckdb /tmp/marts-before
    # after: the new environment exports its own
    .venv/bin/python scripts/compare_marts.py export warehouse/budget.duckdb /tmp/marts-after
    # compare (any environment): same marts, same columns and types, same rows
    .venv/bin/python scripts/compare_marts.py compare /tmp/marts-before /tmp/marts-after --json out.json

`export` writes one Parquet file per table of the `marts` schema and `export.json` (each
table's columns and types as DuckDB describes them, its row count, and the versions of
duckdb, dbt-core and dbt-duckdb that exported it). `compare` requires the same set of
tables, the same column names and types in the same order, and equal rows as multisets
(`except all` both ways: a duplicated row counts); it compares values exactly (no float
tolerance). Exit status 0 when every mart is equal, 1 otherwise."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb

SCHEMA = "marts"


def _versions() -> dict[str, str | None]:
    found = {}
    for package in ("duckdb", "dbt-core", "dbt-duckdb"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export(warehouse: Path, out: Path) -> dict:
    """Every table of the marts schema as <out>/<table>.parquet, described in <out>/export.json."""
    out.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [name for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_schema = ? order by table_name",
            [SCHEMA]).fetchall()]
        described = {}
        for table in tables:
            relation = f"{SCHEMA}.{_quote(table)}"
            columns = [[name, kind] for name, kind, *_ in connection.execute(f"describe {relation}").fetchall()]
            rows = connection.execute(f"select count(*) from {relation}").fetchone()[0]
            target = out / f"{table}.parquet"
            connection.execute(f"copy (select * from {relation}) to '{target}' (format parquet)")
            described[table] = {"columns": columns, "rows": rows}
        storage = connection.execute(
            "select tags from duckdb_databases() where database_name = current_database()").fetchone()[0]
    finally:
        connection.close()
    manifest = {"warehouse": str(warehouse), "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "versions": _versions(), "storage": storage, "tables": described}
    (out / "export.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def compare(before: Path, after: Path) -> dict:
    """Per table: equal or not, and why (missing, columns, rows only on one side)."""
    left = json.loads((before / "export.json").read_text(encoding="utf-8"))
    right = json.loads((after / "export.json").read_text(encoding="utf-8"))
    connection = duckdb.connect()
    results = {}
    for table in sorted(set(left["tables"]) | set(right["tables"])):
        if table not in left["tables"] or table not in right["tables"]:
            results[table] = {"equal": False, "why": "only in " + ("after" if table in right["tables"] else "before")}
            continue
        a, b = left["tables"][table], right["tables"][table]
        result = {"rows_before": a["rows"], "rows_after": b["rows"], "columns": len(a["columns"])}
        if [name for name, _ in a["columns"]] != [name for name, _ in b["columns"]]:
            result.update(equal=False, why="column names differ", columns_before=a["columns"],
                          columns_after=b["columns"])
        else:
            if a["columns"] != b["columns"]:
                # Same names, other types: the values are still compared (DuckDB casts to a common type).
                result.update(why="column types differ", types_differ=[
                    [name, kind_a, kind_b] for (name, kind_a), (_, kind_b) in zip(a["columns"], b["columns"])
                    if kind_a != kind_b])
            pa, pb = f"'{before / (table + '.parquet')}'", f"'{after / (table + '.parquet')}'"
            only_before = connection.execute(
                f"select count(*) from (select * from read_parquet({pa}) except all select * from read_parquet({pb}))"
            ).fetchone()[0]
            only_after = connection.execute(
                f"select count(*) from (select * from read_parquet({pb}) except all select * from read_parquet({pa}))"
            ).fetchone()[0]
            result.update(rows_only_before=only_before, rows_only_after=only_after,
                          equal=(only_before == 0 and only_after == 0 and a["rows"] == b["rows"]
                                 and a["columns"] == b["columns"]))
        results[table] = result
    connection.close()
    return {"compared_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "before": {"versions": left["versions"], "storage": left.get("storage")},
            "after": {"versions": right["versions"], "storage": right.get("storage")},
            "equal": all(r["equal"] for r in results.values()), "tables": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    exporting = commands.add_parser("export", help="export a warehouse's marts to Parquet")
    exporting.add_argument("warehouse", type=Path)
    exporting.add_argument("out", type=Path)
    comparing = commands.add_parser("compare", help="compare two exports row for row")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    comparing.add_argument("--json", type=Path, help="write the result here")
    args = parser.parse_args(argv)
    if args.command == "export":
        manifest = export(args.warehouse, args.out)
        print(f"{len(manifest['tables'])} tables of {args.warehouse} exported to {args.out} "
              f"(duckdb {manifest['versions']['duckdb']}, storage {manifest['storage']})")
        return 0
    result = compare(args.before, args.after)
    for table, r in result["tables"].items():
        if r["equal"]:
            state = "equal"
        else:
            state = "DIFFERENT: " + "; ".join(
                ([r["why"] + (f" {r['types_differ']}" if "types_differ" in r else "")] if "why" in r else [])
                + ([f"{r['rows_only_before']} rows only before, {r['rows_only_after']} only after"]
                   if "rows_only_before" in r else []))
        print(f"{table:34} {r.get('rows_before', '-'):>7} rows  {state}")
    print(f"before: {result['before']['versions']}\nafter:  {result['after']['versions']}")
    print("every mart equal" if result["equal"] else "marts differ")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if result["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
