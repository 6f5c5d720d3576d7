"""The Shanghai final account (部门决算) read from the published PDF of 上海市普陀区财政局 2024
(the sample documents' pdf/shanghai-putuo/2024-final-finance.pdf): real values as printed, to page and cell;
the prose's 年初预算 / 决算 pairs with their stated reasons; the document's own inconsistencies
as findings; fidelity by position; the blank template (the sample beside it) set aside."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from ingest.cli import main as ingest_main
from ingest.core.errors import BlankTemplate
from ingest.core.pdf import read_pdf
from ingest.core.pdf_fidelity import pdf_fidelity_report
from ingest.core.records import ProseFigure, TableCell
from ingest.core.schema import create_statements
from ingest.registry import parse_source, read_source
from tests.conftest import BLANK_TEMPLATE, PUTUO

pytestmark = pytest.mark.samples
FINAL_2024 = PUTUO / "2024-final-finance.pdf"


@pytest.fixture(scope="module")
def pdf():
    return read_pdf(FINAL_2024)


@pytest.fixture(scope="module")
def final(pdf):
    return parse_source(pdf, str(FINAL_2024))


def _cell(parsed, table_id: str, column: str, *, code: str | None = None, label: str | None = None,
          side: str | None = None) -> TableCell:
    cells = [r for r in parsed.records if isinstance(r, TableCell) and r.table_id == table_id
             and r.column_key == column and r.side == side
             and (r.subject_code == code if code else r.row_label == label)]
    assert len(cells) == 1, cells
    return cells[0]


def _figures(parsed, key: str) -> list[ProseFigure]:
    return [r for r in parsed.records if isinstance(r, ProseFigure) and r.figure_key == key]


def test_cover_department_region_year_and_kind(final):
    doc = final.document
    assert (doc.department_name, doc.region, doc.fiscal_year) == ("上海市普陀区财政局", "上海市普陀区", 2024)
    assert (doc.document_kind, doc.document_scope, doc.template) == ("部门决算", "department", "shanghai-final-account")
    assert doc.page_count == 25 and doc.amount_unit == "万元"


def test_income_expenditure_summary_both_sides(final):
    summary = "final_income_expenditure_summary"
    fiscal = _cell(final, summary, "outturn", label="一、一般公共预算财政拨款收入", side="income")
    assert (fiscal.amount, fiscal.amount_unit, fiscal.page_number, fiscal.raw_text) == (
        Decimal("2940.05"), "万元", 6, "2,940.05")
    assert _cell(final, summary, "outturn", label="二、政府性基金预算财政拨款收入", side="income").amount is None
    # The summary runs on to page 7: 年初结转和结余, 结余分配, 总计 on both sides.
    start = _cell(final, summary, "outturn", label="年初结转和结余", side="income")
    end = _cell(final, summary, "outturn", label="年末结转和结余", side="expenditure")
    assert (start.amount, end.amount, start.page_number) == (Decimal("49.14"), Decimal("55.34"), 7)
    assert _cell(final, summary, "outturn", label="结余分配", side="expenditure").amount is None
    for side in ("income", "expenditure"):
        assert _cell(final, summary, "outturn", label="总计", side=side).amount == Decimal("2995.39")


def test_general_public_budget_table_and_the_other_tables(final):
    table = "final_general_public_budget_expenditure"
    total = _cell(final, table, "total", code="2010601")
    basic = _cell(final, table, "basic", code="2010601")
    project = _cell(final, table, "project", code="2010601")
    assert (total.amount, basic.amount, project.amount) == (Decimal("1511.89"), Decimal("1503.52"), Decimal("8.37"))
    assert (total.row_label, total.subject_level, total.page_number) == ("行政运行", "项", 15)
    assert total.x1 <= basic.x0 + 1 and basic.x1 <= project.x0 + 1 and total.top == basic.top
    assert _cell(final, table, "basic", code="2010607").amount is None  # blank, not zero
    # 收入决算表: the 合计 row shares its band with the 类 / 款 / 项 marks.
    assert _cell(final, "final_income", "total", label="合计").amount == Decimal("2946.25")
    assert _cell(final, "final_income", "other_income", code="2010601").amount == Decimal("0.01")
    assert _cell(final, "final_expenditure", "project", code="20106").amount == Decimal("603.14")
    assert _cell(final, "final_expenditure", "subsidy_to_subordinate", label="合计").amount is None
    # 财政拨款收入支出决算总表: 总计 2,961.68 = 本年收入 2,940.05 + 年初 21.63.
    assert _cell(final, "final_fiscal_summary", "outturn", label="总计", side="income").amount == Decimal("2961.68")
    assert _cell(final, "final_fiscal_summary", "general_public_budget", label="总计",
                 side="expenditure").amount == Decimal("2961.68")
    # 基本支出决算表: two tables side by side, economic codes joined.
    assert _cell(final, "final_basic_expenditure_economic", "outturn", code="30102", side="left").amount == \
        Decimal("1238.58")
    assert _cell(final, "final_basic_expenditure_economic", "outturn", label="人员经费合计", side="left").amount == \
        Decimal("2152.26")
    assert _cell(final, "final_basic_expenditure_economic", "outturn", label="公用经费合计", side="right").amount == \
        Decimal("184.65")
    # Empty tables: their 合计 row blank, the 注 kept as an info finding.
    assert _cell(final, "final_government_fund", "expenditure_total", label="合计").amount is None
    empty = {f.table_id for f in final.findings if f.finding_kind == "empty_table"}
    assert empty == {"final_government_fund", "final_state_capital"}


def test_three_public_budget_and_outturn_columns(final):
    table = "final_three_public"
    assert _cell(final, table, "budget:total", label="合计").amount == Decimal("0.95")
    assert _cell(final, table, "outturn:total", label="合计").amount is None
    assert _cell(final, table, "budget:official_reception", label="合计").amount == Decimal("0.95")
    assert _cell(final, table, "budget:vehicle_purchase", label="合计").amount is None
    keys = {r.column_key for r in final.records if isinstance(r, TableCell) and r.table_id == table}
    assert len(keys) == 12 and all(k.split(":")[0] in ("budget", "outturn") for k in keys)


def test_prose_items_with_budget_outturn_and_reason(final):
    budgets = {f.item_number: f for f in _figures(final, "initial_budget")}
    outturns = {f.item_number: f for f in _figures(final, "outturn")}
    assert sorted(budgets) == list(range(1, 12)) == sorted(outturns)
    first_budget, first_outturn = budgets[1], outturns[1]
    assert (first_budget.value, first_outturn.value) == (Decimal("1560.05"), Decimal("1511.89"))
    assert first_budget.matched_subject_code == first_outturn.matched_subject_code == "2010601"
    assert (first_outturn.class_name, first_outturn.section_name, first_outturn.subject_name) == (
        "一般公共服务支出", "财政事务", "行政运行")
    assert first_outturn.stated_reason == "决算数小于预算数的主要原因：人员进出及退休变化，减少人员经费开支。"
    # The digits sit on their own baseline: each figure's box is on the sentence's line of page 22.
    assert (first_outturn.page_number, first_outturn.line_number) == (22, 2)
    assert first_budget.x1 <= first_outturn.x0
    it = budgets[3], outturns[3]
    assert (it[0].value, it[1].value, it[1].matched_subject_code) == (Decimal("135.90"), Decimal("135.25"), "2010607")
    assert outturns[2].stated_reason == "决算数与预算数基本持平。"
    three = _figures(final, "three_public_initial_budget")[0], _figures(final, "three_public_outturn")[0]
    assert (three[0].value, three[1].value) == (Decimal("0.95"), Decimal("0.00"))
    headline = {f.figure_key: f.value for f in final.records if isinstance(f, ProseFigure)}
    assert headline["income_expenditure_total"] == Decimal("2995.39")
    assert headline["income_expenditure_total_change"] == Decimal("-56.95")
    assert headline["gpb_initial_budget"] == Decimal("2993.92")


def test_the_documents_own_inconsistencies_are_findings(final):
    """财政拨款收入支出总计 is 0.3万元 in the prose and 2,961.68 in the table; the summaries print
    社会保障和就业支出 as 326.71 where the detail tables print 326.72; the detail tables' 合计
    2,940.05 against their 类 rows' 2,940.06. Recorded, never corrected, with their pages."""
    by_kind = {(f.finding_kind, f.table_id, f.subject): f for f in final.findings}
    prose = [f for f in final.findings if f.finding_kind == "prose_differs_from_table"]
    assert [(f.expected, f.actual, f.page_number) for f in prose] == [(Decimal("2961.68"), Decimal("0.3"), 21)]
    assert by_kind[("cross_table", "final_income_expenditure_summary", "八、社会保障和就业支出")].actual == \
        Decimal("326.71")
    gpb = {(f.expected, f.actual, f.page_number) for f in final.findings if f.finding_kind == "total_sum"
           and f.table_id == "final_general_public_budget_expenditure"}
    assert gpb == {(Decimal("2940.06"), Decimal("2940.05"), 15), (Decimal("2336.92"), Decimal("2336.91"), 15)}
    # Every stated direction agrees with its figures, and the items are numbered 1..11.
    assert not [f for f in final.findings if f.finding_kind.startswith(("reason_", "item_"))]
    assert all(f.page_number for f in final.findings)


