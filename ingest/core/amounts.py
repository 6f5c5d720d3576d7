"""Amount tokens as printed: '159,318.40', '78046.06', '4000' (before 万元)."""

from __future__ import annotations

import re
from decimal import Decimal

# An amount cell of a table: thousands separators optional, decimals optional.
AMOUNT_CELL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")

# An amount inside prose: a number with separators or decimals, or an integer directly
# followed by 万 (the 2020 prose prints '240万', '4000万元'). '50万以上' is a threshold in a
# label, not an amount, also when the line wraps between 以 and 上 ('单位价值100万以' ⏎ '上…',
# seen in generated documents whose longer department name moves the wrap). A wrap between 万
# and 以上 ('…100万' ⏎ '以上…') leaves nothing on the line to tell: the text token scanner
# (ingest/core/text_tokens.py) reads such a line with the start of the next printed line.
PROSE_AMOUNT = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+(?=\s*(?:万(?!以上|以\s*$)|元)))(?![\d.])")

AMOUNT_PATTERN = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def is_amount_cell(token: str) -> bool:
    return bool(AMOUNT_CELL.match(token))


def looks_numeric(token: str) -> bool:
    """A token that was meant as a figure: mostly digits, maybe with a stray character."""
    digits = sum(ch.isdigit() for ch in token)
    return digits >= 1 and digits + token.count(",") + token.count(".") >= len(token) - 1 and (
        "," in token or "." in token or digits >= 2)


def parse_amount(token: str) -> Decimal:
    return Decimal(token.replace(",", ""))


def prose_amount_tokens(text: str) -> list[tuple[int, Decimal]]:
    """(offset, value) of every amount token in a piece of prose."""
    return [(m.start(), parse_amount(m.group())) for m in PROSE_AMOUNT.finditer(text)]
