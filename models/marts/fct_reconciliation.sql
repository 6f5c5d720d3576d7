{{
    config(
        materialized=document_fact_materialization(),
        incremental_strategy='delete+insert',
        unique_key='document_id',
        pre_hook="{{ delete_documents_no_longer_loaded() }}",
    )
}}

{#
    Status of every identity:
      ok             parts add up exactly (in 元), or a 万元 prose figure agrees with a 元
                     table within its own rounding (rounding_allowance_yuan, 0.005 万元)
      known_finding  the difference is a documented inconsistency of the source
                     (seed known_source_findings, with the same difference in 万元, for the
                     document's department and year, and for its file when the seed names one)
      rounding       off by at most 0.02 万元 = 200 元 — the document's own rounding
                     (var rounding_tolerance_wan, as dim_document counts parse findings)
      fail           anything else; the singular test assert_reconciliation_has_no_failures
                     turns this into a build error
#}
with

identities as (

    select * from {{ ref('int_identities_checked') }}
    {{ only_documents_not_yet_loaded() }}

),

known_findings as (

    select * from {{ ref('known_source_findings') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    {{ only_documents_not_yet_loaded() }}

),

final as (

    select
        documents.fiscal_year,
        documents.department_code,
        identities.identity_group,
        identities.identity_key,
        identities.description,
        identities.expected_wan,
        identities.actual_wan,
        identities.difference_wan,
        abs(identities.difference_wan) as absolute_difference_wan,
        identities.expected_yuan,
        identities.actual_yuan,
        identities.difference_yuan,
        identities.rounding_allowance_yuan,
        case
            when abs(identities.difference_yuan) <= identities.rounding_allowance_yuan then 'ok'
            when known_findings.identity_key is not null
                and known_findings.difference_wan = identities.difference_wan
                then 'known_finding'
            when abs(identities.difference_yuan) <= {{ var('rounding_tolerance_wan') }} * 10000 then 'rounding'
            else 'fail'
        end as status,
        known_findings.finding_kind as known_finding_kind,
        known_findings.explanation as known_finding_explanation,
        known_findings.evidence as known_finding_evidence,
        documents.document_id,
        documents.file_name,
        identities.table_id,
        identities.source_line,
        identities.page_number
    from identities
    inner join documents
        on identities.document_id = documents.document_id
    left join known_findings
        on documents.fiscal_year = known_findings.fiscal_year
        and documents.department_code = known_findings.department_code
        and identities.identity_key = known_findings.identity_key
        -- An empty file_name is every file of that department-year. DuckDB's seed loads it as NULL;
        -- dbt-spark's writes a column with no value at all as the string 'None'.
        and (
            nullif(nullif(known_findings.file_name, ''), 'None') is null
            or documents.file_name = known_findings.file_name
        )

)

select * from final
