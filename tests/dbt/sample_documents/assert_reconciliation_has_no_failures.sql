-- Fails on any identity of a sample Xiamen document (by content hash) whose parts differ from the printed whole by
-- more than 0.02 万元, unless seed known_source_findings documents that exact difference.
-- A PDF that contradicts itself is published with its failed identities and quality_status
-- contradicts_itself (dim_document; --strict refuses it), as its ingest findings always were:
-- a new department's PDF must build without a seed row.
with

reconciliation as (

    select * from {{ ref('fct_reconciliation') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

),

final as (

    select
        reconciliation.fiscal_year,
        reconciliation.identity_key,
        reconciliation.description,
        reconciliation.expected_wan,
        reconciliation.actual_wan,
        reconciliation.difference_wan,
        reconciliation.file_name,
        reconciliation.source_line
    from reconciliation
    inner join documents
        on reconciliation.document_id = documents.document_id
    where reconciliation.status = 'fail'
        and documents.template like 'xiamen-%'
        and {{ is_committed_document('documents.sha256') }}

)

select * from final
