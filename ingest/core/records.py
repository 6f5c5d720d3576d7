"""Typed rows of the `raw` schema, one dataclass per raw table (see schema.py)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from typing import ClassVar

Amount = Decimal | None
# Where a figure was printed: (line, character offset in the line) for a text file; for
# another input format any hashable tuple its token scanner also uses, e.g. (page, char index).
Location = Hashable


@dataclass(frozen=True)
class DocumentRecord:
    TABLE: ClassVar[str] = "documents"
    document_id: str
    file_name: str
    source_path: str
    sha256: str
    byte_size: int
    text_encoding: str
    line_count: int
    region: str
    department_name: str
    department_code: str | None
    fiscal_year: int
    document_kind: str
    amount_unit: str
    template: str
    parser_version: str
    ingested_at: datetime
    # A PDF's pages (None for text input) and what the document covers: a 部门预算 all the
    # department's units ('department'), a 单位预算 one unit ('unit').
    page_count: int | None = None
    document_scope: str = "department"


@dataclass(frozen=True)
class Provenance:
    document_id: str
    table_id: str
    row_order: int
    source_line: int
    raw_text: str
    # Figure column -> the location of the printed token its value was read from; not a
    # column of the raw table (see raw_columns). The fidelity check ties each figure to it.
    figure_at: Mapping[str, Location] | None = field(default=None, kw_only=True, compare=False, repr=False,
                                                     metadata={"raw_column": False})


@dataclass(frozen=True)
class OverviewItem(Provenance):
    TABLE: ClassVar[str] = "overview_items"
    side: str
    section_label: str | None
    item_label: str
    item_name: str
    amount: Amount


@dataclass(frozen=True)
class UnitIncome(Provenance):
    TABLE: ClassVar[str] = "unit_income"
    unit_code: str | None
    unit_name: str
    total: Amount
    current_subtotal: Amount
    general_public_budget: Amount
    government_fund: Amount
    state_capital: Amount
    fiscal_special_account: Amount
    business_income: Amount
    operating_income: Amount
    superior_subsidy: Amount
    subordinate_remittance: Amount
    other_income: Amount
    carryover_subtotal: Amount
    carryover_general_public_budget: Amount
    carryover_government_fund: Amount
    carryover_state_capital: Amount
    carryover_fiscal_special_account: Amount
    carryover_unit_funds: Amount


@dataclass(frozen=True)
class SubjectExpenditure(Provenance):
    TABLE: ClassVar[str] = "subject_expenditure"
    subject_code: str | None
    subject_name: str
    total: Amount
    fiscal_subtotal: Amount
    fiscal_basic: Amount
    fiscal_project: Amount
    non_fiscal_subtotal: Amount
    non_fiscal_basic: Amount
    non_fiscal_project: Amount


@dataclass(frozen=True)
class BudgetExpenditure(Provenance):
    TABLE: ClassVar[str] = "budget_expenditure"
    fund_source: str
    subject_code: str | None
    subject_name: str
    total: Amount
    basic_subtotal: Amount
    basic_personnel: Amount
    basic_public: Amount
    project: Amount


@dataclass(frozen=True)
class BasicExpenditureEconomic(Provenance):
    TABLE: ClassVar[str] = "basic_expenditure_economic"
    economic_code: str | None
    economic_name: str
    total: Amount
    personnel: Amount
    public: Amount


@dataclass(frozen=True)
class ThreePublicCosts(Provenance):
    TABLE: ClassVar[str] = "three_public_costs"
    total: Amount
    outbound_travel: Amount
    vehicle_subtotal: Amount
    vehicle_purchase: Amount
    vehicle_operation: Amount
    official_reception: Amount


@dataclass(frozen=True)
class EmptyTable(Provenance):
    TABLE: ClassVar[str] = "empty_tables"
    table_title: str
    declaration: str


@dataclass(frozen=True)
class TransferPayment(Provenance):
    TABLE: ClassVar[str] = "transfer_payments"
    unit_code: str | None
    unit_name: str | None
    subject_code: str | None
    subject_name: str | None
    fund_nature: str | None
    transfer_type: str | None
    project_name: str | None
    amount: Amount


@dataclass(frozen=True)
class LineItem(Provenance):
    TABLE: ClassVar[str] = "line_items"
    item_number: int
    item_label: str
    sub_item_number: int | None
    subject_code: str | None
    class_name: str | None
    section_name: str | None
    subject_name: str
    amount: Decimal
    purpose: str | None
    is_transfer_to_lower_level: bool
    matched_subject_code: str | None


@dataclass(frozen=True)
class BudgetUnit(Provenance):
    TABLE: ClassVar[str] = "budget_units"
    unit_name: str
    unit_alias: str | None
    unit_nature: str | None
    funding_type: str | None
    authorized_staff: int | None
    actual_staff: int | None


@dataclass(frozen=True)
class HeadlineFigure(Provenance):
    TABLE: ClassVar[str] = "headline_figures"
    figure_key: str
    label: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class PerformanceProject(Provenance):
    TABLE: ClassVar[str] = "performance_projects"
    project_key: str
    scope: str
    project_name: str
    implementation_period: str | None
    implementing_unit: str | None
    supervising_department: str | None
    overall_goal: str | None
    annual_goal: str | None
    budget_amount: Amount
    fiscal_amount: Amount
    fiscal_amount_line: int | None
    fund_scope: str | None
    investment_plan: str | None


@dataclass(frozen=True)
class PerformanceIndicator(Provenance):
    TABLE: ClassVar[str] = "performance_indicators"
    project_key: str
    indicator_order: int
    level_1: str | None
    level_2: str | None
    task_name: str | None
    indicator_name: str
    direction: str | None
    target_text: str
    target_value: Decimal | None
    target_unit: str | None


@dataclass(frozen=True)
class PerformanceFund(Provenance):
    TABLE: ClassVar[str] = "performance_funds"
    project_key: str
    task_name: str | None
    item_name: str
    amount: Amount
    fiscal_amount: Amount


@dataclass(frozen=True)
class ParseFinding:
    TABLE: ClassVar[str] = "parse_findings"
    document_id: str
    table_id: str
    source_line: int | None
    finding_kind: str
    severity: str
    subject: str | None
    expected: Decimal | None
    actual: Decimal | None
    message: str
    page_number: int | None = None


def raw_columns(record: object) -> tuple[str, ...]:
    """The columns of the record's raw table: its fields less those marked raw_column=False."""
    return tuple(f.name for f in fields(record) if f.metadata.get("raw_column", True))


