"""The printed tokens of a text file for the fidelity check: location (line, character offset
of the token's first digit in the line as read), value, and whether it is an amount.

An amount (ingest/core/amounts.PROSE_AMOUNT: a number with separators or decimals, or an
integer before 万) is required; any other number (a code, a year, a count, '90' of '90 %')
is printed too and may be a captured figure, but need not be.

A line is read with the start of the next printed line after it when it ends in 万 or 万以:
'单位价值100万' ⏎ '以上专用设备' is the threshold '100万以上' of a label wrapped between 万 and
以上, not an amount of 100万 (the next printed line: blank lines and a page's leading space,
as the text files print them, are skipped)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ingest.core.amounts import PROSE_AMOUNT, parse_amount
from ingest.core.tokens import PrintedToken

ANY_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# A line that may end inside a threshold '…万以上': what follows it on the next line decides.
_WRAPS_THRESHOLD = re.compile(r"\d\s*万以?$")
# The start of the next line that the lookahead of PROSE_AMOUNT needs ('以上' or '上'):
# never a digit, so joining it cannot change a token of the line itself.
_CONTINUATION = re.compile(r"[^\d\s.,]{0,2}")


def line_tokens(number: int, line: str, following: str = "") -> list[PrintedToken]:
    """The tokens of `line`; `following` is the next printed line (read for a wrapped '万以上')."""
    scan = line
    stripped = line.rstrip()
    if following and _WRAPS_THRESHOLD.search(stripped):
        scan = stripped + _CONTINUATION.match(following.lstrip()).group()
    amounts = {m.start(): m.group() for m in PROSE_AMOUNT.finditer(scan) if m.start() < len(line)}
    tokens = [PrintedToken((number, start), parse_amount(text)) for start, text in amounts.items()]
    tokens += [PrintedToken((number, m.start()), parse_amount(m.group()), required=False)
               for m in ANY_NUMBER.finditer(line) if m.start() not in amounts]
    tokens.sort(key=lambda t: t.location)
    return tokens


def next_printed(lines: Sequence[str], index: int) -> str:
    """The first non-blank line after lines[index], or ''."""
    for line in lines[index + 1:]:
        if line.strip():
            return line
    return ""


def text_tokens(lines: Sequence[str], first_line: int = 1) -> Iterable[PrintedToken]:
    for index, line in enumerate(lines):
        following = next_printed(lines, index) if _WRAPS_THRESHOLD.search(line.rstrip()) else ""
        yield from line_tokens(first_line + index, line, following)


def indent(line: str) -> int:
    """Characters before the stripped text of a line: a token's offset in `line.strip()`
    plus this is its offset in the line as read."""
    return len(line) - len(line.lstrip())
