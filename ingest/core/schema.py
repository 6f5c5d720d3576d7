"""The `raw` schema: one table per kind of table across all documents.

This module is the contract between ingest (which writes these tables) and the dbt
staging models (which read them through `source('xiamen', …)`). Every row of every
table carries the same provenance columns:

- document_id  : content hash prefix of the source file (raw.documents.document_id)
- table_id     : where in the document the row stands: '附件3', '附件11-2', 'prose:二', …
- row_order    : 1-based order of the row inside its table
- source_line  : 1-based line in the raw file of the row's figures (for a wrapped row,
                 the line that carries its numbers)
- raw_text     : the row's text as printed (wrapped parts joined by ' ')

Amounts are DECIMAL(18,2) in the document's own unit (万元 for the Xiamen template;
raw.documents.amount_unit says which). A NULL amount means the cell was printed blank.
"""

from __future__ import annotations

AMOUNT = "decimal(18,2)"

PROVENANCE = """
    document_id varchar not null,
    table_id varchar not null,
    row_order integer not null,
    source_line integer not null,
    raw_text varchar not null"""

# Provenance of a PDF row: the page and the box of the cell or number on it (points from the
# page's top-left corner), and PDFium's index of its first character on the page.
PDF_PROVENANCE = """
    document_id varchar not null,
    table_id varchar not null,
    row_order integer not null,
    page_number integer not null,
    x0 double not null,
    top double not null,
    x1 double not null,
    bottom double not null,
    char_index integer,
    raw_text varchar not null"""

