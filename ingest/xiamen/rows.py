"""Read the logical rows of a code-led table (附件2, 3, 5, 6).

A row starts with its code (or 合计) and ends with the line that carries its figures; the
name between may wrap over several lines, and a page number may stand alone on a line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.core.amounts import is_amount_cell, looks_numeric, parse_amount
from ingest.core.document import SourceDocument
from ingest.core.errors import IngestError
from ingest.core.text import PAGE_NUMBER
from ingest.core.text_tokens import indent
from ingest.xiamen.layout import Region, nonblank_lines

_TOTAL = re.compile(r"^合计[:：]?$")
_TOKEN = re.compile(r"\S+")


def token_spans(document: SourceDocument, number: int, text: str) -> list[tuple[int, str]]:
    """(offset in the line as read, token) of the whitespace-separated tokens of `text`,
    line `number` stripped."""
    base = indent(document.line(number))
    return [(base + m.start(), m.group()) for m in _TOKEN.finditer(text)]


def digit_offset(offset: int, token: str) -> int:
    """Where a figure's token is found by the token scanner: its first digit ('-12.00')."""
    return offset + 1 if token.startswith("-") else offset


@dataclass(frozen=True)
class TableRow:
    first_line: int
    figure_line: int
    code: str | None  # None on the 合计 row
    name: str
    figures: tuple[Decimal, ...]
    raw_text: str
    # Character offset of each figure's first digit in the figure line as read.
    offsets: tuple[int, ...] = ()


@dataclass(frozen=True)
class SkippedLine:
    line: int
    text: str
    reason: str


def read_code_rows(document: SourceDocument, region: Region, code_lengths: set[int],
                   skipped: list[SkippedLine]) -> list[TableRow]:
    lines = nonblank_lines(document, region)
    start = next((i for i, (_, text) in enumerate(lines) if text.split()[0].startswith("合计")), None)
    if start is None:
        raise IngestError(document.file_name, region.start,
                          f"a 合计 row opening the body of {region.table_id}", "none before the next table")
    rows: list[TableRow] = []
    pending: dict | None = None

    def starts_row(text: str) -> bool:
        first = text.split()[0]
        return first.startswith("合计") or (first.isdigit() and len(first) in code_lengths)

    for i in range(start, len(lines)):
        number, text = lines[i]
        tokens = text.split()
        if PAGE_NUMBER.match(text):
            following = lines[i + 1][1] if i + 1 < len(lines) else None
            is_code = len(tokens[0]) in code_lengths
            if pending is not None or not is_code or following is None or starts_row(following):
                skipped.append(SkippedLine(number, text, f"page number inside {region.table_id}"))
                continue
        spans = token_spans(document, number, text)
        if pending is None:
            first = tokens[0]
            total = re.match(r"^合计[:：]?(.*)$", first)
            if total:
                rest = ([(spans[0][0] + total.start(1), total.group(1))] if total.group(1) else []) + spans[1:]
                pending = {"first": number, "code": None, "name": ["合计"], "texts": [text]}
            elif first.isdigit() and len(first) in code_lengths:
                rest = spans[1:]
                pending = {"first": number, "code": first, "name": [], "texts": [text]}
            else:
                raise IngestError(document.file_name, number,
                                  f"a row of {region.table_id} starting with a code of "
                                  f"{'/'.join(str(n) for n in sorted(code_lengths))} digits or 合计", text)
        else:
            rest = spans
            pending["texts"].append(text)
        figures: list[Decimal] = []
        offsets: list[int] = []
        for offset, token in rest:
            if is_amount_cell(token):
                figures.append(parse_amount(token))
                offsets.append(digit_offset(offset, token))
            elif looks_numeric(token):
                raise IngestError(document.file_name, number, f"an amount (like 1,234.56) in {region.table_id}", token)
            elif figures:
                raise IngestError(document.file_name, number,
                                  f"the figures of a {region.table_id} row to end its line", token)
            else:
                pending["name"].append(token)
        if figures:
            name = "".join(pending["name"]) if pending["code"] else "合计"
            rows.append(TableRow(pending["first"], number, pending["code"], name, tuple(figures),
                                 " ".join(pending["texts"]), tuple(offsets)))
            pending = None
    if pending is not None:
        raise IngestError(document.file_name, pending["first"],
                          f"the figures of the row {' '.join(pending['texts'])!r} of {region.table_id}",
                          "end of table (truncated?)")
    return rows
