"""Row-for-row comparison of two result sets as multisets, with each value's Python type."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def typed(row: Iterable[object]) -> tuple:
    """(type, value) per column: 1 and True, or 1.5 and Decimal('1.5'), are equal in Python;
    the comparison must not let a float or a boolean pass for an amount or a count. Decimals
    compare by exact value (Decimal('1.0') == Decimal('1.00'): a wider scale on one engine is
    the same amount)."""
    return tuple((type(value).__name__, value) for value in row)


def row_differences(left: list[tuple], right: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Rows only in `left` and rows only in `right`, counting duplicates."""
    left_rows, right_rows = Counter(map(typed, left)), Counter(map(typed, right))
    return list((left_rows - right_rows).elements()), list((right_rows - left_rows).elements())
