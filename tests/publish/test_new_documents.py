"""A new document never breaks the build (issue 23 item 6): the sample corpus plus changed
copies of a sample document, as a user would add them (another department, another year),
built as `make build` builds (the invariant dbt tests only, no checks of what the samples
print) and published, each copy with what the warehouse could not settle said as data.

The copies are made from the Xiamen texts: 厦门市民政局 2020 is the 2020 document with another
department's name (no department code printed, no seed row: a key derived from the name),
and 厦门市人力资源和社会保障局 2025 is the 2024 document one year on (a year the classification
seed does not cover: its codes are published as printed, unresolved)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetwh.build import CHECK_SAMPLE_DOCUMENTS_VARIABLE
from tests.conftest import DOC_2020, DOC_2024, committed_documents
from tests.warehouses import dbt_env, query, run_build

pytestmark = pytest.mark.samples


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("new-documents")
    copies = base / "copies"
    copies.mkdir()
    civil = copies / "xiamen-civil-2020-budget.txt"
    civil.write_text(DOC_2020.read_text(encoding="utf-8").replace("厦门市人力资源和社会保障局", "厦门市民政局"),
                     encoding="utf-8")
    later = copies / "xiamen-hrss-2025-budget.txt"
    later.write_text(DOC_2024.read_text(encoding="utf-8").replace("2024", "2025").replace("2023", "2024"),
                     encoding="utf-8")
    env = dbt_env(base / "dbt")
    env.pop(CHECK_SAMPLE_DOCUMENTS_VARIABLE)
    target = base / "warehouse" / "budget.duckdb"
    result = run_build(target, committed_documents() + [civil, later], env)
    return target, result


def test_the_samples_and_the_changed_copies_are_published(built):
    target, result = built
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    # As `make build` runs: the invariants only, none of the checks of what the samples print.
    assert "assert_shanghai_real_values" not in result.stdout and "assert_fct_expenditure_is_item_level_only" in result.stdout
    documents = dict(query(target, "select file_name, department_name || ' ' || fiscal_year "
                                   "from marts.dim_document"))
    assert documents["xiamen-civil-2020-budget.txt"] == "厦门市民政局 2020"
    assert documents["xiamen-hrss-2025-budget.txt"] == "厦门市人力资源和社会保障局 2025"
    assert documents["2025-dept-district-office.pdf"] == "上海市普陀区人民政府办公室 2025"


def test_a_department_no_seed_names_gets_a_key_of_its_own(built):
    target, _ = built
    rows = query(target, """
        select d.department_key_source, d.department_code <> '403'
        from intermediate.int_documents_classified d where d.file_name = 'xiamen-civil-2020-budget.txt'""")
    assert rows == [("derived", True)]
    # Its money is its own, not 403's: 2011008 引进人才费用 22,557.92 万元 as the 2020 document prints it.
    assert query(target, """
        select sum(e.amount_wan) from marts.fct_expenditure e join marts.dim_document d using (document_id)
        where d.file_name = 'xiamen-civil-2020-budget.txt' and e.reported_subject_code = '2011008'
          and e.fund_source = 'general_public_budget' and not e.is_transfer_to_lower_level""") == [(Decimal("22557.92"),)]


def test_a_year_no_seed_covers_is_published_as_printed_and_unresolved(built):
    target, _ = built
    # 2080116 引进人才费用, 附件3 line 1096 of the 2024 text: 952.00 万元 non-fiscal, here as 2025.
    rows = query(target, """
        select e.subject_code, e.subject_relation, e.amount_wan, e.source_line
        from marts.fct_expenditure e join marts.dim_document d using (document_id)
        where d.file_name = 'xiamen-hrss-2025-budget.txt' and e.reported_subject_code = '2080116'
          and e.fund_source = 'non_fiscal'""")
    assert rows == [("2080116", "unresolved", Decimal("952.00"), 1096)]
    listed = query(target, """
        select resolution_gap, first_seen_at from marts.unresolved_subject_code
        where fiscal_year = 2025 and reported_code = '2080116' and reported_name = '引进人才费用'""")
    assert listed == [("no_crosswalk_row", listed[0][1])] and listed[0][1].startswith("xiamen-hrss-2025-budget.txt ")