RAW_TABLES: dict[str, str] = {
    "documents": """
    document_id varchar primary key,
    file_name varchar not null,
    source_path varchar not null,
    sha256 varchar not null,
    byte_size bigint not null,
    text_encoding varchar not null,
    line_count integer not null,
    region varchar not null,
    department_name varchar not null,
    department_code varchar,
    fiscal_year integer not null,
    document_kind varchar not null,
    amount_unit varchar not null,
    template varchar not null,
    parser_version varchar not null,
    ingested_at timestamp not null,
    page_count integer,
    document_scope varchar not null""",
    # 附件1 部门收支预算总体情况表 and 附件4 财政拨款收支预算总体情况表: two-sided label/amount lists.
    "overview_items": f"""{PROVENANCE},
    side varchar not null,
    section_label varchar,
    item_label varchar not null,
    item_name varchar not null,
    amount {AMOUNT}""",
    # 附件2 部门收入预算总体情况表: one row per budget unit (and the 合计 row, unit_code null).
    "unit_income": f"""{PROVENANCE},
    unit_code varchar,
    unit_name varchar not null,
    total {AMOUNT},
    current_subtotal {AMOUNT},
    general_public_budget {AMOUNT},
    government_fund {AMOUNT},
    state_capital {AMOUNT},
    fiscal_special_account {AMOUNT},
    business_income {AMOUNT},
    operating_income {AMOUNT},
    superior_subsidy {AMOUNT},
    subordinate_remittance {AMOUNT},
    other_income {AMOUNT},
    carryover_subtotal {AMOUNT},
    carryover_general_public_budget {AMOUNT},
    carryover_government_fund {AMOUNT},
    carryover_state_capital {AMOUNT},
    carryover_fiscal_special_account {AMOUNT},
    carryover_unit_funds {AMOUNT}""",
    # 附件3 部门支出预算总体情况表: all funds by functional subject (subject_code null on 合计).
    "subject_expenditure": f"""{PROVENANCE},
    subject_code varchar,
    subject_name varchar not null,
    total {AMOUNT},
    fiscal_subtotal {AMOUNT},
    fiscal_basic {AMOUNT},
    fiscal_project {AMOUNT},
    non_fiscal_subtotal {AMOUNT},
    non_fiscal_basic {AMOUNT},
    non_fiscal_project {AMOUNT}""",
    # 附件5 一般公共预算支出情况表 and 附件8 政府性基金预算支出情况表 (same shape; 附件8 has
    # no personnel/public split, those columns stay null).
    "budget_expenditure": f"""{PROVENANCE},
    fund_source varchar not null,
    subject_code varchar,
    subject_name varchar not null,
    total {AMOUNT},
    basic_subtotal {AMOUNT},
    basic_personnel {AMOUNT},
    basic_public {AMOUNT},
    project {AMOUNT}""",
    # 附件6 一般公共预算基本支出情况表 by economic class.
    "basic_expenditure_economic": f"""{PROVENANCE},
    economic_code varchar,
    economic_name varchar not null,
    total {AMOUNT},
    personnel {AMOUNT},
    public {AMOUNT}""",
    # 附件7 “三公”经费.
    "three_public_costs": f"""{PROVENANCE},
    total {AMOUNT},
    outbound_travel {AMOUNT},
    vehicle_subtotal {AMOUNT},
    vehicle_purchase {AMOUNT},
    vehicle_operation {AMOUNT},
    official_reception {AMOUNT}""",
    # A table the document prints empty on purpose (附件8 with its 注).
    "empty_tables": f"""{PROVENANCE},
    table_title varchar not null,
    declaration varchar not null""",
    # 附件9 市对区转移支付 (unit_code null on 合计).
    "transfer_payments": f"""{PROVENANCE},
    unit_code varchar,
    unit_name varchar,
    subject_code varchar,
    subject_name varchar,
    fund_nature varchar,
    transfer_type varchar,
    project_name varchar,
    amount {AMOUNT}""",
    # 第二部分 二: the numbered line items of general public budget expenditure, both layouts.
    # subject_code is the code as printed (2020) or null where the prose prints only names
    # (2024); matched_subject_code is the code of the 附件5 row the item agrees with.
    "line_items": f"""{PROVENANCE},
    item_number integer not null,
    item_label varchar not null,
    sub_item_number integer,
    subject_code varchar,
    class_name varchar,
    section_name varchar,
    subject_name varchar not null,
    amount {AMOUNT} not null,
    purpose varchar,
    is_transfer_to_lower_level boolean not null,
    matched_subject_code varchar""",
    # Budget units as listed in 第一部分 二 (2020: with 单位性质, 编制数, 在职人数).
    "budget_units": f"""{PROVENANCE},
    unit_name varchar not null,
    unit_alias varchar,
    unit_nature varchar,
    funding_type varchar,
    authorized_staff integer,
    actual_staff integer""",
    # Prose figures: totals, changes, 三公, 机关运行经费, 政府采购, assets.
    "headline_figures": f"""{PROVENANCE},
    figure_key varchar not null,
    label varchar not null,
    value decimal(18,2) not null,
    unit varchar not null""",
    # 附件10/附件11 (2024) and 第二部分 五(四) (2020) performance-target tables.
    "performance_projects": f"""{PROVENANCE},
    project_key varchar not null,
    scope varchar not null,
    project_name varchar not null,
    implementation_period varchar,
    implementing_unit varchar,
    supervising_department varchar,
    overall_goal varchar,
    annual_goal varchar,
    budget_amount {AMOUNT},
    fiscal_amount {AMOUNT},
    fiscal_amount_line integer,
    fund_scope varchar,
    investment_plan varchar""",
    "performance_indicators": f"""{PROVENANCE},
    project_key varchar not null,
    indicator_order integer not null,
    level_1 varchar,
    level_2 varchar,
    task_name varchar,
    indicator_name varchar not null,
    direction varchar,
    target_text varchar not null,
    target_value decimal(18,4),
    target_unit varchar""",
    # 附件10: the money lines of the department-wide table (支出结构 and per task).
    "performance_funds": f"""{PROVENANCE},
    project_key varchar not null,
    task_name varchar,
    item_name varchar not null,
    amount {AMOUNT},
    fiscal_amount {AMOUNT}""",
    # Documents the ingest could not read (quarantined): none of their rows is loaded. One row
    # per rejected file of the latest run; document_id is the id its content would have had.
    "rejected_documents": """
    document_id varchar,
    file_name varchar not null,
    source_path varchar not null,
    sha256 varchar,
    template varchar,
    rejection_kind varchar not null,
    message varchar not null,
    superseded_document_id varchar,
    rejected_at timestamp not null""",
    # What ingest noticed about the source: rounding, printing errors, blanks it had to infer.
    "parse_findings": """
    document_id varchar not null,
    table_id varchar not null,
    source_line integer,
    finding_kind varchar not null,
    severity varchar not null,
    subject varchar,
    expected decimal(18,2),
    actual decimal(18,2),
    message varchar not null,
    page_number integer""",
    # PDF input: every amount cell of every ruled table, blank ones included (amount null),
    # in the unit the table states (amount_unit), with the cell's box on its page.
    "table_cells": f"""{PDF_PROVENANCE},
    table_title varchar not null,
    side varchar,
    row_label varchar not null,
    subject_code varchar,
    subject_level varchar,
    column_key varchar not null,
    column_label varchar not null,
    amount {AMOUNT},
    amount_unit varchar not null""",
    # PDF input: figures of the prose, each with the box of its number on the page.
    "prose_figures": f"""{PDF_PROVENANCE},
    line_number integer not null,
    figure_key varchar not null,
    item_number integer,
    label varchar not null,
    class_name varchar,
    section_name varchar,
    subject_name varchar,
    printed_code varchar,
    matched_subject_code varchar,
    value decimal(18,2) not null,
    unit varchar not null,
    stated_reason varchar""",
}

# Columns added to a raw table after databases were created with it: `create table if not
# exists` leaves an existing table as it is, so each is added when missing.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("prose_figures", "stated_reason", "varchar"),
)


def create_statements(schema: str = "raw") -> list[str]:
    statements = [f"create schema if not exists {schema}"]
    for table, columns in RAW_TABLES.items():
        statements.append(f"create table if not exists {schema}.{table} ({columns}\n)")
    for table, column, kind in ADDED_COLUMNS:
        statements.append(f"alter table {schema}.{table} add column if not exists {column} {kind}")
    return statements


def contract_columns(table: str) -> list[tuple[str, str]]:
    """(column, type) of `table` as the contract above declares them, in order. Exports
    (parquet for Spark) select and cast exactly these, so another engine sees the contract's
    types (DECIMAL(18,2) stays DECIMAL(18,2)), never what a writer inferred."""
    columns = []
    for line in RAW_TABLES[table].splitlines():  # one column per line; decimal(18,2) has a comma
        words = line.strip().rstrip(",").split()
        if not words:
            continue
        name, rest = words[0], " ".join(words[1:])
        kind = rest.split(" not null")[0].split(" primary key")[0]
        columns.append((name, kind))
    return columns
