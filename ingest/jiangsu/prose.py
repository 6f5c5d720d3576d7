"""The explanation of a Jiangsu department budget (第三部分 …部门预算情况说明) read as prose figures.

The figures are 万元 as printed, often with fewer decimals than the tables (1600万元 for the
table's 1,600.00, 304.4 for 304.40). The keys are the Shanghai budget's where the figure
means the same (income_total, expenditure_total, the 三公 parts, government_operation,
procurement_total); the others (meeting, training, basic / project expenditure, the
单位预留机动经费) are Jiangsu's own. Every other amount of the part is kept by
`keep_other_amounts`, so nothing printed is dropped."""

from __future__ import annotations

import re

from ingest.core.pdf import PdfDocument
from ingest.core.pdf_prose import ProseStream, keep_headline_figures, keep_other_amounts
from ingest.core.records import ProseFigure

_AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
TABLE_ID = "预算情况说明"

# figure_key, pattern: the first group is the amount; the first match in the part counts.
HEADLINE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple((key, re.compile(pattern)) for key, pattern in (
    ("income_total", r"收入预算总计" + _AMOUNT + r"万元"),
    ("fiscal_income", r"财政拨款收入预算总计" + _AMOUNT + r"万元"),
    ("expenditure_total", r"支出预算总计" + _AMOUNT + r"万元"),
    ("fiscal_total", r"财政拨款收、支总预算" + _AMOUNT + r"万元"),
    ("fiscal_expenditure", r"财政拨款预算支出" + _AMOUNT + r"万元"),
    ("general_public_budget_expenditure", r"一般公共预算财政拨款支出预算" + _AMOUNT + r"万元"),
    ("basic_expenditure", r"基本支出预算数为" + _AMOUNT + r"万元"),
    ("project_expenditure", r"项目支出预算数为" + _AMOUNT + r"万元"),
    ("unit_reserve", r"单位预留机动经费预算数为" + _AMOUNT + r"万元"),
    ("outbound_travel", r"因公出国（境）费预算支出" + _AMOUNT + r"万元"),
    ("vehicle_subtotal", r"公务用车购置及运行(?:维护)?费预算支出" + _AMOUNT + r"万元"),
    ("vehicle_purchase", r"公务用车购置预算支出" + _AMOUNT + r"万元"),
    ("vehicle_operation", r"公务用车运行维护费预算支出" + _AMOUNT + r"万元"),
    ("official_reception", r"公务接待费预算支出" + _AMOUNT + r"万元"),
    ("meeting", r"会议费预算支出" + _AMOUNT + r"万元"),
    ("training", r"培训费预算支出" + _AMOUNT + r"万元"),
    ("government_operation", r"机关运行经费预算支出" + _AMOUNT + r"万元"),
    ("procurement_total", r"政府采购(?:支出)?预算总(?:金)?额为?" + _AMOUNT + r"万元"),
))
# A page number printed inside the text ('─7─', '17'): no figure, and it would split a sentence.
_PAGE_NUMBER = re.compile(r"^(?:─\d{1,3}─|-\s*\d{1,3}\s*-|\d{1,3})$")


def explanation_lines(pdf: PdfDocument) -> list:
    """The text lines of 第三部分 (the last heading of that name: the contents page names it
    too) up to 第四部分 (名词解释) or the end."""
    lines = [line for page in pdf.pages for line in page.lines]
    starts = [i for i, line in enumerate(lines) if line.joined.startswith("第三部分")]
    if not starts:
        return []
    out = []
    for line in lines[starts[-1]:]:
        if line.joined.startswith("第四部分"):
            break
        if not _PAGE_NUMBER.match(line.joined):
            out.append(line)
    return out


def _stream(lines: list) -> ProseStream:
    text: list[str] = []
    chars: list = []
    for line in lines:
        for char in line.chars:
            text.append(char.text)
            chars.append((char, line.page_number, line.line_number))
        if line.joined.endswith(("。", "：", ":")):
            text.append("\n")
            chars.append(None)
    return ProseStream("".join(text), chars)


def read_prose(pdf: PdfDocument, document_id: str) -> list[ProseFigure]:
    lines = explanation_lines(pdf)
    if not lines:
        return []
    stream = _stream(lines)
    figures: list[ProseFigure] = []
    taken: set[int] = set()
    keep_headline_figures(stream, document_id, TABLE_ID, HEADLINE_PATTERNS, taken, figures)
    keep_other_amounts(stream, document_id, TABLE_ID, taken, figures)
    return figures
