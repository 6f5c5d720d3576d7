"""The printed tokens of a text file for the fidelity check: location (line, character offset
of the token's first digit in the line as read), value, and whether it is an amount.

An amount (ingest/core/amounts.PROSE_AMOUNT: a number with separators or decimals, or an
integer before 万) is required; any other number (a code, a year, a count, '90' of '90 %')
is printed too and may be a captured figure, but need not be."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ingest.core.amounts import PROSE_AMOUNT, parse_amount
from ingest.core.tokens import PrintedToken

ANY_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def line_tokens(number: int, line: str) -> list[PrintedToken]:
    amounts = {m.start(): m.group() for m in PROSE_AMOUNT.finditer(line)}
    tokens = [PrintedToken((number, start), parse_amount(text)) for start, text in amounts.items()]
    tokens += [PrintedToken((number, m.start()), parse_amount(m.group()), required=False)
               for m in ANY_NUMBER.finditer(line) if m.start() not in amounts]
    tokens.sort(key=lambda t: t.location)
    return tokens


def text_tokens(lines: Sequence[str], first_line: int = 1) -> Iterable[PrintedToken]:
    for number, line in enumerate(lines, first_line):
        yield from line_tokens(number, line)


def indent(line: str) -> int:
    """Characters before the stripped text of a line: a token's offset in `line.strip()`
    plus this is its offset in the line as read."""
    return len(line) - len(line.lstrip())
