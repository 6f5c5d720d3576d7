with

-- Final accounts (部门决算) only: their tables (final_*) hold 决算数 (outturn) and, in the 三公
-- table, the budget restated beside it; they never enter a budget fact as a budget.
final_account_documents as (

    select document_id
    from {{ source('xiamen', 'documents') }}
    where template = 'shanghai-final-account'

),

source as (

    select *
    from {{ source('shanghai', 'table_cells') }}
    where document_id in (select final_account_documents.document_id from final_account_documents)

),

final as (

    select
        document_id,
        table_id,
        row_order,
        page_number,
        raw_text,
        {{ clean_name('table_title') }} as table_title,
        side,
        {{ clean_name('row_label') }} as row_label,
        nullif(trim(subject_code), '') as subject_code,
        subject_level,
        column_key,
        cast(amount as decimal(18, 2)) as amount_wan,
        amount_unit,
        {{ wan_to_yuan('amount') }} as amount_yuan
    from source

)

select * from final
