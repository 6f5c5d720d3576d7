{#
    三公 budget execution: one row per department × fiscal year × cost category (total,
    outbound_travel, official_reception, vehicle_subtotal, vehicle_purchase, vehicle_operation)
    that has a final account. The final account's 三公 table prints the budget (预算数) beside
    the outturn (决算数); a blank cell is 0 (the prose confirms 0.00). Budgeted: that year's
    budget document's 三公 (fct_three_public, department scope) when the warehouse holds one,
    else the final account's 预算数; both are kept, flagged where they differ.
#}
with

final_account_cells as (

    select * from {{ ref('stg_shanghai__final_account_cells') }}

),

final_account_figures as (

    select * from {{ ref('stg_shanghai__final_account_figures') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

),

three_public as (

    select * from {{ ref('fct_three_public') }}

),

final_accounts as (

    select
        department_code,
        fiscal_year,
        department_name,
        document_id,
        file_name
    from documents
    where document_kind like '%决算'
        and document_scope = 'department'

),

-- The 合计 row's columns are 'budget:<category>' (预算数) and 'outturn:<category>' (决算数).
budget_cells as (

    select
        document_id,
        substr(column_key, 8) as cost_category,
        amount_yuan,
        page_number
    from final_account_cells
    where table_id = 'final_three_public'
        and row_label = '合计'
        and column_key like 'budget:%'

),

outturn_cells as (

    select
        document_id,
        substr(column_key, 9) as cost_category,
        amount_yuan
    from final_account_cells
    where table_id = 'final_three_public'
        and row_label = '合计'
        and column_key like 'outturn:%'

),

-- The budget document's categories, with the two sums the final account prints as well.
budget_document_categories as (

    select
        department_code,
        fiscal_year,
        cost_category,
        amount_yuan,
        document_id,
        file_name
    from three_public
    where document_scope = 'department'

    union all

    select
        department_code,
        fiscal_year,
        case when cost_category like 'vehicle%' then 'vehicle_subtotal' else 'total' end
            as cost_category,
        amount_yuan,
        document_id,
        file_name
    from three_public
    where document_scope = 'department'

    union all

    select
        department_code,
        fiscal_year,
        'total' as cost_category,
        amount_yuan,
        document_id,
        file_name
    from three_public
    where document_scope = 'department'
        and cost_category like 'vehicle%'

),

budget_document as (

    select
        department_code,
        fiscal_year,
        cost_category,
        sum(amount_yuan) as budget_document_yuan,
        min(document_id) as budget_document_id,
        min(file_name) as budget_file_name
    from budget_document_categories
    group by department_code, fiscal_year, cost_category

),

reasons as (

    select
        document_id,
        min(stated_reason) as stated_reason,
        min(stated_direction) as stated_direction,
        min(page_number) as reason_page_number
    from final_account_figures
    where figure_key = 'three_public_outturn'
    group by document_id

),

joined as (

    select
        final_accounts.department_code,
        final_accounts.department_name,
        final_accounts.fiscal_year,
        budget_cells.cost_category,
        case budget_cells.cost_category
            when 'total' then 1
            when 'outbound_travel' then 2
            when 'official_reception' then 3
            when 'vehicle_subtotal' then 4
            when 'vehicle_purchase' then 5
            when 'vehicle_operation' then 6
        end as category_order,
        final_accounts.document_id as final_account_document_id,
        final_accounts.file_name as final_account_file_name,
        coalesce(budget_cells.amount_yuan, 0) as final_account_budget_yuan,
        budget_document.budget_document_yuan,
        coalesce(outturn_cells.amount_yuan, 0) as outturn_yuan,
        outturn_cells.amount_yuan is null as is_outturn_printed_blank,
        budget_cells.page_number,
        case when budget_cells.cost_category = 'total' then reasons.stated_reason end as stated_reason,
        case when budget_cells.cost_category = 'total' then reasons.stated_direction end
            as stated_direction,
        case when budget_cells.cost_category = 'total' then reasons.reason_page_number end
            as reason_page_number,
        budget_document.budget_document_id,
        budget_document.budget_file_name
    from final_accounts
    inner join budget_cells
        on final_accounts.document_id = budget_cells.document_id
    left join outturn_cells
        on budget_cells.document_id = outturn_cells.document_id
        and budget_cells.cost_category = outturn_cells.cost_category
    left join budget_document
        on final_accounts.department_code = budget_document.department_code
        and final_accounts.fiscal_year = budget_document.fiscal_year
        and budget_cells.cost_category = budget_document.cost_category
    left join reasons
        on final_accounts.document_id = reasons.document_id

),

final as (

    select
        department_code,
        department_name,
        fiscal_year,
        cost_category,
        category_order,
        case when budget_document_yuan is not null then 'budget_document' else 'final_account' end
            as budget_source,
        {{ yuan_to_wan('coalesce(budget_document_yuan, final_account_budget_yuan)') }} as budgeted_wan,
        {{ yuan_to_wan('budget_document_yuan') }} as budget_document_wan,
        {{ yuan_to_wan('final_account_budget_yuan') }} as final_account_budget_wan,
        {{ yuan_to_wan('outturn_yuan') }} as outturn_wan,
        is_outturn_printed_blank,
        {{ yuan_to_wan('(outturn_yuan - coalesce(budget_document_yuan, final_account_budget_yuan))') }}
            as difference_wan,
        cast(round(
            outturn_yuan * 100.0
            / nullif(coalesce(budget_document_yuan, final_account_budget_yuan), 0), 2
        ) as decimal(12, 2)) as execution_rate_pct,
        stated_reason,
        stated_direction,
        coalesce(abs(budget_document_yuan - final_account_budget_yuan) > 50, false)
            as budget_sources_disagree,
        case
            when abs(budget_document_yuan - final_account_budget_yuan) > 50
                then '部门预算 ' || budget_file_name || ' prints '
                    || cast({{ yuan_to_wan('budget_document_yuan') }} as {{ dbt.type_string() }})
                    || ' 万元; 部门决算 ' || final_account_file_name || ' prints 预算数 '
                    || cast({{ yuan_to_wan('final_account_budget_yuan') }} as {{ dbt.type_string() }})
                    || ' 万元 (page ' || cast(page_number as {{ dbt.type_string() }}) || ')'
        end as budget_disagreement_finding,
        final_account_document_id,
        final_account_file_name,
        page_number,
        reason_page_number,
        budget_document_id,
        budget_file_name
    from joined

)

select * from final
