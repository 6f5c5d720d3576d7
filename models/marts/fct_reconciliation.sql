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
      ok             parts add up exactly
      known_finding  the difference is a documented inconsistency of the source
                     (seed known_source_findings, with the same difference)
      rounding       off by at most 0.02 万元 — the document's own rounding
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
        case
            when identities.difference_wan = 0 then 'ok'
            when known_findings.identity_key is not null
                and known_findings.difference_wan = identities.difference_wan
                then 'known_finding'
            when abs(identities.difference_wan) <= 0.02 then 'rounding'
            else 'fail'
        end as status,
        known_findings.finding_kind as known_finding_kind,
        known_findings.explanation as known_finding_explanation,
        known_findings.evidence as known_finding_evidence,
        documents.document_id,
        documents.file_name,
        identities.table_id,
        identities.source_line
    from identities
    inner join documents
        on identities.document_id = documents.document_id
    left join known_findings
        on documents.fiscal_year = known_findings.fiscal_year
        and documents.department_code = known_findings.department_code
        and identities.identity_key = known_findings.identity_key

)

select * from final
