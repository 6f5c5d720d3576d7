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

from typing import NamedTuple

import polars as pl


class Kind(NamedTuple):
    """A column type, spelled for both sides of the load: DuckDB's DDL and the polars frame
    the loader hands to DuckDB. Declared side by side so that the two cannot drift apart."""
    sql: str
    polars: pl.DataType


VARCHAR = Kind("varchar", pl.String())
INTEGER = Kind("integer", pl.Int32())
BIGINT = Kind("bigint", pl.Int64())
DOUBLE = Kind("double", pl.Float64())
BOOLEAN = Kind("boolean", pl.Boolean())
# Naive: the raw schema stores UTC timestamps without a zone (the loader refuses an aware one).
TIMESTAMP = Kind("timestamp", pl.Datetime("us"))


def decimal(precision: int, scale: int) -> Kind:
    return Kind(f"decimal({precision},{scale})", pl.Decimal(precision, scale))


AMOUNT = decimal(18, 2)


class Column(NamedTuple):
    name: str
    kind: Kind
    null: bool = True
    key: bool = False  # primary key (not null by that)

    def ddl(self) -> str:
        return f"{self.name} {self.kind.sql}" + (" primary key" if self.key else "" if self.null else " not null")


PROVENANCE = (
    Column("document_id", VARCHAR, null=False),
    Column("table_id", VARCHAR, null=False),
    Column("row_order", INTEGER, null=False),
    Column("source_line", INTEGER, null=False),
    Column("raw_text", VARCHAR, null=False),
)

# Provenance of a PDF row: the page and the box of the cell or number on it (points from the
# page's top-left corner), and PDFium's index of its first character on the page.
PDF_PROVENANCE = (
    Column("document_id", VARCHAR, null=False),
    Column("table_id", VARCHAR, null=False),
    Column("row_order", INTEGER, null=False),
    Column("page_number", INTEGER, null=False),
    Column("x0", DOUBLE, null=False),
    Column("top", DOUBLE, null=False),
    Column("x1", DOUBLE, null=False),
    Column("bottom", DOUBLE, null=False),
    Column("char_index", INTEGER),
    Column("raw_text", VARCHAR, null=False),
)

