"""Identities of a Shanghai final account, checked on the cells and prose figures read.

Nothing is placed or corrected by them; a difference is a ParseFinding (with the page) and
the printed figures stay as printed:

- 收入支出决算总表 and 财政拨款收入支出决算总表: 收入 总计 = 支出 总计; 总计 = 本年收入合计 +
  使用非财政拨款结余 + 年初结转和结余 (支出: 本年支出合计 + 结余分配 + 年末结转和结余);
  本年收入合计 / 本年支出合计 = Σ its numbered rows (一、… 八、); 年初财政拨款结转和结余 = Σ the
  numbered rows under it;
- in a row: 本年收入合计 = 财政拨款收入 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他;
  本年支出合计 = 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助; 合计 = 基本 + 项目;
  财政拨款 合计 = 一般公共预算 + 政府性基金 + 国有资本经营; 三公 合计 = 出国 + 公务用车 + 接待,
  公务用车 = 购置 + 运行, for 预算数 and 决算数 each;
- down a column: 类 = Σ 款 = Σ 项, 合计 = Σ 类 (economic classes too); each side of the 基本
  支出 table: 人员经费合计 (left) and 公用经费合计 (right) = Σ its 类 rows;
- across tables: the 收入 / 支出 tables' 合计 = the summary's 本年收入合计 / 本年支出合计; the
  一般公共预算 table's 合计 = the fiscal summary's 一般公共预算 column, its 基本支出 = 人员经费
  合计 + 公用经费合计; the summaries' 类 rows = the tables' 类 rows;
- prose against tables (to the prose's rounding), the stated direction of each
  预算数 / 决算数 pair against its two figures, and the numbering of the 项 items (gaps,
  repeats, a 项 row of the table with no item).

The row and column identities are declared (IDENTITIES) and checked by the one mechanism,
ingest/core/identities.py; the rest is this template's own."""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.core.identities import Identities, cells_by_table, finding, sum_check
from ingest.core.records import ParseFinding, ProseFigure, TableCell
from ingest.shanghai_final.prose import stated_direction

IDENTITIES = Identities(
    rows={
        "final_income": (("total", ("fiscal", "superior_subsidy", "business_income", "operating_income",
                                    "subordinate_remittance", "other_income")),),
        "final_expenditure": (("total", ("basic", "project", "remittance_to_superior", "operating_expenditure",
                                         "subsidy_to_subordinate")),),
        "final_general_public_budget_expenditure": (("total", ("basic", "project")),),
        "final_government_fund": (("expenditure_total", ("basic", "project")),),
        "final_state_capital": (("expenditure_total", ("basic", "project")),),
        "final_fiscal_summary": (("total", ("general_public_budget", "government_fund", "state_capital")),),
        # 三公: the same identities for the 预算数 and the 决算数 of each heading.
        "final_three_public": tuple(
            (f"{phase}:{total}", tuple(f"{phase}:{p}" for p in parts)) for phase in ("budget", "outturn")
            for total, parts in (("total", ("outbound_travel", "vehicle_subtotal", "official_reception")),
                                 ("vehicle_subtotal", ("vehicle_purchase", "vehicle_operation")))),
    },
    hierarchies=("final_income", "final_expenditure", "final_general_public_budget_expenditure",
                 "final_government_fund", "final_state_capital", "final_basic_expenditure_economic"),
)
# A numbered line of a 总表 (一、… / 1. / （一）): summed by its number's presence, matched by
# its name, since templates number the same line differently.
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|[（(][一二三四五六七八九十]+[)）])")
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def line_name(label: str) -> str:
    """A row's name without its number, spaces or half-width brackets: 一、一般公共服务支出 and
    1.一般公共服务支出 are one line; 使用非财政拨款结余(含专用结余) is its full-width self."""
    return _NUMBERED.sub("", label.replace(" ", "")).translate(_BRACKETS)
_ZERO = Decimal(0)


def _amount(cell: TableCell | None) -> Decimal:
    return cell.amount if cell is not None and cell.amount is not None else _ZERO


def check_final(tables: list, figures: list[ProseFigure], document_id: str) -> list[ParseFinding]:
    by_table = cells_by_table(tables)
    findings = IDENTITIES.check(by_table, document_id)
    findings += _summaries(by_table, document_id)
    findings += _economic_sides(by_table.get("final_basic_expenditure_economic", []), document_id)
    findings += _across_tables(by_table, document_id)
    findings += _prose_against_tables(by_table, figures, document_id)
    findings += _directions(figures, document_id)
    findings += _numbering(figures, by_table, document_id)
    return findings


