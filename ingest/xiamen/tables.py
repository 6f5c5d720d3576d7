"""附件1–9 of the appendix layout: read rows, place their figures with one solver, emit records.

Every numeric table goes through the same PlacementSolver; what differs per table is only
its shape (columns and identities), its hierarchy (which row sums which) and the rows of
other tables or of the prose it must agree with."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ingest.core.amounts import is_amount_cell, looks_numeric, parse_amount
from ingest.core.document import SourceDocument
from ingest.core.errors import IngestError
from ingest.core.placement import FigureRow, Identity, PlacementSolver, TableShape, from_cents
from ingest.core.records import (BasicExpenditureEconomic, BudgetExpenditure, EmptyTable, OverviewItem,
                                 ParseFinding, SubjectExpenditure, ThreePublicCosts, TransferPayment,
                                 UnitIncome)
from ingest.xiamen.layout import DocumentLayout, Region, nonblank_lines
from ingest.xiamen.rows import SkippedLine, TableRow, digit_offset, read_code_rows, token_spans

SUBJECT_SHAPE = TableShape(
    "附件3",
    ("total", "fiscal_subtotal", "fiscal_basic", "fiscal_project",
     "non_fiscal_subtotal", "non_fiscal_basic", "non_fiscal_project"),
    (Identity("total", ("fiscal_subtotal", "non_fiscal_subtotal")),
     Identity("fiscal_subtotal", ("fiscal_basic", "fiscal_project")),
     Identity("non_fiscal_subtotal", ("non_fiscal_basic", "non_fiscal_project"))))

GENERAL_BUDGET_SHAPE = TableShape(
    "附件5",
    ("total", "basic_subtotal", "basic_personnel", "basic_public", "project"),
    (Identity("total", ("basic_subtotal", "project")),
     Identity("basic_subtotal", ("basic_personnel", "basic_public"))))

GOVERNMENT_FUND_SHAPE = TableShape(
    "附件8", ("total", "basic_subtotal", "project"), (Identity("total", ("basic_subtotal", "project")),))

ECONOMIC_SHAPE = TableShape(
    "附件6", ("total", "personnel", "public"), (Identity("total", ("personnel", "public")),))

# 附件6's economic classes by the national economic classification of expenditure (部门预算支出
# 经济分类): 工资福利支出 (301) and 对个人和家庭的补助 (303) are 人员经费, 商品和服务支出 (302) and
# 资本性支出 (310) 公用经费. A row of these classes that prints two figures prints one amount twice
# (合计 = 人员 + 公用 with figures x, x: 合计 = x and one column x, the other blank): that column is
# its class's. A row that prints three figures splits its amount and is read as printed; other
# classes (307, 309, 399 …) follow no such rule here and are placed by the sums alone.
ECONOMIC_CLASS_COLUMN = {"301": ("personnel", "人员经费"), "303": ("personnel", "人员经费"),
                         "302": ("public", "公用经费"), "310": ("public", "公用经费")}

_CURRENT_SOURCES = ("general_public_budget", "government_fund", "state_capital", "fiscal_special_account",
                    "business_income", "operating_income", "superior_subsidy", "subordinate_remittance",
                    "other_income")
_CARRYOVER_SOURCES = ("carryover_general_public_budget", "carryover_government_fund",
                      "carryover_state_capital", "carryover_fiscal_special_account", "carryover_unit_funds")
UNIT_INCOME_SHAPE = TableShape(
    "附件2",
    ("total", "current_subtotal", *_CURRENT_SOURCES, "carryover_subtotal", *_CARRYOVER_SOURCES),
    (Identity("total", ("current_subtotal", "carryover_subtotal")),
     Identity("current_subtotal", _CURRENT_SOURCES),
     Identity("carryover_subtotal", _CARRYOVER_SOURCES)))

THREE_PUBLIC_SHAPE = TableShape(
    "附件7",
    ("total", "outbound_travel", "vehicle_subtotal", "vehicle_purchase", "vehicle_operation",
     "official_reception"),
    (Identity("total", ("outbound_travel", "vehicle_subtotal", "official_reception")),
     Identity("vehicle_subtotal", ("vehicle_purchase", "vehicle_operation"))))

# 附件1's income lines name the sources that 附件2 splits by unit: its 合计 row must agree.
OVERVIEW_INCOME_TO_UNIT_INCOME = {
    "收入总计": "total", "本年收入合计": "current_subtotal",
    "一般公共预算拨款收入": "general_public_budget", "政府性基金预算拨款收入": "government_fund",
    "国有资本经营预算拨款收入": "state_capital", "财政专户管理资金收入": "fiscal_special_account",
    "事业收入": "business_income", "事业单位经营收入": "operating_income",
    "上级补助收入": "superior_subsidy", "附属单位上缴收入": "subordinate_remittance",
    "其他收入": "other_income", "上年结转结余": "carryover_subtotal",
}

# The prose states the 三公 figures one by one; 附件7 prints them without column positions.
THREE_PUBLIC_FROM_PROSE = {
    "three_public_total": "total", "three_public_outbound": "outbound_travel",
    "three_public_vehicle": "vehicle_subtotal", "three_public_vehicle_purchase": "vehicle_purchase",
    "three_public_vehicle_operation": "vehicle_operation", "three_public_reception": "official_reception",
}

_OVERVIEW_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_TRANSFER_TYPE = re.compile(r"转移支付$")


@dataclass
class ExpenditureStructure:
    """附件10 支出结构: 人员/公用 are basic expenditure, 部门专项/发展经费/基建项目 project;
    each with 资金总额 and 其中财政资金. It is the only table that says how the non-fiscal
    money splits into basic and project, which 附件3 prints without column positions."""

    line: int
    text: str
    basic_total: Decimal
    basic_fiscal: Decimal
    project_total: Decimal
    project_fiscal: Decimal


@dataclass
class AppendixTables:
    records: list = field(default_factory=list)
    findings: list[ParseFinding] = field(default_factory=list)


def require_economic_class_columns(solver: PlacementSolver, economic: dict[str | None, FigureRow]) -> None:
    """附件6: a row of two figures (x, x) of a class in ECONOMIC_CLASS_COLUMN has its amount in
    its class's column; the other column is blank (a constraint of the solver, so a document
    whose sums say otherwise fails naming the row and this rule)."""
    for code, row in economic.items():
        if code is None or code[:3] not in ECONOMIC_CLASS_COLUMN or len(row.figures) != 2:
            continue
        column, kind = ECONOMIC_CLASS_COLUMN[code[:3]]
        other = "public" if column == "personnel" else "personnel"
        solver.require_blank(row, (other,), f"economic class {code[:3]} is {kind} by the economic classification "
                                            f"and the row prints its amount once, as 合计 and {column}")


def _subject_parent(code: str) -> str | None:
    return {7: code[:5], 5: code[:3]}.get(len(code))


def _economic_parent(code: str) -> str | None:
    return code[:3] if len(code) == 5 else None


def _unit_parent(code: str) -> str | None:
    return code[:3] if len(code) == 6 else None


class AppendixReader:
    def __init__(self, document: SourceDocument, layout: DocumentLayout, document_id: str):
        self.document = document
        self.layout = layout
        self.document_id = document_id
        self.solver = PlacementSolver(document.file_name)
        self.skipped: list[SkippedLine] = []
        self.output = AppendixTables()
        # Tables whose rows await placement: (table id, shape, each printed row with its solver row)
        self._placed_tables: list[tuple[str, TableShape, list[tuple[TableRow, FigureRow]]]] = []

    # -- helpers -------------------------------------------------------------------------
    def _region(self, table_id: str) -> Region:
        region = self.layout.appendix(table_id)
        if region is None:
            raise IngestError(self.document.file_name, None, f"a table headed {table_id}", "none in the document")
        return region

    def _code_table(self, table_id: str, shape: TableShape, code_lengths: set[int], parent_of
                    ) -> dict[str | None, FigureRow]:
        rows = read_code_rows(self.document, self._region(table_id), code_lengths, self.skipped)
        placed: list[tuple[TableRow, FigureRow]] = []
        by_code: dict[str | None, FigureRow] = {}
        for order, row in enumerate(rows, 1):
            key = f"{table_id}:{row.code or '合计'}"
            figure_row = self.solver.add_row(key, shape, row.figure_line, row.raw_text, row.figures)
            placed.append((row, figure_row))
            by_code[row.code] = figure_row
        if None not in by_code:
            raise IngestError(self.document.file_name, rows[0].first_line if rows else None,
                              f"a 合计 row in {table_id}", "none")
        children: dict[str | None, list[FigureRow]] = defaultdict(list)
        for row, figure_row in placed:
            if row.code is None:
                continue
            parent = parent_of(row.code)
            if parent is not None and parent not in by_code:
                raise IngestError(self.document.file_name, row.first_line,
                                  f"the row of {parent} above {row.code} in {table_id}", "no such row")
            children[parent].append(figure_row)
        for parent, members in children.items():
            self.solver.require_sum(by_code[parent], members)
        self._placed_tables.append((table_id, shape, placed))
        return by_code

    # -- 附件1 and 附件4 ------------------------------------------------------------------
    def overview(self, table_id: str) -> list[OverviewItem]:
        region = self._region(table_id)
        lines = nonblank_lines(self.document, region)
        start = next((i for i, (_, text) in enumerate(lines) if text.replace(" ", "").startswith("项目")), None)
        if start is None:
            raise IngestError(self.document.file_name, region.start,
                              f"the header '项 目 预算数 …' of {table_id}", "none")
        items: list[OverviewItem] = []
        sections = {"income": None, "expenditure": None}
        order = 0
        for number, text in lines[start + 1:]:
            cells: list[list] = []  # [label, amount, offset of the amount]
            for offset, token in token_spans(self.document, number, text):
                if is_amount_cell(token):
                    if not cells or cells[-1][1] is not None:
                        raise IngestError(self.document.file_name, number,
                                          f"an amount after an item label in {table_id}", token)
                    cells[-1][1:] = [parse_amount(token), digit_offset(offset, token)]
                elif looks_numeric(token):
                    raise IngestError(self.document.file_name, number, f"an amount in {table_id}", token)
                else:
                    cells.append([token, None, None])
            for label, amount, offset in cells:
                side = _overview_side(label)
                name = _OVERVIEW_LABEL.sub("", label)
                order += 1
                items.append(OverviewItem(self.document_id, table_id, order, number, text, side,
                                          sections[side], label, name, amount,
                                          figure_at=None if offset is None else {"amount": (number, offset)}))
                # A numbered '一、' heading with sub-items '（一）' below is a section
                # (附件4: 一、本年收入 / 二、上年结转); its sub-items carry its name.
                if re.match(r"^[一二三四五六七八九十]+、", label):
                    sections[side] = name
        self._mark_sections(items)
        return items

    @staticmethod
    def _mark_sections(items: list[OverviewItem]) -> None:
        """A '一、' label only names a section if '（…）' items follow it on its side; for
        the others (附件1's items) drop the section name that was provisionally set."""
        for i, item in enumerate(items):
            if item.section_label is None:
                continue
            if not re.match(r"^[（(]", item.item_label):
                items[i] = replace(item, section_label=None)

    # -- 附件7 ----------------------------------------------------------------------------
    def three_public(self, prose_figures: dict[str, tuple[int, Decimal]]) -> tuple[TableRow, FigureRow]:
        region = self._region("附件7")
        rows = [(n, t) for n, t in nonblank_lines(self.document, region)
                if all(is_amount_cell(tok) for tok in t.split())]
        if len(rows) != 1:
            raise IngestError(self.document.file_name, region.start,
                              "one line of figures in 附件7", f"{len(rows)} lines")
        number, text = rows[0]
        spans = token_spans(self.document, number, text)
        figures = tuple(parse_amount(t) for _, t in spans)
        row = TableRow(number, number, None, "“三公”经费", figures, text,
                       tuple(digit_offset(offset, t) for offset, t in spans))
        figure_row = self.solver.add_row("附件7", THREE_PUBLIC_SHAPE, number, text, figures)
        known = {column: prose_figures[key][1] for key, column in THREE_PUBLIC_FROM_PROSE.items()
                 if key in prose_figures}
        if known:
            line = min(prose_figures[k][0] for k in THREE_PUBLIC_FROM_PROSE if k in prose_figures)
            prose_row = self.solver.add_fixed("prose:三公", THREE_PUBLIC_SHAPE, line, "第二部分 四 “三公”经费",
                                              known)
            self.solver.require_equal(figure_row, tuple(known), prose_row, tuple(known))
        self._placed_tables.append(("附件7", THREE_PUBLIC_SHAPE, [(row, figure_row)]))
        return row, figure_row

    # -- 附件8 ----------------------------------------------------------------------------
    def government_fund(self) -> dict[str | None, FigureRow] | None:
        region = self._region("附件8")
        lines = nonblank_lines(self.document, region)
        note = next(((n, t) for n, t in lines if t.startswith("注")), None)
        has_figures = any(any(is_amount_cell(tok) for tok in t.split()) for n, t in lines
                          if t.split()[0].isdigit() or t.startswith("合计"))
        if not has_figures:
            if note is None:
                raise IngestError(self.document.file_name, region.start,
                                  "figures in 附件8 or a 注 declaring it empty", "neither")
            title = lines[1][1] if len(lines) > 1 else "附件8"
            self.output.records.append(EmptyTable(
                self.document_id, "附件8", 1, note[0], note[1], title, note[1]))
            return None
        return self._code_table("附件8", GOVERNMENT_FUND_SHAPE, {3, 5, 7}, _subject_parent)

    # -- 附件9 ----------------------------------------------------------------------------
    def transfers(self) -> list[TransferPayment]:
        region = self._region("附件9")
        lines = nonblank_lines(self.document, region)
        records: list[TransferPayment] = []
        order = 0
        for number, text in lines:
            spans = token_spans(self.document, number, text)
            tokens = [t for _, t in spans]
            first = tokens[0]
            if first.startswith("合计"):
                amounts = [(o, t) for o, t in spans[1:] if is_amount_cell(t)]
                if len(amounts) != 1:
                    raise IngestError(self.document.file_name, number, "one amount on 附件9's 合计 row", text)
                order += 1
                offset, amount = amounts[0]
                records.append(TransferPayment(self.document_id, "附件9", order, number, text,
                                               None, "合计", None, None, None, None, None,
                                               parse_amount(amount),
                                               figure_at={"amount": (number, digit_offset(offset, amount))}))
                continue
            if not (first.isdigit() and len(first) == 6):
                continue
            if not is_amount_cell(tokens[-1]):
                bad = tokens[-1] if looks_numeric(tokens[-1]) else None
                raise IngestError(self.document.file_name, number,
                                  "a 附件9 row ending with its amount (预算数)", bad or text)
            if len(tokens) < 6 or not (tokens[2].isdigit() and len(tokens[2]) == 7):
                raise IngestError(self.document.file_name, number,
                                  "单位编码 单位名称 功能科目编码 功能科目名称 资金性质 [转移支付类型] 项目名称 预算数",
                                  text)
            text_cells = tokens[4:-1]
            fund_nature = text_cells[0]
            rest = text_cells[1:]
            # 转移支付类型 may be printed blank (403008's 国有资本经营预算 row); the types all
            # end in 转移支付, project names do not, so the vocabulary places the cells.
            if rest and _TRANSFER_TYPE.search(rest[0]):
                transfer_type, project = rest[0], "".join(rest[1:]) or None
            else:
                transfer_type, project = None, "".join(rest) or None
                self.output.findings.append(ParseFinding(
                    self.document_id, "附件9", number, "blank_cell", "info", tokens[0], None, None,
                    "转移支付类型 printed blank; the remaining text cell is read as 转移支付项目名称"))
            order += 1
            records.append(TransferPayment(self.document_id, "附件9", order, number, text, tokens[0],
                                           tokens[1], tokens[2], tokens[3], fund_nature, transfer_type,
                                           project, parse_amount(tokens[-1]),
                                           figure_at={"amount": (number, digit_offset(*spans[-1]))}))
        total = next((r for r in records if r.unit_code is None), None)
        items = [r for r in records if r.unit_code is not None]
        if total is None:
            raise IngestError(self.document.file_name, region.start, "a 合计 row in 附件9", "none")
        if sum(r.amount for r in items) != total.amount:
            self.output.findings.append(ParseFinding(
                self.document_id, "附件9", total.source_line, "parent_differs_from_children", "warn", "合计",
                sum(r.amount for r in items), total.amount, "附件9 合计 differs from the sum of its rows"))
        return records

    # -- the whole appendix part -----------------------------------------------------------
    def read(self, prose_figures: dict[str, tuple[int, Decimal]],
             structure: ExpenditureStructure | None) -> AppendixTables:
        overview = self.overview("附件1") + self.overview("附件4")
        self.output.records.extend(overview)
        units = self._code_table("附件2", UNIT_INCOME_SHAPE, {3, 6}, _unit_parent)
        income = {OVERVIEW_INCOME_TO_UNIT_INCOME[i.item_name]: i for i in overview
                  if i.table_id == "附件1" and i.side == "income" and i.item_name in OVERVIEW_INCOME_TO_UNIT_INCOME}
        if income:
            fixed = self.solver.add_fixed(
                "附件1:income", UNIT_INCOME_SHAPE, min(i.source_line for i in income.values()),
                "附件1 收入", {column: item.amount for column, item in income.items()})
            self.solver.require_equal(units[None], tuple(income), fixed, tuple(income))
        subjects = self._code_table("附件3", SUBJECT_SHAPE, {3, 5, 7}, _subject_parent)
        general = self._code_table("附件5", GENERAL_BUDGET_SHAPE, {3, 5, 7}, _subject_parent)
        fund = self.government_fund()
        economic = self._code_table("附件6", ECONOMIC_SHAPE, {3, 5}, _economic_parent)
        require_economic_class_columns(self.solver, economic)
        # 财政拨款 of 附件3 is the general public budget (附件5) plus government funds (附件8).
        for code, row in subjects.items():
            parts = []
            if code in general:
                parts.append((general[code], ("total", "basic_subtotal", "project")))
            if fund and code in fund:
                parts.append((fund[code], ("total", "basic_subtotal", "project")))
            if parts:
                self.solver.require_total(row, ("fiscal_subtotal", "fiscal_basic", "fiscal_project"), parts)
            elif code is not None:
                self.solver.require_equal(row, ("fiscal_subtotal",), self._zero(SUBJECT_SHAPE), ("fiscal_subtotal",))
        # 附件6 details the basic expenditure of 附件5.
        self.solver.require_equal(general[None], ("basic_subtotal", "basic_personnel", "basic_public"),
                                  economic[None], ("total", "personnel", "public"))
        if structure is not None:
            fixed = self.solver.add_fixed(
                "附件10:structure", SUBJECT_SHAPE, structure.line, structure.text,
                {"fiscal_basic": structure.basic_fiscal, "fiscal_project": structure.project_fiscal,
                 "non_fiscal_basic": structure.basic_total - structure.basic_fiscal,
                 "non_fiscal_project": structure.project_total - structure.project_fiscal})
            columns = ("fiscal_basic", "fiscal_project", "non_fiscal_basic", "non_fiscal_project")
            self.solver.require_equal(subjects[None], columns, fixed, columns)
        self.three_public(prose_figures)
        self.output.records.extend(self.transfers())
        placements = self.solver.solve()
        self._emit(placements)
        return self.output

    def _zero(self, shape: TableShape) -> FigureRow:
        key = f"zero:{shape.table_id}"
        if key not in self.solver.rows:
            self.solver.add_fixed(key, shape, 1, "blank", {c: Decimal(0) for c in shape.columns})
        return self.solver.rows[key]

    def _emit(self, placements) -> None:
        for table_id, shape, placed in self._placed_tables:
            for order, (row, figure_row) in enumerate(placed, 1):
                placement = placements[figure_row.key]
                cells = {c: from_cents(v) for c, v in zip(shape.columns, placement)}
                base = (self.document_id, table_id, order, row.figure_line, row.raw_text)
                self.output.records.append(_record(table_id, base, row, cells, _placed_at(shape, placement, row)))
        for row in self.solver.identity_roundings:
            self.output.findings.append(ParseFinding(
                self.document_id, row.shape.table_id, row.line, "row_identity_rounding", "warn",
                row.text.split()[0], None, None,
                f"the figures of {row.text!r} meet the table's identities only within "
                f"{Decimal('0.02')} (rounding in the source)"))
        for difference in self.solver.rounding_differences(placements):
            parent = difference.parent
            self.output.findings.append(ParseFinding(
                self.document_id, parent.shape.table_id, parent.line, "parent_differs_from_children", "warn",
                parent.text.split()[0].rstrip(":："), difference.sum_of_children, difference.printed,
                f"{parent.shape.table_id} {parent.text.split()[0]} prints {difference.column} "
                f"{difference.printed}; the rows below it add to {difference.sum_of_children}"))
        for skipped in self.skipped:
            self.output.findings.append(ParseFinding(
                self.document_id, skipped.reason.split()[-1], skipped.line, "page_number_skipped", "info",
                skipped.text, None, None, f"line {skipped.text!r} read as a {skipped.reason}"))


def _overview_side(label: str) -> str:
    # Income-side labels name a 收入, a 拨款 or the 上年结转; everything else (the functional
    # 类 ending in 支出, 年终结转结余, 支出总计) stands on the expenditure side.
    return "income" if ("收入" in label or "拨款" in label or "上年结转" in label) else "expenditure"


def _placed_at(shape: TableShape, placement, row: TableRow) -> dict[str, tuple[int, int]] | None:
    """Column -> (line, offset) of the token placed there. A placement keeps the printed
    order of the figures, so the k-th non-blank column holds the k-th printed figure."""
    if len(row.offsets) != len(row.figures):
        return None
    columns = [c for c, v in zip(shape.columns, placement) if v is not None]
    return {c: (row.figure_line, offset) for c, offset in zip(columns, row.offsets)}


def _record(table_id: str, base: tuple, row: TableRow, cells: dict[str, Decimal | None], at: dict | None):
    table = table_id.split("-")[0]
    if table == "附件2":
        return UnitIncome(*base, row.code, row.name, **cells, figure_at=at)
    if table == "附件3":
        return SubjectExpenditure(*base, row.code, row.name, **cells, figure_at=at)
    if table == "附件5":
        return BudgetExpenditure(*base, "general_public_budget", row.code, row.name, **cells, figure_at=at)
    if table == "附件8":
        return BudgetExpenditure(*base, "government_fund", row.code, row.name, cells["total"],
                                 cells["basic_subtotal"], None, None, cells["project"], figure_at=at)
    if table == "附件6":
        return BasicExpenditureEconomic(*base, row.code, row.name, **cells, figure_at=at)
    if table == "附件7":
        return ThreePublicCosts(*base, **cells, figure_at=at)
    raise ValueError(table_id)
