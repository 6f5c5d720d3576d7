"""Ruled tables of a PDF read cell by cell, for any template that prints them (ingest/core/pdf.py's grids).

A template's tables share one shape, whichever family prints them: each table starts on a
page whose title line names it and may run on over pages without a title; its unit is
stated on a 单位：元 / 单位：万元 line; a header band names the columns above the body;
a body row is either a subject row (codes in 类 / 款 / 项 columns, a name, amounts) or,
in a 收支总表, two sides (an income label with its amounts, an expenditure label with its
amounts). Columns are recognised by their printed header through the template's
vocabulary, never by their position, so a document that prints another column layout
leaves that column's cells unread (a finding naming the header) rather than landing
figures in the wrong column. Codes printed in three columns (`201 | 03 | 01`) are joined
into the national code (2010301); a template may as well print them in one column
(`2010301`, `20103`, `201` under 科目编码).

What cannot be read is quarantined as narrowly as it can be: a cell is an `unreadable_cell`
finding, a row an `unreadable_row`, a page of a table an `unreadable_table`, a titled table
the template does not declare an `unknown_table` (never rows of the table before it); each
names its page and the printed text, and the rest of the document is read. The findings
of a table are `TableRead.findings`; `table_findings` hands them on with the template's own.
docs/reading-pdfs.md lists the layouts read and every finding.

What differs between templates is declared, not coded here: a family passes a
`RuledTemplate` (its table kinds by title fragment, which are two-sided, its column
vocabulary, where a page's body starts, what its empty-table note says) and, for a
layout of its own, a column reader or a row reader. The pieces those readers need
(columns by header, the column under a cell, an amount, a cell record, a code) are the
public functions of this module."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.core.amounts import AMOUNT_CELL, parse_amount
from ingest.core.errors import IngestError
from ingest.core.pdf import Cell, PdfDocument, PdfPage, outside_grid_lines
from ingest.core.records import ParseFinding, TableCell

Row = list[Cell]
UNIT = re.compile(r"单位[:：]\s*(万元|元)")
# A row that totals its table: 合计 (subject tables, 人员经费合计 …), 收入总计 / 支出总计 / 总计.
TOTAL_ROW = re.compile("合计|总计")
# One code column's part: 类 is three digits, 款 and 项 two.
CODE_PART = re.compile(r"^\d{2,3}$")
CODE_LEVELS = ("类", "款", "项")
# A code printed in one column: 类 (201), 类款 (20103) or 类款项 (2010301); economic 301 / 30101.
WHOLE_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
LEVEL_BY_LENGTH = {3: "类", 5: "款", 7: "项"}
# The national disclosure templates print a dash, a slash or 无 where a table has no amount:
# nothing was budgeted or spent there, the same as a blank cell (the amount stays absent and
# the cell keeps its printed text).
PLACEHOLDER_AMOUNTS = frozenset({"-", "--", "—", "——", "－", "–", "/", "／", "无"})
# The template's own 'and so on' rows (…, … … …): marks of the blank template, not rows.
ELLIPSIS = re.compile(r"^[…．.·]+$")
# A part heading (第二部分 …部门决算表) above a table's title names no table.
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
# An amount cell that could not be read.
UNREADABLE = object()


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
    document_id: str = ""
    # What could not be read in it (unreadable_cell / _row / _table, code_normalised …).
    findings: list[ParseFinding] = field(default_factory=list)
    # The code parts of the last subject row read: a row printing its 款 / 项 alone takes its
    # 类 / 款 from it (the 类 is printed once, on the first row under it).
    last_parts: dict[str, dict[str, str]] = field(default_factory=dict)
    # A titled table the template does not declare: reported, nothing of it read.
    unknown: bool = False
    # Columns whose header no vocabulary names, already reported for this table.
    unknown_columns: set[str] = field(default_factory=set)
    # (page, char index) of the printed cells left unread: a reading finding reports them, so
    # the fidelity check does not report them again as amounts silently missed.
    quarantined: set[tuple[int, int]] = field(default_factory=set)

    def quarantine(self, page: int, cells) -> None:
        self.quarantined.update((page, c.first_index) for c in cells if c.first_index is not None)

    def find(self, kind: str, page: int, subject: str | None, message: str, *, severity: str = "warn",
             expected: Decimal | None = None, actual: Decimal | None = None) -> None:
        self.findings.append(ParseFinding(self.document_id, self.table_id or "unknown_table", None, kind,
                                          severity, subject, expected, actual, message, page_number=page))


# A row reader: (file_name, page, table, row, document_id) -> appends to table.cells.
RowReader = Callable[[str, PdfPage, TableRead, Row, str], None]
# A column reader: (file_name, page, table, header rows, body rows) -> the table's columns.
ColumnReader = Callable[[str, PdfPage, TableRead, list[Row], list[Row]], list[Column]]


@dataclass(frozen=True)
class RuledTemplate:
    """What a family declares about its ruled tables; the reading is this module's.

    kinds: title fragment -> table id; the first fragment found in a title decides, so a
        longer title that contains a shorter one comes first (财政拨款收支预算总表 before
        收支预算总表). Every kind is a table the template prints (a missing one is a finding).
    column_keys: header text (spaces removed) -> column key (see `column_key`).
    body_start: (table_id, rows of the page) -> index of the first body row; the rows
        above it are the page's header band.
    two_sided: the table ids read as income / expenditure sides (`two_sided_row`).
    units: the units the template prints, its usual one first (named when a table has
        no unit line).
    note_starts / empty_note: a line under the grid starting with one of `note_starts`
        and matching `empty_note` declares the table empty (kept as its declaration).
    title_nearest_grid: when several title lines stand above the grid, the one nearest
        it names the table (a part heading may stand above); otherwise the first.
    total_row_last: every table of the template ends with its total row (合计 / 总计), so
        a table whose last row is none was cut short (a page of it is missing); otherwise
        a table need only print a total row somewhere (the 部门决算 prints 合计 first).
    read_columns: the template's own column reader; by default `columns_by_header` with
        the first body row as the layout and `column_keys` as the vocabulary.
    row_readers: table id -> the template's own reader of a body row; the others are read
        by `two_sided_row` (the two-sided tables) or `subject_row`.
    """
    kinds: tuple[tuple[str, str], ...]
    column_keys: Mapping[str, str]
    body_start: Callable[[str, list[Row]], int]
    two_sided: frozenset[str] = frozenset()
    units: tuple[str, ...] = ("元", "万元")
    note_starts: tuple[str, ...] = ("注",)
    empty_note: re.Pattern = re.compile("空表")
    title_nearest_grid: bool = False
    total_row_last: bool = False
    read_columns: ColumnReader | None = None
    row_readers: Mapping[str, RowReader] = field(default_factory=dict)

    @property
    def required_tables(self) -> tuple[str, ...]:
        return tuple(kind for _, kind in self.kinds)

    def kind(self, title: str) -> str | None:
        return next((kind for fragment, kind in self.kinds if fragment in title), None)


def read_tables(pdf: PdfDocument, document_id: str, template: RuledTemplate) -> list[TableRead]:
    tables: list[TableRead] = []
    current: TableRead | None = None
    for page in pdf.pages:
        grid = page.grid
        if grid is None:
            current = None
            continue
        # Some pages frame the title and the 编制单位 line inside the table's rules.
        rows = [row for row in grid.rows if not is_caption(row)]
        first_row = next((row[0].top for row in rows if any(c.text for c in row)), grid.top)
        above = [line.joined for line in page.lines if line.words[0].cy < first_row
                 and line.joined.endswith("表") and not PART_HEADING.match(line.joined)]
        titles = [title for title in above if template.kind(title)]
        if not titles and above and (current is None or not current.unknown or above[0] != current.title):
            # A new table under a title the template does not declare: its rows are no rows of
            # the table before it (they would be summed into it), so none is read.
            current = TableRead(None, above[0], "", page.number, document_id=document_id, unknown=True)
            current.find("unknown_table", page.number, above[0][:60],
                         f"page {page.number} prints the table {above[0]!r}, which the template does not "
                         "declare: not read")
            current.quarantine(page.number, [c for row in rows for c in row])
            tables.append(current)
            continue
        if not titles and current is None:
            continue  # a ruled block that is no table of the template (the contents page, 单位构成)
        if current is not None and current.unknown and not titles:
            current.quarantine(page.number, [c for row in rows for c in row])
            continue  # a run-on page of an unknown table
        if titles:
            title = titles[-1] if template.title_nearest_grid else titles[0]
            unit_line = next((line.joined for line in page.lines if UNIT.search(line.joined)), None)
            current = TableRead(template.kind(title), title,
                                UNIT.search(unit_line).group(1) if unit_line else template.units[0], page.number,
                                document_id=document_id)
            if unit_line is None:
                current.find("unit_assumed", page.number, title[:60],
                             f"{title} (page {page.number}) prints no 单位 line: read in the template's "
                             f"usual unit, {template.units[0]}")
            tables.append(current)
        note = next((line.joined for line in outside_grid_lines(page) if line.words[0].cy > grid.bottom
                     and line.joined.startswith(template.note_starts)), None)
        if note and template.empty_note.search(note):
            current.empty_declaration = note
        _read_page(pdf.file_name, page, current, rows, document_id, template)
    return tables


def table_findings(tables: list[TableRead], template: RuledTemplate, document_id: str) -> list[ParseFinding]:
    """What the tables read lack against the template, as findings (the document is still
    published, with status incomplete): a table the template prints that is not in the
    document, and a table that stops before its total row. A PDF with a page taken out
    reads without error, every identity of the rows left holding; only the total row that
    is not there tells."""
    found = {table.table_id for table in tables}
    findings = [ParseFinding(document_id, kind, None, "missing_table", "warn", kind, None, None,
                             f"the template's table {kind} is not printed")
                for kind in template.required_tables if kind not in found]
    findings += [f for table in tables for f in table.findings]
    for table in tables:
        if table.unknown:
            continue
        labels = list(dict.fromkeys(cell.row_label for cell in table.cells))
        totalled = (bool(labels) and TOTAL_ROW.search(labels[-1]) is not None if template.total_row_last
                    else any(TOTAL_ROW.search(label) for label in labels))
        if table.empty_declaration or totalled:
            continue
        last_page = max((cell.page_number for cell in table.cells), default=table.first_page)
        where = "reads no row" if not labels else f"ends with the row {labels[-1]!r} on page {last_page}"
        findings.append(ParseFinding(
            document_id, table.table_id, None, "table_cut_short", "warn", table.title, None, None,
            f"{table.title} (from page {table.first_page}) {where}, without its total row (合计 / 总计): "
            "a page of it is missing or unreadable", page_number=last_page))
    return findings


def _read_page(file_name: str, page: PdfPage, table: TableRead, rows: list[Row], document_id: str,
               template: RuledTemplate) -> None:
    first = template.body_start(table.table_id, rows)
    header, body = rows[:first], rows[first:]
    # A page with a header band (re)names the columns; a run-on page without one keeps the
    # columns of the table's earlier page.
    if any(c.text for row in header for c in row):
        try:
            if template.read_columns is not None:
                table.columns = template.read_columns(file_name, page, table, header, body)
            else:
                table.columns = columns_by_header(header, body[0] if body else rows[-1], template.column_keys)
        except IngestError as error:
            table.columns = []
            table.find("unreadable_table", page.number, table.title[:60],
                       f"{table.title}, page {page.number}: expected {error.expected}; found {error.found!r}: "
                       "the page's rows are not read")
            table.quarantine(page.number, [c for row in body for c in row])
            return
    elif not table.columns:
        table.find("unreadable_table", page.number, table.title[:60],
                   f"{table.title}, page {page.number}: a table page with no column header and no earlier "
                   "page: its rows are not read")
        table.quarantine(page.number, [c for row in body for c in row])
        return
    reader = template.row_readers.get(table.table_id)
    if reader is None:
        reader = two_sided_row if table.table_id in template.two_sided else subject_row
    for row in body:
        texts = [cell_text(cell) for cell in row]
        if not any(texts) or all(ELLIPSIS.match(t) for t in texts if t):
            continue
        table.row_count += 1
        try:
            reader(file_name, page, table, row, document_id)
        except IngestError as error:
            printed = " | ".join(t for t in texts if t)
            table.find("unreadable_row", page.number, printed[:60],
                       f"{table.title}, page {page.number}: the row {printed!r} is not read: expected "
                       f"{error.expected}; found {error.found!r}")
            table.quarantine(page.number, row)


def cell_text(cell: Cell) -> str:
    return cell.text.replace(" ", "")


def is_caption(row: Row) -> bool:
    """A title, 编制单位 or 单位 line framed inside the table's rules."""
    text = "".join(cell_text(cell) for cell in row)
    return bool(text) and (text.endswith("表") or "编制" in text or bool(UNIT.search(text)))


