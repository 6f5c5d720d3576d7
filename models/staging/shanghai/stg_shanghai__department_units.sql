with

-- Budgets only: a final account (部门决算) is read by another family and lists no units here.
budget_documents as (

    select document_id
    from {{ source('xiamen', 'documents') }}
    where template = 'shanghai-district-budget'

),

source as (

    select *
    from {{ source('shanghai', 'department_units') }}
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
        entry_number,
        {{ clean_name('unit_name') }} as unit_name,
        {{ clean_name('department_name') }} as department_name,
        is_headquarters,
        has_own_budget
    from source

)

select * from final
