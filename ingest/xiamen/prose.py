"""第二部分 prose and the unit list of 第一部分: headline figures, line items, budget units.

The prose wraps sentences over lines (2024) or keeps a paragraph per line (2020); both are
read as one joined text per segment with every offset mapped back to its source line."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.core.amounts import AMOUNT_PATTERN, parse_amount
from ingest.core.document import SourceDocument
from ingest.core.errors import IngestError
from ingest.core.records import BudgetUnit, HeadlineFigure, LineItem, ParseFinding
from ingest.core.text import PAGE_NUMBER, JoinedText, chinese_numeral
from ingest.core.text_tokens import indent
from ingest.xiamen.layout import PROSE_LAYOUT, DocumentLayout

A = f"(?P<v>{AMOUNT_PATTERN})"
CHANGE = r"(?P<dir>增加|减少)"
GROWTH = r"(?P<dir>增长|下降)"
NEGATIVE = {"减少", "下降"}

# Where each kind of figure is stated: a segment starts at its anchor and ends at the next
# anchor found in the document. Anchors absent from a document simply give no segment.
SEGMENTS: tuple[tuple[str, str], ...] = (
    ("income", r"（一）[^（]{0,40}?收入预算为"),
    ("expenditure", r"（二）[^（]{0,40}?支出预算为"),
    ("transfer", r"（三）[^（]{0,40}?市对区转移支\s*付项目预算为"),
    ("general_budget", r"二、一般公共预算财政拨款支出预算情况"),
    ("line_items", r"支出项目\s*[(（]按项级\s*科目分类统计[)）]\s*包括[：:]"),
    ("government_fund", r"三、政府性基金预算财政拨款支出情况"),
    ("three_public", r"四、“三公”经费财政拨款预算情况"),
    ("three_public_outbound", r"（一）因公出国（境）经费\s*\d{4}年"),
    ("three_public_reception", r"（二）公务接待费\s*\d{4}年"),
    ("three_public_vehicle", r"（三）公务用车购置及运行费\s*\d{4}年"),
    ("projects", r"五、部分项目情况说明"),
    ("other_matters", r"[五六]、\s*其他重要事项的情况说明"),
    ("office", r"（一）机关运行经费"),
    ("procurement", r"（二）政府采购情况"),
    ("assets", r"（三）国有资产占有使用情况"),
    ("performance", r"（四）绩效目标设置情况"),
    ("performance_tables", r"一级项目的绩效目标如下"),
)


@dataclass(frozen=True)
class FigureRule:
    key: str
    segment: str
    pattern: str
    unit: str = "万元"
    required: bool = False


RULES: tuple[FigureRule, ...] = (
    FigureRule("income_total", "income", rf"收入预算为\s*{A}\s*万元", required=True),
    FigureRule("income_change", "income", rf"比\d{{4}}年预算数?{CHANGE}{A}万元"),
    FigureRule("income_change_pct", "income", rf"{GROWTH}\s*{A}[％%]", "%"),
    FigureRule("fiscal_income", "income", rf"财政拨款收入{A}万元"),
    FigureRule("general_public_budget_income", "income", rf"一般公共预算拨款收入{A}万元"),
    FigureRule("government_fund_income", "income", rf"政府性基金拨款收入{A}万元"),
    FigureRule("state_capital_income", "income", rf"国有资本经营预算拨款收入{A}万元"),
    FigureRule("fiscal_special_account_income", "income", rf"财政专户管理(?:资金|的事业)收入{A}万元"),
    FigureRule("business_income", "income", rf"\d\.\s*事业收入(?:\(含批准留用\))?\s*{A}万元"),
    FigureRule("operating_income", "income", rf"事业单位经营收入{A}万元"),
    FigureRule("superior_subsidy_income", "income", rf"上级补助收入{A}万元"),
    FigureRule("subordinate_remittance_income", "income", rf"附属单位上缴收入{A}万元"),
    FigureRule("other_income", "income", rf"其他收入{A}万元"),
    FigureRule("carryover_income", "income", rf"(?:上年结转结余|历年结余){A}万元"),
    FigureRule("other_funds_income", "income", rf"其他资金{A}万元"),
    FigureRule("expenditure_total", "expenditure", rf"支出预算为\s*{A}\s*万元", required=True),
    FigureRule("expenditure_change", "expenditure", rf"比\d{{4}}年预算数?{CHANGE}{A}万元"),
    FigureRule("expenditure_change_pct", "expenditure", rf"{GROWTH}\s*{A}[％%]", "%"),
    FigureRule("basic_expenditure", "expenditure", rf"基本支出{A}万元"),
    FigureRule("personnel_expenditure", "expenditure", rf"人员支出{A}万元"),
    FigureRule("public_expenditure", "expenditure", rf"公用支出{A}万元"),
    FigureRule("project_expenditure", "expenditure", rf"项目支出{A}万元"),
    FigureRule("transfer_to_lower_level", "expenditure", rf"对区转移支付资金{A}万元"),
    FigureRule("non_fiscal_expenditure", "expenditure", rf"非财政拨款支出{A}万元"),
    FigureRule("operating_expenditure", "expenditure", rf"事业单位经营支出{A}万元"),
    FigureRule("transfer_to_lower_level", "transfer", rf"项目预算为{A}万元"),
    FigureRule("transfer_to_lower_level", "line_items", rf"对区转移支付{A}万元"),
    FigureRule("general_budget_expenditure", "general_budget", rf"一般公共预算支出{A}万元", required=True),
    FigureRule("general_budget_change", "general_budget", rf"比\d{{4}}年预算数?{CHANGE}{A}万元"),
    FigureRule("general_budget_change_pct", "general_budget", rf"{GROWTH}\s*{A}[％%]", "%"),
    FigureRule("government_fund_expenditure", "government_fund", rf"政府性基金支出{A}万元"),
    FigureRule("three_public_total", "three_public", rf"预算数为{A}万元"),
    FigureRule("three_public_outbound", "three_public", rf"因公出国（境）经费{A}万元"),
    FigureRule("three_public_reception", "three_public", rf"公务接待费{A}万元"),
    FigureRule("three_public_vehicle", "three_public", rf"公务用车购置及运行费{A}万元"),
    FigureRule("three_public_outbound", "three_public_outbound", rf"预算安排{A}万元"),
    FigureRule("three_public_reception", "three_public_reception", rf"预算安排{A}万元"),
    FigureRule("three_public_reception_change_pct", "three_public_reception", rf"{GROWTH}{A}[％%]", "%"),
    FigureRule("three_public_vehicle", "three_public_vehicle", rf"预算安排{A}万元"),
    FigureRule("three_public_vehicle_operation", "three_public_vehicle", rf"公务用车运行费{A}\s*万元"),
    FigureRule("three_public_vehicle_purchase", "three_public_vehicle", rf"公务用车购置费{A}万元"),
    FigureRule("three_public_vehicle_change_pct", "three_public_vehicle", rf"{GROWTH}{A}[％%]", "%"),
    FigureRule("project_budget", "projects", rf"拟安排该项目(?:一般公共预算|预算){A}万元"),
    FigureRule("project_own_funds", "projects", rf"拟动用单位自有资金{A}万元"),
    FigureRule("project_budget_item", "projects", rf"（\d+）(?P<label>(?:[^（）]|（[^（）]*）)+?){A}万元"),
    FigureRule("project_subsidy_rate", "projects", rf"{A}元/人/天", "元/人/天"),
    FigureRule("office_operation_cost", "office", rf"财政拨款预算{A}万元"),
    FigureRule("office_operation_change", "office", rf"比\d{{4}}年预算{CHANGE}{A}万元"),
    FigureRule("office_operation_change_pct", "office", rf"{GROWTH}{A}[％%]", "%"),
    FigureRule("procurement_total", "procurement", rf"采购预算总额{A}万元"),
    FigureRule("procurement_goods", "procurement", rf"货物预算{A}万元"),
    FigureRule("procurement_works", "procurement", rf"工程预算{A}万元"),
    FigureRule("procurement_services", "procurement", rf"服务预算{A}万元"),
    FigureRule("vehicle_count", "assets", r"车辆(?P<v>\d+)辆", "辆"),
    FigureRule("general_equipment_count", "assets", r"通用设备\s*(?P<v>\d+)台（套）", "台（套）"),
    FigureRule("special_equipment_count", "assets", r"专用设备\s*(?P<v>\d+)台\s*（套）", "台（套）"),
    FigureRule("performance_project_count", "performance", r"项目(?P<v>\d+)个", "个"),
    FigureRule("performance_general_budget", "performance", rf"一般公共预算拨款{A}万元"),
    FigureRule("performance_government_fund", "performance", rf"政府性基金预算拨款{A}万元"),
)

_ITEM_2024 = re.compile(
    rf"(?P<num>\d+)\.(?P<class>[^（。]+?)（类）(?P<section>[^（。]+?)（款）(?P<item>[^（。]+?)（项）"
    rf"{A}万元。(?P<purpose>.*?)(?=\d+\.[^（。]+?（类）|$)")
_ITEM_2020 = re.compile(
    rf"^[（(](?P<num>[一二三四五六七八九十]+)[）)](?P<code>\d{{7}})(?P<name>.+?){A}万元?[，,。]\s*(?P<purpose>.*)$")
_TRANSFER_ITEM_2020 = re.compile(
    rf"^[（(](?P<num>[一二三四五六七八九十]+)[）)]对区转移支付{A}万元?[：:](?P<rest>.*)$")
_ITEM_LABEL = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_TRANSFER_PART_2020 = re.compile(
    rf"(?P<code>\d{{7}})(?P<name>[^\d]+?){A}万元?[，,](?P<purpose>[^;；]*)")


@dataclass
class ProseSegments:
    joined: JoinedText
    spans: dict[str, tuple[int, int]]

    def text(self, name: str) -> tuple[str, int] | None:
        span = self.spans.get(name)
        return None if span is None else (self.joined.text[span[0]:span[1]], span[0])


class ProseReader:
    def __init__(self, document: SourceDocument, layout: DocumentLayout, document_id: str):
        self.document = document
        self.layout = layout
        self.document_id = document_id
        self.findings: list[ParseFinding] = []
        self.segments = self._segments()

    def _segments(self) -> ProseSegments:
        numbered = []
        indents = []
        region = self.layout.prose
        for n in range(region.start, region.end):
            text = self.document.line(n).strip()
            if not text:
                continue
            if PAGE_NUMBER.match(text):
                self.findings.append(ParseFinding(self.document_id, "prose", n, "page_number_skipped", "info",
                                                  text, None, None, f"line {text!r} read as a page number"))
                continue
            numbered.append((n, text))
            indents.append(indent(self.document.line(n)))
        joined = JoinedText.from_lines(numbered, indents=indents)
        starts = []
        for name, anchor in SEGMENTS:
            match = re.search(anchor, joined.text)
            if match:
                starts.append((match.start(), name))
        starts.sort()
        spans = {}
        for i, (start, name) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(joined.text)
            spans[name] = (start, end)
        return ProseSegments(joined, spans)

    def _line(self, offset: int) -> int:
        return self.segments.joined.line_at(offset)

    def _at(self, offset: int) -> tuple[int, int]:
        """(line, offset in the line as read) of an offset of the joined prose."""
        return self.segments.joined.location(offset)

    def _raw(self, line: int) -> str:
        return self.document.line(line).strip()

    # -- headline figures ------------------------------------------------------------------
    def headline_figures(self) -> list[HeadlineFigure]:
        figures: list[HeadlineFigure] = []
        for rule in RULES:
            segment = self.segments.text(rule.segment)
            matches = [] if segment is None else list(re.finditer(rule.pattern, segment[0]))
            if rule.required and not matches:
                raise IngestError(self.document.file_name, self.layout.prose.start,
                                  f"a sentence stating {rule.key} ({rule.pattern}) in 第二部分", "none")
            for match in matches:
                offset = segment[1] + match.start("v")
                value = parse_amount(match.group("v"))
                if "dir" in match.groupdict() and match.group("dir") in NEGATIVE:
                    value = -value
                label = match.group("label") if "label" in match.groupdict() else match.group(0)
                line = self._line(offset)
                figures.append(HeadlineFigure(self.document_id, f"prose:{rule.segment}", 0, line,
                                              self._raw(line), rule.key, label, value, rule.unit,
                                              figure_at={"value": self._at(offset)}))
        figures.sort(key=lambda f: (f.source_line, f.figure_key))
        return [replace(f, row_order=i) for i, f in enumerate(figures, 1)]

    # -- line items --------------------------------------------------------------------------
    def line_items(self) -> list[LineItem]:
        segment = self.segments.text("line_items")
        if segment is None:
            raise IngestError(self.document.file_name, self.layout.prose.start,
                              "the line items of 第二部分 二 (支出项目(按项级科目分类统计)包括：)", "none")
        if self.layout.template == PROSE_LAYOUT:
            return self._line_items_by_line(segment)
        return self._line_items_wrapped(segment)

    def _line_items_wrapped(self, segment: tuple[str, int]) -> list[LineItem]:
        text, base = segment
        items = []
        for match in _ITEM_2024.finditer(text):
            line = self._line(base + match.start("v"))
            first = self._line(base + match.start())
            raw = " ".join(self._raw(n) for n in range(first, line + 1) if self._raw(n))
            items.append(LineItem(
                self.document_id, "prose:二", len(items) + 1, line, raw, int(match.group("num")),
                f"{match.group('num')}.", None, None, match.group("class"), match.group("section"),
                match.group("item"), parse_amount(match.group("v")), match.group("purpose").strip() or None,
                False, None, figure_at={"amount": self._at(base + match.start("v"))}))
        self._check_numbering(items)
        return items

    def _line_items_by_line(self, segment: tuple[str, int]) -> list[LineItem]:
        text, base = segment
        items: list[LineItem] = []
        first_line = self._line(base)
        last_line = self._line(base + len(text) - 1)
        for n in range(first_line, last_line + 1):
            raw = self._raw(n)
            lead = indent(self.document.line(n))
            if not _ITEM_LABEL.match(raw):
                continue
            if m := _TRANSFER_ITEM_2020.match(raw):
                number = chinese_numeral(m.group("num"))
                parts = list(_TRANSFER_PART_2020.finditer(m.group("rest")))
                if not parts:
                    raise IngestError(self.document.file_name, n,
                                      "transfer sub-items '<code><name><amount>万元，<purpose>'", raw)
                subtotal = sum(parse_amount(p.group("v")) for p in parts)
                if subtotal != parse_amount(m.group("v")):
                    self.findings.append(ParseFinding(
                        self.document_id, "prose:二", n, "parent_differs_from_children", "warn", raw[:8],
                        subtotal, parse_amount(m.group("v")), "对区转移支付 differs from its sub-items"))
                label = _ITEM_LABEL.match(raw).group(0)
                for k, part in enumerate(parts, 1):
                    items.append(LineItem(
                        self.document_id, "prose:二", len(items) + 1, n, raw, number, label,
                        k, part.group("code"), None, None, part.group("name").strip(), parse_amount(part.group("v")),
                        part.group("purpose").strip() or None, True, None,
                        figure_at={"amount": (n, lead + m.start("rest") + part.start("v"))}))
                continue
            m = _ITEM_2020.match(raw)
            if m is None:
                raise IngestError(self.document.file_name, n,
                                  "a line item '（N）<7-digit code><name><amount>万元，<purpose>'", raw)
            label = _ITEM_LABEL.match(raw).group(0)
            items.append(LineItem(
                self.document_id, "prose:二", len(items) + 1, n, raw, chinese_numeral(m.group("num")), label,
                None, m.group("code"), None, None, m.group("name"), parse_amount(m.group("v")),
                m.group("purpose").strip() or None, False, None, figure_at={"amount": (n, lead + m.start("v"))}))
        self._check_numbering(items)
        self._check_codes(items)
        return items

    def _check_codes(self, items: list[LineItem]) -> None:
        """One code printed for two differently named items is a printing error of the
        source (2020: 2080199 stands for both 其他人力资源和社会保障管理事务支出 and
        其他福利支出). Both rows stay as printed; the crosswalk decides by name."""
        first: dict[str, LineItem] = {}
        for item in items:
            if item.is_transfer_to_lower_level or item.subject_code is None:
                continue
            seen = first.setdefault(item.subject_code, item)
            if seen is not item and seen.subject_name != item.subject_name:
                self.findings.append(ParseFinding(
                    self.document_id, "prose:二", item.source_line, "code_printed_twice", "warn", item.subject_code,
                    None, item.amount,
                    f"code {item.subject_code} is printed for {seen.item_label}{seen.subject_name} (line "
                    f"{seen.source_line}) and for {item.item_label}{item.subject_name}: a printing error of the source"))

    def _check_numbering(self, items: list[LineItem]) -> None:
        numbers = sorted({i.item_number for i in items})
        if not numbers or numbers != list(range(1, numbers[-1] + 1)):
            missing = sorted(set(range(1, (numbers[-1] if numbers else 0) + 1)) - set(numbers))
            line = items[-1].source_line if items else self.layout.prose.start
            raise IngestError(self.document.file_name, line,
                              "line items numbered 1…N without gaps",
                              f"numbers {missing} missing" if missing else "no line items")

    # -- budget units -------------------------------------------------------------------------
    def budget_units(self) -> list[BudgetUnit]:
        lines = self.document.lines
        start = next((n for n, line in enumerate(lines, 1) if line.strip().startswith("单位名称")), None)
        end = next((n for n, line in enumerate(lines, 1) if re.match(r"^\s*三、部门主要工作任务", line)), None)
        if start is None or end is None or end < start:
            raise IngestError(self.document.file_name, None,
                              "the unit list of 第一部分 二 (单位名称 … before 三、部门主要工作任务)", "none")
        if self.layout.template == PROSE_LAYOUT:
            return self._units_blocks(start, end)
        return self._units_listed(start, end)

    def _units_blocks(self, start: int, end: int) -> list[BudgetUnit]:
        # Tab-indented: one cell a line, a blank line between rows; the header row first.
        blocks: list[list[tuple[int, str]]] = [[]]
        for n in range(start, end):
            text = self.document.line(n).strip()
            if text:
                blocks[-1].append((n, text))
            elif blocks[-1]:
                blocks.append([])
        rows = [b for b in blocks if b][1:]
        units = []
        for block in rows:
            if len(block) != 4 or not (block[2][1].isdigit() and block[3][1].isdigit()):
                raise IngestError(self.document.file_name, block[0][0],
                                  "a unit row of 4 cells: 单位名称 单位性质 人员编制数 在职人数",
                                  " | ".join(t for _, t in block))
            (n, name), (_, nature), (_, staff), (_, actual) = block
            units.append(BudgetUnit(self.document_id, "prose:一.二", len(units) + 1, n,
                                    " | ".join(t for _, t in block), name, None, nature,
                                    _funding_type(nature), int(staff), int(actual)))
        return units

    def _units_listed(self, start: int, end: int) -> list[BudgetUnit]:
        units = []
        fragments: list[tuple[int, str]] = []
        for n in range(start + 1, end):
            text = self.document.line(n).strip()
            if not text:
                continue
            if PAGE_NUMBER.match(text):
                # A page break inside the list must not become part of a unit's name.
                self.findings.append(ParseFinding(self.document_id, "prose:一.二", n, "page_number_skipped", "info",
                                                  text, None, None, f"line {text!r} read as a page number"))
                continue
            fragments.append((n, text))
            funding = re.search(r"(全额|差额|自收自支)$", text)
            if not funding:
                continue
            parts = " ".join(t for _, t in fragments)
            name_text = parts[: -len(funding.group(1))].strip()
            alias = re.search(r"[（(]([^）)]+)[）)]", name_text)
            name = re.sub(r"\s*[（(][^）)]+[）)]", "", name_text).strip()
            units.append(BudgetUnit(self.document_id, "prose:一.二", len(units) + 1, fragments[0][0], parts,
                                    name, alias.group(1) if alias else None, None, funding.group(1), None, None))
            fragments = []
        return units


def _funding_type(nature: str) -> str | None:
    match = re.match(r"(全额|差额|自收自支)", nature)
    return match.group(1) if match else None
