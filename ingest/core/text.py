"""Text helpers shared by every template: wrapped prose, page numbers, Chinese numerals."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

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
    # Characters of each source line before the text joined (its indent, when the lines
    # were stripped): what turns an offset into the offset in the line as read.
    indents: Sequence[int] = field(default=())

    @classmethod
    def from_lines(cls, numbered_lines: list[tuple[int, str]], separator: str = "",
                   indents: Sequence[int] = ()) -> "JoinedText":
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
        return cls("".join(parts), starts, line_numbers, indents)

    def line_at(self, offset: int) -> int:
        return self.line_numbers[bisect.bisect_right(self.starts, offset) - 1]

    def location(self, offset: int) -> tuple[int, int]:
        """(line, offset in the line as read) of an offset of the joined text."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.line_numbers[i], offset - self.starts[i] + (self.indents[i] if self.indents else 0)
