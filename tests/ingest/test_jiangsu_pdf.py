"""The Jiangsu provincial budget template read from the published PDFs (the sample documents' pdf/jiangsu):
real values as printed (万元), provenance to page and box, the 2019 tables / explanation pair as one
department-year, identities as findings, and the fidelity report by position."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.core.pdf import read_pdf
from ingest.core.pdf_fidelity import pdf_fidelity_report
from ingest.core.records import ProseFigure, TableCell
from ingest.registry import parse_source, read_source
from tests.conftest import JIANGSU

pytestmark = pytest.mark.samples
COURT_2017 = JIANGSU / "2017-high-court.pdf"
COURT_2019 = JIANGSU / "2019-high-court.pdf"
NPC_TABLES_2019 = JIANGSU / "2019-npc-office-tables.pdf"
NPC_TEXT_2019 = JIANGSU / "2019-npc-office-text.pdf"
ALL_PDFS = sorted(JIANGSU.glob("*.pdf"))


@pytest.fixture(scope="module")
def court_2017():
    return parse_source(read_source(COURT_2017), str(COURT_2017))


def _cell(parsed, table_id: str, column: str, *, code: str | None = None, label: str | None = None,
          side: str | None = None) -> TableCell:
    cells = [r for r in parsed.records if isinstance(r, TableCell) and r.table_id == table_id
             and r.column_key == column and r.side == side
             and (r.subject_code == code if code else r.row_label == label)]
    assert len(cells) == 1, cells
    return cells[0]


def _figure(parsed, key: str) -> ProseFigure:
    figures = [r for r in parsed.records if isinstance(r, ProseFigure) and r.figure_key == key]
    assert len(figures) == 1, figures
    return figures[0]


def test_cover_names_department_and_year(court_2017):
    doc = court_2017.document
    assert (doc.region, doc.department_name, doc.fiscal_year) == ("江苏省", "江苏省高级人民法院", 2017)
    assert (doc.document_kind, doc.template, doc.amount_unit, doc.page_count) == (
        "部门预算", "jiangsu-provincial-budget", "万元", 27)


def test_summary_totals_as_printed_with_page_and_box(court_2017):
    income = _cell(court_2017, "financial_summary", "amount", label="收入合计", side="income")
    spent = _cell(court_2017, "financial_summary", "amount", label="支出合计", side="expenditure")
    assert (income.amount, spent.amount, income.page_number) == (Decimal("28849.38"), Decimal("28849.38"), 12)
    assert income.amount_unit == "万元" and income.raw_text == "28,849.38"
    assert income.x1 < spent.x0 and income.top == pytest.approx(spent.top, abs=1)
    # 支出预算总表: 合计 = 基本支出 + 项目支出 + 单位预留机动经费 (Jiangsu's own column), page 13.
    row = {key: _cell(court_2017, "expenditure_summary", key, label="合计") for key in
           ("total", "basic", "project", "unit_reserve")}
    assert {k: c.amount for k, c in row.items()} == {
        "total": Decimal("28849.38"), "basic": Decimal("17123.19"), "project": Decimal("11543.27"),
        "unit_reserve": Decimal("182.92")}
    assert {c.page_number for c in row.values()} == {13}


def test_subject_row_with_its_seven_digit_code(court_2017):
    cell = _cell(court_2017, "fiscal_expenditure", "total", code="2040501")
    assert (cell.row_label, cell.subject_level, cell.amount, cell.page_number) == (
        "行政运行", "项", Decimal("11786.92"), 13)
    assert _cell(court_2017, "fiscal_expenditure", "total", code="20405").subject_level == "款"
    assert _cell(court_2017, "fiscal_expenditure", "total", code="204").amount == Decimal("23513.11")
    # The economic classification: 301 / 30101.
    wages = _cell(court_2017, "fiscal_basic_expenditure_economic", "total", code="30101")
    assert (wages.row_label, wages.amount, wages.page_number) == ("基本工资", Decimal("2509.00"), 14)


def test_wrapped_name_joined():
    """2019 高院 prints 机关事业单位基本养老保险缴费支 ⏎ 2080505 1,384.70 ⏎ 出 (page 10)."""
    parsed = parse_source(read_source(COURT_2019))
    cell = _cell(parsed, "fiscal_expenditure", "total", code="2080505")
    assert (cell.row_label, cell.amount, cell.page_number) == ("机关事业单位基本养老保险缴费支出", Decimal("1384.70"), 10)


def test_wrapped_labels_of_a_two_sided_table_joined():
    """2017 人大 sets every 收支预算总表 label on two lines around its amount (一、一般公共服务 ⏎
    10,528.33 ⏎ 支出), one of them over a page break (八、社会保障和就 on page 7, 业支出 on page 8),
    and prints its 财政拨款基本支出 and 政府性基金 tables twice: both printings read, named."""
    parsed = parse_source(read_source(JIANGSU / "2017-npc-office.pdf"))
    function = _cell(parsed, "financial_summary", "amount", label="一、一般公共服务支出", side="expenditure")
    assert (function.amount, function.page_number) == (Decimal("10528.33"), 7)
    social = _cell(parsed, "financial_summary", "amount", label="八、社会保障和就业支出", side="expenditure")
    assert (social.amount, social.page_number) == (Decimal("1608.51"), 7)
    basic = _cell(parsed, "financial_summary", "purpose_amount", label="一、基本支出", side="expenditure")
    assert basic.amount == Decimal("7666.68")
    assert sorted((f.finding_kind, f.table_id, f.page_number) for f in parsed.findings) == [
        ("table_printed_twice", "fiscal_basic_expenditure_economic", 12),
        ("table_printed_twice", "government_fund_expenditure", 15)]


def test_three_public_table_and_prose(court_2017):
    row = {c.column_key: c.amount for c in court_2017.records
           if isinstance(c, TableCell) and c.table_id == "three_public"}
    assert row == {"grand_total": Decimal("2599.37"), "total": Decimal("670.12"), "outbound_travel": Decimal("180.00"),
                   "vehicle_subtotal": Decimal("304.40"), "vehicle_operation": Decimal("304.40"),
                   "official_reception": Decimal("185.72"), "meeting": Decimal("228.00"),
                   "training": Decimal("1701.25")}
    assert _cell(court_2017, "three_public", "outbound_travel", label="合计").page_number == 17
    travel = _figure(court_2017, "outbound_travel")
    assert (travel.value, travel.unit) == (Decimal("180"), "万元")  # 因公出国（境）费预算支出180万元
    assert _figure(court_2017, "government_operation").value == Decimal("9193.40")
    assert _figure(court_2017, "procurement_total").value == Decimal("3742.4")
    assert _figure(court_2017, "income_total").value == Decimal("28849.38")
    # Every identity of the tables holds, and every prose figure agrees with them.
    assert court_2017.findings == []


def test_2019_split_pair_is_one_department_year():
    tables = parse_source(read_source(NPC_TABLES_2019), str(NPC_TABLES_2019))
    text = parse_source(read_source(NPC_TEXT_2019), str(NPC_TEXT_2019))
    identity = {(p.document.department_name, p.document.fiscal_year) for p in (tables, text)}
    assert identity == {("江苏省人大常委会办公厅", 2019)}
    # One document per department, year and kind: the tables are the 部门预算, the explanation its 说明.
    assert (tables.document.document_kind, text.document.document_kind) == ("部门预算", "部门预算说明")
    assert tables.document.document_id != text.document.document_id
    assert [f.finding_kind for f in tables.findings] == ["explanation_in_other_file"]
    assert [f.finding_kind for f in text.findings] == ["tables_in_other_file"]
    # The tables PDF (no cover, pages set with /Rotate 90) reads its figures; the text PDF its prose.
    income = _cell(tables, "financial_summary", "amount", label="收入合计", side="income")
    assert (income.amount, income.page_number) == (Decimal("18330.37"), 1)
    travel = _cell(tables, "three_public", "outbound_travel", label="合计")
    assert (travel.amount, travel.page_number) == (Decimal("199.25"), 9)
    assert (_figure(text, "income_total").value, _figure(text, "income_total").page_number) == (Decimal("18330.37"), 9)
    prose_travel = _figure(text, "outbound_travel")
    assert (prose_travel.value, prose_travel.page_number) == (travel.amount, 16)
    assert not [r for r in text.records if isinstance(r, TableCell)]


@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_every_document_parses_with_its_tables(path):
    parsed = parse_source(read_source(path), str(path))
    assert parsed.document.template == "jiangsu-provincial-budget"
    kinds = {f.finding_kind for f in parsed.findings}
    assert kinds <= {"explanation_in_other_file", "tables_in_other_file", "table_printed_twice"}, parsed.findings
    tables = {r.table_id for r in parsed.records if isinstance(r, TableCell)}
    if path != NPC_TEXT_2019:
        assert len(tables) >= 10, tables  # the 政府性基金 table is printed empty by most
    assert all(r.page_number and r.char_index is not None for r in parsed.records
               if isinstance(r, (TableCell, ProseFigure)))


@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_fidelity_by_position(path):
    pdf = read_pdf(path)
    parsed = parse_source(pdf)
    report = pdf_fidelity_report(pdf, parsed.records)
    # The explanation alone (2019 人大 text) prints 118 amounts; a tables document 160 and more.
    assert report.amount_tokens >= 118
    # Several tables to a page, prose in a page-wide frame (2017 人大), an amount's comma over
    # a rule (2018 高院 3,258.06), a number before 万元 over a page break (2018 高院 page 22).
    assert (report.missed, report.invented) == ([], [])


def test_a_page_taken_out_is_a_finding_not_a_rejection(tmp_path):
    """2017 高院 prints 财政拨款支出预算表 on pages 13-14 (2210201 住房公积金 and 2210202 提租补贴
    on 14) and its 财政拨款基本支出预算表 on page 14. Without page 14 the document still reads: the
    first table ends on its 款 row 22102 (a parent without its rows), the second is missing."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(COURT_2017)
    pdf.del_page(13)
    cut = tmp_path / "2017-high-court.pdf"
    pdf.save(cut)
    pdf.close()
    parsed = parse_source(read_source(cut))
    assert sorted((f.finding_kind, f.table_id, f.page_number) for f in parsed.findings) == [
        ("missing_table", "fiscal_basic_expenditure_economic", None),
        ("table_cut_short", "fiscal_expenditure", 13)]
    assert _cell(parsed, "fiscal_expenditure", "total", code="22102").amount == Decimal("2989.14")


