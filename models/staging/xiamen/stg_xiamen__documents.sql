with

source as (

    select * from {{ source('xiamen', 'documents') }}

),

final as (

    select
        document_id,
        file_name,
        source_path,
        sha256,
        byte_size,
        text_encoding,
        line_count,
        region,
        {{ clean_name('department_name') }} as department_name,
        nullif(trim(department_code), '') as department_code,
        fiscal_year,
        document_kind,
        amount_unit,
        template,
        ingested_at,
        page_count,
        document_scope
    from source

)

select * from final