def test_direction_and_numbering_checks_report_a_contradiction(final):
    from dataclasses import replace

    from ingest.shanghai_final.checks import _directions, _numbering
    figures = [f for f in final.records if isinstance(f, ProseFigure)]
    swapped = [replace(f, stated_reason="决算数大于预算数的主要原因：x。") if f.item_number == 1 else
               replace(f, item_number=5) if f.item_number == 6 else f for f in figures]
    directions = _directions(swapped, "d")
    assert [(f.finding_kind, f.expected, f.actual) for f in directions] == [
        ("reason_direction", Decimal("1560.05"), Decimal("1511.89"))]
    kinds = [f.finding_kind for f in _numbering(swapped, {}, "d")]
    assert "item_number_repeated" in kinds and "item_number_gap" in kinds


def test_fidelity_every_printed_amount_captured_by_position(pdf, final):
    """Every amount printed is captured where it stands (the witness of
    ingest/core/pdf_fidelity.py), and nothing is read that is not printed: the 13 shares and
    changes printed with % (占99.79%, 下降1.87%, page 21) are kept in %, never as 万元."""
    report = pdf_fidelity_report(pdf, final.records)
    assert report.amount_tokens == report.captured_tokens == 258 and report.missed == []
    assert report.invented == []
    shares = sorted((r.page_number, r.value) for r in final.records
                    if isinstance(r, ProseFigure) and r.unit == "%")
    assert len(shares) == 13 and shares[:2] == [(21, Decimal("0.21")), (21, Decimal("1.87"))]