RAW_TABLES: dict[str, tuple[Column, ...]] = {
    "documents": (
        Column("document_id", VARCHAR, key=True),
        Column("file_name", VARCHAR, null=False),
        Column("source_path", VARCHAR, null=False),
        Column("sha256", VARCHAR, null=False),
        Column("byte_size", BIGINT, null=False),
        Column("text_encoding", VARCHAR, null=False),
        Column("line_count", INTEGER, null=False),
        Column("region", VARCHAR, null=False),
        Column("department_name", VARCHAR, null=False),
        Column("department_code", VARCHAR),
        Column("fiscal_year", INTEGER, null=False),
        Column("document_kind", VARCHAR, null=False),
        Column("amount_unit", VARCHAR, null=False),
        Column("template", VARCHAR, null=False),
        Column("parser_version", VARCHAR, null=False),
        Column("ingested_at", TIMESTAMP, null=False),
        Column("page_count", INTEGER),
        Column("document_scope", VARCHAR, null=False),
    ),
    # 附件1 部门收支预算总体情况表 and 附件4 财政拨款收支预算总体情况表: two-sided label/amount lists.
    "overview_items": (*PROVENANCE,
        Column("side", VARCHAR, null=False),
        Column("section_label", VARCHAR),
        Column("item_label", VARCHAR, null=False),
        Column("item_name", VARCHAR, null=False),
        Column("amount", AMOUNT),
    ),
    # 附件2 部门收入预算总体情况表: one row per budget unit (and the 合计 row, unit_code null).
    "unit_income": (*PROVENANCE,
        Column("unit_code", VARCHAR),
        Column("unit_name", VARCHAR, null=False),
        Column("total", AMOUNT),
        Column("current_subtotal", AMOUNT),
        Column("general_public_budget", AMOUNT),
        Column("government_fund", AMOUNT),
        Column("state_capital", AMOUNT),
        Column("fiscal_special_account", AMOUNT),
        Column("business_income", AMOUNT),
        Column("operating_income", AMOUNT),
        Column("superior_subsidy", AMOUNT),
        Column("subordinate_remittance", AMOUNT),
        Column("other_income", AMOUNT),
        Column("carryover_subtotal", AMOUNT),
        Column("carryover_general_public_budget", AMOUNT),
        Column("carryover_government_fund", AMOUNT),
        Column("carryover_state_capital", AMOUNT),
        Column("carryover_fiscal_special_account", AMOUNT),
        Column("carryover_unit_funds", AMOUNT),
    ),
    # 附件3 部门支出预算总体情况表: all funds by functional subject (subject_code null on 合计).
    "subject_expenditure": (*PROVENANCE,
        Column("subject_code", VARCHAR),
        Column("subject_name", VARCHAR, null=False),
        Column("total", AMOUNT),
        Column("fiscal_subtotal", AMOUNT),
        Column("fiscal_basic", AMOUNT),
        Column("fiscal_project", AMOUNT),
        Column("non_fiscal_subtotal", AMOUNT),
        Column("non_fiscal_basic", AMOUNT),
        Column("non_fiscal_project", AMOUNT),
    ),
    # 附件5 一般公共预算支出情况表 and 附件8 政府性基金预算支出情况表 (same shape; 附件8 has
    # no personnel/public split, those columns stay null).
    "budget_expenditure": (*PROVENANCE,
        Column("fund_source", VARCHAR, null=False),
        Column("subject_code", VARCHAR),
        Column("subject_name", VARCHAR, null=False),
        Column("total", AMOUNT),
        Column("basic_subtotal", AMOUNT),
        Column("basic_personnel", AMOUNT),
        Column("basic_public", AMOUNT),
        Column("project", AMOUNT),
    ),
    # 附件6 一般公共预算基本支出情况表 by economic class.
    "basic_expenditure_economic": (*PROVENANCE,
        Column("economic_code", VARCHAR),
        Column("economic_name", VARCHAR, null=False),
        Column("total", AMOUNT),
        Column("personnel", AMOUNT),
        Column("public", AMOUNT),
    ),
    # 附件7 “三公”经费.
    "three_public_costs": (*PROVENANCE,
        Column("total", AMOUNT),
        Column("outbound_travel", AMOUNT),
        Column("vehicle_subtotal", AMOUNT),
        Column("vehicle_purchase", AMOUNT),
        Column("vehicle_operation", AMOUNT),
        Column("official_reception", AMOUNT),
    ),
    # A table the document prints empty on purpose (附件8 with its 注).
    "empty_tables": (*PROVENANCE,
        Column("table_title", VARCHAR, null=False),
        Column("declaration", VARCHAR, null=False),
    ),
    # 附件9 市对区转移支付 (unit_code null on 合计).
    "transfer_payments": (*PROVENANCE,
        Column("unit_code", VARCHAR),
        Column("unit_name", VARCHAR),
        Column("subject_code", VARCHAR),
        Column("subject_name", VARCHAR),
        Column("fund_nature", VARCHAR),
        Column("transfer_type", VARCHAR),
        Column("project_name", VARCHAR),
        Column("amount", AMOUNT),
    ),
    # 第二部分 二: the numbered line items of general public budget expenditure, both layouts.
    # subject_code is the code as printed (2020) or null where the prose prints only names
    # (2024); matched_subject_code is the code of the 附件5 row the item agrees with.
    "line_items": (*PROVENANCE,
        Column("item_number", INTEGER, null=False),
        Column("item_label", VARCHAR, null=False),
        Column("sub_item_number", INTEGER),
        Column("subject_code", VARCHAR),
        Column("class_name", VARCHAR),
        Column("section_name", VARCHAR),
        Column("subject_name", VARCHAR, null=False),
        Column("amount", AMOUNT, null=False),
        Column("purpose", VARCHAR),
        Column("is_transfer_to_lower_level", BOOLEAN, null=False),
        Column("matched_subject_code", VARCHAR),
    ),
    # Budget units as listed in 第一部分 二 (2020: with 单位性质, 编制数, 在职人数).
    "budget_units": (*PROVENANCE,
        Column("unit_name", VARCHAR, null=False),
        Column("unit_alias", VARCHAR),
        Column("unit_nature", VARCHAR),
        Column("funding_type", VARCHAR),
        Column("authorized_staff", INTEGER),
        Column("actual_staff", INTEGER),
    ),
    # Prose figures: totals, changes, 三公, 机关运行经费, 政府采购, assets.
    "headline_figures": (*PROVENANCE,
        Column("figure_key", VARCHAR, null=False),
        Column("label", VARCHAR, null=False),
        Column("value", AMOUNT, null=False),
        Column("unit", VARCHAR, null=False),
    ),
    # 附件10/附件11 (2024) and 第二部分 五(四) (2020) performance-target tables.
    "performance_projects": (*PROVENANCE,
        Column("project_key", VARCHAR, null=False),
        Column("scope", VARCHAR, null=False),
        Column("project_name", VARCHAR, null=False),
        Column("implementation_period", VARCHAR),
        Column("implementing_unit", VARCHAR),
        Column("supervising_department", VARCHAR),
        Column("overall_goal", VARCHAR),
        Column("annual_goal", VARCHAR),
        Column("budget_amount", AMOUNT),
        Column("fiscal_amount", AMOUNT),
        Column("fiscal_amount_line", INTEGER),
        Column("fund_scope", VARCHAR),
        Column("investment_plan", VARCHAR),
    ),
    "performance_indicators": (*PROVENANCE,
        Column("project_key", VARCHAR, null=False),
        Column("indicator_order", INTEGER, null=False),
        Column("level_1", VARCHAR),
        Column("level_2", VARCHAR),
        Column("task_name", VARCHAR),
        Column("indicator_name", VARCHAR, null=False),
        Column("direction", VARCHAR),
        Column("target_text", VARCHAR, null=False),
        Column("target_value", decimal(18, 4)),
        Column("target_unit", VARCHAR),
    ),
    # 附件10: the money lines of the department-wide table (支出结构 and per task).
    "performance_funds": (*PROVENANCE,
        Column("project_key", VARCHAR, null=False),
        Column("task_name", VARCHAR),
        Column("item_name", VARCHAR, null=False),
        Column("amount", AMOUNT),
        Column("fiscal_amount", AMOUNT),
    ),
    # Documents the ingest could not read (quarantined): none of their rows is loaded. One row
    # per rejected file of the latest run; document_id is the id its content would have had.
    "rejected_documents": (
        Column("document_id", VARCHAR),
        Column("file_name", VARCHAR, null=False),
        Column("source_path", VARCHAR, null=False),
        Column("sha256", VARCHAR),
        Column("template", VARCHAR),
        Column("rejection_kind", VARCHAR, null=False),
        Column("message", VARCHAR, null=False),
        Column("superseded_document_id", VARCHAR),
        Column("rejected_at", TIMESTAMP, null=False),
    ),
    # What ingest noticed about the source: rounding, printing errors, blanks it had to infer.
    "parse_findings": (
        Column("document_id", VARCHAR, null=False),
        Column("table_id", VARCHAR, null=False),
        Column("source_line", INTEGER),
        Column("finding_kind", VARCHAR, null=False),
        Column("severity", VARCHAR, null=False),
        Column("subject", VARCHAR),
        Column("expected", AMOUNT),
        Column("actual", AMOUNT),
        Column("message", VARCHAR, null=False),
        Column("page_number", INTEGER),
    ),
    # PDF input: every amount cell of every ruled table, blank ones included (amount null),
    # in the unit the table states (amount_unit), with the cell's box on its page.
    "table_cells": (*PDF_PROVENANCE,
        Column("table_title", VARCHAR, null=False),
        Column("side", VARCHAR),
        Column("row_label", VARCHAR, null=False),
        Column("subject_code", VARCHAR),
        Column("subject_level", VARCHAR),
        Column("column_key", VARCHAR, null=False),
        Column("column_label", VARCHAR, null=False),
        Column("amount", AMOUNT),
        Column("amount_unit", VARCHAR, null=False),
    ),
    # PDF input: figures of the prose, each with the box of its number on the page.
    "prose_figures": (*PDF_PROVENANCE,
        Column("line_number", INTEGER, null=False),
        Column("figure_key", VARCHAR, null=False),
        Column("item_number", INTEGER),
        Column("label", VARCHAR, null=False),
        Column("class_name", VARCHAR),
        Column("section_name", VARCHAR),
        Column("subject_name", VARCHAR),
        Column("printed_code", VARCHAR),
        Column("matched_subject_code", VARCHAR),
        Column("value", AMOUNT, null=False),
        Column("unit", VARCHAR, null=False),
        Column("stated_reason", VARCHAR),
    ),
    # PDF input: which department a unit belongs to, as a document prints it: the units a
    # 部门预算 lists in its 机构设置 (table_id '机构设置'), and the 主管部门 a 单位预算's cover
    # names (table_id '封面'), each with the box of the unit's name on its page.
    "department_units": (*PDF_PROVENANCE,
        Column("entry_number", INTEGER),
        Column("unit_name", VARCHAR, null=False),
        Column("department_name", VARCHAR),
        Column("is_headquarters", BOOLEAN, null=False),
        Column("has_own_budget", BOOLEAN),
    ),
}

