"""The Shanghai budget and final-account families read by the template, not by the sample
(issue 23). Each variation the template allows is made from a real sample: pages taken out
with pypdfium2, or the page structure of ingest.core.pdf changed in memory (a cover's lines, a
cell's printed text, three code columns merged into one), as another document of the same
template prints it. Each asserts its finding and that the rest of the document is published
with the values the sample prints: never a rejection of a readable document, never silence."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pypdfium2 as pdfium
import pytest

from ingest.core.errors import BlankTemplate, IngestError
from ingest.core.pdf import Char, PdfDocument, PdfPage, TextLine, Word, read_pdf
from ingest.core.pdf_fidelity import pdf_fidelity_report
from ingest.core.records import ProseFigure, TableCell
from ingest.core.ruled_tables import table_findings
from ingest.registry import parse_source
from ingest.shanghai_final.tables import TEMPLATE as FINAL_TABLES, read_tables as read_final_tables
from tests.conftest import BLANK_TEMPLATE, PUTUO

pytestmark = pytest.mark.samples
OFFICE = PUTUO / "2025-dept-district-office.pdf"
COMMERCE = PUTUO / "2025-dept-commerce.pdf"
FINAL = PUTUO / "2024-final-finance.pdf"
# Findings that make a document incomplete (marts.dim_document): what the reader could not read.
UNREAD = ("unreadable_cell", "unreadable_row", "unreadable_table", "unknown_table", "table_cut_short",
          "missing_table", "missing_part")


# --- changing a read PDF in memory -------------------------------------------------------

def _cover(lines: list[str]) -> PdfPage:
    """A cover page printing `lines`, one word each, as PDFium would hand its characters."""
    chars, index = [], 0
    for n, text in enumerate(lines):
        top = 200.0 + 40 * n
        for k, char in enumerate(text):
            x0 = 100.0 + 14 * k
            chars.append(Char(char, x0, top, x0 + 13, top + 13, index, x0 + 6.5, top + 6.5))
            index += 1
    return PdfPage(number=1, width=595, height=842, chars=chars, h_rules=[], v_rules=[], image_count=0)


def _with_cover(path, lines: list[str]) -> PdfDocument:
    pdf = read_pdf(path)
    pdf.pages[0] = _cover(lines)
    return pdf


def _set_cells(pdf: PdfDocument, page_number: int, texts: dict[str, str], *, column: int | None = None,
               row_of: str | None = None) -> None:
    """Print `new` where the page printed `old` (in `column`, on the row whose name is `row_of`)."""
    grid = pdf.pages[page_number - 1].grid
    for r, row in enumerate(grid.rows):
        if row_of is not None and not any(c.text == row_of for c in row):
            continue
        grid.rows[r] = [replace(c, text=texts[c.text]) if c.text in texts and (column is None or c.column == column)
                        else c for c in row]


def _set_line(pdf: PdfDocument, page_number: int, old: str, new: str) -> None:
    page = pdf.pages[page_number - 1]
    lines = page.lines
    i = next(i for i, line in enumerate(lines) if line.joined == old)
    first = lines[i].words[0]
    word = Word(new, first.x0, first.top, lines[i].words[-1].x1, first.bottom, first.first_index)
    lines[i] = TextLine(lines[i].page_number, lines[i].line_number, (word,), lines[i].chars)


def _one_code_column(pdf: PdfDocument, pages: list[int]) -> None:
    """The 类 | 款 | 项 columns printed as one column of whole codes (2010301), as the blank
    final-account template and other documents of the template print them."""
    x0 = x1 = None
    for number in pages:
        grid = pdf.pages[number - 1].grid
        # A run-on page prints no header: its code columns stand where the page before had them.
        marks = next((row for row in grid.rows if [c.text for c in row[:3]] == ["类", "款", "项"]), None)
        if marks is not None:
            x0, x1 = marks[0].x0, marks[2].x1
        for r, row in enumerate(grid.rows):
            parts = [c for c in row if c.x0 >= x0 - 1 and c.x1 <= x1 + 1]
            if len(parts) != 3:
                continue
            text = "" if row is marks else "".join(c.text for c in parts)
            merged = replace(parts[0], x1=parts[2].x1, text=text)
            grid.rows[r] = [merged if c is parts[0] else c for c in row if c not in parts[1:]]


def _without_pages(path, tmp_path, pages: list[int]):
    pdf = pdfium.PdfDocument(path)
    for number in sorted(pages, reverse=True):
        pdf.del_page(number - 1)
    out = tmp_path / path.name
    pdf.save(out)
    pdf.close()
    return read_pdf(out)


def _cells(parsed, table_id: str) -> dict[tuple, Decimal | None]:
    return {(c.subject_code or c.row_label, c.column_key, c.side): c.amount for c in parsed.records
            if isinstance(c, TableCell) and c.table_id == table_id}


def _kinds(parsed, kinds=UNREAD) -> list[tuple[str, str, int | None]]:
    return [(f.finding_kind, f.table_id, f.page_number) for f in parsed.findings if f.finding_kind in kinds]


@pytest.fixture(scope="module")
def office():
    return parse_source(read_pdf(OFFICE))


@pytest.fixture(scope="module")
def final():
    return parse_source(read_pdf(FINAL))


# --- 1. recognised by the template -------------------------------------------------------

@pytest.mark.parametrize("lines, expected", [
    (["上海市普陀区人民政府办公室2024年单位预算"],
     ("上海市普陀区", "上海市普陀区人民政府办公室", 2024, "单位预算", "unit")),
    (["上海市2025年市级单位预算", "预算单位：上海市商务委员会"], ("上海市", "上海市商务委员会", 2025, "单位预算", "unit")),
    (["上海市2025年市级部门预算", "预算主管部门：上海市司法局"], ("上海市", "上海市司法局", 2025, "部门预算", "department")),
    (["上海市普陀区2015年部门预算", "预算主管部门：上海市普陀区人民政府办公室"],
     ("上海市普陀区", "上海市普陀区人民政府办公室", 2015, "部门预算", "department")),
    (["上海市普陀区", "2025年区级部门预算", "预算主管部门：上海市普陀区人民政府办公室"],
     ("上海市普陀区", "上海市普陀区人民政府办公室", 2025, "部门预算", "department")),
], ids=["unit-in-title", "city-unit", "city-department", "2015-no-level", "title-in-two-lines"])
def test_budget_covers_of_the_template(lines, expected):
    parsed = parse_source(_with_cover(OFFICE, lines))
    doc = parsed.document
    assert (doc.region, doc.department_name, doc.fiscal_year, doc.document_kind, doc.document_scope) == expected
    # The rest read as the sample reads it.
    assert _cells(parsed, "financial_summary")[("收入总计", "amount", "income")] == Decimal("91016775.35")


def test_a_cover_before_2015_or_without_a_holder_is_no_budget():
    for lines in (["上海市普陀区2014年区级部门预算", "预算主管部门：上海市普陀区人民政府办公室"],
                  ["上海市普陀区2025年区级部门预算"]):
        with pytest.raises(IngestError, match="expected a document of one known template"):
            parse_source(_with_cover(OFFICE, lines))


@pytest.mark.parametrize("lines, expected", [
    (["上海市普陀区财政局2024年度部门决算"], ("上海市普陀区", "上海市普陀区财政局", 2024, "部门决算", "department")),
    (["上海市财政局", "2023年度市级部门决算"], ("上海市", "上海市财政局", 2023, "部门决算", "department")),
    (["上海市普陀区财政局国库收付中心", "2024年度单位决算"],
     ("上海市普陀区", "上海市普陀区财政局国库收付中心", 2024, "单位决算", "unit")),
], ids=["one-line", "city-level", "unit"])
def test_final_account_covers_of_the_template(lines, expected, final):
    parsed = parse_source(_with_cover(FINAL, lines))
    doc = parsed.document
    assert (doc.region, doc.department_name, doc.fiscal_year, doc.document_kind, doc.document_scope) == expected
    assert _cells(parsed, "final_income_expenditure_summary") == _cells(final, "final_income_expenditure_summary")


def test_the_blank_template_is_recognised_by_its_placeholder_and_empty_tables():
    """The blank template prints its codes in one column (项目功能分类科目编码 | 205), its 合计 |
    基本支出 | 项目支出 in the band of its 合计 row, its 三公 row blank: every one of its nine tables
    is recognised and read with no amount and nothing unreadable, though the document as a whole
    is set aside."""
    pdf = read_pdf(BLANK_TEMPLATE)
    tables = read_final_tables(pdf, "blank")
    assert sorted(t.table_id for t in tables) == sorted(FINAL_TABLES.required_tables)
    assert [c for t in tables for c in t.cells if c.amount is not None] == []
    assert {c.subject_code for t in tables for c in t.cells if c.table_id == "final_income"} >= {
        "205", "20502", "2050205", "207", "20799"}
    assert {c.subject_code for t in tables for c in t.cells if c.side == "right"} >= {"302", "30201"}
    assert [f.finding_kind for f in table_findings(tables, FINAL_TABLES, "blank")] == []
    with pytest.raises(BlankTemplate, match="上海市XX局"):
        parse_source(pdf)


def test_a_placeholder_cover_over_printed_amounts_is_rejected_not_set_aside():
    with pytest.raises(IngestError, match=r"a placeholder name over \d+ printed amounts") as raised:
        parse_source(_with_cover(FINAL, ["上海市XX局", "2024年度部门决算"]))
    assert not isinstance(raised.value, BlankTemplate)


def test_a_final_account_missing_its_explanation_is_incomplete_not_set_aside(tmp_path, final):
    pdf = _without_pages(FINAL, tmp_path, [21, 22, 23, 24])
    parsed = parse_source(pdf)
    assert _kinds(parsed) == [("missing_part", "final_explanation", 1)]
    assert not [r for r in parsed.records if isinstance(r, ProseFigure)]
    assert _cells(parsed, "final_general_public_budget_expenditure") == _cells(
        final, "final_general_public_budget_expenditure")


def test_a_part_heading_that_does_not_start_its_page(final):
    """第三部分 under another line of its page (a running head, the end of a note)."""
    pdf = read_pdf(FINAL)
    page = pdf.pages[20]
    first = page.lines[0]
    lines = page.lines
    lines.insert(0, TextLine(21, 0, (replace(first.words[0], text="（续）"),), first.chars[:1]))
    parsed = parse_source(pdf)
    assert not _kinds(parsed)
    outturn = {f.item_number: f.value for f in parsed.records if isinstance(f, ProseFigure)
               and f.figure_key == "outturn"}
    assert outturn[1] == Decimal("1511.89") and sorted(outturn) == list(range(1, 12))


def test_a_budget_explanation_under_a_running_head(office):
    pdf = read_pdf(OFFICE)
    lines = pdf.pages[5].lines
    lines.insert(0, TextLine(6, 0, (replace(lines[0].words[0], text="上海市普陀区人民政府办公室"),), lines[0].chars[:1]))
    parsed = parse_source(pdf)
    assert parsed.findings == []
    items = [r.value for r in parsed.records if isinstance(r, ProseFigure) and r.figure_key == "line_item"]
    assert items == [r.value for r in office.records if isinstance(r, ProseFigure) and r.figure_key == "line_item"]
    assert items[0] == Decimal("1202.95") and len(items) == 12


def test_a_budget_missing_its_explanation_is_incomplete(tmp_path, office):
    parsed = parse_source(_without_pages(OFFICE, tmp_path, [6, 7]))
    assert _kinds(parsed) == [("missing_part", "编制说明", 1)]
    assert _cells(parsed, "expenditure_summary") == _cells(office, "expenditure_summary")


def test_a_document_with_no_readable_table_is_rejected(tmp_path):
    with pytest.raises(IngestError, match="none of 0 tables found prints a readable amount"):
        parse_source(_without_pages(OFFICE, tmp_path, list(range(8, 21))))


# --- 2. every layout the template allows -------------------------------------------------

def test_budget_codes_in_one_column_read_as_in_three(office):
    pdf = read_pdf(OFFICE)
    _one_code_column(pdf, [11, 12, 14, 15])
    parsed = parse_source(pdf)
    assert parsed.findings == []
    for table in ("expenditure_summary", "general_public_budget_expenditure"):
        assert _cells(parsed, table) == _cells(office, table)
    assert _cells(parsed, "expenditure_summary")[("2010301", "total", None)] == Decimal("12029501.84")


def test_final_account_codes_in_one_column_read_as_in_three(final):
    pdf = read_pdf(FINAL)
    _one_code_column(pdf, [15])
    parsed = parse_source(pdf)
    assert sorted(f.message for f in parsed.findings) == sorted(f.message for f in final.findings)
    assert _cells(parsed, "final_general_public_budget_expenditure") == _cells(
        final, "final_general_public_budget_expenditure")


def test_a_code_printed_without_its_leading_zero_is_normalised_with_a_finding(office):
    pdf = read_pdf(OFFICE)
    _set_cells(pdf, 11, {"03": "3"}, row_of="政府办公厅（室）及相关机构事务")
    _set_cells(pdf, 11, {"01": "1"}, row_of="行政运行")
    parsed = parse_source(pdf)
    normalised = [(f.subject, f.page_number) for f in parsed.findings if f.finding_kind == "code_normalised"]
    assert normalised == [("3", 11), ("1", 11)]
    assert "款 printed '3', read as '03'" in next(f.message for f in parsed.findings if f.subject == "3")
    assert _cells(parsed, "expenditure_summary") == _cells(office, "expenditure_summary")
    assert not _kinds(parsed)


def test_a_blank_class_cell_inherits_from_the_row_above_with_a_finding(office):
    pdf = read_pdf(OFFICE)
    _set_cells(pdf, 11, {"201": ""}, row_of="行政运行")
    _set_cells(pdf, 11, {"201": "", "03": ""}, row_of="一般行政管理事务")
    parsed = parse_source(pdf)
    inherited = [(f.subject, f.page_number) for f in parsed.findings if f.finding_kind == "code_inherited"]
    assert inherited == [("2010301", 11), ("2010302", 11)]
    assert _cells(parsed, "expenditure_summary") == _cells(office, "expenditure_summary")


def test_placeholder_amounts_are_absent_as_printed(office):
    """一般行政管理事务 prints no 基本支出: a blank cell in the sample; -, — or 无 elsewhere."""
    for mark in ("-", "—", "－", "无", "/"):
        pdf = read_pdf(OFFICE)
        grid = pdf.pages[10].grid
        row = next(r for r in grid.rows if any(c.text == "一般行政管理事务" for c in r))
        blank = next(c for c in row if c.column == 5)
        assert blank.text == ""
        grid.rows[grid.rows.index(row)] = [replace(c, text=mark) if c is blank else c for c in row]
        parsed = parse_source(pdf)
        cell = next(c for c in parsed.records if isinstance(c, TableCell) and c.table_id == "expenditure_summary"
                    and c.subject_code == "2010302" and c.column_key == "basic")
        assert (cell.amount, cell.raw_text) == (None, mark)
        assert parsed.findings == []


@pytest.mark.parametrize("total", ["总 计", "小计", "合 计"])
def test_header_words_that_vary_read_through_one_vocabulary(office, total):
    """合计 printed 总计 or 小计, 基本支出 broken over two lines (基本 ⏎ 支出), 科目名称 without its
    功能分类: the same columns (the 三公 table's 小计 stays 公务用车's, test_shanghai_pdf)."""
    pdf = read_pdf(OFFICE)
    _set_cells(pdf, 11, {"合计": total, "基本支出": "基本 支出", "功能分类科目名称": "科目 名称"})
    parsed = parse_source(pdf)
    assert _cells(parsed, "expenditure_summary") == _cells(office, "expenditure_summary")
    assert parsed.findings == []


def test_final_account_header_words_that_vary(final):
    pdf = read_pdf(FINAL)
    _set_cells(pdf, 15, {"合计": "总 计", "基本支出": "基本 支出"}, row_of="科目名称")
    parsed = parse_source(pdf)
    assert _cells(parsed, "final_general_public_budget_expenditure") == _cells(
        final, "final_general_public_budget_expenditure")
    # The same findings; their messages name the column as printed (总计).
    same = sorted((f.finding_kind, f.table_id, f.subject, f.expected, f.actual, f.page_number) for f in final.findings)
    assert sorted((f.finding_kind, f.table_id, f.subject, f.expected, f.actual, f.page_number)
                  for f in parsed.findings) == same


def test_numbered_summary_lines_are_matched_by_name(final):
    """The summary numbers its 类 lines 八、 in this sample and 8. in another printing: the
    cross-table check finds 社会保障和就业支出 by its name either way."""
    pdf = read_pdf(FINAL)
    _set_cells(pdf, 6, {"八、社会保障和就业支出": "8.社会保障和就业支出"})
    parsed = parse_source(pdf)
    cross = [(f.subject, f.expected, f.actual) for f in parsed.findings if f.finding_kind == "cross_table"
             and f.table_id == "final_income_expenditure_summary"]
    assert cross == [("8.社会保障和就业支出", Decimal("326.72"), Decimal("326.71"))]


# --- 3. the smallest unit of quarantine --------------------------------------------------

def test_an_unreadable_amount_is_a_cell_finding_and_the_rest_is_published(office):
    pdf = read_pdf(OFFICE)
    _set_cells(pdf, 11, {"12,029,501.84": "12,O29,501.84"})
    parsed = parse_source(pdf)
    unread = [f for f in parsed.findings if f.finding_kind == "unreadable_cell"]
    assert [(f.table_id, f.page_number, f.subject) for f in unread] == [
        ("expenditure_summary", 11, "12,O29,501.84")]
    cells = _cells(parsed, "expenditure_summary")
    assert ("2010301", "total", None) not in cells
    assert cells[("2010301", "basic", None)] == Decimal("11919501.84")
    assert _cells(parsed, "financial_summary") == _cells(office, "financial_summary")


def test_an_unreadable_code_is_a_row_finding(office):
    pdf = read_pdf(OFFICE)
    _set_cells(pdf, 11, {"50": "5O"}, row_of="事业运行")
    parsed = parse_source(pdf)
    assert [(f.finding_kind, f.page_number, f.subject[:13]) for f in parsed.findings
            if f.finding_kind.startswith("unreadable")] == [("unreadable_row", 11, "201 | 03 | 5O")]
    cells = _cells(parsed, "expenditure_summary")
    assert ("2010350", "total", None) not in cells and cells[("2010399", "total", None)] == Decimal("20120000.00")
    # Its three amounts are the row finding's: the fidelity check does not report them again.
    assert pdf_fidelity_report(pdf, parsed.records, parsed.quarantined).missed == []
    assert sorted(v for _, v, _ in pdf_fidelity_report(pdf, parsed.records).missed) == [
        Decimal("40000.00"), Decimal("3767295.58"), Decimal("3807295.58")]


def test_a_titled_table_the_template_does_not_declare_is_never_appended(office):
    """The 经济分类 table under a title the template does not know: its 30-odd rows are an
    unknown_table finding with its title and page, not rows of the 国有资本经营 table before it."""
    pdf = read_pdf(OFFICE)
    _set_line(pdf, 18, "2025年部门一般公共预算基本支出部门预算经济分类预算表", "2025年部门基本支出经济科目预算表")
    parsed = parse_source(pdf)
    assert _kinds(parsed) == [("missing_table", "basic_expenditure_economic", None),
                              ("unknown_table", "unknown_table", 18)]
    unknown = next(f for f in parsed.findings if f.finding_kind == "unknown_table")
    assert "2025年部门基本支出经济科目预算表" in unknown.message
    assert _cells(parsed, "state_capital_expenditure") == _cells(office, "state_capital_expenditure")
    assert not [c for c in parsed.records if isinstance(c, TableCell) and c.subject_code
                and c.subject_code.startswith("30")]
    # Its figures are the unknown_table finding's, not silent gaps of the fidelity check.
    report = pdf_fidelity_report(pdf, parsed.records, parsed.quarantined)
    assert (report.missed, report.invented) == ([], [])
    assert {page for page, _, _ in pdf_fidelity_report(pdf, parsed.records).missed} == {18, 19}


def test_a_final_account_table_with_a_page_missing_is_cut_short(tmp_path):
    for page, table in ((7, "final_income_expenditure_summary"), (9, "final_income"), (11, "final_expenditure"),
                        (13, "final_fiscal_summary"), (17, "final_basic_expenditure_economic")):
        parsed = parse_source(_without_pages(FINAL, tmp_path, [page]))
        assert [t for k, t, _ in _kinds(parsed) if k == "table_cut_short"] == [table], page
        assert parsed.document.department_name == "上海市普陀区财政局"


def test_every_sample_reads_without_a_reading_finding_and_faithfully():
    for path in sorted(PUTUO.glob("*.pdf")):
        if path == BLANK_TEMPLATE:
            continue
        pdf = read_pdf(path)
        parsed = parse_source(pdf)
        assert not _kinds(parsed, UNREAD + ("code_normalised", "code_inherited", "unit_assumed")), path.name
        report = pdf_fidelity_report(pdf, parsed.records)
        assert (report.missed, report.invented) == ([], []), path.name



def test_an_incomplete_document_loads_with_its_finding_through_the_command_line(tmp_path):
    """The ingest run publishes the cut final account (exit 0, --strict included: incomplete is
    no contradiction) with its table_cut_short finding and no fidelity gap."""
    import duckdb

    from ingest.cli import main as ingest_main

    pdf = pdfium.PdfDocument(FINAL)
    pdf.del_page(8)  # page 9: the 收入决算表's second page (221 住房保障支出 …)
    cut = tmp_path / "2024-final-finance-cut.pdf"
    pdf.save(cut)
    pdf.close()
    database = tmp_path / "cut.duckdb"
    assert ingest_main([str(cut), "--db", str(database), "--quiet", "--strict"]) == 0
    connection = duckdb.connect(str(database), read_only=True)
    try:
        kinds = connection.execute("select finding_kind, table_id, page_number from raw.parse_findings "
                                   "where finding_kind in ('table_cut_short', 'figure_not_captured', "
                                   "'figure_not_printed')").fetchall()
        cells = connection.execute("select count(*) from raw.table_cells where table_id = 'final_income'").fetchone()
    finally:
        connection.close()
    assert kinds == [("table_cut_short", "final_income", 8)]
    assert cells[0] > 0
