"""Figures of the 2020 document (prose layout), asserted as printed."""

from decimal import Decimal as D


def rows(db, sql, *params):
    return db.execute(sql, list(params)).fetchall()


ITEMS_2020 = ("select item_number, sub_item_number, subject_code, subject_name, amount, is_transfer_to_lower_level, "
              "source_line from raw.line_items join raw.documents using (document_id) where fiscal_year = 2020 "
              "order by row_order")


def test_line_items(raw_db):
    items = rows(raw_db, ITEMS_2020)
    assert len(items) == 37
    assert items[2] == (3, None, "2011008", "引进人才费用", D("22557.92"), False, 135)
    assert items[0][3] == "人力资源事务-行政运行"
    assert items[1][3:5] == ("自助留学回国人员", D("240"))  # printed 自助 (for 资助), kept as printed


def test_transfer_item_is_two_rows(raw_db):
    transfers = [i for i in rows(raw_db, ITEMS_2020) if i[5]]
    assert transfers == [(36, 1, "2080702", "职业培训补贴", D("258.89"), True, 201),
                         (36, 2, "2011008", "引进人才费用", D("3200"), True, 201)]


def test_items_add_up_to_general_budget(raw_db):
    assert sum(i[4] for i in rows(raw_db, ITEMS_2020)) == D("78046.06")
    general = rows(raw_db, "select value from raw.headline_figures join raw.documents using (document_id) "
                           "where fiscal_year = 2020 and figure_key = 'general_budget_expenditure'")
    assert general == [(D("78046.06"),)]


def test_printing_error_kept_and_reported(raw_db, parsed_2020):
    printed = rows(raw_db, "select subject_name, amount from raw.line_items join raw.documents using (document_id) "
                           "where fiscal_year = 2020 and subject_code = '2080199' order by row_order")
    assert printed == [("其他人力资源和社会保障管理事务支出", D("141.6")), ("其他福利支出", D("9.08"))]
    findings = [f for f in parsed_2020.findings if f.finding_kind == "code_printed_twice"]
    assert [(f.subject, f.source_line) for f in findings] == [("2080199", 187)]


def test_budget_units(raw_db):
    units = rows(raw_db, "select unit_name, unit_nature, funding_type, authorized_staff, actual_staff "
                         "from raw.budget_units join raw.documents using (document_id) where fiscal_year = 2020 "
                         "order by row_order")
    assert len(units) == 10
    assert units[1] == ("厦门市社会保险管理中心", "全额拨款参公事业单位", "全额", 95, 86)
    assert units[9] == ("厦门市职业技能鉴定指导中心", "自收自支事业单位", "自收自支", 10, 8)


def test_headline_figures(raw_db):
    figures = dict(rows(raw_db, "select figure_key, value from raw.headline_figures join raw.documents "
                                "using (document_id) where fiscal_year = 2020 and source_line < 130"))
    assert figures["income_total"] == D("79689.46")
    assert figures["income_change"] == D("-18159.93")
    assert figures["public_expenditure"] == D("2988.02")
    assert figures["transfer_to_lower_level"] == D("3458.89")
    assert figures["operating_income"] == D("1643.4")
    three = dict(rows(raw_db, "select figure_key, value from raw.headline_figures join raw.documents using "
                              "(document_id) where fiscal_year = 2020 and source_line = 208"))
    assert three == {"three_public_total": D("37.63"), "three_public_outbound": D("0"),
                     "three_public_reception": D("22.59"), "three_public_vehicle": D("15.04")}


def test_performance_projects_and_indicators(raw_db):
    projects = rows(raw_db, "select project_key, project_name, budget_amount, source_line, fiscal_amount_line "
                            "from raw.performance_projects where project_key like '2020-%' order by project_key")
    assert [p[1] for p in projects] == ["人才引进及培养专项经费", "创业担保贷款贴息", "就业专项资金", "社保管理经费",
                                        "其他社会保障补助", "信息化专项资金"]
    assert projects[0][2:] == (D("27097.92"), 256, 258)
    indicator = rows(raw_db, "select level_1, direction, target_value, target_unit, target_text from "
                             "raw.performance_indicators where project_key = '2020-1' and indicator_name = '新增专业技术人才人数'")
    assert indicator == [("产出指标", "大于等于", D("1.3"), "万人", "≥1.3万人")]
    blank = rows(raw_db, "select level_1, target_value from raw.performance_indicators where indicator_name = "
                         "'慰问困难退休人员人数'")
    assert blank == [(None, D("7500"))]
