"""The Shanghai district budget template read from the published PDFs (the sample documents' pdf/shanghai-putuo):
real values as printed, provenance to page and cell, identities as findings, fidelity by
position, and PDFs that must be refused with the file and what was expected."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingest.cli import main as ingest_main
from ingest.core.errors import IngestError
from ingest.core.pdf import read_pdf
from ingest.core.pdf_fidelity import pdf_fidelity_report
from ingest.core.records import ParseFinding, ProseFigure, TableCell
from ingest.registry import parse_source, read_source
from tests.conftest import BLANK_TEMPLATE, PUTUO

pytestmark = pytest.mark.samples
OFFICE_2025 = PUTUO / "2025-dept-district-office.pdf"
JUSTICE_2026 = PUTUO / "2026-dept-justice.pdf"
JUSTICE_UNIT_2026 = PUTUO / "2026-unit-justice.pdf"
ALL_PDFS = sorted(p for p in PUTUO.glob("*.pdf") if p != BLANK_TEMPLATE)


@pytest.fixture(scope="module")
def office():
    return parse_source(read_source(OFFICE_2025), str(OFFICE_2025))


def _cell(parsed, table_id: str, code: str | None, column: str, *, side: str | None = None,
          label: str | None = None) -> TableCell:
    cells = [r for r in parsed.records if isinstance(r, TableCell) and r.table_id == table_id
             and r.column_key == column and r.side == side
             and (r.subject_code == code if code else r.row_label == label)]
    assert len(cells) == 1, cells
    return cells[0]


def test_cover_names_department_year_and_scope(office):
    doc = office.document
    assert (doc.region, doc.department_name, doc.fiscal_year) == ("上海市普陀区", "上海市普陀区人民政府办公室", 2025)
    assert (doc.document_kind, doc.document_scope, doc.template) == ("部门预算", "department", "shanghai-district-budget")
    assert doc.page_count == 22 and doc.department_code is None
    unit = parse_source(read_source(PUTUO / "2025-unit-district-office.pdf")).document
    assert (unit.document_kind, unit.document_scope) == ("单位预算", "unit")


def test_table_values_as_printed_with_page_and_cell(office):
    income_total = _cell(office, "financial_summary", None, "amount", side="income", label="收入总计")
    assert income_total.amount == Decimal("91016775.35") and income_total.amount_unit == "元"
    assert income_total.page_number == 8
    total = _cell(office, "expenditure_summary", "2010301", "total")
    basic = _cell(office, "expenditure_summary", "2010301", "basic")
    project = _cell(office, "expenditure_summary", "2010301", "project")
    assert (total.amount, basic.amount, project.amount) == (
        Decimal("12029501.84"), Decimal("11919501.84"), Decimal("110000.00"))
    assert (total.page_number, total.row_label, total.subject_level) == (11, "行政运行", "项")
    # The cell's box on the page: the 合计 column stands left of 基本支出, left of 项目支出.
    assert total.x1 <= basic.x0 + 1 and basic.x1 <= project.x0 + 1 and total.top == basic.top
    assert total.raw_text == "12,029,501.84"
    # A blank cell is known as blank, not zero: 一般行政管理事务 has no 基本支出.
    assert _cell(office, "expenditure_summary", "2010302", "basic").amount is None


def test_three_public_in_wan_and_prose_line_item_matches_table(office):
    assert _cell(office, "three_public", None, "total", label="合计").amount == Decimal("867.50")
    assert _cell(office, "three_public", None, "total", label="合计").amount_unit == "万元"
    assert _cell(office, "three_public", None, "government_operation", label="合计").amount == Decimal("213.28")
    items = [r for r in office.records if isinstance(r, ProseFigure) and r.figure_key == "line_item"]
    first = next(i for i in items if i.item_number == 1)
    assert (first.value, first.matched_subject_code, first.page_number) == (Decimal("1202.95"), "2010301", 6)
    assert (first.class_name, first.section_name, first.subject_name) == (
        "一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行")
    assert [i.item_number for i in items] == list(range(1, 13))
    figures = {r.figure_key: r.value for r in office.records if isinstance(r, ProseFigure)}
    assert figures["income_total"] == Decimal("9101.68") and figures["three_public_total"] == Decimal("867.50")
    assert figures["government_operation"] == Decimal("213.28")
    assert figures["fiscal_income_change"] == Decimal("-2389.52")  # 比2024年预算减少2,389.52万元
    # Every identity and every prose figure agrees with the tables in this document.
    assert office.findings == []


def test_amounts_without_separators():
    parsed = parse_source(read_source(JUSTICE_2026))
    cell = _cell(parsed, "income_summary", "2040601", "total")
    assert cell.amount == Decimal("16726725.44") and cell.raw_text == "16726725.44"
    assert _cell(parsed, "income_summary", "2040601", "business_income").amount == Decimal("0.00")
    # Line items printed with codes: 公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元
    item = next(r for r in parsed.records if isinstance(r, ProseFigure) and r.item_number == 1)
    assert (item.printed_code, item.matched_subject_code, item.value) == ("2040601", "2040601", Decimal("1672.67"))


def test_a_document_that_contradicts_itself_is_read_with_findings():
    """司法局's 2026 单位预算 prints 行政运行's 项目支出 as 64,840,547.00 (the 款 total) and its
    合计 row's 基本支出 as 22,118,861: recorded, never corrected."""
    parsed = parse_source(read_source(JUSTICE_UNIT_2026))
    row = [f for f in parsed.findings if f.finding_kind == "row_identity" and f.subject == "2040601"]
    assert {(f.table_id, f.expected, f.actual) for f in row} == {
        ("expenditure_summary", Decimal("79189400.34"), Decimal("14348853.34")),
        ("general_public_budget_expenditure", Decimal("79189400.34"), Decimal("14348853.34"))}
    assert _cell(parsed, "expenditure_summary", "2040601", "project").amount == Decimal("64840547.00")
    assert all(isinstance(f, ParseFinding) and f.page_number for f in parsed.findings)


