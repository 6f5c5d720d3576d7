with

source as (

    select * from {{ source('xiamen', 'line_items') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        item_number,
        item_label,
        sub_item_number,
        nullif(trim(subject_code), '') as printed_subject_code,
        {{ clean_name('class_name') }} as class_name,
        {{ clean_name('section_name') }} as section_name,
        {{ clean_name('subject_name') }} as subject_name,
        {{ wan('amount') }} as amount_wan,
        purpose,
        is_transfer_to_lower_level,
        nullif(trim(matched_subject_code), '') as matched_subject_code
    from source

)

select * from final
