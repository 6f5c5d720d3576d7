with

budget_documents as (

    select document_id
    from {{ source('xiamen', 'documents') }}
    where template = 'jiangsu-provincial-budget'

),

source as (

    select *
    from {{ source('shanghai', 'prose_figures') }}
    where document_id in (select budget_documents.document_id from budget_documents)

),

final as (

    select
        document_id,
        table_id,
        row_order,
        page_number,
        line_number,
        x0,
        top,
        x1,
        bottom,
        char_index,
        raw_text,
        figure_key,
        label as figure_label,
        item_number,
        {{ clean_name('class_name') }} as class_name,
        {{ clean_name('section_name') }} as section_name,
        {{ clean_name('subject_name') }} as subject_name,
        nullif(trim(printed_code), '') as printed_subject_code,
        nullif(trim(matched_subject_code), '') as matched_subject_code,
        cast(value as decimal(18, 2)) as figure_value,
        unit as figure_unit
    from source

)

select * from final
