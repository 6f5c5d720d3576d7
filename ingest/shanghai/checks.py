"""Accounting identities of a Shanghai district budget, checked on the cells the PDF gave.

Nothing is placed by them (every cell was read from its ruled position); a difference is
recorded as a finding with what was expected and what is printed, and the printed figure
stays as printed:

- in a row: 合计 = 基本支出 + 项目支出, 合计 = 财政拨款收入 + 事业收入 + 事业单位经营收入 + 其他收入,
  合计 = 人员经费 + 公用经费, 三公 合计 = 出国 + 公务用车 + 接待, 公务用车 = 购置 + 运行;
- down a column: 类 = Σ 款, 款 = Σ 项, 合计 = Σ 类;
- across tables: 收入总表 and 支出总表 合计 = 收支总表 收入总计 / 支出总计; 一般公共预算支出表 合计 =
  财政拨款收支总表's 一般公共预算 column; its 基本支出 合计 = 经济分类表 合计;
- prose against tables: the 万元 figures of the prose equal the tables' 元 figures to the
  prose's rounding (0.005 万元 = 50 元 for two decimals; half a 万元 for a whole number).

The row and column identities are declared (IDENTITIES) and checked by the one mechanism,
ingest/core/identities.py; the cross-table and prose checks are this template's own."""

from __future__ import annotations

from decimal import Decimal

from ingest.core.identities import Identities, cells_by_table, finding
from ingest.core.records import ParseFinding, ProseFigure, TableCell

IDENTITIES = Identities(
    rows={
        "income_summary": (("total", ("fiscal", "business_income", "operating_income", "other_income")),),
        "expenditure_summary": (("total", ("basic", "project")),),
        "general_public_budget_expenditure": (("total", ("basic", "project")),),
        "government_fund_expenditure": (("total", ("basic", "project")),),
        "state_capital_expenditure": (("total", ("basic", "project")),),
        "basic_expenditure_economic": (("total", ("personnel", "public")),),
        "three_public": (("total", ("outbound_travel", "vehicle_subtotal", "official_reception")),
                         ("vehicle_subtotal", ("vehicle_purchase", "vehicle_operation"))),
    },
    hierarchies=("income_summary", "expenditure_summary", "general_public_budget_expenditure",
                 "government_fund_expenditure", "state_capital_expenditure", "basic_expenditure_economic",
                 "three_public"),
)
YUAN_PER_WAN = Decimal(10000)


def check_identities(tables: list, figures: list[ProseFigure], document_id: str) -> list[ParseFinding]:
    by_table = cells_by_table(tables)
    findings = IDENTITIES.check(by_table, document_id)
    findings += _across_tables(by_table, document_id)
    findings += _prose_against_tables(by_table, figures, document_id)
    return findings


def _total(by_table: dict[str, list[TableCell]], table_id: str, column: str, *, side: str | None = None,
           label: str = "合计") -> TableCell | None:
    return next((c for c in by_table.get(table_id, []) if c.column_key == column and c.side == side
                 and c.row_label.replace(" ", "").startswith(label)), None)


def _across_tables(by_table: dict[str, list[TableCell]], document_id: str) -> list[ParseFinding]:
    pairs = (
        (_total(by_table, "income_summary", "total"), _total(by_table, "financial_summary", "amount",
                                                             side="income", label="收入总计")),
        (_total(by_table, "expenditure_summary", "total"), _total(by_table, "financial_summary", "amount",
                                                                  side="expenditure", label="支出总计")),
        (_total(by_table, "general_public_budget_expenditure", "total"),
         _total(by_table, "fiscal_summary", "general_public_budget", side="expenditure", label="支出总计")),
        (_total(by_table, "general_public_budget_expenditure", "basic"),
         _total(by_table, "basic_expenditure_economic", "total")),
        (_total(by_table, "financial_summary", "amount", side="income", label="收入总计"),
         _total(by_table, "financial_summary", "amount", side="expenditure", label="支出总计")),
    )
    findings = []
    for left, right in pairs:
        if left is None or right is None or (left.amount or 0) == (right.amount or 0):
            continue
        findings.append(finding(document_id, left.table_id, left.page_number, "cross_table",
                                 left.row_label, right.amount, left.amount,
                                 f"{left.table_title} {left.column_label} prints {left.amount}; "
                                 f"{right.table_title} {right.row_label} {right.column_label} prints {right.amount}"))
    return findings


def _prose_against_tables(by_table: dict[str, list[TableCell]], figures: list[ProseFigure],
                          document_id: str) -> list[ParseFinding]:
    gpb = {c.subject_code: c for c in by_table.get("general_public_budget_expenditure", [])
           if c.column_key == "total" and c.subject_code}
    three = {c.column_key: c for c in by_table.get("three_public", [])}
    targets = {
        "income_total": _total(by_table, "financial_summary", "amount", side="income", label="收入总计"),
        "expenditure_total": _total(by_table, "financial_summary", "amount", side="expenditure", label="支出总计"),
        "general_public_budget_expenditure": _total(by_table, "general_public_budget_expenditure", "total"),
    }
    findings = []
    for figure in figures:
        if figure.figure_key == "line_item":
            cell = gpb.get(figure.matched_subject_code)
        elif figure.figure_key in three:
            cell = three[figure.figure_key]
        elif figure.figure_key == "government_operation":
            cell = three.get("government_operation")
        else:
            cell = targets.get(figure.figure_key)
        if cell is None:
            continue
        table_wan = (cell.amount or Decimal(0)) / (YUAN_PER_WAN if cell.amount_unit == "元" else 1)
        printed_places = -figure.value.as_tuple().exponent
        tolerance = Decimal("0.005") if printed_places >= 2 else Decimal("0.5") / (10 ** printed_places)
        if abs(table_wan - figure.value) > tolerance:
            findings.append(ParseFinding(
                document_id, figure.table_id, None, "prose_differs_from_table", "warn", figure.label[:60],
                table_wan.quantize(Decimal("0.01")), figure.value,
                f"prose {figure.figure_key} {figure.label[:40]} prints {figure.value} 万元 (page {figure.page_number}); "
                f"{cell.table_title} {cell.subject_code or cell.row_label} {cell.column_label} prints "
                f"{cell.amount} {cell.amount_unit}", page_number=figure.page_number))
    return findings
