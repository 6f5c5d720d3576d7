with

-- Budgets only: other Shanghai templates (a 部门决算, final accounts) write the same raw
-- tables, but their figures are actuals with other tables and must not enter budget facts.
budget_documents as (

    select document_id
    from {{ source('xiamen', 'documents') }}
    where template = 'shanghai-district-budget'

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
        -- Exact 元 whatever the table's unit (三公 is printed in 万元): 万元 × 10000 never rounds.
        case amount_unit
            when '元' then cast(amount as decimal(24, 2))
            when '万元' then {{ wan_to_yuan('amount') }}
        end as amount_yuan
    from source

)

select * from final
