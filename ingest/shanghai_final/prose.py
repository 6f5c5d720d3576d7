"""The prose of a Shanghai final account: 第三部分 …部门决算情况说明 (parts 一 to 十一).

Read as one stream of characters in reading order by position (ingest.core.pdf_prose), each
character remembering its page, line and box. In the published PDFs the digits of a figure
sit on their own baseline, about 1.5 points below the sentence's characters; the reader
groups a line by the vertical extent of its characters, so '年初预算为1560.05万元' reads as
printed and every figure keeps the box and the PDFium index of its own first digit.

Figures (万元 as printed):
- totals and changes on the prior year (signed: 减少 is negative): income_expenditure_total,
  fiscal_total, income_total, expenditure_total, gpb_expenditure …;
- each pair '年初预算为 X 万元，支出决算为 Y 万元' with the reason stated after it
  (`stated_reason`: '决算数小于预算数的主要原因：…。' or '决算数与预算数基本持平。'):
  for every numbered 项 item (`initial_budget` / `outturn`, with item_number and the
  类-款-项 names), for 一般公共预算财政拨款支出 as a whole (gpb_initial_budget / gpb_outturn)
  and for 三公 (three_public_initial_budget / three_public_outturn);
- each 类 of the structure sentence ('一般公共服务支出（类）2106.66万元') as class_outturn;
- every other amount (shares in %, 政府采购 parts, 绩效 amounts) kept with its clause."""

from __future__ import annotations

import re

from ingest.core.amounts import parse_amount
from ingest.core.pdf import PdfDocument
from ingest.core.pdf_prose import keep_other_amounts, prose_stream
from ingest.core.records import ProseFigure

_A = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
TABLE_ID = "决算情况说明"

# figure_key, pattern: group 'v' is the amount, group 'sign' (when present) 增加 / 减少.
HEADLINE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple((key, re.compile(pattern)) for key, pattern in (
    ("income_expenditure_total", r"(?<!财政拨款)收入支出总计(?P<v>" + _A[1:-1] + r")万元"),
    ("income_expenditure_total_change", r"(?<!财政拨款)收入支出总计(?P<sign>增加|减少)(?P<v>" + _A[1:-1] + r")万元"),
    ("fiscal_total", r"财政拨款收入支出总计(?P<v>" + _A[1:-1] + r")万元"),
    ("fiscal_total_change", r"财政拨款收入支出总计(?P<sign>增加|减少)(?P<v>" + _A[1:-1] + r")万元"),
    ("income_total", r"本年收入合计(?P<v>" + _A[1:-1] + r")万元"),
    ("fiscal_income", r"财政拨款收入(?P<v>" + _A[1:-1] + r")万元"),
    ("superior_subsidy", r"上级补助收入(?P<v>" + _A[1:-1] + r")万元"),
    ("business_income", r"事业收入(?P<v>" + _A[1:-1] + r")万元"),
    ("operating_income", r"(?<!事业单位)经营收入(?P<v>" + _A[1:-1] + r")万元"),
    ("subordinate_remittance", r"附属单位上缴收入(?P<v>" + _A[1:-1] + r")万元"),
    ("other_income", r"其他收入(?P<v>" + _A[1:-1] + r")万元"),
    ("expenditure_total", r"本年支出合计(?P<v>" + _A[1:-1] + r")万元"),
    ("basic_expenditure", r"(?<!财政拨款)基本支出(?P<v>" + _A[1:-1] + r")万元"),
    ("project_expenditure", r"项目支出(?P<v>" + _A[1:-1] + r")万元"),
    ("operating_expenditure", r"经营支出(?P<v>" + _A[1:-1] + r")万元"),
    ("gpb_expenditure", r"一般公共预算财政拨款支出(?P<v>" + _A[1:-1] + r")万元"),
    ("gpb_expenditure_change", r"一般公共预算财政拨款支出(?P<sign>增加|减少)(?P<v>" + _A[1:-1] + r")万元"),
    ("gpb_basic_expenditure", r"一般公共预算财政拨款基本支出(?P<v>" + _A[1:-1] + r")万元"),
    ("personnel", r"人员经费(?P<v>" + _A[1:-1] + r")万元"),
    ("public", r"公用经费(?P<v>" + _A[1:-1] + r")万元"),
    ("three_public_outbound_travel_outturn", r"因公出国（境）费(?:支出)?决算为(?P<v>" + _A[1:-1] + r")万元"),
    ("three_public_vehicle_outturn", r"公务用车购置及运行维护费(?:支出)?决算为(?P<v>" + _A[1:-1] + r")万元"),
    ("three_public_reception_outturn", r"公务接待费(?:支出)?决算为(?P<v>" + _A[1:-1] + r")万元"),
    ("government_operation", r"机关运行经费支出(?P<v>" + _A[1:-1] + r")万元"),
    ("government_operation_change", r"机关运行经费支出[\d,.]+万元，比\d{4}年度?(?P<sign>增加|减少)(?P<v>"
     + _A[1:-1] + r")万元"),
    ("procurement_total", r"政府采购金额(?:（以合同签订为准）)?为(?P<v>" + _A[1:-1] + r")万元"),
))
# A numbered 项: '1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：…'
_ITEM = re.compile(r"(?:^|(?<=[。；：\n]))\s*(?P<n>\d{1,3})[、.．]\s*(?P<class>[^（()\n。]+)（类）(?P<section>[^（()\n。]+)（款）"
                   r"(?P<subject>[^（()\n。]+)（项）")
