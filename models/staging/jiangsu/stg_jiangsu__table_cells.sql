with

-- The Jiangsu PDF family writes the same raw tables as the Shanghai one (raw.table_cells,
-- raw.documents); its rows are told apart by the document's template.
budget_documents as (

    select document_id
    from {{ source('xiamen', 'documents') }}
    where template = 'jiangsu-provincial-budget'

),

source as (

    select *
    from {{ source('shanghai', 'table_cells') }}
    where document_id in (select budget_documents.document_id from budget_documents)

),

final as (

    select
        document_id,
        table_id,
        row_order,
        page_number,
        x0,
        top,
        x1,
        bottom,
        char_index,
        raw_text,
        {{ clean_name('table_title') }} as table_title,
        side,
        {{ clean_name('row_label') }} as row_label,
        nullif(trim(subject_code), '') as subject_code,
        subject_level,
        column_key,
        {{ clean_name('column_label') }} as column_label,
        cast(amount as decimal(18, 2)) as amount,
        amount_unit,
        -- Every Jiangsu table is printed in 万元: × 10000 gives exact 元, never rounded.
        case amount_unit
            when '元' then cast(amount as decimal(24, 2))
            when '万元' then {{ wan_to_yuan('amount') }}
        end as amount_yuan
    from source

)

select * from final
