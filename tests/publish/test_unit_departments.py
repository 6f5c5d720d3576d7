"""A 单位预算 belongs to its department (issue 23 item 4): built beside the sample 部门预算, the
sample 单位预算 with their covers changed in memory (ingest.core.pdf page level) as a subordinate
unit's 单位预算 prints them:

  2026-unit-justice.pdf          预算单位：上海市普陀区法律援助中心: a unit 2026-dept-justice.pdf
                                 lists on page 6 (2.普陀区法律援助中心);
  2025-unit-district-office.pdf  预算单位：上海市普陀区档案服务中心 with 主管部门：普陀区人民政府办公室:
                                 a unit the cover places, no list names it;
  2025-unit-commerce.pdf         预算单位：上海市普陀区商务发展研究中心: a unit no document names.

A changed copy keeps its file's content hash (ingest checks the file it reads against it), so
the checks of the samples (tests/dbt/sample_documents), which know the committed files by
hash, would take the copies for the samples: this build runs dbt's invariant tests only.
The samples' own 单位预算 are checked by those checks in the suite's other builds."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import duckdb
import pytest

import ingest.registry as registry
from budgetwh.build import CHECK_SAMPLE_DOCUMENTS_VARIABLE, build
from tests.conftest import PUTUO
from tests.ingest.test_shanghai_template import _cover
from tests.warehouses import WITHOUT_DBT_TESTS

pytestmark = pytest.mark.samples

JUSTICE, COMMERCE, OFFICE = "上海市普陀区司法局", "上海市普陀区商务委员会", "上海市普陀区人民政府办公室"
COVERS = {
    "2026-unit-justice.pdf": ["上海市普陀区2026年区级单位预算", "预算单位：上海市普陀区法律援助中心"],
    "2025-unit-district-office.pdf": ["上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区档案服务中心",
                                      "主管部门：普陀区人民政府办公室"],
    "2025-unit-commerce.pdf": ["上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区商务发展研究中心"],
}
DOCUMENTS = ["2026-dept-justice.pdf", "2025-dept-commerce.pdf", "2025-dept-district-office.pdf", *COVERS]
# What the three 部门预算 total in subject_year_comparison (万元) built with the samples' own
# 单位预算 (the departments' 本部): 91,016,775.35 元 for 区府办 (财务收支预算总表 page 8).
TOTALS = {(OFFICE, 2025): Decimal("9101.68"), (JUSTICE, 2026): Decimal("9628.21"),
          (COMMERCE, 2025): Decimal("37151.46")}


def _build(base, names: list[str], *, full: bool = True, **env: str):
    """Build the named samples, the covers of COVERS changed, into base/budget.duckdb."""
    read_pdf = registry.read_pdf

    def changed(path):
        pdf = read_pdf(path)
        if pdf.file_name in COVERS:
            pdf.pages[0] = _cover(COVERS[pdf.file_name])
        return pdf

    with pytest.MonkeyPatch.context() as patch:
        # Fewer documents than ingest's process pool starts at: parsed in this process.
        patch.setattr(registry, "read_pdf", changed)
        patch.setenv("DBT_TARGET_PATH", str(base / "target"))
        patch.setenv("DBT_LOG_PATH", str(base / "logs"))
        patch.delenv(CHECK_SAMPLE_DOCUMENTS_VARIABLE, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        return build(base / "budget.duckdb", [PUTUO / name for name in names], quiet=True, full=full)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    connection = duckdb.connect(str(_build(tmp_path_factory.mktemp("unit-departments"), DOCUMENTS)), read_only=True)
    yield connection
    connection.close()


def _department_code(warehouse, name: str) -> str:
    return warehouse.execute("select department_code from marts.dim_department where department_name = ?",
                             [name]).fetchone()[0]


def _document(warehouse, file_name: str) -> tuple:
    return warehouse.execute(
        "select unit_name, department_name, department_source, department_code "
        "from intermediate.int_documents_classified where file_name = ?", [file_name]).fetchone()


def test_a_unit_its_department_budget_lists_sits_under_that_department(warehouse):
    justice = _department_code(warehouse, JUSTICE)
    assert _document(warehouse, "2026-unit-justice.pdf") == ("上海市普陀区法律援助中心", JUSTICE, "unit_list", justice)
    assert warehouse.execute("select unit_name, department_name, department_code from marts.dim_document "
                             "where file_name = '2026-unit-justice.pdf'").fetchone() == (
        "上海市普陀区法律援助中心", JUSTICE, justice)
    # One unit, named as its own 单位预算's cover names it (the list prints 普陀区法律援助中心).
    assert warehouse.execute(
        "select unit_name, department_code, first_fiscal_year, unit_key_source from marts.dim_budget_unit "
        "where unit_name like '%法律援助中心'").fetchall() == [("上海市普陀区法律援助中心", justice, 2026, "derived")]
    resolved = warehouse.execute(
        "select d.file_name, r.department_source_page_number from intermediate.int_unit_departments_resolved r "
        "join intermediate.int_documents_classified d on r.department_source_document_id = d.document_id "
        "where r.unit_name = '上海市普陀区法律援助中心'").fetchall()
    assert resolved == [("2026-dept-justice.pdf", 6)]


def test_a_unit_its_cover_places_sits_under_the_department_as_its_budget_names_it(warehouse):
    office = _department_code(warehouse, OFFICE)
    # The cover's 普陀区人民政府办公室 is the 部门预算's 上海市普陀区人民政府办公室: one department.
    assert _document(warehouse, "2025-unit-district-office.pdf") == ("上海市普陀区档案服务中心", OFFICE, "cover", office)
    assert warehouse.execute("select department_code from marts.dim_budget_unit where unit_name = ?",
                             ["上海市普陀区档案服务中心"]).fetchall() == [(office,)]


def test_a_unit_no_document_names_is_its_own_department_with_a_finding(warehouse):
    unit = "上海市普陀区商务发展研究中心"
    name, department, source, code = _document(warehouse, "2025-unit-commerce.pdf")
    assert (name, department, source) == (unit, unit, "unknown")
    assert code == "name:" + hashlib.md5(f"上海市普陀区|{unit}".encode()).hexdigest()[:12]
    assert warehouse.execute("select department_name, department_key_source from marts.dim_department "
                             "where department_code = ?", [code]).fetchall() == [(unit, "derived")]
    assert warehouse.execute(
        "select finding_kind, severity, finding_subject, page_number, department_code from marts.fct_parse_finding "
        "where file_name = '2025-unit-commerce.pdf' and finding_kind = 'unit_department_unknown'").fetchall() == [
        ("unit_department_unknown", "info", unit, 1, code)]
    # Its own department, not a unit of another one.
    assert warehouse.execute("select count(*) from marts.dim_budget_unit where unit_name = ?", [unit]).fetchone() == (0,)
    # A finding across documents: counted apart, the document's quality is what its own figures say.
    assert warehouse.execute("select quality_status, cross_document_finding_count from marts.dim_document "
                             "where file_name = '2025-unit-commerce.pdf'").fetchone() == ("clean", 1)
    assert warehouse.execute("select count(*) from marts.fct_parse_finding "
                             "where finding_kind = 'unit_department_unknown'").fetchone() == (1,)


def test_department_totals_count_the_department_budget_alone(warehouse):
    totals = warehouse.execute(
        "select d.department_name, s.fiscal_year, sum(s.general_public_budget_with_transfers_wan "
        "+ s.government_fund_wan + s.state_capital_wan + s.non_fiscal_wan) from marts.subject_year_comparison s "
        "join marts.dim_department d using (department_code) group by all").fetchall()
    totals = {(name, year): total for name, year, total in totals}
    # The two units under a department with a 部门预算 add nothing to it.
    assert {key: totals[key] for key in TOTALS} == TOTALS
    # The unit nobody names is its own department-year, counted once.
    assert set(totals) == {*TOTALS, ("上海市普陀区商务发展研究中心", 2025)}


def test_a_unit_moves_to_its_department_when_the_listing_budget_arrives(tmp_path, warehouse):
    """Built alone, the legal-aid centre's 单位预算 is its own department; an incremental build
    adding 2026-dept-justice.pdf moves the document's fact rows (loaded by the first build)
    under 司法局, as a build of both from scratch has them. The first build skips dbt's tests
    (tests/warehouses.py); the second runs them."""
    alone = _build(tmp_path, ["2026-unit-justice.pdf"], **WITHOUT_DBT_TESTS)
    connection = duckdb.connect(str(alone), read_only=True)
    try:
        assert connection.execute("select department_source from intermediate.int_documents_classified"
                                  ).fetchall() == [("unknown",)]
    finally:
        connection.close()
    both = duckdb.connect(str(_build(tmp_path, ["2026-dept-justice.pdf", "2026-unit-justice.pdf"], full=False)),
                          read_only=True)
    try:
        justice = _department_code(warehouse, JUSTICE)
        query = ("select distinct e.department_code from marts.fct_expenditure e join marts.dim_document d "
                 "using (document_id) where d.file_name = '2026-unit-justice.pdf'")
        assert both.execute(query).fetchall() == warehouse.execute(query).fetchall() == [(justice,)]
        assert both.execute("select count(*) from marts.fct_parse_finding "
                            "where finding_kind = 'unit_department_unknown'").fetchone() == (0,)
        assert both.execute(
            "select department_code, sum(general_public_budget_with_transfers_wan + government_fund_wan "
            "+ state_capital_wan + non_fiscal_wan) from marts.subject_year_comparison group by all").fetchall() == [
            (justice, TOTALS[(JUSTICE, 2026)])]
    finally:
        both.close()
