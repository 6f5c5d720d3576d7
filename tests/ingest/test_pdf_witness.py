"""The fidelity witness (ingest/core/pdf_fidelity.py): the amounts a PDF page prints, found in
its character stream apart from the table reader, against the records read from it. Each
mistake the old check scored 100% is built here from a sample PDF changed in a copy (a text
or a form XObject drawn into the page with pypdfium2) or, where a PDF edit is impractical,
from the page's characters changed at the ingest.core.pdf level; each must lower fidelity
with a named finding at the right page. The real samples' counts are asserted as printed."""

from __future__ import annotations

import ctypes
import io
import math
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from ingest.core.pdf import Char, PdfDocument, read_pdf
from ingest.core.pdf_fidelity import AMOUNT, OTHER, page_runs, pdf_fidelity_report
from ingest.core.records import ProseFigure, TableCell
from ingest.registry import parse_source
from tests.conftest import BLANK_TEMPLATE, JIANGSU, PUTUO

pytestmark = pytest.mark.samples
OFFICE = PUTUO / "2025-dept-district-office.pdf"
FINAL = PUTUO / "2024-final-finance.pdf"
ALL_PDFS = sorted(p for p in PUTUO.glob("*.pdf") if p != BLANK_TEMPLATE)


@pytest.fixture(scope="module")
def office() -> PdfDocument:
    return read_pdf(OFFICE)


@pytest.fixture(scope="module")
def office_records(office) -> list:
    return parse_source(office, str(OFFICE)).records


def _runs(pdf: PdfDocument, number: int):
    codes = []
    for page in pdf.pages[:number]:
        runs, strays, codes = page_runs(page, codes)
    return runs, strays


def _cell(records, table_id: str, code: str, column: str) -> TableCell:
    cells = [r for r in records if isinstance(r, TableCell) and r.table_id == table_id
             and r.subject_code == code and r.column_key == column]
    assert len(cells) == 1, cells
    return cells[0]


def _add_text(path: Path, out: Path, page_index: int, text: str, x: float, top: float, size: float = 10.5) -> Path:
    """`text` drawn in Helvetica on a copy of the PDF, its box's top at `top` (points from the top)."""
    pdf = pdfium.PdfDocument(path)
    page = pdf[page_index]
    obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", size)
    buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, page.get_height() - top - size)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    assert pdfium_c.FPDFPage_GenerateContent(page.raw)
    return _save(pdf, out)


def _save(pdf: pdfium.PdfDocument, out: Path) -> Path:
    buffer = io.BytesIO()
    pdf.save(buffer)
    out.write_bytes(buffer.getvalue())
    return out


def _with_page(pdf: PdfDocument, number: int, chars: list[Char], h_rules=None, v_rules=None) -> PdfDocument:
    """The document with page `number`'s characters (and rules) replaced: a fresh page, so
    its lines and grid are computed again."""
    pages = list(pdf.pages)
    old = pages[number - 1]
    pages[number - 1] = replace(old, chars=chars, h_rules=old.h_rules if h_rules is None else h_rules,
                                v_rules=old.v_rules if v_rules is None else v_rules)
    return replace(pdf, pages=pages)


def _chars(text: str, like: list[Char], first_index: int) -> list[Char]:
    """`text` set in the boxes of the characters `like` (as many as it has), new indices."""
    return [c._replace(text=ch, index=first_index + i) for i, (ch, c) in enumerate(zip(text, like))]


# --- the real samples, as printed -------------------------------------------------------------

@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.name)
def test_every_amount_printed_in_a_sample_is_captured_where_it_stands(path):
    """Every amount run on every page of every sample is matched by a record of its page, by
    value and box, and every record by a run: nothing missed, nothing invented. A share or
    change printed with % is kept in % (ingest/core/pdf_prose.py keep_other_amounts), and the
    witness matches it to a percentage run, never to money."""
    pdf = read_pdf(path)
    records = parse_source(pdf, str(path)).records
    report = pdf_fidelity_report(pdf, records)
    assert report.missed == [] and report.amount_tokens == report.captured_tokens > 250
    assert report.invented == []
    percentages = [r for r in records if isinstance(r, ProseFigure) and r.label.endswith(("%", "％"))]
    assert all(r.unit == "%" for r in percentages)