def _row(cells: list[TableCell], side: str, label: str, column: str) -> TableCell | None:
    name = line_name(label)
    return next((c for c in cells if c.side == side and c.column_key == column and line_name(c.row_label) == name),
                None)


def _summaries(by_table: dict[str, list[TableCell]], document_id: str) -> list[ParseFinding]:
    findings = []
    for table_id, income_parts, expenditure_parts in (
            ("final_income_expenditure_summary", ("本年收入合计", "使用非财政拨款结余（含专用结余）", "年初结转和结余"),
             ("本年支出合计", "结余分配", "年末结转和结余")),
            ("final_fiscal_summary", ("本年收入合计", "年初财政拨款结转和结余"), ("本年支出合计", "年末财政拨款结转和结余"))):
        cells = by_table.get(table_id, [])
        if not cells:
            continue
        for side, parts in (("income", income_parts), ("expenditure", expenditure_parts)):
            columns = sorted({c.column_key for c in cells if c.side == side}, key=lambda k: k != "outturn")
            for column in columns:
                total = _row(cells, side, "总计", column)
                rows = [_row(cells, side, label, column) for label in parts]
                if total is not None:
                    findings += sum_check(document_id, table_id, total, [r for r in rows if r], "total_sum")
                # 本年收入合计 = Σ the numbered rows above it; 年初财政拨款结转和结余 = Σ those below it.
                subtotal = rows[0]
                if subtotal is not None:
                    numbered = [c for c in cells if c.side == side and c.column_key == column
                                and c.row_order < subtotal.row_order and _NUMBERED.match(c.row_label)]
                    findings += sum_check(document_id, table_id, subtotal, numbered, "total_sum")
                carry = _row(cells, side, "年初财政拨款结转和结余", column)
                if carry is not None:
                    below = [c for c in cells if c.side == side and c.column_key == column
                             and c.row_order > carry.row_order and _NUMBERED.match(c.row_label)]
                    findings += sum_check(document_id, table_id, carry, below, "parent_sum")
        first_column = {"income": None, "expenditure": None}
        for side in first_column:
            keys = [c.column_key for c in cells if c.side == side]
            first_column[side] = "outturn" if "outturn" in keys else ("total" if "total" in keys else None)
        income = _row(cells, "income", "总计", first_column["income"])
        expenditure = _row(cells, "expenditure", "总计", first_column["expenditure"])
        if income is not None and expenditure is not None and _amount(income) != _amount(expenditure):
            findings.append(finding(document_id, table_id, income.page_number, "two_sides_differ", "总计",
                                     _amount(expenditure), _amount(income),
                                     f"{income.table_title}: 收入 总计 prints {income.amount}; 支出 总计 prints "
                                     f"{expenditure.amount}"))
    return findings


def _economic_sides(cells: list[TableCell], document_id: str) -> list[ParseFinding]:
    findings = []
    for side, label in (("left", "人员经费合计"), ("right", "公用经费合计")):
        total = next((c for c in cells if c.side == side and line_name(c.row_label) == label), None)
        if total is None:
            continue
        classes = [c for c in cells if c.side == side and c.subject_level == "类"]
        findings += sum_check(document_id, "final_basic_expenditure_economic", total, classes, "total_sum")
    return findings


def _total(by_table: dict[str, list[TableCell]], table_id: str, column: str, label: str = "合计",
           side: str | None = None) -> TableCell | None:
    return next((c for c in by_table.get(table_id, []) if c.column_key == column and c.side == side
                 and line_name(c.row_label) == line_name(label)), None)