def test_a_page_taken_out_of_a_table_is_a_finding(tmp_path):
    """商务委员会's 2025 部门预算 prints its 支出预算总表 on pages 12-13, closing with the 合计 row.
    Without page 13 every identity of the rows left still holds but 20805's; the table stopping
    before its total row is what says a page is missing (dim_document: incomplete). The real
    PDFs print every table's total row."""
    pdf = pdfium.PdfDocument(PUTUO / "2025-dept-commerce.pdf")
    pdf.del_page(12)
    cut = tmp_path / "2025-dept-commerce.pdf"
    pdf.save(cut)
    pdf.close()
    parsed = parse_source(read_source(cut))
    assert [(f.table_id, f.page_number, f.message) for f in parsed.findings
            if f.finding_kind == "table_cut_short"] == [
        ("expenditure_summary", 12, "2025年部门支出预算总表 (from page 12) ends with the row "
         "'机关事业单位基本养老保险缴费支出' on page 12, without its total row (合计 / 总计): "
         "a page of it is missing or unreadable")]
    for path in ALL_PDFS:
        assert not [f for f in parse_source(read_source(path)).findings
                    if f.finding_kind in ("table_cut_short", "missing_table")], path.name


@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_fidelity_every_printed_amount_captured_by_position(path):
    """Every amount printed is captured where it stands (the witness of
    ingest/core/pdf_fidelity.py), and nothing is read that is not printed: a share or change
    printed with % (the 2026 司法局 documents print them) is kept in %, not as a 万元 figure."""
    pdf = read_pdf(path)
    parsed = parse_source(pdf)
    report = pdf_fidelity_report(pdf, parsed.records)
    assert report.amount_tokens > 250
    assert report.missed == [] and report.invented == []
    assert all(r.unit == "%" for r in parsed.records if isinstance(r, ProseFigure) and r.label.endswith("%"))