def test_the_amounts_of_a_table_page_and_its_codes(office, office_records):
    """Page 11 (2025年部门支出预算总表) prints 28 amounts; the 30 subject-code parts of its
    类 / 款 / 项 columns (201 | 03 | 01 …) and the year of its title are no amounts."""
    runs, strays = _runs(office, 11)
    amounts = [r for r in runs if r.kind == AMOUNT]
    assert len(amounts) == 28 and strays == []
    assert [r.text for r in amounts[:9]] == ["82,096,797.42", "15,686,797.42", "66,410,000.00",
                                            "82,096,797.42", "15,686,797.42", "66,410,000.00",
                                            "12,029,501.84", "11,919,501.84", "110,000.00"]
    # '46,' and '140,000.00' are set apart in the PDF: one amount, read across the gap.
    assert amounts[9].text == "46,140,000.00" and amounts[9].value == Decimal("46140000.00")
    others = [r.text for r in runs if r.kind == OTHER]
    assert others.count("201") == 6 and others.count("03") == 5 and others[0] == "2025" and len(others) == 31
    report = pdf_fidelity_report(office, office_records)
    assert report.amount_tokens == report.captured_tokens == 260 and report.invented == []


def test_the_amounts_of_a_prose_page_integers_and_zeros_included(office):
    """Page 21 (其他相关情况说明): 14 amounts, the integers and zeros before 万元 among them;
    years, counts (1家, 11个, 0辆, 0台), a date and a threshold (单价100万元（含）以上) are none."""
    runs, _ = _runs(office, 21)
    assert [r.text for r in runs if r.kind == AMOUNT] == [
        "867.50", "839", "0", "0", "0", "28.50", "213.28", "34", "0", "0", "34", "34", "34", "6626"]
    others = {r.text + r.after[:1] for r in runs if r.kind == OTHER}
    assert {"2025年", "1家", "11个", "8月", "31日", "0辆", "0台", "100万"} <= others


def test_three_tables_on_one_page_of_a_jiangsu_budget():
    """Page 11 of the 2018 江苏省高级人民法院 budget prints three ruled tables (收支总表, then
    财政拨款支出预算表, then the start of the 基本支出 table): the witness sees the amounts of
    all three, 30, and none of the 22 codes printed whole in the …科目代码 / 科目编码 columns.
    No family reads Jiangsu on this branch: with no records, each amount is not captured."""
    pdf = read_pdf(JIANGSU / "2018-high-court.pdf")
    runs, strays = _runs(pdf, 11)
    amounts = [r.text for r in runs if r.kind == AMOUNT]
    assert len(amounts) == 30 and strays == []
    assert amounts[:4] == ["33,172.15", "18,570.82", "11,343.27", "3,258.06"] and amounts[-1] == "77.66"
    codes = [r.text for r in runs if r.kind == OTHER and r.text != "2018"]
    assert len(codes) == 22 and codes[:3] == ["204", "20405", "2040501"] and codes[-1] == "30107"
    report = pdf_fidelity_report(pdf, [])
    assert sum(1 for page, _, _ in report.missed if page == 11) == 30


def test_the_final_accounts_percentages_are_no_amounts():
    """The final account's prose (page 21) prints 13 shares and changes in %: none is an amount
    to capture, each is a figure in % that a percentage run backs."""
    pdf = read_pdf(FINAL)
    records = parse_source(pdf, str(FINAL)).records
    report = pdf_fidelity_report(pdf, records)
    assert (report.amount_tokens, report.captured_tokens, report.figures, report.invented) == (258, 258, 271, [])
    assert sorted(abs(r.value) for r in records if isinstance(r, ProseFigure) and r.unit == "%") == sorted(
        Decimal(v) for v in ("1.87", "99.79", "0.21", "79.49", "20.51", "100.00", "2.10", "71.73", "11.11", "2.07",
                             "15.16", "98.20", "1.40"))


# --- what the old check could not see -------------------------------------------------------

def test_two_numbers_printed_side_by_side_are_two_amounts(office, office_records, tmp_path):
    """'12.50 3.00' drawn into the prose of page 21: the reader's words join it ('12.503.00',
    no amount to its prose patterns); the witness splits it at the gap and misses both."""
    path = _add_text(OFFICE, tmp_path / "side-by-side.pdf", 20, "12.50 3.00", 100, 450)
    pdf = read_pdf(path)
    assert pdf.pages[20].lines[-1].joined == "12.503.00"
    report = pdf_fidelity_report(pdf, parse_source(pdf, str(path)).records)
    assert report.missed == [(21, Decimal("12.50"), "12.50"), (21, Decimal("3.00"), "3.00")]
    assert report.invented == [] and report.captured_tokens == 260 and report.amount_tokens == 262
    assert {(f.finding_kind, f.page_number, f.expected) for f in report.findings("d")} == {
        ("figure_not_captured", 21, Decimal("12.50")), ("figure_not_captured", 21, Decimal("3.00"))}