def _across_tables(by_table: dict[str, list[TableCell]], document_id: str) -> list[ParseFinding]:
    summary, fiscal = "final_income_expenditure_summary", "final_fiscal_summary"
    personnel = _total(by_table, "final_basic_expenditure_economic", "outturn", "人员经费合计", "left")
    public = _total(by_table, "final_basic_expenditure_economic", "outturn", "公用经费合计", "right")
    pairs = [
        (_total(by_table, "final_income", "total"), _total(by_table, summary, "outturn", "本年收入合计", "income")),
        (_total(by_table, "final_expenditure", "total"),
         _total(by_table, summary, "outturn", "本年支出合计", "expenditure")),
        (_total(by_table, "final_general_public_budget_expenditure", "total"),
         _total(by_table, fiscal, "general_public_budget", "本年支出合计", "expenditure")),
        (_total(by_table, "final_income", "fiscal"), _total(by_table, fiscal, "outturn", "本年收入合计", "income")),
    ]
    findings = []
    for left, right in pairs:
        if left is None or right is None or _amount(left) == _amount(right):
            continue
        findings.append(finding(document_id, left.table_id, left.page_number, "cross_table", left.row_label,
                                 _amount(right), _amount(left),
                                 f"{left.table_title} {left.row_label} {left.column_label} prints {left.amount}; "
                                 f"{right.table_title} {right.row_label} {right.column_label} prints {right.amount}"))
    basic = _total(by_table, "final_general_public_budget_expenditure", "basic")
    if basic is not None and personnel is not None and public is not None:
        findings += sum_check(document_id, "final_general_public_budget_expenditure", basic, [personnel, public],
                               "cross_table")
    # The summaries' 类 rows (一、一般公共服务支出) against the tables' 类 rows by name.
    for table_id, column, target_table in ((summary, "outturn", "final_expenditure"),
                                           (fiscal, "general_public_budget",
                                            "final_general_public_budget_expenditure")):
        classes = {line_name(c.row_label): c for c in by_table.get(target_table, [])
                   if c.subject_level == "类" and c.column_key == "total"}
        for cell in by_table.get(table_id, []):
            if cell.side != "expenditure" or cell.column_key != column or not _NUMBERED.match(cell.row_label):
                continue
            target = classes.get(line_name(cell.row_label))
            if (target is None and cell.amount is None) or _amount(target) == _amount(cell):
                continue
            other = (f"{target.table_title} {target.subject_code} prints {target.amount}" if target
                     else f"{target_table} has no 类 row of that name")
            findings.append(finding(
                document_id, table_id, cell.page_number, "cross_table", cell.row_label, _amount(target),
                _amount(cell), f"{cell.table_title} {cell.row_label} {cell.column_label} prints {cell.amount}; {other}"))
    return findings


def _prose_targets(by_table: dict[str, list[TableCell]]) -> dict[str, TableCell | None]:
    summary, fiscal = "final_income_expenditure_summary", "final_fiscal_summary"
    three = {c.column_key: c for c in by_table.get("final_three_public", [])}
    return {
        "income_expenditure_total": _total(by_table, summary, "outturn", "总计", "income"),
        "fiscal_total": _total(by_table, fiscal, "outturn", "总计", "income"),
        "income_total": _total(by_table, summary, "outturn", "本年收入合计", "income"),
        "fiscal_income": _total(by_table, "final_income", "fiscal"),
        "superior_subsidy": _total(by_table, "final_income", "superior_subsidy"),
        "business_income": _total(by_table, "final_income", "business_income"),
        "operating_income": _total(by_table, "final_income", "operating_income"),
        "subordinate_remittance": _total(by_table, "final_income", "subordinate_remittance"),
        "other_income": _total(by_table, "final_income", "other_income"),
        "expenditure_total": _total(by_table, summary, "outturn", "本年支出合计", "expenditure"),
        "basic_expenditure": _total(by_table, "final_expenditure", "basic"),
        "project_expenditure": _total(by_table, "final_expenditure", "project"),
        "operating_expenditure": _total(by_table, "final_expenditure", "operating_expenditure"),
        "gpb_expenditure": _total(by_table, "final_general_public_budget_expenditure", "total"),
        "gpb_outturn": _total(by_table, "final_general_public_budget_expenditure", "total"),
        "gpb_basic_expenditure": _total(by_table, "final_general_public_budget_expenditure", "basic"),
        "personnel": _total(by_table, "final_basic_expenditure_economic", "outturn", "人员经费合计", "left"),
        "public": _total(by_table, "final_basic_expenditure_economic", "outturn", "公用经费合计", "right"),
        "three_public_initial_budget": three.get("budget:total"),
        "three_public_outturn": three.get("outturn:total"),
        "three_public_outbound_travel_outturn": three.get("outturn:outbound_travel"),
        "three_public_vehicle_outturn": three.get("outturn:vehicle_subtotal"),
        "three_public_reception_outturn": three.get("outturn:official_reception"),
    }