def test_fidelity_reports_a_figure_moved_to_another_token(office):
    """A figure tied to another cell's token (a column swap) is invented, whatever its value."""
    from dataclasses import replace
    pdf = read_pdf(OFFICE_2025)
    basic = _cell(office, "expenditure_summary", "2010301", "basic")
    project = _cell(office, "expenditure_summary", "2010301", "project")
    swapped = [replace(r, amount=project.amount) if r is basic else replace(r, amount=basic.amount) if r is project
               else r for r in office.records]
    report = pdf_fidelity_report(pdf, swapped)
    assert sorted(v for _, v, _ in report.invented) == [Decimal("110000.00"), Decimal("11919501.84")]
    assert len(report.missed) == 2
    # Published with a finding per gap, each naming its page (a PDF has no line) and, for an
    # invented figure, the value printed at the place it was read from.
    findings = report.findings("d")
    assert {(f.finding_kind, f.page_number, f.source_line) for f in findings} == {
        ("figure_not_captured", basic.page_number, None), ("figure_not_printed", basic.page_number, None)}
    assert sorted((f.expected, f.actual) for f in findings if f.finding_kind == "figure_not_printed") == [
        (Decimal("110000.00"), Decimal("11919501.84")), (Decimal("11919501.84"), Decimal("110000.00"))]


def _write(pdf: pdfium.PdfDocument, path: Path) -> Path:
    with open(path, "wb") as handle:
        pdf.save(handle)
    return path


def test_refused_pdfs_name_the_file_and_what_was_expected(tmp_path):
    data = OFFICE_2025.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match=r"truncated\.pdf: expected a complete PDF"):
        read_pdf(truncated)

    not_pdf = tmp_path / "renamed.pdf"
    not_pdf.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(IngestError, match=r"renamed\.pdf: expected a PDF file"):
        read_pdf(not_pdf)

    # A copy without its cover page: no family recognises it.
    source = pdfium.PdfDocument(OFFICE_2025)
    coverless = pdfium.PdfDocument.new()
    coverless.import_pages(source, list(range(1, len(source))))
    path = _write(coverless, tmp_path / "no-cover.pdf")
    with pytest.raises(IngestError, match=r"no-cover\.pdf:page 1: expected a document of one known template"):
        parse_source(read_source(path))

    # A scan: pages with an image and no text layer.
    from PIL import Image
    jpeg = tmp_path / "scan.jpg"
    Image.new("RGB", (200, 100), "white").save(jpeg)
    scan = pdfium.PdfDocument.new()
    page = scan.new_page(595, 842)
    image = pdfium.PdfImage.new(scan)
    image.load_jpeg(str(jpeg))
    image.set_matrix(pdfium.PdfMatrix().scale(200, 100))
    page.insert_obj(image)
    page.gen_content()
    path = _write(scan, tmp_path / "scan.pdf")
    with pytest.raises(IngestError, match=r"scan\.pdf:page 1: expected a PDF with a text layer; found .*1 images"):
        read_pdf(path)


def test_encrypted_pdf_is_refused(tmp_path):
    """A PDF whose user password is not empty: the standard security handler's /Encrypt."""
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"3 0 obj<</Filter/Standard/V 1/R 2/O<" + b"11" * 32 + b">/U<" + b"22" * 32 + b">/P -4>>endobj\n")
    xref_at = len(body)
    trailer = (b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % body.index(f"{n} 0 obj".encode())
                                                          for n in (1, 2, 3))
               + b"trailer<</Size 4/Root 1 0 R/Encrypt 3 0 R/ID[<" + b"ab" * 16 + b"><" + b"ab" * 16 + b">]>>\n"
               + b"startxref\n%d\n%%%%EOF\n" % xref_at)
    path = tmp_path / "locked.pdf"
    path.write_bytes(body + trailer)
    with pytest.raises(IngestError, match=r"locked\.pdf: expected a readable, unencrypted PDF; found 'an encrypted"):
        read_pdf(path)


def test_a_refused_pdf_writes_nothing(tmp_path, capsys):
    database = tmp_path / "ingested.duckdb"
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(OFFICE_2025.read_bytes()[:50_000])
    assert ingest_main([str(OFFICE_2025), str(truncated), "--db", str(database), "--quiet", "--strict"]) == 2
    assert "cut.pdf: expected a complete PDF" in capsys.readouterr().err
    assert not database.exists()