def is_amount(cell: Cell) -> bool:
    return bool(AMOUNT_CELL.match(cell_text(cell)))


def starts_subject_row(row: Row) -> bool:
    """A subject row starts with a code part (201 / 03 / 01) or is the 合计 row."""
    first = cell_text(row[0]) if row else ""
    return bool(CODE_PART.match(first) or WHOLE_CODE.match(first)) or first.startswith("合计")


def columns_by_header(header: list[Row], layout_row: Row, column_keys: Mapping[str, str]) -> list[Column]:
    """One column per cell of the layout row; its label is every header cell above it, top to
    bottom (a merged header cell names each column under it); its key is `column_key`'s."""
    columns = []
    for cell in layout_row:
        middle = (cell.x0 + cell.x1) / 2
        parts = [cell_text(h) for row in header for h in row if h.x0 <= middle < h.x1 and h.text]
        columns.append(Column(cell.x0, cell.x1, "".join(parts), column_key(parts, column_keys)))
    return columns


def column_key(parts: list[str], column_keys: Mapping[str, str]) -> str | None:
    """The lowest header that names a column decides: under 一般公共预算支出 the columns are
    合计 / 基本支出 / 项目支出. A header split over two bands (合 | 计) is read joined. The code
    columns (科目编码 类 / 款 / 项), the name column (…名称) and a 项目 label column are named
    the same way in every template."""
    label = "".join(parts)
    last = label[-1:]
    if last in CODE_LEVELS and ("编码" in label or len(label) == 1):
        return "code:" + last
    if label.endswith("编码"):
        return "code"  # the whole code in one column (项目功能分类科目编码 | 2010301)
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


