"""The ruled tables of a Shanghai district budget (部门预算 / 单位预算), read cell by cell.

Each table starts on a page whose title line names it (2025年部门支出预算总表) and may run
on over pages without a title; its unit is stated on the 编制部门/编制单位 line (单位：元,
the 三公 table 单位:万元). Columns are recognised by their printed header, never by their
position, so a department that prints another column layout fails with the header named
rather than landing figures in the wrong column. Codes stand in three columns 类 / 款 / 项
(`201 | 03 | 01`) and are joined into the national 7-digit code (2010301)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.core.amounts import AMOUNT_CELL, parse_amount
from ingest.core.errors import IngestError
from ingest.core.pdf import Cell, PdfDocument, PdfPage, outside_grid_lines
from ingest.core.records import TableCell

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
TWO_SIDED = {"financial_summary", "fiscal_summary"}
# The tables every budget of the template prints (a missing one is a finding).
REQUIRED_TABLES = tuple(kind for _, kind in TABLE_KINDS)

# Header text (spaces removed) -> column key. The longest matching fragment wins, so
# 事业单位经营收入 is not read as 事业收入 and 机关运行经费 not as 运行费.
COLUMN_KEYS: dict[str, str] = {
    "合计": "total",
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
CODE_COLUMNS = {"类": "类", "款": "款", "项": "项"}
_UNIT = re.compile(r"单位[:：]\s*(万元|元)")
_CODE_PART = re.compile(r"^\d{2,3}$")


@dataclass
class Column:
    x0: float
    x1: float
    label: str
    key: str | None  # amount column key, or 'code:类' / 'name' / 'label'


@dataclass
class TableRead:
    table_id: str
    title: str
    unit: str
    first_page: int
    cells: list[TableCell] = field(default_factory=list)
    empty_declaration: str | None = None
    columns: list[Column] = field(default_factory=list)
    row_count: int = 0  # printed rows read so far: a cell's row_order


def read_tables(pdf: PdfDocument, document_id: str) -> list[TableRead]:
    tables: list[TableRead] = []
    current: TableRead | None = None
    for page in pdf.pages:
        grid = page.grid
        if grid is None:
            current = None
            continue
        outside = outside_grid_lines(page)
        # Some pages frame the title and the 编制单位 line inside the table's rules.
        first_row = next((row[0].top for row in grid.rows if any(c.text for c in row) and not _is_caption(row)),
                         grid.top)
        title = next((line.joined for line in page.lines if line.words[0].cy < first_row
                      and line.joined.endswith("表") and _kind(line.joined)), None)
        if title is None and current is None:
            continue  # a ruled block that is no budget table (the contents page)
        if title is not None:
            unit_line = next((line.joined for line in page.lines if _UNIT.search(line.joined)), None)
            if unit_line is None:
                raise IngestError(f"{pdf.file_name}:page {page.number}", None,
                                  f"the unit of {title} (单位：元 or 单位：万元)", "no unit line")
            current = TableRead(_kind(title), title, _UNIT.search(unit_line).group(1), page.number)
            tables.append(current)
        note = next((line.joined for line in outside if line.words[0].cy > grid.bottom
                     and line.joined.startswith("注")), None)
        if note and "空表" in note:
            current.empty_declaration = note
        _read_page(pdf.file_name, page, current, document_id)
    return tables


def _is_caption(row: list[Cell]) -> bool:
    text = "".join(cell.text.replace(" ", "") for cell in row)
    return bool(text) and (text.endswith("表") or "编制" in text or bool(_UNIT.search(text)))


def _kind(title: str) -> str | None:
    return next((kind for fragment, kind in TABLE_KINDS if fragment in title), None)


def _read_page(file_name: str, page: PdfPage, table: TableRead, document_id: str) -> None:
    rows = [row for row in page.grid.rows if not _is_caption(row)]
    first_data = next((i for i, row in enumerate(rows) if _is_data_row(table.table_id, row)), len(rows))
    if first_data > 0:
        table.columns = _columns(rows[:first_data], rows[first_data] if first_data < len(rows) else rows[-1])
    elif not table.columns:
        raise IngestError(f"{file_name}:page {page.number}", None, f"the column header of {table.title}",
                          "a table page with no header and no earlier page")
    for row in rows[first_data:]:
        if all(not cell.text for cell in row):
            continue
        table.row_count += 1
        if table.table_id in TWO_SIDED:
            _two_sided_row(file_name, page, table, row, document_id)
        else:
            _subject_row(file_name, page, table, row, document_id)


def _is_data_row(table_id: str, row: list[Cell]) -> bool:
    first = row[0].text.replace(" ", "")
    if table_id in TWO_SIDED:
        return bool(first) and first[0] in "一二三四五六七八九十1234567890" or "总计" in first
    if table_id == "three_public":
        return any(AMOUNT_CELL.match(c.text.replace(" ", "")) for c in row)
    return bool(_CODE_PART.match(first)) or first.startswith("合计")


def _columns(header: list[list[Cell]], layout_row: list[Cell],
             column_keys: dict[str, str] | None = None) -> list[Column]:
    """One column per cell of the first data row; its label is every header cell above it,
    top to bottom (a merged header cell names each column under it). `column_keys` is the
    family's header vocabulary (the budget's COLUMN_KEYS by default; the final account,
    ingest/shanghai_final, has its own)."""
    columns = []
    for cell in layout_row:
        middle = (cell.x0 + cell.x1) / 2
        parts = [h.text.replace(" ", "") for row in header for h in row if h.x0 <= middle < h.x1 and h.text]
        columns.append(Column(cell.x0, cell.x1, "".join(parts), _column_key(parts, column_keys)))
    return columns


def _column_key(parts: list[str], column_keys: dict[str, str] | None = None) -> str | None:
    """The lowest header that names a column decides: under 一般公共预算支出 the columns are
    合计 / 基本支出 / 项目支出. A header split over two bands (合 | 计) is read joined."""
    column_keys = COLUMN_KEYS if column_keys is None else column_keys
    label = "".join(parts)
    last = label[-1:]
    if last in CODE_COLUMNS and ("编码" in label or len(label) == 1):
        return "code:" + last
    if "名称" in label:
        return "name"
    if label.endswith("项目"):
        return "label"
    for start in range(len(parts) - 1, -1, -1):
        tail = "".join(parts[start:])
        matches = [fragment for fragment in column_keys if fragment in tail]
        if matches:
            # 机关运行经费 holds 运行费 and 事业单位经营收入 holds 经营收入: the longest fragment wins.
            return column_keys[max(matches, key=len)]
    return None


def _column_at(table: TableRead, cell: Cell) -> Column | None:
    middle = (cell.x0 + cell.x1) / 2
    return next((c for c in table.columns if c.x0 - 2 <= middle <= c.x1 + 2), None)


def _amount(file_name: str, page: PdfPage, table: TableRead, cell: Cell, column: Column):
    text = cell.text.replace(" ", "")
    if not text:
        return None
    if not AMOUNT_CELL.match(text):
        raise IngestError(f"{file_name}:page {page.number}", None,
                          f"an amount in column {column.label} of {table.title}", cell.text)
    return parse_amount(text)


def _cell_record(table: TableRead, page: PdfPage, cell: Cell, column: Column, amount, document_id: str, *,
                 side: str | None, row_label: str, code: str | None, level: str | None) -> TableCell:
    return TableCell(
        document_id=document_id, table_id=table.table_id, row_order=table.row_count,
        page_number=page.number, x0=round(cell.x0, 2), top=round(cell.top, 2), x1=round(cell.x1, 2),
        bottom=round(cell.bottom, 2), char_index=cell.first_index, raw_text=cell.text.replace(" ", ""),
        table_title=table.title, side=side, row_label=row_label, subject_code=code, subject_level=level,
        column_key=column.key, column_label=column.label, amount=amount, amount_unit=table.unit)


def _subject_row(file_name: str, page: PdfPage, table: TableRead, row: list[Cell], document_id: str) -> None:
    parts: dict[str, str] = {}
    name = ""
    amounts: list[tuple[Cell, Column]] = []
    for cell in row:
        column = _column_at(table, cell)
        if column is None or column.key is None:
            if cell.text:
                raise IngestError(f"{file_name}:page {page.number}", None,
                                  f"a column of {table.title} with a known header",
                                  f"{cell.text!r} under header {column.label if column else '(none)'!r}")
            continue
        text = cell.text.replace(" ", "")
        if column.key.startswith("code:"):
            if text.startswith("合计"):
                name = "合计"
            elif text:
                parts[column.key[5:]] = text
        elif column.key in ("name", "label"):
            name = name or text
        else:
            amounts.append((cell, column))
    if table.table_id == "three_public":
        code, level, name = None, None, "合计"
    else:
        code, level = _code(file_name, page, table, parts)
    if not name:
        raise IngestError(f"{file_name}:page {page.number}", None, f"a subject name in {table.title}",
                          f"a row with code {code} and no name")
    for cell, column in amounts:
        amount = _amount(file_name, page, table, cell, column)
        table.cells.append(_cell_record(table, page, cell, column, amount, document_id, side=None,
                                        row_label=name, code=code, level=level))


def _code(file_name: str, page: PdfPage, table: TableRead, parts: dict[str, str]) -> tuple[str | None, str | None]:
    if not parts:
        return None, None
    levels = [level for level in ("类", "款", "项") if level in parts]
    expected = ["类", "款", "项"][:len(levels)]
    if levels != expected or not all(_CODE_PART.match(parts[level]) for level in levels):
        raise IngestError(f"{file_name}:page {page.number}", None,
                          f"a subject code printed as 类 / 款 / 项 in {table.title}", str(parts))
    return "".join(parts[level] for level in levels), levels[-1]


def _two_sided_row(file_name: str, page: PdfPage, table: TableRead, row: list[Cell], document_id: str) -> None:
    """收支总表: an income side (label, 预算数) and an expenditure side (label, amounts)."""
    label_columns = [c for c in table.columns if c.key == "label"]
    if len(label_columns) != 2:
        raise IngestError(f"{file_name}:page {page.number}", None,
                          f"two 项目 columns (income and expenditure) in {table.title}",
                          f"{len(label_columns)}")
    split = label_columns[1].x0
    labels: dict[str, str] = {}
    amounts: list[tuple[str, Cell, Column]] = []
    for cell in row:
        column = _column_at(table, cell)
        side = "income" if (cell.x0 + cell.x1) / 2 < split else "expenditure"
        if column is None or column.key is None:
            if cell.text:
                raise IngestError(f"{file_name}:page {page.number}", None,
                                  f"a column of {table.title} with a known header", cell.text)
            continue
        if column.key == "label":
            labels[side] = cell.text.replace(" ", "")
        else:
            amounts.append((side, cell, column))
    for side, cell, column in amounts:
        label = labels.get(side, "")
        amount = _amount(file_name, page, table, cell, column)
        if not label:
            if amount is not None:
                raise IngestError(f"{file_name}:page {page.number}", None,
                                  f"a label beside the amount {cell.text} in {table.title}", "a blank label")
            continue
        table.cells.append(_cell_record(table, page, cell, column, amount, document_id, side=side,
                                        row_label=label, code=None, level=None))
