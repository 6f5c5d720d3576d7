with

source as (

    select * from {{ source('xiamen', 'overview_items') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        side,
        {{ clean_name('section_label') }} as section_label,
        item_label,
        {{ clean_name('item_name') }} as item_name,
        {{ wan('amount') }} as amount_wan
    from source

)

select * from final