def _prose_against_tables(by_table: dict[str, list[TableCell]], figures: list[ProseFigure],
                          document_id: str) -> list[ParseFinding]:
    """Both are in 万元; the prose may round (6.2 against 6.20): to half its last printed digit.
    A blank table cell stands for nothing spent, so the prose's 0.00 agrees with it."""
    targets = _prose_targets(by_table)
    gpb = {c.subject_code: c for c in by_table.get("final_general_public_budget_expenditure", [])
           if c.column_key == "total" and c.subject_code}
    findings = []
    for figure in figures:
        if figure.figure_key in ("outturn", "class_outturn"):
            cell = gpb.get(figure.matched_subject_code)
        else:
            cell = targets.get(figure.figure_key)
        if cell is None:
            continue
        places = max(-figure.value.as_tuple().exponent, 0)
        tolerance = Decimal("0.5") / (10 ** places)
        if abs(_amount(cell) - figure.value) < tolerance:
            continue
        findings.append(ParseFinding(
            document_id, figure.table_id, None, "prose_differs_from_table", "warn", figure.label[:60],
            _amount(cell), figure.value,
            f"prose {figure.figure_key} '{figure.raw_text[:50]}' prints {figure.value} 万元 (page {figure.page_number}); "
            f"{cell.table_title} {cell.subject_code or cell.row_label} {cell.column_label} prints "
            f"{cell.amount} {cell.amount_unit} (page {cell.page_number})", page_number=figure.page_number))
    return findings


_PAIRS = (("initial_budget", "outturn"), ("gpb_initial_budget", "gpb_outturn"),
          ("three_public_initial_budget", "three_public_outturn"))


def _directions(figures: list[ProseFigure], document_id: str) -> list[ParseFinding]:
    """决算数小于预算数 needs outturn < budget, 大于 >, 等于 / 持平 =, 基本持平 within 1% of
    the budget; a pair that differs with no stated reason is a finding too."""
    findings = []
    for budget_key, outturn_key in _PAIRS:
        budgets = [f for f in figures if f.figure_key == budget_key]
        for budget in budgets:
            outturn = next((f for f in figures if f.figure_key == outturn_key and f.label == budget.label
                            and f.item_number == budget.item_number and f.row_order > budget.row_order), None)
            if outturn is None:
                continue
            direction = stated_direction(budget.stated_reason)
            b, o = budget.value, outturn.value
            subject = f"{budget.item_number or ''} {budget.label}".strip()
            if direction is None:
                if b != o:
                    findings.append(ParseFinding(
                        document_id, budget.table_id, None, "reason_missing", "warn", subject[:60], b, o,
                        f"{budget.label}: 年初预算 {b} 万元, 决算 {o} 万元, and no reason stated",
                        page_number=outturn.page_number))
                continue
            holds = {"小于": o < b, "大于": o > b, "等于": o == b, "持平": o == b, "相等": o == b,
                     "基本持平": abs(o - b) <= abs(b) / 100}[direction]
            if not holds:
                findings.append(ParseFinding(
                    document_id, budget.table_id, None, "reason_direction", "warn", subject[:60], b, o,
                    f"{budget.label}: the prose states 决算数{direction}预算数 but prints 年初预算 {b} 万元 and "
                    f"决算 {o} 万元", page_number=outturn.page_number))
    return findings


def _numbering(figures: list[ProseFigure], by_table: dict[str, list[TableCell]],
               document_id: str) -> list[ParseFinding]:
    items = [f for f in figures if f.figure_key == "initial_budget" and f.item_number is not None]
    findings = []
    numbers = [f.item_number for f in items]
    for previous, figure in zip([0] + numbers, items):
        if figure.item_number != previous + 1:
            kind = "item_number_repeated" if figure.item_number <= previous else "item_number_gap"
            findings.append(ParseFinding(
                document_id, figure.table_id, None, kind, "warn", figure.label[:60], Decimal(previous + 1),
                Decimal(figure.item_number), f"item {figure.item_number} ({figure.label}) follows item {previous}",
                page_number=figure.page_number))
    explained = {f.matched_subject_code for f in items}
    for cell in by_table.get("final_general_public_budget_expenditure", []):
        if cell.subject_level == "项" and cell.column_key == "total" and cell.subject_code not in explained:
            findings.append(finding(document_id, cell.table_id, cell.page_number, "item_not_explained",
                                     cell.subject_code, None, cell.amount,
                                     f"{cell.table_title} {cell.subject_code} {cell.row_label} ({cell.amount} "
                                     "万元) has no numbered item in the prose"))
    return findings
