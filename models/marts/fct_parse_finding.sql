{{
    config(
        materialized=document_fact_materialization(),
        incremental_strategy='delete+insert',
        unique_key='finding_key',
        pre_hook=[
            "{{ delete_documents_no_longer_loaded() }}",
            "{{ delete_cross_document_findings() }}",
        ],
    )
}}
{#
    Two kinds of rows. A document's own findings (what ingest recorded reading it) depend on
    that document only and are computed once per document (incremental). Findings across
    documents (var cross_document_finding_kinds) depend on two documents, either of which may
    arrive or leave in a later build: they are deleted and recomputed for every document on
    every build (pre_hook delete_cross_document_findings), so the key of the incremental
    merge is the finding, not the document.
#}

with

parse_findings as (

    select * from {{ ref('stg_xiamen__parse_findings') }}
    {{ only_documents_not_yet_loaded() }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    {{ only_documents_not_yet_loaded() }}

),

all_documents as (

    select * from {{ ref('int_documents_classified') }}

),

prior_year_changes as (

    select * from {{ ref('int_prior_year_changes_checked') }}

),

budget_execution as (

    select * from {{ ref('budget_execution') }}

),

unit_departments as (

    select * from {{ ref('int_unit_departments_resolved') }}

),

own_findings as (

    select
        md5(concat_ws(
            '|',
            parse_findings.document_id, parse_findings.table_id, parse_findings.source_line,
            parse_findings.finding_kind, parse_findings.finding_subject, parse_findings.message,
            -- NULL (skipped) for a text document's findings, whose keys stay as they were.
            parse_findings.page_number,
            case when parse_findings.finding_occurrence > 1 then parse_findings.finding_occurrence end
        )) as finding_key,
        documents.fiscal_year,
        documents.department_code,
        parse_findings.finding_kind,
        parse_findings.severity,
        parse_findings.finding_subject,
        parse_findings.expected_value,
        parse_findings.actual_value,
        -- decimal(18, 2) - decimal(18, 2) is decimal(18, 2) on DuckDB 1.x but decimal(19, 2) on
        -- DuckDB 2.0 (and Spark): the mart keeps the type of the amounts it compares.
        cast(parse_findings.actual_value - parse_findings.expected_value as decimal(18, 2)) as difference_value,
        parse_findings.message,
        documents.document_id,
        documents.file_name,
        parse_findings.table_id,
        parse_findings.source_line,
        documents.document_scope,
        parse_findings.page_number
    from parse_findings
    inner join documents
        on parse_findings.document_id = documents.document_id

),

-- A stated change on the prior year that the prior year's document does not bear out: one
-- finding on each of the two documents (either may hold the misprint, or the later one
-- restates the prior year). expected = this year's figure − the prior document's figure,
-- actual = the stated change (万元).
prior_year_disagreements as (

    select
        prior_year_changes.*,
        cast(prior_year_changes.fiscal_year as {{ dbt.type_string() }}) || ' ' || prior_year_changes.file_name
        || ' states ' || prior_year_changes.change_key || ' '
        || cast(prior_year_changes.stated_change_wan as {{ dbt.type_string() }}) || ' 万元 ('
        || prior_year_changes.stated_change_label || '); ' || prior_year_changes.level_key || ' '
        || cast(prior_year_changes.level_wan as {{ dbt.type_string() }}) || ' − '
        || cast(prior_year_changes.prior_level_wan as {{ dbt.type_string() }}) || ' of '
        || cast(prior_year_changes.prior_fiscal_year as {{ dbt.type_string() }}) || ' '
        || prior_year_changes.prior_file_name || ' = '
        || cast(prior_year_changes.computed_change_wan as {{ dbt.type_string() }}) || ' 万元'
            as message
    from prior_year_changes
    where prior_year_changes.is_disagreement

),

prior_year_findings as (

    -- On the document stating the change.
    select
        document_id,
        cast(null as {{ dbt.type_string() }}) as table_id,
        stated_change_source_line as source_line,
        stated_change_page_number as page_number,
        change_key as finding_subject,
        computed_change_wan as expected_value,
        stated_change_wan as actual_value,
        message
    from prior_year_disagreements
    union all
    -- On the prior year's document, at its figure the change is measured from.
    select
        prior_document_id as document_id,
        cast(null as {{ dbt.type_string() }}) as table_id,
        prior_level_source_line as source_line,
        prior_level_page_number as page_number,
        change_key as finding_subject,
        computed_change_wan as expected_value,
        stated_change_wan as actual_value,
        message
    from prior_year_disagreements

),

-- The final account's 年初预算 against that year's 部门预算 (budget_execution flags them):
-- one finding on each document. expected = the budget document's figure, actual = the 年初预算.
budget_disagreements as (

    select
        budget_execution.*,
        budget_execution.budget_disagreement_finding as message
    from budget_execution
    where budget_execution.budget_sources_disagree

),

budget_findings as (

    select
        final_account_document_id as document_id,
        cast(null as {{ dbt.type_string() }}) as table_id,
        cast(null as integer) as source_line,
        initial_budget_page_number as page_number,
        subject_code as finding_subject,
        budget_document_wan as expected_value,
        initial_budget_wan as actual_value,
        message
    from budget_disagreements
    union all
    select
        budget_document_id as document_id,
        cast(null as {{ dbt.type_string() }}) as table_id,
        budget_source_line as source_line,
        budget_page_number as page_number,
        subject_code as finding_subject,
        budget_document_wan as expected_value,
        initial_budget_wan as actual_value,
        message
    from budget_disagreements

),

-- A 单位预算 whose cover prints no 主管部门 and whose unit no 部门预算 of its region and year
-- lists: the unit is taken as its own department (int_unit_departments_resolved). Whether a
-- document names it depends on the other documents loaded, so it is a finding across
-- documents, recomputed on every build; information, not an error of the document.
unit_department_findings as (

    select
        document_id,
        cast(null as {{ dbt.type_string() }}) as table_id,
        cast(null as integer) as source_line,
        1 as page_number,
        unit_name as finding_subject,
        cast(null as decimal(18, 2)) as expected_value,
        cast(null as decimal(18, 2)) as actual_value,
        cast(fiscal_year as {{ dbt.type_string() }}) || ' 单位预算 of ' || unit_name
        || ': its cover prints no 主管部门 and no 部门预算 of ' || region || ' '
        || cast(fiscal_year as {{ dbt.type_string() }})
        || ' lists the unit in its 机构设置; the unit is its own department' as message
    from unit_departments
    where department_source = 'unknown'

),

cross_document_findings as (

    select
        'stated_change_differs_from_prior_year' as finding_kind,
        'warn' as severity,
        prior_year_findings.*
    from prior_year_findings
    union all
    select
        'initial_budget_differs_from_budget' as finding_kind,
        'warn' as severity,
        budget_findings.*
    from budget_findings
    union all
    select
        'unit_department_unknown' as finding_kind,
        'info' as severity,
        unit_department_findings.*
    from unit_department_findings

),

cross_document_final as (

    select
        md5(concat_ws(
            '|',
            cross_document_findings.document_id, cross_document_findings.table_id,
            cross_document_findings.source_line, cross_document_findings.finding_kind,
            cross_document_findings.finding_subject, cross_document_findings.message,
            cross_document_findings.page_number
        )) as finding_key,
        all_documents.fiscal_year,
        all_documents.department_code,
        cross_document_findings.finding_kind,
        cross_document_findings.severity,
        cross_document_findings.finding_subject,
        -- computed_change_wan is a difference of two decimal(18, 2): DuckDB 2.0 types it
        -- decimal(19, 2) (1.5.6: decimal(18, 2)); the mart keeps one type on every engine.
        cast(cross_document_findings.expected_value as decimal(18, 2)) as expected_value,
        cast(cross_document_findings.actual_value as decimal(18, 2)) as actual_value,
        cast(
            cross_document_findings.actual_value - cross_document_findings.expected_value as decimal(18, 2)
        ) as difference_value,
        cross_document_findings.message,
        all_documents.document_id,
        all_documents.file_name,
        cross_document_findings.table_id,
        cross_document_findings.source_line,
        all_documents.document_scope,
        cross_document_findings.page_number
    from cross_document_findings
    inner join all_documents
        on cross_document_findings.document_id = all_documents.document_id

),

final as (

    select * from own_findings
    union all
    select * from cross_document_final

)

select * from final
