"""The prose of a PDF read as one stream of characters, for any family that reads figures from it.

A sentence runs on over lines and pages, so the prose pages are read as one string, each
character remembering its page, line and box; a family finds its figures in the string
with its own patterns and `ProseStream.figure` gives each the box of its own digits and
the sentence it stands in. `keep_other_amounts` is the catch-all: every amount of the
prose that no named pattern took is kept with its clause, so nothing printed is dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.core.amounts import PROSE_AMOUNT, parse_amount
from ingest.core.pdf import Char, PdfDocument
from ingest.core.pdf_fidelity import THRESHOLD_AFTER
from ingest.core.records import ProseFigure

# Which way a change on the prior year goes, just before the figure it qualifies
# (比2024年预算增加 / 比2024年预算执行数减少): 减少 makes the figure negative.
CHANGE_SIGN = re.compile(r"比\d{4}年预算(?:执行数)?(增加|减少)$")
# The clause an amount stands in: from the last punctuation before it.
_CLAUSE_START = re.compile(r"[，。；：、,;:\n]")


@dataclass
class ProseStream:
    """The prose pages' text as one string, each character with where it was printed."""
    text: str
    chars: list[tuple[Char, int, int]]  # (char, page, line on page); a line break has none

    def figure(self, document_id: str, start: int, end: int, row_order: int, **fields) -> ProseFigure:
        printed = [self.chars[i] for i in range(start, end) if self.chars[i] is not None]
        first, page, line = printed[0]
        same_line = [c for c, p, n in printed if p == page and n == line]
        sentence_start = max(self.text.rfind("。", 0, start), self.text.rfind("\n", 0, start)) + 1
        sentence_end = self.text.find("。", end)
        raw = self.text[sentence_start:sentence_end + 1 if sentence_end >= 0 else len(self.text)].strip()
        return ProseFigure(
            document_id=document_id, table_id=fields.pop("table_id"), row_order=row_order, page_number=page,
            x0=round(min(c.x0 for c in same_line), 2), top=round(min(c.top for c in same_line), 2),
            x1=round(max(c.x1 for c in same_line), 2), bottom=round(max(c.bottom for c in same_line), 2),
            char_index=first.index, raw_text=raw, line_number=line, **fields)


def prose_stream(pdf: PdfDocument, pages: list[int]) -> ProseStream:
    text: list[str] = []
    chars: list = []
    for number in pages:
        page = pdf.pages[number - 1]
        for line in page.lines:
            # A line of its own that ends a paragraph is joined to the next only inside a
            # sentence; a line break is kept where the line ends a sentence.
            for char in line.chars:
                text.append(char.text)
                chars.append((char, page.number, line.line_number))
            if line.joined.endswith(("。", "：", ":")) or _is_heading(line.joined):
                text.append("\n")
                chars.append(None)
    return ProseStream("".join(text), chars)


def _is_heading(text: str) -> bool:
    """A numbered part heading (一、…) or a part's title (…说明) ends its line."""
    return bool(re.match(r"^[一二三四五六七八九十]+、", text)) or text.endswith("说明")


def keep_headline_figures(stream: ProseStream, document_id: str, table_id: str, patterns, taken: set[int],
                          figures: list[ProseFigure]) -> None:
    """The document-level figures of the prose (收支总计, 三公, 机关运行经费 …): for each
    (figure key, pattern) the first printing no other figure has taken, in 万元, a change on the
    prior year (…比2024年预算减少…) signed as the prose states it; `taken` gains its offset."""
    for key, pattern in patterns:
        match = next((m for m in pattern.finditer(stream.text) if m.start(1) not in taken), None)
        if match is None:
            continue
        start, end = match.span(1)
        taken.add(start)
        value = parse_amount(match.group(1))
        sign = CHANGE_SIGN.search(stream.text[max(0, start - 12):start])
        if sign and sign.group(1) == "减少":
            value = -value
        figures.append(stream.figure(
            document_id, start, end, len(figures) + 1, table_id=table_id, figure_key=key, item_number=None,
            label=stream.text[match.start():match.end()], class_name=None, section_name=None,
            subject_name=None, printed_code=None, matched_subject_code=None, value=value, unit="万元"))


def keep_other_amounts(stream: ProseStream, document_id: str, table_id: str, taken: set[int],
                       figures: list[ProseFigure]) -> None:
    """Every other amount of the prose (a project's funding lines, changes on the prior year,
    政府采购 parts, shares in %) is kept with the clause it stands in, so nothing printed is
    dropped; `taken` holds the stream offsets already read as named figures. An amount that
    is a threshold (…万元以上) is no figure."""
    for match in PROSE_AMOUNT.finditer(stream.text):
        start, end = match.span()
        if start in taken or THRESHOLD_AFTER.match(stream.text[end:end + 8]):
            continue
        clause_start = max((m.end() for m in _CLAUSE_START.finditer(stream.text, max(0, start - 60), start)),
                           default=max(0, start - 60))
        label = stream.text[clause_start:end + (2 if stream.text[end:end + 2] == "万元" else 1)]
        value = parse_amount(match.group())
        # A share or a change printed with % (占99.79%, 减少1.07%) is a percentage, never 万元:
        # kept, so nothing printed is dropped, in the unit it is printed in.
        following = stream.text[end:end + 3].lstrip()
        unit = "%" if following[:1] in ("%", "％") else "元" if following[:1] == "元" else "万元"
        sign = CHANGE_SIGN.search(stream.text[max(0, start - 12):start])
        key = "change_on_prior_year" if sign else "stated_amount"
        if sign and sign.group(1) == "减少":
            value = -value
        figures.append(stream.figure(
            document_id, start, end, len(figures) + 1, table_id=table_id, figure_key=key, item_number=None,
            label=label, class_name=None, section_name=None, subject_name=None, printed_code=None,
            matched_subject_code=None, value=value, unit=unit))