def test_the_jiangsu_rows_reach_the_marts(tmp_path):
    """A build of the seven PDFs (dbt's data tests ran on the same build by hand; skipped here
    for time): every document published clean, the 一般公共预算 rows in fct_expenditure adding
    to the table's 合计, the 三公 table in fct_three_public, the 2019 pair as two documents."""
    from tests.warehouses import WITHOUT_DBT_TESTS, dbt_env, query, run_build

    target = tmp_path / "budget.duckdb"
    result = run_build(target, ALL_PDFS, dbt_env(tmp_path, **WITHOUT_DBT_TESTS))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    documents = query(target, "select file_name, department_name, fiscal_year, document_kind, quality_status "
                              "from marts.dim_document order by file_name")
    assert [row[0] for row in documents] == [path.name for path in ALL_PDFS]
    assert {row[4] for row in documents} == {"clean"}
    assert ("2019-npc-office-text.pdf", "江苏省人大常委会办公厅", 2019, "部门预算说明", "clean") in documents
    totals = dict(query(target, "select file_name, sum(amount_wan) from marts.fct_expenditure group by 1"))
    assert totals["2017-high-court.pdf"] == Decimal("28849.38")
    assert totals["2019-npc-office-tables.pdf"] == Decimal("18330.37")
    assert query(target, "select fund_source, expenditure_type, amount_wan, page_number from marts.fct_expenditure "
                         "where file_name = '2017-high-court.pdf' and subject_code = '2040501'") == [
        ("general_public_budget", "unspecified", Decimal("11786.92"), 15)]
    assert query(target, "select amount_wan, page_number from marts.fct_three_public "
                         "where file_name = '2017-high-court.pdf' and cost_category = 'outbound_travel'") == [
        (Decimal("180.00"), 17)]
