with

source as (

    select * from {{ source('xiamen', 'empty_tables') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        {{ clean_name('table_title') }} as table_title,
        trim(declaration) as declaration
    from source

)

select * from final
