{#
    Budget execution (预算执行) per 项: what a department was budgeted against what it spent,
    one row per department × conformed subject × fiscal year that has a final account (部门决算).
    Budgeted: the general public budget fiscal money (no transfers to lower levels) of that
    year's 部门预算 when the warehouse holds one for the department, else the 年初预算 the final
    account restates (budget_source says which); both are kept beside each other, and where
    both exist and differ by more than the final account's rounding (0.005 万元) the row is
    flagged with a finding. Outturn: the final account's 一般公共预算财政拨款支出决算表 (0 for a
    subject budgeted but not in it). Amounts are compared in exact 元 and shown in 万元.
#}
with

expenditure as (

    select * from {{ ref('fct_expenditure') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

),

subjects as (

    select * from {{ ref('dim_subject') }}

),

final_account_figures as (

    select * from {{ ref('stg_shanghai__final_account_figures') }}

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

outturn as (

    select
        department_code,
        fiscal_year,
        subject_code,
        sum(amount_yuan) as outturn_yuan,
        sum(case when expenditure_type = 'basic' then amount_yuan else 0 end) as outturn_basic_yuan,
        sum(case when expenditure_type = 'project' then amount_yuan else 0 end) as outturn_project_yuan,
        min(page_number) as outturn_page_number
    from expenditure
    where budget_phase = 'outturn'
    group by department_code, fiscal_year, subject_code

),

initial_budget as (

    select
        department_code,
        fiscal_year,
        subject_code,
        sum(amount_yuan) as initial_budget_yuan,
        min(page_number) as initial_budget_page_number
    from expenditure
    where budget_phase = 'initial_budget'
    group by department_code, fiscal_year, subject_code

),

-- That year's budget document: its own general public budget money, department scope only
-- (a 单位预算 holds part of it; transfers to lower levels are not the department's spending).
budget_document as (

    select
        department_code,
        fiscal_year,
        subject_code,
        sum(amount_yuan) as budget_document_yuan,
        min(document_id) as budget_document_id,
        min(file_name) as budget_file_name,
        min(page_number) as budget_page_number,
        min(source_line) as budget_source_line
    from expenditure
    where budget_phase = 'budgeted'
        and fund_source = 'general_public_budget'
        and not is_transfer_to_lower_level
        and document_scope = 'department'
    group by department_code, fiscal_year, subject_code

),

-- The reason the 决算情况说明 prints after the 项's pair (one sentence per pair).
reasons as (

    select
        final_account_figures.document_id,
        final_account_figures.subject_code,
        min(final_account_figures.stated_reason) as stated_reason,
        min(final_account_figures.stated_direction) as stated_direction,
        min(final_account_figures.page_number) as reason_page_number
    from final_account_figures
    where final_account_figures.figure_key = 'outturn'
        and final_account_figures.subject_code is not null
    group by final_account_figures.document_id, final_account_figures.subject_code

),

subject_keys as (

    select
        department_code,
        fiscal_year,
        subject_code
    from outturn
    union
    select
        department_code,
        fiscal_year,
        subject_code
    from initial_budget
    union
    select
        department_code,
        fiscal_year,
        subject_code
    from budget_document

),

spine as (

    select
        final_accounts.department_code,
        final_accounts.fiscal_year,
        final_accounts.department_name,
        final_accounts.document_id,
        final_accounts.file_name,
        subject_keys.subject_code
    from final_accounts
    inner join subject_keys
        on final_accounts.department_code = subject_keys.department_code
        and final_accounts.fiscal_year = subject_keys.fiscal_year

),

joined as (

    select
        spine.department_code,
        spine.department_name,
        spine.fiscal_year,
        spine.subject_code,
        spine.document_id as final_account_document_id,
        spine.file_name as final_account_file_name,
        budget_document.budget_document_yuan,
        initial_budget.initial_budget_yuan,
        coalesce(budget_document.budget_document_yuan, initial_budget.initial_budget_yuan)
            as budgeted_yuan,
        case
            when budget_document.budget_document_yuan is not null then 'budget_document'
            when initial_budget.initial_budget_yuan is not null then 'initial_budget'
        end as budget_source,
        -- Not in the final account's table: nothing was spent on it.
        coalesce(outturn.outturn_yuan, 0) as outturn_yuan,
        coalesce(outturn.outturn_basic_yuan, 0) as outturn_basic_yuan,
        coalesce(outturn.outturn_project_yuan, 0) as outturn_project_yuan,
        reasons.stated_reason,
        reasons.stated_direction,
        budget_document.budget_document_id,
        budget_document.budget_file_name,
        budget_document.budget_page_number,
        budget_document.budget_source_line,
        initial_budget.initial_budget_page_number,
        outturn.outturn_page_number,
        reasons.reason_page_number
    from spine
    left join outturn
        on spine.department_code = outturn.department_code
        and spine.fiscal_year = outturn.fiscal_year
        and spine.subject_code = outturn.subject_code
    left join initial_budget
        on spine.department_code = initial_budget.department_code
        and spine.fiscal_year = initial_budget.fiscal_year
        and spine.subject_code = initial_budget.subject_code
    left join budget_document
        on spine.department_code = budget_document.department_code
        and spine.fiscal_year = budget_document.fiscal_year
        and spine.subject_code = budget_document.subject_code
    left join reasons
        on spine.document_id = reasons.document_id
        and spine.subject_code = reasons.subject_code

),

final as (

    select
        joined.department_code,
        joined.department_name,
        joined.fiscal_year,
        joined.subject_code,
        subjects.subject_name,
        subjects.class_code,
        subjects.class_name,
        joined.budget_source,
        {{ yuan_to_wan('joined.budgeted_yuan') }} as budgeted_wan,
        {{ yuan_to_wan('joined.budget_document_yuan') }} as budget_document_wan,
        {{ yuan_to_wan('joined.initial_budget_yuan') }} as initial_budget_wan,
        {{ yuan_to_wan('joined.outturn_yuan') }} as outturn_wan,
        {{ yuan_to_wan('joined.outturn_basic_yuan') }} as outturn_basic_wan,
        {{ yuan_to_wan('joined.outturn_project_yuan') }} as outturn_project_wan,
        {{ yuan_to_wan('(joined.outturn_yuan - joined.budgeted_yuan)') }} as difference_wan,
        cast(round(
            joined.outturn_yuan * 100.0 / nullif(joined.budgeted_yuan, 0), 2
        ) as decimal(12, 2)) as execution_rate_pct,
        case
            when joined.budgeted_yuan is null then null
            when joined.outturn_yuan < joined.budgeted_yuan then 'below_budget'
            when joined.outturn_yuan > joined.budgeted_yuan then 'above_budget'
            else 'equal'
        end as difference_direction,
        joined.stated_reason,
        joined.stated_direction,
        coalesce(
            abs(joined.budget_document_yuan - joined.initial_budget_yuan) > 50, false
        ) as budget_sources_disagree,
        case
            when abs(joined.budget_document_yuan - joined.initial_budget_yuan) > 50
                then '部门预算 ' || joined.budget_file_name || ' prints '
                    || cast({{ yuan_to_wan('joined.budget_document_yuan') }} as {{ dbt.type_string() }})
                    || ' 万元; 部门决算 ' || joined.final_account_file_name || ' restates 年初预算 '
                    || cast({{ yuan_to_wan('joined.initial_budget_yuan') }} as {{ dbt.type_string() }})
                    || ' 万元 (page '
                    || cast(joined.initial_budget_page_number as {{ dbt.type_string() }}) || ')'
        end as budget_disagreement_finding,
        joined.final_account_document_id,
        joined.final_account_file_name,
        joined.outturn_page_number,
        joined.initial_budget_page_number,
        joined.reason_page_number,
        joined.budget_document_id,
        joined.budget_file_name,
        joined.budget_page_number,
        joined.budget_source_line
    from joined
    left join subjects
        on joined.subject_code = subjects.subject_code

)

select * from final