_PAIR = re.compile(r"年初预算为" + _A + r"万元[，,]\s*支出决算为" + _A + r"万元")
_REASON = re.compile(r"决算数(?:(?P<dir>小于|大于|等于)预算数的主要原因[:：](?P<why>[^。]*)。?"
                     r"|与预算数(?P<level>基本持平|持平|相等)[^。]*。?)")
_CLASS = re.compile(r"(?P<name>[^\s，：；。、（）]+)（类）" + _A + r"万元")


def stated_direction(reason: str | None) -> str | None:
    """'小于' / '大于' / '等于' / '基本持平' / '持平' as the reason states it."""
    match = _REASON.search(reason or "")
    if match is None:
        return None
    return match.group("dir") or match.group("level")


def read_final_prose(pdf: PdfDocument, document_id: str, pages: list[int]) -> list[ProseFigure]:
    stream = prose_stream(pdf, pages)
    text = stream.text
    figures: list[ProseFigure] = []
    taken: set[int] = set()

    def add(span: tuple[int, int], key: str, value, label: str, **fields) -> None:
        taken.add(span[0])
        fields = {"item_number": None, "class_name": None, "section_name": None, "subject_name": None,
                  "printed_code": None, "matched_subject_code": None, **fields}
        figures.append(stream.figure(document_id, span[0], span[1], len(figures) + 1, table_id=TABLE_ID,
                                     figure_key=key, label=label, value=value, unit="万元", **fields))

    items = list(_ITEM.finditer(text))
    for pair in _PAIR.finditer(text):
        item = next((m for m in reversed(items) if m.end() <= pair.start()), None)
        following = [m.start() for m in items if m.start() > pair.start()] + [len(text)]
        later_pair = next((m.start() for m in _PAIR.finditer(text, pair.end())), len(text))
        reason_match = _REASON.search(text, pair.end(), min(following[0], later_pair))
        reason = reason_match.group(0) if reason_match else None
        before = text[max(0, pair.start() - 40):pair.start()]
        in_item = item is not None and not _heading_between(text, item.end(), pair.start())
        if in_item:
            names = {"class_name": item.group("class").strip(), "section_name": item.group("section").strip(),
                     "subject_name": item.group("subject").strip()}
            label = f"{names['class_name']}-{names['section_name']}-{names['subject_name']}"
            keys = ("initial_budget", "outturn")
            extra = {"item_number": int(item.group("n")), **names}
        elif "三公" in before:
            label, keys, extra = "“三公”经费财政拨款支出", ("three_public_initial_budget", "three_public_outturn"), {}
        elif "一般公共预算财政拨款支出" in before:
            label, keys, extra = "一般公共预算财政拨款支出", ("gpb_initial_budget", "gpb_outturn"), {}
        else:
            label, keys, extra = before.split("。")[-1][-20:], ("initial_budget", "outturn"), {}
        for group, key in zip((1, 2), keys):
            add(pair.span(group), key, parse_amount(pair.group(group)), label, stated_reason=reason, **extra)

    for match in _CLASS.finditer(text):
        if match.start(2) in taken:
            continue
        add(match.span(2), "class_outturn", parse_amount(match.group(2)), match.group("name") + "（类）",
            class_name=match.group("name"))

    for key, pattern in HEADLINE_PATTERNS:
        match = next((m for m in pattern.finditer(text) if m.start("v") not in taken), None)
        if match is None:
            continue
        value = parse_amount(match.group("v"))
        if "sign" in pattern.groupindex and match.group("sign") == "减少":
            value = -value
        add(match.span("v"), key, value, match.group(0))

    keep_other_amounts(stream, document_id, TABLE_ID, taken, figures)
    return figures


def _heading_between(text: str, start: int, end: int) -> bool:
    """A part heading (六、… / （二）…) between an item and a figure ends the item."""
    return bool(re.search(r"\n\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", text[start:end]))

