with

source as (

    select * from {{ source('xiamen', 'rejected_documents') }}

),

final as (

    select
        document_id,
        file_name,
        source_path,
        sha256,
        template,
        rejection_kind,
        message,
        superseded_document_id,
        rejected_at
    from source

)

select * from final