# Columns added to a raw table after databases were created with it: `create table if not
# exists` leaves an existing table as it is, so each is added when missing (with the type
# the table declares above).
ADDED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("prose_figures", "stated_reason"),
)


def create_statements(schema: str = "raw") -> list[str]:
    statements = [f"create schema if not exists {schema}"]
    for table, columns in RAW_TABLES.items():
        body = ",".join(f"\n    {column.ddl()}" for column in columns)
        statements.append(f"create table if not exists {schema}.{table} ({body}\n)")
    for table, name in ADDED_COLUMNS:
        statements.append(f"alter table {schema}.{table} add column if not exists {name} "
                          f"{_column(table, name).kind.sql}")
    return statements


def contract_columns(table: str) -> list[tuple[str, str]]:
    """(column, type) of `table` as the contract above declares them, in order. Exports
    (parquet for Spark) select and cast exactly these, so another engine sees the contract's
    types (DECIMAL(18,2) stays DECIMAL(18,2)), never what a writer inferred."""
    return [(column.name, column.kind.sql) for column in RAW_TABLES[table]]


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """column -> polars type of `table`, in the contract's order: the frame the loader builds
    for the table has these types, so DuckDB reads exactly what the DDL declares."""
    return {column.name: column.kind.polars for column in RAW_TABLES[table]}


def _column(table: str, name: str) -> Column:
    return next(column for column in RAW_TABLES[table] if column.name == name)
