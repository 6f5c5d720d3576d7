"""Figures of the 2024 document (appendix layout), asserted as printed."""

from decimal import Decimal as D

import pytest


def one(db, sql, *params):
    rows = db.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def doc_2024(db):
    return one(db, "select document_id from raw.documents where fiscal_year = 2024")[0]


def test_document_metadata(raw_db):
    row = one(raw_db, "select department_name, department_code, region, document_kind, template, amount_unit "
                      "from raw.documents where fiscal_year = 2024")
    assert row == ("厦门市人力资源和社会保障局", "403", "厦门市", "预算", "xiamen-appendix", "万元")


def test_subject_expenditure_2080116_places_project_and_non_fiscal(raw_db):
    row = one(raw_db, "select total, fiscal_subtotal, fiscal_basic, fiscal_project, non_fiscal_subtotal, "
                      "non_fiscal_basic, non_fiscal_project, source_line from raw.subject_expenditure "
                      "where subject_code = '2080116'")
    assert row == (D("33946.00"), D("32994.00"), None, D("32994.00"), D("952.00"), None, D("952.00"), 1096)


def test_subject_expenditure_row_with_blank_cells(raw_db):
    # '2080114 资助留学回国人员 610.00 550.00 550.00 60.00 60.00': five figures, seven columns.
    row = one(raw_db, "select total, fiscal_subtotal, fiscal_basic, fiscal_project, non_fiscal_subtotal, "
                      "non_fiscal_basic, non_fiscal_project from raw.subject_expenditure where subject_code = '2080114'")
    assert row == (D("610.00"), D("550.00"), None, D("550.00"), D("60.00"), None, D("60.00"))


def test_wrapped_subject_row_keeps_its_name_and_figure_line(raw_db):
    row = one(raw_db, "select subject_name, total, non_fiscal_project, source_line from raw.subject_expenditure "
                      "where subject_code = '2080199'")
    assert row == ("其他人力资源和社会保障管理事务支出", D("3808.10"), D("1043.30"), 1104)
    name = one(raw_db, "select subject_name from raw.subject_expenditure where subject_code = '2082601'")[0]
    assert name == "财政对企业职工基本养老保险基金的补助"


def test_subject_expenditure_total_row(raw_db):
    row = one(raw_db, "select total, fiscal_subtotal, fiscal_basic, fiscal_project, non_fiscal_project "
                      "from raw.subject_expenditure where subject_code is null")
    assert row == (D("159318.40"), D("156161.40"), D("17187.60"), D("138973.80"), D("3157.00"))


def test_general_budget_2080101_personnel_and_public(raw_db):
    row = one(raw_db, "select total, basic_subtotal, basic_personnel, basic_public, project "
                      "from raw.budget_expenditure where subject_code = '2080101'")
    assert row == (D("3036.64"), D("3036.64"), D("2428.22"), D("608.43"), None)


@pytest.mark.parametrize("code, personnel, public, project", [
    ("2080501", D("1352.80"), None, None),      # three equal figures: placed by 20805 and 208 sums
    ("2080502", D("70.06"), None, D("437.44")),
    ("2101101", D("383.57"), None, None),
    ("2080150", D("951.31"), D("1302.05"), None),
])
def test_general_budget_placements_resolved_by_parent_sums(raw_db, code, personnel, public, project):
    row = one(raw_db, "select basic_personnel, basic_public, project from raw.budget_expenditure "
                      "where subject_code = ?", code)
    assert row == (personnel, public, project)


def test_economic_class_30226(raw_db):
    row = one(raw_db, "select economic_name, total, personnel, public from raw.basic_expenditure_economic "
                      "where economic_code = '30226'")
    assert row == ("劳务费", D("2002.70"), None, D("2002.70"))


def test_economic_classes_split_personnel_and_public(raw_db):
    rows = raw_db.execute("select economic_code, personnel, public from raw.basic_expenditure_economic "
                          "where length(economic_code) = 3 order by economic_code").fetchall()
    assert rows == [("301", D("12241.47"), None), ("302", None, D("3454.41")),
                    ("303", D("1471.50"), None), ("310", None, D("20.22"))]


def test_unit_income(raw_db):
    row = one(raw_db, "select unit_name, total, general_public_budget, operating_income, superior_subsidy "
                      "from raw.unit_income where unit_code = '403012'")
    assert row == ("厦门市人才服务中心", D("35514.48"), D("33369.48"), D("2145.00"), None)
    row = one(raw_db, "select general_public_budget, superior_subsidy from raw.unit_income where unit_code = '403015'")
    assert row == (D("3146.05"), D("1012.00"))
    assert one(raw_db, "select count(*) from raw.unit_income where length(unit_code) = 6")[0] == 11


def test_transfer_payments(raw_db):
    row = one(raw_db, "select unit_name, subject_name, fund_nature, transfer_type, project_name, amount, source_line "
                      "from raw.transfer_payments where unit_code = '403012'")
    assert row == ("厦门市人才服务中心", "引进人才费用", "一般公共预算资金", "专项转移支付", "新引进人才生活补贴",
                   D("17513.00"), 1487)
    blank_type = one(raw_db, "select transfer_type, project_name from raw.transfer_payments where unit_code = '403008'")
    assert blank_type == (None, "国有企业退休人员社会化管理补助资金")
    assert one(raw_db, "select amount from raw.transfer_payments where unit_code is null")[0] == D("20826.00")


