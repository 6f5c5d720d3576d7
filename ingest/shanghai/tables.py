"""The ruled tables of a Shanghai district budget (部门预算 / 单位预算): this template's declaration.

Each table starts on a page whose title line names it (2025年部门支出预算总表) and may run
on over pages without a title; its unit is stated on the 编制部门/编制单位 line (单位：元,
the 三公 table 单位:万元). The reading itself (titles, units, columns by printed header,
类 / 款 / 项 codes joined into the national 7-digit code or read from one code column,
two-sided 收支总表 rows, the findings of what cannot be read) is ingest/core/ruled_tables.py's;
this module declares the template's tables, its header vocabulary and where a page's body
starts. docs/reading-pdfs.md lists the layouts read and the findings."""

from __future__ import annotations

import re
from functools import partial

from ingest.core.amounts import AMOUNT_CELL
from ingest.core.pdf import Cell, PdfDocument, PdfPage
from ingest.core.ruled_tables import (
    Column, RuledTemplate, TableRead, cell_text, columns_by_header, starts_subject_row, subject_row,
)
from ingest.core.ruled_tables import read_tables as read_ruled_tables

# Title fragment -> table id. Order matters: the first fragment found in a title decides
# (财政拨款收支预算总表 before the 收支预算总表 it contains).
TABLE_KINDS: tuple[tuple[str, str], ...] = (
    ("财政拨款收支预算总表", "fiscal_summary"),
    ("财务收支预算总表", "financial_summary"),
    ("收入预算总表", "income_summary"),
    ("支出预算总表", "expenditure_summary"),
    ("一般公共预算基本支出", "basic_expenditure_economic"),
    ("一般公共预算支出功能分类", "general_public_budget_expenditure"),
    ("政府性基金预算支出功能分类", "government_fund_expenditure"),
    ("国有资本经营预算支出功能分类", "state_capital_expenditure"),
    ("三公", "three_public"),
)
TWO_SIDED = frozenset({"financial_summary", "fiscal_summary"})

# Header text (spaces removed) -> column key. The longest matching fragment wins, so
# 事业单位经营收入 is not read as 事业收入 and 机关运行经费 not as 运行费.
COLUMN_KEYS: dict[str, str] = {
    "合计": "total",
    "总计": "total",
    "预算数": "amount",
    "财政拨款收入": "fiscal",
    "事业收入": "business_income",
    "事业单位经营收入": "operating_income",
    "经营收入": "operating_income",
    "其他收入": "other_income",
    "基本支出": "basic",
    "项目支出": "project",
    "人员经费": "personnel",
    "公用经费": "public",
    "一般公共预算": "general_public_budget",
    "政府性基金预算": "government_fund",
    "国有资本经营预算": "state_capital",
    "出国": "outbound_travel",
    "公务接待费": "official_reception",
    "接待费": "official_reception",
    "小计": "vehicle_subtotal",
    "购置费": "vehicle_purchase",
    "运行费": "vehicle_operation",
    "机关运行经费": "government_operation",
}
# The 三公 table's 小计 is 公务用车购置及运行费's; in every other table a 小计 heads its total
# column as 合计 or 总计 does.
TOTAL_KEYS: dict[str, str] = {**COLUMN_KEYS, "小计": "total"}


def _is_data_row(table_id: str, row: list[Cell]) -> bool:
    first = cell_text(row[0])
    if table_id in TWO_SIDED:
        # 收支总表 rows are numbered (一、… / 1.) down to 收入总计 / 支出总计; a line printed without
        # its number is a row all the same when it prints an amount.
        return (bool(first) and first[0] in "一二三四五六七八九十1234567890" or "总计" in first
                or any(AMOUNT_CELL.match(cell_text(c)) for c in row[1:]))
    if table_id == "three_public":
        return any(AMOUNT_CELL.match(cell_text(c)) for c in row)
    return starts_subject_row(row)


def _body_start(table_id: str, rows: list[list[Cell]]) -> int:
    return next((i for i, row in enumerate(rows) if _is_data_row(table_id, row)), len(rows))


def _read_columns(file_name: str, page: PdfPage, table: TableRead, header: list[list[Cell]],
                  body: list[list[Cell]]) -> list[Column]:
    keys = COLUMN_KEYS if table.table_id == "three_public" else TOTAL_KEYS
    return columns_by_header(header, body[0] if body else header[-1], keys)


TEMPLATE = RuledTemplate(
    kinds=TABLE_KINDS,
    column_keys=COLUMN_KEYS,
    body_start=_body_start,
    two_sided=TWO_SIDED,
    units=("元", "万元"),
    note_starts=("注",),
    empty_note=re.compile("空表"),
    # Every table of the budget closes with its 合计 / 收入总计·支出总计 row.
    total_row_last=True,
    # The 三公 table is one row of amounts with neither code nor name: the 合计 row.
    row_readers={"three_public": partial(subject_row, row_label="合计")},
    read_columns=_read_columns,
)


def read_tables(pdf: PdfDocument, document_id: str) -> list[TableRead]:
    return read_ruled_tables(pdf, document_id, TEMPLATE)
