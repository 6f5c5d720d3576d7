"""Every worked query in README.md and docs/*.md is run, and its printed output must be what it
returns.

The convention (docs/index.md, "Worked queries"): a worked query is a fenced block whose info
string is `sql`, at the start of a line, followed (blank lines only in between) by a fenced
block whose info string is `text`: the result as `render` prints it. Every `sql` block in
those files is a worked query; SQL that is not meant to be run goes in a block of another
kind. A query must say `order by`, so its rows come in one order.

`render` prints the column names, a rule, then one line per row, columns separated by ` | `
and padded to the widest value (a Chinese character counts as two columns); numbers are
right-aligned, everything else left-aligned; NULL is `NULL`, booleans `true` / `false`, a
DECIMAL keeps its scale (22557.92, 0.00); trailing spaces are dropped.

The test runs each query read-only on the session's warehouse of the sample documents
(`real_warehouse`, tests/conftest.py). The printed outputs are written by this module, never
by hand: build a warehouse of the samples and rewrite every output block from it,

    .venv/bin/python -m budgetwh build --target /tmp/docs-wh/budget.duckdb
    .venv/bin/python -m tests.docs.test_worked_queries --update /tmp/docs-wh/budget.duckdb
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.samples

FENCE = re.compile(r"^```([\w-]*)\s*$")


def documentation_files(root: Path = ROOT) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


@dataclass(frozen=True)
class Block:
    info: str
    start: int  # index of the opening fence line (0-based)
    end: int  # index of the closing fence line
    body: str


@dataclass(frozen=True)
class WorkedQuery:
    path: Path
    line: int  # 1-based line of the ```sql fence
    sql: str
    output: Block | None  # the ```text block right after it, if any

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def fenced_blocks(lines: list[str]) -> list[Block]:
    blocks, index = [], 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        close = next((i for i in range(index + 1, len(lines)) if lines[i].rstrip() == "```"), None)
        if close is None:
            raise ValueError(f"line {index + 1}: a fenced block that is never closed")
        blocks.append(Block(opening.group(1), index, close, "".join(lines[index + 1:close])))
        index = close + 1
    return blocks


def worked_queries(path: Path) -> list[WorkedQuery]:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    blocks = fenced_blocks(lines)
    found = []
    for block, following in zip(blocks, [*blocks[1:], None]):
        if block.info != "sql":
            continue
        adjacent = (following is not None and following.info == "text"
                    and all(not line.strip() for line in lines[block.end + 1:following.start]))
        found.append(WorkedQuery(path, block.start + 1, block.body, following if adjacent else None))
    return found


def _cell(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_cell(v) for v in value) + "]"
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def render(columns: list[str], rows: list[tuple]) -> str:
    """The result as the docs print it (see the module's docstring)."""
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [bool(rows) and all(isinstance(row[i], (int, float, Decimal)) and not isinstance(row[i], bool)
                                  for row in rows if row[i] is not None) for i in range(len(columns))]
    widths = [max([_width(c) for c in [name, *(row[i] for row in cells)]]) for i, name in enumerate(columns)]
    lines = [" | ".join(_pad(name, widths[i], numeric[i]) for i, name in enumerate(columns)),
             " | ".join("-" * w for w in widths)]
    lines += [" | ".join(_pad(c, widths[i], numeric[i]) for i, c in enumerate(row)) for row in cells]
    return "".join(line.rstrip() + "\n" for line in lines)


def run(connection: duckdb.DuckDBPyConnection, sql: str) -> str:
    result = connection.execute(sql)
    return render([d[0] for d in result.description], result.fetchall())


def update(path: Path, connection: duckdb.DuckDBPyConnection) -> int:
    """Rewrite every worked query's output block in PATH from the warehouse (adding the block
    where a query has none); returns how many queries were run."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    queries = worked_queries(path)
    for query in reversed(queries):  # from the end, so earlier line numbers stay valid
        printed = ["```text\n", *run(connection, query.sql).splitlines(keepends=True), "```\n"]
        if query.output is None:
            sql_end = next(b.end for b in fenced_blocks(lines) if b.start == query.line - 1)
            lines[sql_end + 1:sql_end + 1] = ["\n", *printed]
        else:
            lines[query.output.start:query.output.end + 1] = printed
    if "".join(lines) != text:
        path.write_text("".join(lines), encoding="utf-8")
    return len(queries)


# -- the tests ---------------------------------------------------------------------------------

WORKED = [query for path in documentation_files() if path.exists() for query in worked_queries(path)]


def test_the_readme_has_worked_queries():
    readme = [q for q in WORKED if q.path.name == "README.md"]
    assert readme, "README.md has no ```sql block followed by its ```text output"
    assert any("2080116" in q.sql for q in readme), "the README's first query (2080116 across years) is gone"


def test_render_pads_chinese_by_display_width():
    assert render(["code", "name", "wan"], [("2080116", "引进人才费用", Decimal("952.00")),
                                          ("2011008", None, Decimal("22557.92"))]) == (
        "code    | name         |      wan\n"
        "------- | ------------ | --------\n"
        "2080116 | 引进人才费用 |   952.00\n"
        "2011008 | NULL         | 22557.92\n")


@pytest.fixture(scope="module")
def connection(warehouse):
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("query", WORKED, ids=lambda q: q.name)
def test_worked_query_prints_what_it_returns(query, connection):
    assert query.output is not None, (
        f"{query.name}: a ```sql block must be followed by its ```text output (see docs/index.md)")
    assert "order by" in query.sql.lower(), f"{query.name}: a worked query says `order by`"
    assert run(connection, query.sql) == query.output.body, (
        f"{query.name}: the printed output is not what the query returns; rewrite it with "
        "`.venv/bin/python -m tests.docs.test_worked_queries --update WAREHOUSE`")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="rewrite the output of every worked query in the docs")
    parser.add_argument("--update", type=Path, required=True, metavar="WAREHOUSE",
                        help="a warehouse built from the sample documents (opened read-only)")
    args = parser.parse_args(argv)
    connection = duckdb.connect(str(args.update), read_only=True)
    try:
        for path in documentation_files():
            if path.exists():
                print(f"{path.relative_to(ROOT)}: {update(path, connection)} worked queries")
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
