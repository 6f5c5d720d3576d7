"""The prose of a Shanghai district budget: 编制说明 (totals, changes, numbered line items) and
其他相关情况说明 (三公, 机关运行经费, 政府采购, 绩效目标).

A sentence runs on over lines and pages, so the prose is read as one stream of characters
(ingest/core/pdf_prose.py), each remembering its page, line and box; a figure is found in
the stream and keeps the box of its own digits. Prose figures are in 万元 as printed
(rounded to 0.01 or to whole 万元)."""

from __future__ import annotations

import re

from ingest.core.amounts import parse_amount
from ingest.core.pdf import PdfDocument
from ingest.core.pdf_prose import keep_headline_figures, keep_other_amounts, prose_stream
from ingest.core.records import ProseFigure

_AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"

# figure_key, pattern: the first group is the amount. The first match in the prose counts.
HEADLINE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple((key, re.compile(pattern)) for key, pattern in (
    ("income_total", r"收入预算" + _AMOUNT + r"万元"),
    ("fiscal_income", r"收入预算[\d,.]+万元，其中：财政拨款收入" + _AMOUNT + r"万元"),
    ("fiscal_income_change", r"财政拨款收入[\d,.]+万元，比\d{4}年预算(?:执行数)?(?:增加|减少)" + _AMOUNT + r"万元"),
    ("business_income", r"事业收入" + _AMOUNT + r"万元"),
    ("operating_income", r"事业单位经营收入" + _AMOUNT + r"万元"),
    ("other_income", r"其他收入" + _AMOUNT + r"万元"),
    ("expenditure_total", r"支出预算" + _AMOUNT + r"万元"),
    ("fiscal_expenditure", r"财政拨款支出预算" + _AMOUNT + r"万元"),
    ("general_public_budget_expenditure", r"一般公共预算拨款支出预算" + _AMOUNT + r"万元"),
    ("government_fund_expenditure", r"政府性基金拨款支出预算" + _AMOUNT + r"万元"),
    ("state_capital_expenditure", r"国有资本经营预算拨款支出预算" + _AMOUNT + r"万元"),
    ("three_public_total", r"“三公”经费预算数?为" + _AMOUNT + r"万元"),
    ("outbound_travel", r"因公出国（境）费" + _AMOUNT + r"万元"),
    ("vehicle_subtotal", r"公务用车购置及运行费" + _AMOUNT + r"万元"),
    ("vehicle_purchase", r"公务用车购置费" + _AMOUNT + r"万元"),
    ("vehicle_operation", r"公务用车运行费" + _AMOUNT + r"万元"),
    ("official_reception", r"公务接待费" + _AMOUNT + r"万元"),
    ("government_operation", r"机关运行经费预算为" + _AMOUNT + r"万元"),
    ("procurement_total", r"政府采购预算" + _AMOUNT + r"万元"),
    ("performance_project_funds", r"涉及项目预算资金" + _AMOUNT + r"万元"),
))
_LEVEL_MARK = re.compile(r"[（(](类|款|项)[)）]")

# 1. “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元
_ITEM_BY_NAMES = re.compile(r"(?:^|[。；\n])\s*(\d{1,3})[.、．]\s*[“\"]([^”\"]+)[”\"]\s*(?:科目)?" + _AMOUNT + r"万元")
# 1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元
_ITEM_BY_CODES = re.compile(r"(?:^|[。；\n])\s*(\d{1,3})[.、．]\s*([^（()]+)[（(](\d{3})类[)）]([^（()]+)[（(](\d{2})款[)）]"
                            r"([^（()]+)[（(](\d{2})项[)）]" + _AMOUNT + r"万元")


def read_prose(pdf: PdfDocument, document_id: str, pages: list[int], table_id: str) -> list[ProseFigure]:
    stream = prose_stream(pdf, pages)
    figures: list[ProseFigure] = []
    taken: set[int] = set()
    for match in list(_ITEM_BY_NAMES.finditer(stream.text)):
        # '一般公共服务支出-商贸事务-行政运行' or '一般公共服务支出（类）商贸事务（款）行政运行（项）'
        names = [n for n in _LEVEL_MARK.split(match.group(2)) if n and n not in ("类", "款", "项")] \
            if _LEVEL_MARK.search(match.group(2)) else match.group(2).split("-")
        class_name, section_name, subject_name = (names + [None, None, None])[:3] if len(names) == 3 else (
            None, None, match.group(2))
        start, end = match.span(3)
        taken.add(start)
        figures.append(stream.figure(
            document_id, start, end, len(figures) + 1, table_id=table_id, figure_key="line_item",
            item_number=int(match.group(1)), label=match.group(2), class_name=class_name,
            section_name=section_name, subject_name=subject_name, printed_code=None, matched_subject_code=None,
            value=parse_amount(match.group(3)), unit="万元"))
    for match in list(_ITEM_BY_CODES.finditer(stream.text)):
        start, end = match.span(8)
        taken.add(start)
        code = match.group(3) + match.group(5) + match.group(7)
        label = f"{match.group(2)}-{match.group(4)}-{match.group(6)}"
        figures.append(stream.figure(
            document_id, start, end, len(figures) + 1, table_id=table_id, figure_key="line_item",
            item_number=int(match.group(1)), label=label, class_name=match.group(2).strip(),
            section_name=match.group(4).strip(), subject_name=match.group(6).strip(), printed_code=code,
            matched_subject_code=None, value=parse_amount(match.group(8)), unit="万元"))
    keep_headline_figures(stream, document_id, table_id, HEADLINE_PATTERNS, taken, figures)
    keep_other_amounts(stream, document_id, table_id, taken, figures)
    return figures
