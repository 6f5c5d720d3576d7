"""The ruled tables of a Shanghai final account (部门决算), read cell by cell.

The nine tables of the template (收入支出决算总表 … 国有资本经营预算财政拨款收入支出决算表) are
found by their title above the ruled grid and may run on over pages without a title. All
are printed in 万元 (the unit is read from the table's 单位 line all the same). Columns are
recognised by their printed header, never by position (the reading is
ingest/core/ruled_tables.py's; this module is the template's declaration, TEMPLATE, its
vocabulary and the layouts below), so a column no vocabulary names is left unread with a
finding naming its header. Codes stand in columns 类 / 款 / 项 (`201 | 06 | 01` → 2010601; the
economic classes `301 | 01` → 30101) or in one column (`2010601`, `30101`: the blank template's
layout). docs/reading-pdfs.md lists every layout and finding.

Four layouts are this template's own:
- the 收入决算表 / 支出决算表 print their 合计 row in the band of the 类 / 款 / 项 header marks,
  and the blank template's 政府性基金 table its 合计 | 基本支出 | 项目支出 under 本年支出 (no rule
  between them): the marks name the columns and the band is the 合计 row;
- the 基本支出决算表 prints two tables side by side (301/303 left, 302/310 right) and ends
  with 人员经费合计 | 公用经费合计; `side` is 'left' / 'right';
- the 三公 table has a 预算数 and a 决算数 column under each heading: the column key names
  the phase, `budget:total`, `outturn:official_reception` …;
- the function tables print 合计 first, so a lost page shows only in their 类 rows summing
  short of it on a full last page (`cut_short`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ingest.core.errors import IngestError
from ingest.core.pdf import Cell, PdfDocument, PdfPage
from ingest.core.records import ParseFinding
from ingest.core.ruled_tables import (
    CODE_LEVELS, CODE_PART, UNREADABLE, Column, RuledTemplate, TableRead, amount, cell_record,
    cell_text, column_at, column_key, columns_by_header, is_amount, starts_subject_row, subject_code, subject_row,
    unknown_column,
)
from ingest.core.ruled_tables import read_tables as read_ruled_tables
from ingest.shanghai.tables import COLUMN_KEYS

# Title fragment -> table id; the first fragment found in a title decides (the longer
# titles that contain a shorter one come first).
TABLE_KINDS: tuple[tuple[str, str], ...] = (
    ("财政拨款收入支出决算总表", "final_fiscal_summary"),
    ("收入支出决算总表", "final_income_expenditure_summary"),
    ("一般公共预算财政拨款基本支出决算表", "final_basic_expenditure_economic"),
    ("一般公共预算财政拨款支出决算表", "final_general_public_budget_expenditure"),
    ("三公", "final_three_public"),
    ("政府性基金预算财政拨款收入支出决算表", "final_government_fund"),
    ("国有资本经营预算财政拨款收入支出决算表", "final_state_capital"),
    ("收入决算表", "final_income"),
    ("支出决算表", "final_expenditure"),
)
TWO_SIDED = frozenset({"final_income_expenditure_summary", "final_fiscal_summary"})
SUBJECT_TABLES = {"final_income", "final_expenditure", "final_general_public_budget_expenditure",
                  "final_government_fund", "final_state_capital"}

# Header text (spaces removed) -> column key; the longest fragment found in the lowest
# header that names one decides (ingest.core.ruled_tables.column_key).
FINAL_COLUMN_KEYS: dict[str, str] = {
    "决算数": "outturn",
    "合计": "total",
    "总计": "total",
    "本年收入合计": "total",
    "本年支出合计": "total",
    "财政拨款收入": "fiscal",
    "上级补助收入": "superior_subsidy",
    "事业收入": "business_income",
    "经营收入": "operating_income",
    "附属单位上缴收入": "subordinate_remittance",
    "其他收入": "other_income",
    "基本支出": "basic",
    "项目支出": "project",
    "上缴上级支出": "remittance_to_superior",
    "经营支出": "operating_expenditure",
    "对附属单位补助支出": "subsidy_to_subordinate",
    "一般公共预算": "general_public_budget",
    "政府性基金预算": "government_fund",
    "政府性基金": "government_fund",
    "国有资本经营预算": "state_capital",
    "国有资本经营": "state_capital",
    "年初结转和结余": "carryover_start",
    "年末结转和结余": "carryover_end",
    "本年收入": "income",
    "小计": "expenditure_total",  # 本年支出 | 小计 of the 政府性基金 / 国有资本经营 tables
}
# The 三公 table: the budget template's vocabulary (ingest.shanghai.tables.COLUMN_KEYS: 合计, 出国,
# 小计 = 公务用车购置及运行费, 购置费, 运行费, 接待费; 上海市 prints the same headings in both) and
# this template's 运行维护费; the phase is the lowest header, 预算数 or 决算数.
THREE_PUBLIC_KEYS: dict[str, str] = {**{k: v for k, v in COLUMN_KEYS.items() if k not in ("预算数",)},
                                     "运行维护费": "vehicle_operation"}
PHASES = {"预算数": "budget", "决算数": "outturn"}
_HEADER_WORDS = {"收入", "支出", "项目", "决算数"}
_EMPTY_NOTE = re.compile(r"无数据|本表无|无.{0,20}(?:收入|支出)")


def _has_code_marks(row: list[Cell]) -> bool:
    return [cell_text(c) for c in row[:3]] == list(CODE_LEVELS)


def _header_marks(row: list[Cell]) -> list[Cell]:
    """The header words printed in the band of the 合计 row, with no rule between them: the
    类 / 款 / 项 marks (收入决算表), or the 合计 | 基本支出 | 项目支出 under 本年支出 (the blank
    template's 政府性基金 table). They name columns; the band is the 合计 row."""
    if _has_code_marks(row):
        return [c for c in row if cell_text(c) in CODE_LEVELS]
    texts = [cell_text(c) for c in row]
    if not texts or not texts[0].endswith("合计"):
        return []
    words = [c for c, t in zip(row[1:], texts[1:]) if t]
    if words and all(cell_text(c) in FINAL_COLUMN_KEYS for c in words):
        return words
    return []


def _body_start(table_id: str, rows: list[list[Cell]]) -> int:
    """The first printed row of the table's body on this page (the rows above are its header)."""
    for i, row in enumerate(rows):
        texts = [cell_text(c) for c in row]
        first = texts[0] if texts else ""
        if table_id in TWO_SIDED:
            if any(texts) and not any(t in _HEADER_WORDS for t in texts):
                return i
        elif table_id == "final_three_public":
            if any(t in PHASES for t in texts):
                return i + 1
        elif table_id == "final_basic_expenditure_economic":
            if CODE_PART.match(first) or first.endswith("合计"):
                return i
        elif starts_subject_row(row) or (_has_code_marks(row) and any(is_amount(c) for c in row)):
            return i
    return len(rows)


def _read_columns(file_name: str, page: PdfPage, table: TableRead, header: list[list[Cell]],
                  body: list[list[Cell]]) -> list[Column]:
    """The page's widest row lays out the columns; the 类 / 款 / 项 marks in the band of the 合计
    row name the code columns; the 三公 table has its own vocabulary and a phase under each
    heading."""
    marks = [found] if body and (found := _header_marks(body[0])) else []
    layout = max(header + body, key=len)
    keys = THREE_PUBLIC_KEYS if table.table_id == "final_three_public" else FINAL_COLUMN_KEYS
    columns = columns_by_header(header + marks, layout, keys)
    if table.table_id == "final_three_public":
        columns = [_phase_column(file_name, page, table, c, header) for c in columns]
    elif table.table_id in ("final_government_fund", "final_state_capital"):
        # 本年支出 | 小计 in one year's template, 本年支出 | 合计 in another: the same column.
        columns = [replace(c, key="expenditure_total") if c.label in ("本年支出合计", "本年支出小计") else c
                   for c in columns]
    return columns


def _phase_column(file_name: str, page: PdfPage, table: TableRead, column: Column,
                  header: list[list[Cell]]) -> Column:
    """A 三公 column: the heading above it (合计, 因公出国（境）费 …) and its phase (预算数 / 决算数)."""
    middle = (column.x0 + column.x1) / 2
    parts = [cell_text(h) for row in header for h in row if h.x0 <= middle < h.x1 and h.text]
    if not parts or parts[-1] not in PHASES:
        raise IngestError(f"{file_name}:page {page.number}", None,
                          f"预算数 or 决算数 under each heading of {table.title}", column.label)
    heading = column_key(parts[:-1], THREE_PUBLIC_KEYS)
    if heading is None:
        raise IngestError(f"{file_name}:page {page.number}", None, f"a known heading of {table.title}",
                          column.label)
    return replace(column, key=f"{PHASES[parts[-1]]}:{heading}")


def _marked_subject_row(file_name: str, page: PdfPage, table: TableRead, row: list[Cell],
                        document_id: str) -> None:
    marks = _header_marks(row)
    if marks:  # the 合计 row in the band of the header marks
        row = [replace(c, text="") if c in marks else c for c in row]
    subject_row(file_name, page, table, row, document_id)


def _three_public_row(file_name: str, page: PdfPage, table: TableRead, row: list[Cell], document_id: str) -> None:
    for cell in row:
        column = column_at(table, cell)
        if column is None:
            raise IngestError(f"{file_name}:page {page.number}", None, f"a column of {table.title}", cell.text)
        value = amount(file_name, page, table, cell, column)
        if value is UNREADABLE:
            continue
        table.cells.append(cell_record(table, page, cell, column, value, document_id, side=None,
                                       row_label="合计", code=None, level=None))


def _economic_row(file_name: str, page: PdfPage, table: TableRead, row: list[Cell], document_id: str) -> None:
    """Two economic-class tables side by side: 类 | 款 | 科目名称 | 决算数, twice (or the code in one
    column: 经济分类科目编码 | 科目名称 | 决算数, as the blank template prints it)."""
    class_columns = [c for c in table.columns if c.key in ("code:类", "code")]
    if len(class_columns) != 2:
        raise IngestError(f"{file_name}:page {page.number}", None,
                          f"two 科目编码 columns (left and right) in {table.title}", str(len(class_columns)))
    split = class_columns[1].x0 - 2
    sides: dict[str, dict] = {"left": {"parts": {}, "name": "", "amounts": []},
                              "right": {"parts": {}, "name": "", "amounts": []}}
    for cell in row:
        side = sides["left" if (cell.x0 + cell.x1) / 2 < split else "right"]
        column = column_at(table, cell)
        text = cell_text(cell)
        if column is None or column.key is None:
            if text:
                unknown_column(page, table, cell, column)
            continue
        if column.key == "code" or column.key.startswith("code:"):
            if text:
                side["parts"][column.key[5:] or "code"] = text
        elif column.key == "name":
            side["name"] = text
        else:
            side["amounts"].append((cell, column))
    for side_name, side in sides.items():
        if not side["parts"] and not side["name"]:
            if any(c.text for c, _ in side["amounts"]):
                raise IngestError(f"{file_name}:page {page.number}", None,
                                  f"a class name beside the amount in {table.title}", "a blank label")
            continue
        code, level = subject_code(file_name, page, table, side["parts"], side=side_name)
        for cell, column in side["amounts"]:
            value = amount(file_name, page, table, cell, column)
            if value is UNREADABLE:
                continue
            table.cells.append(cell_record(table, page, cell, column, value, document_id, side=side_name,
                                           row_label=side["name"], code=code, level=level))


TEMPLATE = RuledTemplate(
    kinds=TABLE_KINDS,
    column_keys=FINAL_COLUMN_KEYS,
    body_start=_body_start,
    two_sided=TWO_SIDED,
    units=("万元", "元"),
    note_starts=("注", "说明"),
    empty_note=_EMPTY_NOTE,
    title_nearest_grid=True,  # a part heading may stand above the table's own title
    read_columns=_read_columns,
    row_readers={**{table_id: _marked_subject_row for table_id in SUBJECT_TABLES},
                 "final_three_public": _three_public_row,
                 "final_basic_expenditure_economic": _economic_row},
)


# The tables that close with their total row, by the label of that row.
CLOSING_ROWS = {"final_income_expenditure_summary": "总计", "final_fiscal_summary": "总计",
                "final_basic_expenditure_economic": "合计"}
# A page whose grid reaches this share of its height is full: the table may run on.
FULL_PAGE = 0.8
# 类 rows printed to 0.01 万元 each: their sum may miss the 合计 by a rounding per row.
ROUNDING_PER_ROW = Decimal("0.01")


def read_tables(pdf: PdfDocument, document_id: str) -> list[TableRead]:
    tables = read_ruled_tables(pdf, document_id, TEMPLATE)
    for table in tables:
        if table.table_id == "final_three_public" and table.columns and not table.cells and not table.findings:
            # The 三公 table is one row; printed blank, nothing was budgeted or spent.
            table.empty_declaration = f"{table.title} prints its one row blank (no amount budgeted or spent)"
    return tables


def cut_short(pdf: PdfDocument, tables: list[TableRead], document_id: str) -> list[ParseFinding]:
    """A final-account table that lost a page: the summaries and the 基本支出 table close with
    their 总计 / 合计 row, so a last row of another name tells; the function tables print their
    合计 first, so what tells is a table that ends on a full page while its 类 rows sum short
    of that 合计 (beyond the rounding of each row)."""
    findings = []
    for table in tables:
        if table.unknown or table.empty_declaration or not table.cells:
            continue
        last = table.cells[-1]
        last_page = pdf.pages[last.page_number - 1]
        closing = CLOSING_ROWS.get(table.table_id)
        if closing is not None:
            if closing in last.row_label:
                continue
            why = f"ends with the row {last.row_label!r} on page {last.page_number}, not its {closing} row"
        elif table.table_id in SUBJECT_TABLES:
            total = next((c for c in table.cells if c.row_label == "合计" and c.column_key == "total"), None)
            classes = [c for c in table.cells if c.subject_level == "类" and c.column_key == "total"]
            full = last_page.grid is not None and last_page.grid.bottom >= FULL_PAGE * last_page.height
            printed = sum((c.amount or Decimal(0) for c in classes), Decimal(0))
            if total is None or total.amount is None or not full or \
                    total.amount - printed <= ROUNDING_PER_ROW * max(len(classes), 1):
                continue
            why = (f"ends on the full page {last.page_number} with its 类 rows summing to {printed}, short of "
                   f"its 合计 {total.amount}")
        else:
            continue
        findings.append(ParseFinding(
            document_id, table.table_id, None, "table_cut_short", "warn", table.title, None, None,
            f"{table.title} (from page {table.first_page}) {why}: a page of it is missing or unreadable",
            page_number=last.page_number))
    return findings
