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
from ingest.core.pdf import PdfDocument, outside_grid_lines
from ingest.core.records import FIGURE_FIELDS, PdfProvenance
from ingest.core.tokens import CapturedFigure, PrintedToken, check_fidelity

# '单价100万元（含）以上': a threshold in a label, not an amount (as '50万以上' in PROSE_AMOUNT).
THRESHOLD_AFTER = re.compile(r"^万元?[（(]含[)）]以上")


def pdf_tokens(pdf: PdfDocument) -> dict[tuple[int, int], tuple[Decimal, str]]:
    """(page, char index) -> (value, text around it) of every amount token of the document."""
    tokens: dict[tuple[int, int], tuple[Decimal, str]] = {}
    for page in pdf.pages:
        if page.grid is not None:
            for row in page.grid.rows:
                for cell in row:
                    text = cell.text.replace(" ", "")
                    # A code cell ('201', '03') is no amount; an amount cell has a separator,
                    # decimals, or is a bare zero (司法局 prints '0' in an empty 三公 column).
                    if cell.first_index is not None and AMOUNT_CELL.match(text) and (
                            "." in text or "," in text or text == "0"):
                        tokens[(page.number, cell.first_index)] = (parse_amount(text), text)
        if page.lines and page.lines[0].joined == "目录":
            continue  # '1. 2025年部门财务收支预算总表': list numbers and years, no amounts
        # Prose runs over lines: a number before a line end ('4,614' ⏎ '万元') is one token,
        # and so is a number the PDF sets with a gap inside ('9, 101.68').
        lines = outside_grid_lines(page)
        stream = "".join(line.joined for line in lines)
        chars = [c for line in lines for c in line.chars]
        for match in PROSE_AMOUNT.finditer(stream):
            if THRESHOLD_AFTER.match(stream[match.end():match.end() + 8]):
                continue  # '单价100万元（含）以上' is a threshold in a label
            tokens[(page.number, chars[match.start()].index)] = (
                parse_amount(match.group()), stream[max(0, match.start() - 12):match.end() + 2])
    return tokens


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
