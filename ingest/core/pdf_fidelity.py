"""Fidelity of a PDF document, by position, through the format-independent check of
ingest/core/tokens.py: every amount printed on any page (an amount cell of a ruled table, or
a number before 万 in the prose) must be captured by a record pointing at that very token,
located as (page, PDFium character index); a figure tied to a code, a year or another
column's token is invented, whatever its value."""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.core.amounts import AMOUNT_CELL, PROSE_AMOUNT, parse_amount
from ingest.core.fidelity import FidelityReport
from ingest.core.pdf import PdfDocument, _char_lines, _split_words
from ingest.core.records import FIGURE_FIELDS, PdfProvenance
from ingest.core.tokens import CapturedFigure, PrintedToken, check_fidelity

# '单价100万元（含）以上': a threshold in a label, not an amount (as '50万以上' in PROSE_AMOUNT).
THRESHOLD_AFTER = re.compile(r"^万元?[（(]含[)）]以上")


def pdf_tokens(pdf: PdfDocument) -> dict[tuple[int, int], tuple[Decimal, str]]:
    """(page, char index) -> (value, text around it) of every amount token of the document."""
    tokens: dict[tuple[int, int], tuple[Decimal, str]] = {}
    for page in pdf.pages:
        # Every ruled table of the page (a template may print several on one page, each under
        # its own title); a frame around the page or a label is none.
        grids = page.grids
        prose_cells = []
        for grid in grids:
            for row in grid.rows:
                for cell in row:
                    text = cell.text.replace(" ", "")
                    # A code cell ('201', '03') is no amount; an amount cell has a separator,
                    # decimals, or is a bare zero (司法局 prints '0' in an empty 三公 column).
                    if cell.first_index is not None and AMOUNT_CELL.match(text) and (
                            "." in text or "," in text or text == "0"):
                        tokens[(page.number, cell.first_index)] = (parse_amount(text), text)
                    elif "。" in text and "万元" in text and cell.x1 - cell.x0 > page.width / 2:
                        prose_cells.append(cell)  # prose set inside a page-wide frame (2017 人大)
        if page.lines and page.lines[0].joined == "目录":
            continue  # '1. 2025年部门财务收支预算总表': list numbers and years, no amounts
        lines = [(line.words, line.chars) for line in _prose_lines(page, grids)]
        # A sentence runs on over the page break: a number at the foot of the page with its 万元
        # at the head of the next ('比上年预算减少10' ⏎ page ⏎ '万元', 2018 江苏 高院) is a token.
        following = pdf.pages[page.number] if page.number < len(pdf.pages) else None
        head = "".join(line.joined for line in _prose_lines(following, following.grids)[:1]) if following else ""
        _prose_tokens(page.number, lines, tokens, head[:2] if head.startswith("万") else "")
        for cell in prose_cells:
            inside = [c for c in page.chars if cell.x0 <= c.cx < cell.x1 and cell.top <= c.cy < cell.bottom]
            _prose_tokens(page.number, [(_split_words(line), line) for line in _char_lines(inside)], tokens)
    return tokens


# A page number printed as a line of its own ('17', '─7─', '- 7 -'): no amount.
_PAGE_NUMBER = re.compile(r"^[-─—]?\s*\d{1,3}\s*[-─—]?$")


def _prose_lines(page, grids: list) -> list:
    """The page's text lines outside its ruled tables, its page number aside."""
    return [line for line in page.lines if not any(g.top - 1 <= line.words[0].cy <= g.bottom + 1 for g in grids)
            and not _PAGE_NUMBER.match(line.joined)]


def _prose_tokens(page_number: int, lines: list[tuple], tokens: dict, next_head: str = "") -> None:
    """The amounts of prose lines ((words, chars) each, in reading order) into `tokens`.

    Prose runs over lines: a number before a line end ('4,614' ⏎ '万元') is one token, and so
    is a number the PDF sets with a gap inside ('9, 101.68'). Two words that are a digit's end
    and a digit's start ('28,849.38' '17,123.19', or a row's amount and the next row's code
    where a table's rows stand outside its rules) are two tokens."""
    text: list[str] = []
    for word in (w for words, _ in lines for w in words):
        if text and text[-1][-1:].isdigit() and word.text[:1].isdigit():
            text.append(" ")
        text.append(word.text)
    stream = "".join(text)
    by_offset = iter([c for _, chars in lines for c in chars])
    chars = [None if ch == " " else next(by_offset) for ch in stream]
    # The next page's first characters, to read a number at the foot of the page (no token
    # starts in them: they are the next page's).
    scanned = stream + next_head
    for match in PROSE_AMOUNT.finditer(scanned):
        if match.start() >= len(stream):
            break
        if THRESHOLD_AFTER.match(scanned[match.end():match.end() + 8]):
            continue  # '单价100万元（含）以上' is a threshold in a label
        tokens[(page_number, chars[match.start()].index)] = (
            parse_amount(match.group()), scanned[max(0, match.start() - 12):match.end() + 2])


def pdf_fidelity_report(pdf: PdfDocument, records: list,
                        quarantined: set[tuple[int, int]] | frozenset = frozenset()) -> FidelityReport:
    """`quarantined`: the cells the reader left unread with a finding of its own (unreadable_row,
    unknown_table …); their amounts are not required here, or each would be reported twice."""
    tokens = {location: token for location, token in pdf_tokens(pdf).items() if location not in quarantined}
    printed = [PrintedToken(location, abs(value)) for location, (value, _) in tokens.items()]
    figures = [CapturedFigure((r.page_number, r.char_index) if r.char_index is not None else None,
                              Decimal(getattr(r, name)), r.page_number, f"{r.table_id} row {r.row_order} {name}")
               for r in records if isinstance(r, PdfProvenance)
               for name in FIGURE_FIELDS.get(type(r), ()) if getattr(r, name) is not None]
    check = check_fidelity(printed, figures)
    report = FidelityReport(pdf.file_name, check.required, check.captured, check.figures, check.by_position,
                            check=check, describe=lambda location: f"page {location[0]}",
                            line_of=lambda location: None, by_page=True)
    report.missed = [(t.location[0], t.value, tokens[t.location][1]) for t in check.missed]
    report.invented = [(i.figure.region, abs(i.figure.value), i.figure.what) for i in check.invented]
    return report