def column_at(table: TableRead, cell: Cell) -> Column | None:
    middle = (cell.x0 + cell.x1) / 2
    return next((c for c in table.columns if c.x0 - 2 <= middle <= c.x1 + 2), None)


def amount(file_name: str, page: PdfPage, table: TableRead, cell: Cell, column: Column) -> Decimal | None:
    """The amount of an amount cell: None when blank or a placeholder (-, —, /, 无); any other
    text is an `unreadable_cell` finding and UNREADABLE (the caller records no cell)."""
    text = cell_text(cell)
    if not text or text in PLACEHOLDER_AMOUNTS:
        return None
    if not AMOUNT_CELL.match(text):
        table.find("unreadable_cell", page.number, text[:60],
                   f"{table.title}, page {page.number}: {cell.text!r} in column {column.label} is no amount: "
                   "the cell is not read")
        table.quarantine(page.number, [cell])
        return UNREADABLE
    return parse_amount(text)


def unknown_column(page: PdfPage, table: TableRead, cell: Cell, column: Column | None) -> None:
    """Text under a header the vocabulary does not name: one finding per column of a table."""
    label = column.label if column else "(no header)"
    table.quarantine(page.number, [cell])
    if label in table.unknown_columns:
        return
    table.unknown_columns.add(label)
    table.find("unreadable_cell", page.number, cell_text(cell)[:60],
               f"{table.title}, page {page.number}: {cell.text!r} stands under the header {label!r}, which the "
               "template's vocabulary does not name: that column is not read")


