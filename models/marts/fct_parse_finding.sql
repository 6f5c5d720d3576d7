{{
    config(
        materialized=document_fact_materialization(),
        incremental_strategy='delete+insert',
        unique_key='document_id',
        pre_hook="{{ delete_documents_no_longer_loaded() }}",
    )
}}

with

parse_findings as (

    select * from {{ ref('stg_xiamen__parse_findings') }}
    {{ only_documents_not_yet_loaded() }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    {{ only_documents_not_yet_loaded() }}

),

final as (

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

)

select * from final