# Columns of each record type that hold printed figures (for the fidelity report).
FIGURE_FIELDS: dict[type, tuple[str, ...]] = {
    OverviewItem: ("amount",),
    UnitIncome: raw_columns(UnitIncome)[len(raw_columns(Provenance)) + 2:],
    SubjectExpenditure: ("total", "fiscal_subtotal", "fiscal_basic", "fiscal_project",
                         "non_fiscal_subtotal", "non_fiscal_basic", "non_fiscal_project"),
    BudgetExpenditure: ("total", "basic_subtotal", "basic_personnel", "basic_public", "project"),
    BasicExpenditureEconomic: ("total", "personnel", "public"),
    ThreePublicCosts: ("total", "outbound_travel", "vehicle_subtotal", "vehicle_purchase",
                       "vehicle_operation", "official_reception"),
    TransferPayment: ("amount",),
    LineItem: ("amount",),
    HeadlineFigure: ("value",),
    PerformanceProject: ("budget_amount", "fiscal_amount"),
    PerformanceIndicator: ("target_value",),
    PerformanceFund: ("amount", "fiscal_amount"),
}


@dataclass(frozen=True)
class PdfProvenance:
    """Where a figure of a PDF stands: the page, the cell or number's box on it (points from
    the page's top-left corner) and PDFium's index of its first character on the page."""
    document_id: str
    table_id: str
    row_order: int
    page_number: int
    x0: float
    top: float
    x1: float
    bottom: float
    char_index: int | None
    raw_text: str


@dataclass(frozen=True)
class TableCell(PdfProvenance):
    """One amount cell of a ruled table, blank cells included (amount None): the PDF knows
    which cells are blank, so nothing is placed, and identities only check."""
    TABLE: ClassVar[str] = "table_cells"
    table_title: str
    side: str | None
    row_label: str
    subject_code: str | None
    subject_level: str | None
    column_key: str
    column_label: str
    amount: Amount
    amount_unit: str


@dataclass(frozen=True)
class ProseFigure(PdfProvenance):
    """A figure of the prose: totals and changes, a numbered 类-款-项 line item, 三公 …"""
    TABLE: ClassVar[str] = "prose_figures"
    line_number: int
    figure_key: str
    item_number: int | None
    label: str
    class_name: str | None
    section_name: str | None
    subject_name: str | None
    printed_code: str | None
    matched_subject_code: str | None
    value: Decimal
    unit: str
    # A final account (部门决算) states why 决算数 differs from 预算数 beside each pair of
    # figures ('决算数小于预算数的主要原因：…。' or '决算数与预算数基本持平。'), as printed.
    stated_reason: str | None = None


@dataclass(frozen=True)
class DepartmentUnit(PdfProvenance):
    """A unit named as belonging to a department, with the box of its name: an entry of a
    部门预算's unit list (机构设置, table_id '机构设置'; department_name None, the department
    is the document's holder), or the 主管部门 a 单位预算's cover prints beside its 预算单位
    (table_id '封面'; entry_number None)."""
    TABLE: ClassVar[str] = "department_units"
    entry_number: int | None
    unit_name: str
    department_name: str | None
    # The entry is the department's own office (…本部): unit_name is then the department's
    # name in the list's own, often shortened, form (商务委本部).
    is_headquarters: bool
    # False where the entry says the unit prints no budget of its own (…不单列预算, 并入本部):
    # its money is in the 本部's; None on a cover row.
    has_own_budget: bool | None


FIGURE_FIELDS[TableCell] = ("amount",)
FIGURE_FIELDS[ProseFigure] = ("value",)