def cell_record(table: TableRead, page: PdfPage, cell: Cell, column: Column, value: Decimal | None,
                document_id: str, *, side: str | None, row_label: str, code: str | None,
                level: str | None) -> TableCell:
    return TableCell(
        document_id=document_id, table_id=table.table_id, row_order=table.row_count,
        page_number=page.number, x0=round(cell.x0, 2), top=round(cell.top, 2), x1=round(cell.x1, 2),
        bottom=round(cell.bottom, 2), char_index=cell.first_index, raw_text=cell_text(cell),
        table_title=table.title, side=side, row_label=row_label, subject_code=code, subject_level=level,
        column_key=column.key, column_label=column.label, amount=value, amount_unit=table.unit)


def subject_row(file_name: str, page: PdfPage, table: TableRead, row: Row, document_id: str, *,
                row_label: str | None = None) -> None:
    """A row of codes (类 / 款 / 项 columns), a name and amounts; the 合计 row has no code.
    `row_label` names a table's one row that prints neither code nor name (the budget's 三公
    table is a single row of amounts)."""
    parts: dict[str, str] = {}
    name = ""
    amounts: list[tuple[Cell, Column]] = []
    for cell in row:
        column = column_at(table, cell)
        if column is None or column.key is None:
            if cell.text:
                unknown_column(page, table, cell, column)
            continue
        text = cell_text(cell)
        if column.key == "code" or column.key.startswith("code:"):
            if text.startswith("合计"):
                name = "合计"
            elif text:
                parts[column.key[5:] or "code"] = text
        elif column.key in ("name", "label"):
            name = name or text
        else:
            amounts.append((cell, column))
    if row_label is not None:
        code, level, name = None, None, row_label
    else:
        code, level = subject_code(file_name, page, table, parts)
    if not name:
        raise IngestError(f"{file_name}:page {page.number}", None, f"a subject name in {table.title}",
                          f"a row with code {code} and no name")
    for cell, column in amounts:
        value = amount(file_name, page, table, cell, column)
        if value is UNREADABLE:
            continue
        table.cells.append(cell_record(table, page, cell, column, value, document_id, side=None,
                                       row_label=name, code=code, level=level))