def test_separated_numbers_side_by_side_are_not_joined(tmp_path):
    """'1,234.56 5,000.00' is two amounts, not '1,234.565' and a rest."""
    path = _add_text(OFFICE, tmp_path / "separated.pdf", 20, "1,234.56 5,000.00", 100, 450)
    runs, _ = _runs(read_pdf(path), 21)
    assert [(r.text, r.value) for r in runs if r.kind == AMOUNT][-2:] == [
        ("1,234.56", Decimal("1234.56")), ("5,000.00", Decimal("5000.00"))]


def test_a_character_beyond_the_last_column_is_counted(office_records, tmp_path):
    """A figure and a character printed right of page 11's last column edge: the reader's
    cells drop them; the witness names both, at their box on page 11."""
    path = _add_text(OFFICE, tmp_path / "beyond.pdf", 10, "5", 792, 278)
    path = _add_text(path, tmp_path / "beyond2.pdf", 10, "X", 792, 303)
    pdf = read_pdf(path)
    assert max(x for x, _, _ in pdf.pages[10].v_rules) < 792
    report = pdf_fidelity_report(pdf, parse_source(pdf, str(path)).records)
    assert [(page, value, text) for page, value, text in report.missed] == [(11, Decimal(5), "5"), (11, None, "X")]
    messages = [f.message for f in report.findings("d")]
    assert all(f.page_number == 11 and f.finding_kind == "figure_not_captured" for f in report.findings("d"))
    assert "beyond the ruled table's outer column edge" in messages[1] and "at (792." in messages[0]


def test_a_second_table_on_a_page_is_seen(office, office_records):
    """Page 20's 三公 table printed twice on the page (its rows and rules again, 200 points
    lower): the reader's grid is one ruled block, so the second copy's four amounts are read
    by nobody; the witness misses each of them on page 20."""
    page = office.pages[19]
    top, bottom = min(y for y, _, _ in page.h_rules), max(y for y, _, _ in page.h_rules)
    shift = 200.0
    start = max(c.index for c in page.chars) + 10
    table = [c for c in page.chars if top <= c.cy <= bottom]
    copy = [c._replace(top=c.top + shift, bottom=c.bottom + shift, cy=c.cy + shift, index=start + i)
            for i, c in enumerate(table)]
    pdf = _with_page(office, 20, page.chars + copy,
                     h_rules=page.h_rules + [(y + shift, x0, x1) for y, x0, x1 in page.h_rules],
                     v_rules=page.v_rules + [(x, t + shift, b + shift) for x, t, b in page.v_rules])
    assert pdf.pages[19].grid.bottom < top + shift  # the reader's grid is the first block only
    report = pdf_fidelity_report(pdf, office_records)
    assert sorted(report.missed) == sorted((20, Decimal(v), v) for v in ("867.50", "839.00", "28.50", "213.28"))
    assert report.invented == []


def test_a_record_moved_to_another_column_is_not_printed_there(office, office_records):
    """The 基本支出 cell of 2010301 with the 项目支出 cell's box: its value is not printed there
    (110,000.00 is), and its own printed figure is not captured."""
    basic = _cell(office_records, "expenditure_summary", "2010301", "basic")
    project = _cell(office_records, "expenditure_summary", "2010301", "project")
    moved = [replace(r, x0=project.x0, x1=project.x1) if r is basic else r for r in office_records]
    report = pdf_fidelity_report(office, moved)
    assert report.missed == [(11, Decimal("11919501.84"), "11,919,501.84")]
    assert report.invented == [(11, Decimal("11919501.84"), "expenditure_summary row 3 amount")]
    finding = next(f for f in report.findings("d") if f.finding_kind == "figure_not_printed")
    assert (finding.page_number, finding.expected, finding.actual) == (11, Decimal("110000.00"),
                                                                       Decimal("11919501.84"))


def test_a_table_retitled_as_another_is_not_read_as_printed(office, office_records):
    """Page 14 retitled 2025年部门支出预算总表 (page 11's table): the records read it as the
    一般公共预算支出功能分类预算表, which the page no longer prints. Every figure of that table,
    on page 14 and on page 15 it runs on to, is read under a title not printed above it."""
    page = office.pages[13]
    title = page.lines[0]
    assert title.joined == "2025年部门一般公共预算支出功能分类预算表"
    new = _chars("2025年部门支出预算总表", list(title.chars), max(c.index for c in page.chars) + 1)
    chars = [c for c in page.chars if c not in set(title.chars)] + new
    report = pdf_fidelity_report(_with_page(office, 14, chars), office_records)
    figures = [r for r in office_records if isinstance(r, TableCell) and r.amount is not None
               and r.table_id == "general_public_budget_expenditure"]
    assert len(figures) == 47 and {r.page_number for r in figures} == {14, 15}
    assert sorted(report.invented) == sorted((r.page_number, r.amount, f"{r.table_id} row {r.row_order} amount")
                                             for r in figures)
    assert len(report.missed) == 47
    message = next(f.message for f in report.findings("d") if f.finding_kind == "figure_not_printed")
    assert "read into '2025年部门一般公共预算支出功能分类预算表'" in message
    assert "printed under '2025年部门支出预算总表'" in message


