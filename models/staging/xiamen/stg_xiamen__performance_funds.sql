with

source as (

    select * from {{ source('xiamen', 'performance_funds') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        project_key,
        {{ clean_name('task_name') }} as task_name,
        {{ clean_name('item_name') }} as item_name,
        {{ wan('amount') }} as amount_wan,
        {{ wan('fiscal_amount') }} as fiscal_amount_wan
    from source

)

select * from final
