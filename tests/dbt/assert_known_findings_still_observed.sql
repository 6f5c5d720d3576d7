-- A documented finding must still be observed with its documented difference; otherwise
-- the seed is stale (the source or the ingest changed) and has to be reviewed.
with

known_findings as (

    select * from {{ ref('known_source_findings') }}

),

-- A finding of a document that is not loaded cannot be observed.
loaded_documents as (

    select distinct
        fiscal_year,
        department_code
    from {{ ref('int_documents_classified') }}

),

reconciliation as (

    select * from {{ ref('fct_reconciliation') }}

)

select
    known_findings.fiscal_year,
    known_findings.department_code,
    known_findings.identity_key,
    known_findings.difference_wan as documented_difference_wan,
    reconciliation.difference_wan as observed_difference_wan
from known_findings
inner join loaded_documents
    on known_findings.fiscal_year = loaded_documents.fiscal_year
    and known_findings.department_code = loaded_documents.department_code
left join reconciliation
    on known_findings.fiscal_year = reconciliation.fiscal_year
    and known_findings.department_code = reconciliation.department_code
    and known_findings.identity_key = reconciliation.identity_key
where reconciliation.difference_wan is distinct from known_findings.difference_wan