@pytest.mark.parametrize("printed", ["839.00", "867.50"])
def test_an_integer_cell_is_an_amount(office, office_records, printed):
    """A figure of the 三公 table printed as an integer (a 万元 table may print '839') and its
    record gone: the integer is an amount not captured, like any other. 867.50 stands where
    page 19's table has its 类 / 款 code columns: a page that prints a table's title starts a
    table of its own, and keeps no code column of the page before."""
    page = office.pages[19]
    cell = next(r for r in office_records if isinstance(r, TableCell) and r.page_number == 20
                and r.amount == Decimal(printed))
    inside = [c for c in page.chars if cell.x0 <= c.cx <= cell.x1 and cell.top <= c.cy <= cell.bottom]
    assert "".join(c.text for c in inside) == printed
    pdf = _with_page(office, 20, [c for c in page.chars if c not in set(inside[3:])])
    records = [r for r in office_records if r is not cell]
    integer = printed[:3]
    assert pdf_fidelity_report(pdf, records).missed == [(20, Decimal(integer), integer)]
    if Decimal(integer) == Decimal(printed):
        assert pdf_fidelity_report(pdf, office_records).missed == []  # 839 is 839.00


# --- form XObjects ----------------------------------------------------------------------------

def _page_as_form(matrix: pdfium.PdfMatrix, index: int = 19) -> pdfium.PdfDocument:
    """A copy of the office PDF whose page `index` is drawn as a form XObject through `matrix`."""
    source = pdfium.PdfDocument(OFFICE)
    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(source)
    width, height = pdf[index].get_size()
    xobject = pdf.page_as_xobject(index, pdf)
    pdf.del_page(index)
    page = pdf.new_page(width, height, index=index)
    form = xobject.as_pageobject()
    form.transform(matrix)
    page.insert_obj(form)
    page.gen_content()
    return pdf


def test_a_table_drawn_in_a_form_xobject_is_ruled_where_it_is_drawn(office, office_records, tmp_path):
    """Page 20 drawn as a form XObject, 40 points lower: its rules are placed through the
    form's matrix, so the reader's cells and the witness agree, as on the original page."""
    path = _save(_page_as_form(pdfium.PdfMatrix().translate(0, -40)), tmp_path / "form.pdf")
    pdf = read_pdf(path)
    original = office.pages[19]
    assert sorted(round(y - 40, 1) for y, _, _ in pdf.pages[19].h_rules) == sorted(
        round(y, 1) for y, _, _ in original.h_rules)
    records = parse_source(pdf, str(path)).records
    three_public = [(r.amount, round(r.top - 40, 2)) for r in records
                    if isinstance(r, TableCell) and r.page_number == 20]
    assert three_public == [(r.amount, r.top) for r in office_records
                            if isinstance(r, TableCell) and r.page_number == 20]
    report = pdf_fidelity_report(pdf, records)
    assert (report.missed, report.invented, report.amount_tokens) == ([], [], 260)


def test_a_form_xobject_drawn_at_an_oblique_angle_is_a_finding(tmp_path):
    turn = math.radians(30)
    matrix = pdfium.PdfMatrix(math.cos(turn), math.sin(turn), -math.sin(turn), math.cos(turn), 200, 0)
    pdf = read_pdf(_save(_page_as_form(matrix), tmp_path / "oblique.pdf"))
    assert pdf.pages[19].oblique_forms == 1 and pdf.pages[19].v_rules == []
    report = pdf_fidelity_report(pdf, [])
    assert (20, None, "1 form XObject(s)") in report.missed
    finding = next(f for f in report.findings("d") if f.page_number == 20 and f.expected is None)
    assert "drawn at an oblique angle" in finding.message


def test_a_record_on_a_page_the_document_lacks_is_not_printed(office, office_records):
    total = next(r for r in office_records if isinstance(r, TableCell) and r.amount is not None)
    records = [replace(r, page_number=99) if r is total else r for r in office_records]
    report = pdf_fidelity_report(office, records)
    assert report.invented == [(99, total.amount, f"{total.table_id} row {total.row_order} amount")]
    assert report.missed == [(8, Decimal("91016775.35"), "91,016,775.35")]  # 一、财政拨款收入, page 8
    assert "the document has no page 99" in str(report.error())