def test_the_blank_template_is_set_aside_not_loaded_and_no_failure(tmp_path, capsys):
    """The template sits in data/raw beside the accounts (the finance bureau publishes it with
    them): recognised by its cover, nothing of it loaded (a department called 上海市XX局 would
    be invented), listed as blank_template, and the run still succeeds, --strict included."""
    with pytest.raises(BlankTemplate, match=r"2024-final-template\.pdf:page 1: expected a department's final "
                                            r"account.*上海市XX局"):
        parse_source(read_source(BLANK_TEMPLATE))
    database = tmp_path / "template.duckdb"
    assert ingest_main([str(BLANK_TEMPLATE), str(FINAL_2024), "--db", str(database), "--strict"]) == 0
    out = capsys.readouterr()
    assert "set aside (not loaded): 2024-final-template.pdf:page 1" in out.out
    assert "rejected" not in out.err
    connection = duckdb.connect(str(database), read_only=True)
    try:
        assert connection.execute("select file_name, rejection_kind, template from raw.rejected_documents"
                                  ).fetchall() == [("2024-final-template.pdf", "blank_template", "shanghai_final")]
        assert connection.execute("select file_name, department_name from raw.documents").fetchall() == [
            ("2024-final-finance.pdf", "上海市普陀区财政局")]
    finally:
        connection.close()


def test_loads_into_raw_with_stated_reason(tmp_path):
    database = tmp_path / "final.duckdb"
    # A database created before prose_figures had stated_reason gets the column added.
    connection = duckdb.connect(str(database))
    for statement in create_statements():
        connection.execute(statement)
    connection.execute("alter table raw.prose_figures drop column stated_reason")
    connection.close()
    assert ingest_main([str(FINAL_2024), "--db", str(database), "--quiet"]) == 0
    connection = duckdb.connect(str(database), read_only=True)
    rows = connection.execute(
        "select value, stated_reason from raw.prose_figures where figure_key = 'outturn' and item_number = 3"
    ).fetchall()
    cells = connection.execute("select count(*) from raw.table_cells where table_id like 'final_%'").fetchone()
    connection.close()
    assert rows == [(Decimal("135.25"), "决算数小于预算数的主要原因：因产业政策扶持资金管理系统项目进度，调减相关经费。")]
    assert cells[0] == 577