def test_three_public_costs_placed_by_prose(raw_db):
    row = one(raw_db, "select total, outbound_travel, vehicle_subtotal, vehicle_purchase, vehicle_operation, "
                      "official_reception from raw.three_public_costs")
    assert row == (D("27.96"), None, D("11.42"), None, D("11.42"), D("16.54"))


def test_overview_items(raw_db):
    rows = dict(raw_db.execute("select item_name, amount from raw.overview_items where table_id = '附件1' "
                               "and side = 'income' and amount is not null").fetchall())
    assert rows == {"一般公共预算拨款收入": D("156161.40"), "事业单位经营收入": D("2145.00"),
                    "上级补助收入": D("1012.00"), "本年收入合计": D("159318.40"), "收入总计": D("159318.40")}
    row = one(raw_db, "select section_label, amount from raw.overview_items where table_id = '附件4' "
                      "and item_name = '社会保障和就业支出'")
    assert row == ("本年支出", D("150926.52"))


def test_government_fund_table_is_empty_by_declaration(raw_db):
    row = one(raw_db, "select table_id, declaration, source_line from raw.empty_tables")
    assert row == ("附件8", "注：本部门2024年没有政府性基金预算支出。", 1470)


def test_line_items_match_general_budget_rows(raw_db):
    rows = raw_db.execute("select item_number, class_name, section_name, subject_name, amount, matched_subject_code "
                          "from raw.line_items l join raw.documents d using (document_id) where fiscal_year = 2024 "
                          "order by item_number").fetchall()
    assert len(rows) == 32
    assert rows[9] == (10, "社会保障和就业支出", "人力资源和社会保障管理事务", "引进人才费用", D("32994.00"), "2080116")
    assert rows[23][4:] == (D("61036.00"), "2082601")
    assert all(r[5] for r in rows)
    total = sum(r[4] for r in rows)
    assert total == D("156161.40")


def test_headline_figures(raw_db):
    figures = dict(raw_db.execute(
        "select figure_key, value from raw.headline_figures h join raw.documents d using (document_id) "
        "where fiscal_year = 2024 and figure_key in ('income_total', 'income_change_pct', 'transfer_to_lower_level', "
        "'office_operation_cost', 'procurement_services', 'vehicle_count', 'non_fiscal_expenditure')").fetchall())
    assert figures == {"income_total": D("159318.40"), "income_change_pct": D("21.34"),
                       "transfer_to_lower_level": D("20826.00"), "office_operation_cost": D("2003.99"),
                       "procurement_services": D("1641.36"), "vehicle_count": D("5"),
                       "non_fiscal_expenditure": D("3157.00")}


def test_performance_tables(raw_db):
    projects = raw_db.execute("select project_name, budget_amount, fiscal_amount from raw.performance_projects "
                              "where project_key like '附件11-%' order by row_order").fetchall()
    assert len(projects) == 11
    assert [p[0] for p in projects].count("其他社会保障补助") == 2
    assert [p[0] for p in projects].count("就业专项资金") == 2
    assert ("人才扶持", D("37052.00"), D("35740.00")) in projects
    row = one(raw_db, "select level_1, level_2, direction, target_value, target_unit from raw.performance_indicators "
                      "where indicator_name = '参保人员满意度' and project_key = '附件11-6'")
    assert row == ("满意度指标", "服务对象满意度指标", "大于等于", D("90"), "%")
    wrapped = one(raw_db, "select indicator_name, source_line from raw.performance_indicators "
                          "where project_key = '附件11-10' and indicator_order = 1")
    assert wrapped == ("国有企业国有企业新办理退休人员管理服务工作与原企业分离的比例", 2243)


def test_department_performance_tasks(raw_db):
    totals = dict(raw_db.execute("select task_name, fiscal_amount from raw.performance_funds "
                                 "where item_name = '涉及财政资金'").fetchall())
    assert totals == {"人才队伍建设": D("37541.38"), "促进就业和创业": D("18243.75"), "促进和谐劳动关系": D("550.91"),
                      "健全社会保障体系": D("78993.76"), "发展中等职业教育": D("3644.00")}
    sums = dict(raw_db.execute("select task_name, sum(amount) from raw.performance_funds where task_name is not null "
                               "and item_name <> '涉及财政资金' group by task_name").fetchall())
    assert sums == totals


def test_source_rounding_recorded_as_findings(parsed_2024):
    by_subject = {(f.table_id, f.subject): f for f in parsed_2024.findings if f.finding_kind == "parent_differs_from_children"}
    finding = by_subject[("附件3", "21011")]
    assert (finding.expected, finding.actual, finding.source_line) == (D("649.89"), D("649.88"), 1153)
    assert by_subject[("附件6", "301")].expected == D("12241.49")
    identity = [f for f in parsed_2024.findings if f.finding_kind == "row_identity_rounding"]
    assert [(f.table_id, f.source_line) for f in identity] == [("附件5", 1271)]


def test_page_number_inside_the_unit_list_is_not_part_of_a_name(tmp_path):
    from ingest.core.document import read_document
    from ingest.xiamen.parse import parse_document
    from tests.conftest import DOC_2024

    lines = DOC_2024.read_text(encoding="utf-8").split("\n")
    assert lines[142] == "厦门市劳动就业中心 全额"
    lines[141:141] = ["17", ""]
    path = tmp_path / "paged.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    parsed = parse_document(read_document(path))
    names = [r.unit_name for r in parsed.records if type(r).__name__ == "BudgetUnit"]
    assert "厦门市劳动就业中心" in names and not any(n.startswith("17") for n in names)
    assert any(f.finding_kind == "page_number_skipped" and f.subject == "17" for f in parsed.findings)
