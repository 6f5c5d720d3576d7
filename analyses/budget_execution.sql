-- Q8. Execution rate of 2024 by subject for 上海市普陀区财政局 (budget against outturn, 万元).
--
-- Answer: see docs/marts.md, "Budget execution". The warehouse holds no 2024 部门预算 of 财政局, so the
-- budget is the 年初预算 its 2024 部门决算 restates (budget_source initial_budget); the outturn
-- is its 一般公共预算财政拨款支出决算表 (page 15), the reasons its 决算情况说明 (page 22).
with

execution as (

    select * from {{ ref('budget_execution') }}

),

final as (

    select
        subject_code,
        subject_name,
        budget_source,
        budgeted_wan,
        outturn_wan,
        difference_wan,
        execution_rate_pct,
        stated_direction
    from execution
    where fiscal_year = 2024
        and department_name = '上海市普陀区财政局'

)

select * from final
order by subject_code
