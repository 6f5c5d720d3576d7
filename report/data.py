"""Everything the report shows, read from the warehouse's marts through one read-only
connection (a running build never conflicts with it). Amounts stay DECIMAL (万元) here; the
charts convert to float only to draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb


class WarehouseMissing(RuntimeError):
    pass


@dataclass
class ReportData:
    warehouse: Path
    built_at: object | None
    documents: list[dict]
    years: list[int]
    latest_year: int | None
    # The per-department charts show one department's 部门预算 (department scope, phase
    # budgeted): the one with budgets in the most years (then the latest year, then the code).
    department_code: str | None = None
    department_name: str | None = None
    sections: list[dict] = field(default_factory=list)        # latest year by 类/款
    totals_by_year: list[dict] = field(default_factory=list)  # general public budget with/without transfers
    comparison: list[dict] = field(default_factory=list)      # subject × (previous year → latest year)
    basic_project: list[dict] = field(default_factory=list)   # per year: prose figures and fact sums
    three_public: list[dict] = field(default_factory=list)    # year × category
    reconciliation_summary: list[dict] = field(default_factory=list)
    reconciliation: list[dict] = field(default_factory=list)  # status <> 'ok'
    parse_findings: list[dict] = field(default_factory=list)
    execution: list[dict] = field(default_factory=list)               # budget vs outturn per 项
    execution_three_public: list[dict] = field(default_factory=list)  # 三公 budget vs outturn
    # Data quality: every published document with its status, the findings across documents,
    # and the documents the ingest set aside (meta.rejected_documents).
    quality: list[dict] = field(default_factory=list)
    cross_document_findings: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    # Codes printed in an older classification year that no later year held confirms.
    unresolved_codes: list[dict] = field(default_factory=list)


def _rows(connection: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = connection.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def load(warehouse: Path, department: str | None = None) -> ReportData:
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise WarehouseMissing(f"no warehouse at {warehouse}: run `make build` first")
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        return _load(connection, warehouse, department)
    finally:
        connection.close()


def _load(con: duckdb.DuckDBPyConnection, warehouse: Path, department: str | None = None) -> ReportData:
    has_marts = con.execute("select count(*) from duckdb_tables() where schema_name = 'marts' "
                            "and table_name = 'fct_expenditure'").fetchone()[0]
    if not has_marts:
        raise WarehouseMissing(f"{warehouse} has no marts.fct_expenditure: it was not built by "
                               "`make build`")
    built = con.execute("select count(*) from duckdb_tables() where schema_name = 'meta' "
                        "and table_name = 'build_info'").fetchone()[0]
    built_at = con.execute("select built_at from meta.build_info").fetchone()[0] if built else None
    documents = _rows(con, """
        select fiscal_year, department_name, file_name, template, document_id
        from raw.documents order by fiscal_year, department_name, file_name""")
    years = [r[0] for r in con.execute("select fiscal_year from marts.dim_fiscal_year order by 1").fetchall()]
    # One department, its 部门预算 only: summing departments, or a 部门预算 with its 单位预算, or a
    # budget with a final account's 年初预算/决算, would count money twice. The one asked for
    # (its code or its name), else the one with the most years.
    focus = con.execute("""
        select e.department_code, d.department_name, max(e.fiscal_year) as latest_year
        from marts.fct_expenditure as e
        left join marts.dim_department as d using (department_code)
        where e.document_scope = 'department' and e.budget_phase = 'budgeted'
          and (? is null or e.department_code = ? or d.department_name = ?)
        group by e.department_code, d.department_name
        order by count(distinct e.fiscal_year) desc, max(e.fiscal_year) desc, e.department_code
        limit 1""", [department, department, department]).fetchone()
    if department is not None and focus is None:
        raise WarehouseMissing(f"{warehouse} holds no 部门预算 of department {department!r}")
    department, department_name, latest = focus if focus else (None, None, None)
    data = ReportData(warehouse=warehouse, built_at=built_at, documents=documents, years=years,
                      latest_year=latest, department_code=department, department_name=department_name)
    _load_execution(con, data)
    _load_quality(con, data)
    if latest is None:
        return data

    data.sections = _rows(con, """
        select
            s.class_code, s.class_name, s.section_code, s.section_name,
            coalesce(sum(e.amount_wan) filter (where e.fund_source = 'general_public_budget'
                     and not e.is_transfer_to_lower_level), 0) as general_public_budget_wan,
            coalesce(sum(e.amount_wan) filter (where e.fund_source = 'government_fund'
                     and not e.is_transfer_to_lower_level), 0) as government_fund_wan,
            coalesce(sum(e.amount_wan) filter (where e.fund_source = 'state_capital'
                     and not e.is_transfer_to_lower_level), 0) as state_capital_wan,
            coalesce(sum(e.amount_wan) filter (where e.fund_source = 'non_fiscal'
                     and not e.is_transfer_to_lower_level), 0) as non_fiscal_wan,
            coalesce(sum(e.amount_wan) filter (where e.is_transfer_to_lower_level), 0) as transfers_wan,
            coalesce(sum(e.amount_wan) filter (where not e.is_transfer_to_lower_level), 0) as without_transfers_wan,
            sum(e.amount_wan) as with_transfers_wan
        from marts.fct_expenditure as e
        inner join marts.dim_subject as s using (subject_code)
        where e.fiscal_year = ? and e.department_code = ?
          and e.document_scope = 'department' and e.budget_phase = 'budgeted'
        group by all
        order by s.class_code, s.section_code""", [latest, department])

    data.totals_by_year = _rows(con, """
        select
            fiscal_year,
            sum(general_public_budget_wan) as general_public_budget_wan,
            sum(general_public_budget_transfers_wan) as transfers_wan,
            sum(general_public_budget_with_transfers_wan) as with_transfers_wan
        from marts.subject_year_comparison
        where department_code = ?
        group by fiscal_year
        order by fiscal_year""", [department])

    data.comparison = _rows(con, """
        select
            c.subject_code, c.subject_name, c.class_code, c.class_name,
            c.previous_fiscal_year, c.fiscal_year,
            p.reported_subject_codes as previous_reported_codes,
            c.reported_subject_codes as reported_codes,
            c.previous_general_public_budget_wan as previous_wan,
            c.general_public_budget_wan as current_wan,
            c.general_public_budget_change_wan as change_wan,
            c.general_public_budget_growth_pct as growth_pct,
            p.general_public_budget_transfers_wan as previous_transfers_wan,
            c.general_public_budget_transfers_wan as current_transfers_wan,
            c.previous_general_public_budget_with_transfers_wan as previous_with_transfers_wan,
            c.general_public_budget_with_transfers_wan as current_with_transfers_wan,
            c.general_public_budget_with_transfers_change_wan as change_with_transfers_wan,
            c.general_public_budget_with_transfers_growth_pct as growth_with_transfers_pct
        from marts.subject_year_comparison as c
        left join marts.subject_year_comparison as p
            on p.department_code = c.department_code and p.subject_code = c.subject_code
            and p.fiscal_year = c.previous_fiscal_year
        where c.fiscal_year = ? and c.department_code = ?
          and c.previous_fiscal_year is not null
          and (c.previous_general_public_budget_with_transfers_wan <> 0
               or c.general_public_budget_with_transfers_wan <> 0)
        order by greatest(abs(c.general_public_budget_change_wan),
                          abs(c.general_public_budget_with_transfers_change_wan)) desc,
                 c.subject_code""", [latest, department])

    # Basic vs project, personnel vs public: the prose prints all four for every year (2020's
    # facts carry no basic/project split); the facts' sums are shown beside them where present.
    prose = _rows(con, """
        select
            fiscal_year,
            sum(figure_value) filter (where figure_key = 'expenditure_total') as expenditure_total_wan,
            sum(figure_value) filter (where figure_key = 'basic_expenditure') as basic_wan,
            sum(figure_value) filter (where figure_key = 'project_expenditure') as project_wan,
            sum(figure_value) filter (where figure_key = 'personnel_expenditure') as personnel_wan,
            sum(figure_value) filter (where figure_key = 'public_expenditure') as public_wan,
            sum(figure_value) filter (where figure_key = 'transfer_to_lower_level') as transfers_wan,
            sum(figure_value) filter (where figure_key = 'general_budget_expenditure') as general_budget_printed_wan,
            -- A text's figure is printed on a line, a PDF's on a page.
            string_agg(distinct file_name || ':' || coalesce(cast(source_line as varchar), 'page ' || page_number), ', '
                       order by file_name || ':' || coalesce(cast(source_line as varchar), 'page ' || page_number))
                filter (where figure_key in ('basic_expenditure', 'project_expenditure',
                                             'personnel_expenditure', 'public_expenditure')) as printed_at
        from marts.fct_headline_figure
        where is_first_printing and figure_unit = '万元'
          and department_code = ? and document_scope = 'department'
        group by fiscal_year""", [department])
    facts = {r["fiscal_year"]: r for r in _rows(con, """
        select
            fiscal_year,
            sum(amount_wan) filter (where expenditure_type = 'basic' and fund_source = 'general_public_budget'
                                    and not is_transfer_to_lower_level) as fact_basic_wan,
            sum(amount_wan) filter (where expenditure_type = 'project' and fund_source = 'general_public_budget'
                                    and not is_transfer_to_lower_level) as fact_project_wan,
            sum(amount_wan) filter (where fund_source = 'general_public_budget'
                                    and not is_transfer_to_lower_level) as fact_general_without_transfers_wan,
            sum(amount_wan) filter (where fund_source = 'general_public_budget') as fact_general_with_transfers_wan
        from marts.fct_expenditure
        where department_code = ? and document_scope = 'department' and budget_phase = 'budgeted'
        group by fiscal_year""", [department])}
    economic = {r["fiscal_year"]: r for r in _rows(con, """
        select
            fiscal_year,
            sum(amount_wan) filter (where basic_expenditure_type = 'personnel') as fact_personnel_wan,
            sum(amount_wan) filter (where basic_expenditure_type = 'public') as fact_public_wan
        from marts.fct_basic_expenditure_economic
        where department_code = ? and document_scope = 'department'
        group by fiscal_year""", [department])}
    for row in sorted(prose, key=lambda r: r["fiscal_year"]):
        row.update({k: v for k, v in facts.get(row["fiscal_year"], {}).items() if k != "fiscal_year"})
        row.update({k: v for k, v in economic.get(row["fiscal_year"], {}).items() if k != "fiscal_year"})
        # Does the document count its transfers to districts in its printed general public
        # budget total? 2020 does (78,046.06 includes 3,458.89), 2024 does not.
        printed = row["general_budget_printed_wan"]
        row["transfers_in_total"] = (None if printed is None or not row["transfers_wan"]
                                     else True if printed == row.get("fact_general_with_transfers_wan")
                                     else False if printed == row.get("fact_general_without_transfers_wan")
                                     else None)
        data.basic_project.append(row)

    data.three_public = _rows(con, """
        select fiscal_year, cost_category, sum(amount_wan) as amount_wan,
               string_agg(distinct file_name || ':' || coalesce(cast(source_line as varchar), 'page ' || page_number),
                          ', ') as printed_at
        from marts.fct_three_public
        where department_code = ? and document_scope = 'department'
        group by all
        order by fiscal_year, cost_category""", [department])

    data.reconciliation_summary = _rows(con, """
        select fiscal_year, file_name,
               count(*) as identities,
               count(*) filter (where status = 'ok') as ok,
               count(*) filter (where status = 'known_finding') as known_finding,
               count(*) filter (where status = 'rounding') as rounding,
               count(*) filter (where status = 'fail') as fail
        from marts.fct_reconciliation
        group by all
        order by fiscal_year, file_name""")
    data.reconciliation = _rows(con, """
        select fiscal_year, file_name, identity_group, identity_key, description,
               expected_wan, actual_wan, difference_wan, status, known_finding_kind,
               known_finding_explanation, table_id, source_line
        from marts.fct_reconciliation
        where status <> 'ok'
        order by fiscal_year, file_name, status, identity_key""")
    data.parse_findings = _rows(con, """
        select fiscal_year, file_name, finding_kind, severity, finding_subject, expected_value,
               actual_value, difference_value, message, table_id, source_line
        from marts.fct_parse_finding
        order by fiscal_year, file_name,
                 case severity when 'error' then 0 when 'warn' then 1 else 2 end,
                 finding_kind, source_line, finding_subject""")
    return data


def _load_execution(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    """Budget against outturn of every department-year with a final account (部门决算)."""
    has_execution = con.execute("select count(*) from duckdb_tables() where schema_name = 'marts' "
                                "and table_name = 'budget_execution'").fetchone()[0]
    if not has_execution:
        return
    data.execution = _rows(con, """
        select department_code, department_name, fiscal_year, subject_code, subject_name,
               budget_source, budgeted_wan, budget_document_wan, initial_budget_wan, outturn_wan,
               difference_wan, execution_rate_pct, stated_reason, budget_sources_disagree,
               final_account_file_name, outturn_page_number, initial_budget_page_number,
               budget_file_name
        from marts.budget_execution
        order by fiscal_year, department_name, subject_code""")
    data.execution_three_public = _rows(con, """
        select department_name, fiscal_year, cost_category, budget_source, budgeted_wan,
               outturn_wan, is_outturn_printed_blank, difference_wan, execution_rate_pct,
               stated_reason, final_account_file_name, page_number
        from marts.budget_execution_three_public
        order by fiscal_year, department_name, category_order""")


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                            [schema, table]).fetchone()[0])


def _load_quality(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    """Quality status per published document, findings across documents, rejected documents.
    A warehouse built before these existed has none of them: the section then says so."""
    if _has_table(con, "marts", "dim_document"):
        columns = {r[0] for r in con.execute(
            "select column_name from duckdb_columns() where schema_name = 'marts' "
            "and table_name = 'dim_document'").fetchall()}
        cross = ("cross_document_finding_count" if "cross_document_finding_count" in columns
                 else "0 as cross_document_finding_count")
        fidelity = "fidelity_gap_count" if "fidelity_gap_count" in columns else "0 as fidelity_gap_count"
        data.quality = _rows(con, f"""
            select quality_status, fiscal_year, department_name, document_kind, file_name, finding_count,
                   contradiction_count, rounding_difference_count, known_finding_count, missing_table_count,
                   {fidelity}, other_finding_count, {cross}, is_superseded, superseded_by_file_name
            from marts.dim_document
            order by case quality_status when 'not_faithfully_read' then 0 when 'contradicts_itself' then 1
                                         when 'incomplete' then 2 when 'rounding_only' then 3 else 4 end,
                     fiscal_year, file_name""")
        data.cross_document_findings = _rows(con, """
            select fiscal_year, file_name, finding_kind, finding_subject, expected_value, actual_value,
                   difference_value, message, source_line, page_number
            from marts.fct_parse_finding
            where finding_kind in ('stated_change_differs_from_prior_year', 'initial_budget_differs_from_budget')
            order by finding_kind, message, fiscal_year, file_name""")
    if _has_table(con, "marts", "unresolved_subject_code"):
        data.unresolved_codes = _rows(con, """
            select fiscal_year, reported_code, reported_name, resolution_gap, later_classification_years,
                   later_names, first_seen_at
            from marts.unresolved_subject_code
            order by fiscal_year, reported_code, reported_name""")
    if _has_table(con, "meta", "rejected_documents"):
        data.rejected = _rows(con, """
            select file_name, rejection_kind, message, template, sha256, superseded_document_id, rejected_at
            from meta.rejected_documents
            order by file_name""")


def wan(value: Decimal | float | int | None) -> str:
    """万元 as printed in the documents: thousands separators, two decimals."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


def pct(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{Decimal(value):,.2f}%"
