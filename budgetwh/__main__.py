"""`python -m budgetwh build`: ingest every document and publish the warehouse atomically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetwh.build import BuildFailed, build, document_paths, warehouse_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m budgetwh", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="ingest data/raw/**.txt, run dbt build, publish atomically")
    build_cmd.add_argument("--target", type=Path, default=None,
                           help="warehouse file (default: $BUDGET_WAREHOUSE_PATH or warehouse/budget.duckdb)")
    build_cmd.add_argument("--documents", type=Path, nargs="*", default=None,
                           help="document text files (default: every .txt under data/raw)")
    build_cmd.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "build":
        try:
            build(args.target or warehouse_path(), args.documents or document_paths(), args.quiet)
        except BuildFailed as failure:
            print(f"build failed: {failure}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
