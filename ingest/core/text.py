"""Text helpers shared by every template: wrapped prose, page numbers, Chinese numerals."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def chinese_numeral(text: str) -> int:
    """'三十六' → 36 (the numbering of 第二部分's line items goes up to the thirties)."""
    if not text or any(ch not in _NUMERALS for ch in text):
        raise ValueError(text)
    if "十" not in text:
        return _NUMERALS[text]
    tens, _, units = text.partition("十")
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)


@dataclass
class JoinedText:
    """Lines joined into one string (wrapped prose reads as one sentence), remembering the
    source line of every offset."""

    text: str
    starts: list[int]
    line_numbers: list[int]

    @classmethod
    def from_lines(cls, numbered_lines: list[tuple[int, str]], separator: str = "") -> "JoinedText":
        parts: list[str] = []
        starts: list[int] = []
        line_numbers: list[int] = []
        offset = 0
        for number, line in numbered_lines:
            if parts and separator:
                parts.append(separator)
                offset += len(separator)
            starts.append(offset)
            line_numbers.append(number)
            parts.append(line)
            offset += len(line)
        return cls("".join(parts), starts, line_numbers)

    def line_at(self, offset: int) -> int:
        return self.line_numbers[bisect.bisect_right(self.starts, offset) - 1]
