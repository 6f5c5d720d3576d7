with

-- Final accounts (部门决算) only: the 决算情况说明 restates each 项's 年初预算 (initial_budget)
-- beside its 决算数 (outturn) and prints the reason for the difference.
final_account_documents as (

    select document_id
    from {{ source('xiamen', 'documents') }}
    where template = 'shanghai-final-account'

),

source as (

    select *
    from {{ source('shanghai', 'prose_figures') }}
    where document_id in (select final_account_documents.document_id from final_account_documents)

),

final as (

    select
        document_id,
        table_id,
        row_order,
        page_number,
        line_number,
        raw_text,
        figure_key,
        label as figure_label,
        item_number,
        {{ clean_name('class_name') }} as class_name,
        {{ clean_name('section_name') }} as section_name,
        {{ clean_name('subject_name') }} as subject_name,
        coalesce(nullif(trim(printed_code), ''), nullif(trim(matched_subject_code), ''))
            as subject_code,
        cast(value as decimal(18, 2)) as figure_value_wan,
        unit as figure_unit,
        nullif(trim(stated_reason), '') as stated_reason,
        -- The direction the sentence states, in one vocabulary.
        case
            when stated_reason like '%小于%' then 'below_budget'
            when stated_reason like '%大于%' then 'above_budget'
            when stated_reason like '%基本持平%' then 'about_equal'
            when stated_reason like '%等于%' then 'equal'
        end as stated_direction
    from source

)

select * from final
