-- 上海市普陀区财政局 2024 部门决算 (2024-final-finance.pdf): the 决算情况说明 (page 22) restates
-- 2010601 行政运行 年初预算 1,560.05 万元 against 决算 1,511.89 (table page 15; 96.91%) and
-- 2010607 信息化建设 135.90 against 135.25; the 三公 table (page 18) prints 预算数 0.95 and a blank
-- 决算数 (the prose: 0.00, 当年度无“三公”经费支出). The warehouse holds no 2024 部门预算 of 财政局, so
-- the budget is the 年初预算. Checked only when that very
-- document (its committed bytes, macros/committed_documents.sql) is loaded.
with

final_account as (

    select distinct department_code
    from {{ ref('int_documents_classified') }}
    where file_name = '2024-final-finance.pdf'
        and fiscal_year = 2024
        and {{ is_committed_document('sha256') }}

),

expected as (

    select expected.*
    from (
        values
            ('2010601', 1560.05, 1511.89, -48.16, 96.91, 15, 22, '%人员进出及退休变化%'),
            ('2010607', 135.90, 135.25, -0.65, 99.52, 15, 22, '%产业政策扶持资金管理系统%')
    ) as expected (
        subject_code, initial_budget_wan, outturn_wan, difference_wan, execution_rate_pct,
        outturn_page_number, initial_budget_page_number, reason_pattern
    )

),

subject_failures as (

    select 'subject ' || expected.subject_code as failure
    from expected
    cross join final_account
    left join {{ ref('budget_execution') }} as execution
        on final_account.department_code = execution.department_code
        and execution.fiscal_year = 2024
        and expected.subject_code = execution.subject_code
    where execution.subject_code is null
        or execution.budget_source <> 'initial_budget'
        or execution.budgeted_wan <> expected.initial_budget_wan
        or execution.initial_budget_wan <> expected.initial_budget_wan
        or execution.budget_document_wan is not null
        or execution.outturn_wan <> expected.outturn_wan
        or execution.difference_wan <> expected.difference_wan
        or execution.execution_rate_pct <> expected.execution_rate_pct
        or execution.outturn_page_number <> expected.outturn_page_number
        or execution.initial_budget_page_number <> expected.initial_budget_page_number
        or execution.stated_reason not like expected.reason_pattern
        or execution.stated_direction <> 'below_budget'
        or execution.difference_direction <> 'below_budget'
        or execution.budget_sources_disagree
        or execution.final_account_file_name <> '2024-final-finance.pdf'

),

three_public_failures as (

    select 'three_public total' as failure
    from final_account
    left join {{ ref('budget_execution_three_public') }} as execution
        on final_account.department_code = execution.department_code
        and execution.fiscal_year = 2024
        and execution.cost_category = 'total'
    where execution.cost_category is null
        or execution.budgeted_wan <> 0.95
        or execution.final_account_budget_wan <> 0.95
        or execution.outturn_wan <> 0
        or not execution.is_outturn_printed_blank
        or execution.execution_rate_pct <> 0
        or execution.page_number <> 18
        or execution.stated_reason not like '%当年度无“三公”经费支出%'

)

select failure from subject_failures
union all
select failure from three_public_failures
