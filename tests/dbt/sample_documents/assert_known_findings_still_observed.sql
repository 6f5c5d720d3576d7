-- A documented finding must still be observed with its documented difference; otherwise
-- the seed is stale (the ingest changed) and has to be reviewed. The seed's evidence cites the
-- committed files, so only they are held to it (by content hash, macros/committed_documents.sql):
-- another version of a file, dropped in by a user, is checked by its identities like any other.
with

known_findings as (

    select * from {{ ref('known_source_findings') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    where {{ is_committed_document('sha256') }}

),

reconciliation as (

    select * from {{ ref('fct_reconciliation') }}

),

-- A finding of a document that is not loaded cannot be observed (a finding naming a file:
-- of that file).
observable as (

    select distinct known_findings.*
    from known_findings
    inner join documents
        on known_findings.fiscal_year = documents.fiscal_year
        and known_findings.department_code = documents.department_code
        and (
            nullif(nullif(known_findings.file_name, ''), 'None') is null
            or known_findings.file_name = documents.file_name
        )

)

select
    observable.fiscal_year,
    observable.department_code,
    observable.identity_key,
    observable.file_name,
    observable.difference_wan as documented_difference_wan,
    reconciliation.difference_wan as observed_difference_wan
from observable
left join reconciliation
    on observable.fiscal_year = reconciliation.fiscal_year
    and observable.department_code = reconciliation.department_code
    and observable.identity_key = reconciliation.identity_key
    and (nullif(nullif(observable.file_name, ''), 'None') is null or observable.file_name = reconciliation.file_name)
where reconciliation.difference_wan is distinct from observable.difference_wan