def subject_code(file_name: str, page: PdfPage, table: TableRead, parts: dict[str, str], *,
                 side: str = "") -> tuple[str | None, str | None]:
    """The joined code and its level from the parts printed under 类 / 款 / 项, or from the one
    code column (None, None for none). The national code gives 类 three digits and 款 / 项 two:
    a 款 or 项 printed as one digit (2 for 02, a spreadsheet's lost leading zero) is padded, and
    a row that prints its 款 / 项 but not the 类 / 款 above it takes them from the row before;
    both are findings with the printed text. Anything else raises (the row is unread)."""
    if not parts:
        return None, None
    last = table.last_parts.get(side, {})
    if "code" in parts:
        whole = parts["code"]
        if not WHOLE_CODE.match(whole):
            raise IngestError(f"{file_name}:page {page.number}", None,
                              f"a subject code of 3, 5 or 7 digits in {table.title}", whole)
        table.last_parts[side] = {"类": whole[:3], **({"款": whole[3:5]} if len(whole) > 3 else {})}
        return whole, LEVEL_BY_LENGTH[len(whole)]
    printed = dict(parts)
    padded = []
    for level in ("款", "项"):
        text = parts.get(level)
        if text is not None and len(text) == 1 and text.isdigit():
            parts[level] = "0" + text
            padded.append(level)
    levels = [level for level in CODE_LEVELS if level in parts]
    inherited = []
    for level in CODE_LEVELS[:CODE_LEVELS.index(levels[-1])]:
        if level not in parts and level in last:
            parts[level] = last[level]
            inherited.append(level)
    levels = [level for level in CODE_LEVELS if level in parts]
    expected = list(CODE_LEVELS)[:len(levels)]
    if levels != expected or not all(CODE_PART.match(parts[level]) for level in levels) or \
            len(parts["类"]) != 3 or any(len(parts[level]) != 2 for level in levels[1:]):
        raise IngestError(f"{file_name}:page {page.number}", None,
                          f"a subject code printed as 类 / 款 / 项 in {table.title}", str(printed))
    code = "".join(parts[level] for level in levels)
    for level in padded:
        table.find("code_normalised", page.number, printed[level], severity="info", message=(
            f"{table.title}, page {page.number}: {level} printed {printed[level]!r}, read as {parts[level]!r} "
            f"(the national code gives a {level} two digits; printed {printed})"))
    if inherited:
        table.find("code_inherited", page.number, code, severity="info", message=(
            f"{table.title}, page {page.number}: the row prints {printed} with its "
            f"{' / '.join(inherited)} blank: read as {code}, the {' / '.join(inherited)} of the row above"))
    table.last_parts[side] = {level: parts[level] for level in levels[:2]}
    return code, levels[-1]


def two_sided_row(file_name: str, page: PdfPage, table: TableRead, row: Row, document_id: str) -> None:
    """收支总表: an income side (label, amounts) and an expenditure side (label, amounts), split
    at the second 项目 column."""
    label_columns = [c for c in table.columns if c.key == "label"]
    if len(label_columns) != 2:
        raise IngestError(f"{file_name}:page {page.number}", None,
                          f"two 项目 columns (income and expenditure) in {table.title}",
                          f"{len(label_columns)}")
    split = label_columns[1].x0
    labels: dict[str, str] = {}
    amounts: list[tuple[str, Cell, Column]] = []
    for cell in row:
        column = column_at(table, cell)
        side = "income" if (cell.x0 + cell.x1) / 2 < split else "expenditure"
        if column is None or column.key is None:
            if cell.text:
                unknown_column(page, table, cell, column)
            continue
        if column.key == "label":
            labels[side] = cell_text(cell)
        else:
            amounts.append((side, cell, column))
    for side, cell, column in amounts:
        label = labels.get(side, "")
        value = amount(file_name, page, table, cell, column)
        if value is UNREADABLE:
            continue
        if not label:
            if value is not None:
                raise IngestError(f"{file_name}:page {page.number}", None,
                                  f"a label beside the amount {cell.text} in {table.title}", "a blank label")
            continue
        table.cells.append(cell_record(table, page, cell, column, value, document_id, side=side,
                                       row_label=label, code=None, level=None))
