-- Q3. Which 项 changed most between 2020 and 2024 (general public budget, without
-- transfers to districts), after conforming the 2020 codes?
--
-- Answer (dbt build of both documents; amounts in 万元):
--   The biggest change is new: 2082601 (the city's share of enterprise pensions, 61,036.00) is
--   not in the 2020 budget at all. 2081099 looks like +41,484% only because 2020's 9.08 (a
--   code misprinted as 2080199) was one small item; 2024 also books 企业离休干部无工作遗属 and
--   二轻 retirees there, which 2020 had under 2089901 and 2080502.
--
--   subject_code | subject_name                         | amount_2020_wan | amount_2024_wan | change_wan | growth_pct
--   -------------+--------------------------------------+-----------------+-----------------+------------+-----------
--   2082601      | 财政对企业职工基本养老保险基金的补助 | 0.00            | 61036.00        | 61036.00   | NULL
--   2080116      | 引进人才费用                         | 22557.92        | 32994.00        | 10436.08   | 46.26
--   2080704      | 社会保险补贴                         | 1042.57         | 8136.00         | 7093.43    | 680.38
--   2130804      | 创业担保贷款贴息及奖补               | 4000.00         | 100.00          | -3900.00   | -97.50
--   2081099      | 其他社会福利支出                     | 9.08            | 3775.87         | 3766.79    | 41484.47
--   2050303      | 技校教育                             | 0.00            | 3644.00         | 3644.00    | NULL
--   2080702      | 职业培训补贴                         | 2664.31         | 132.20          | -2532.11   | -95.04
--   2080502      | 事业单位离退休                       | 2943.49         | 507.50          | -2435.99   | -82.76
--   2080899      | 其他优抚支出                         | 2250.00         | 0.00            | -2250.00   | -100.00
--   2080109      | 社会保险经办机构                     | 5671.69         | 7768.80         | 2097.11    | 36.98
with

comparison as (

    select * from {{ ref('subject_year_comparison') }}

),

final as (

    select
        subject_code,
        subject_name,
        previous_general_public_budget_wan as amount_2020_wan,
        general_public_budget_wan as amount_2024_wan,
        general_public_budget_change_wan as change_wan,
        general_public_budget_growth_pct as growth_pct
    from comparison
    where department_code = '403'
        and fiscal_year = 2024
        and previous_fiscal_year = 2020

)

select * from final
order by abs(change_wan) desc, subject_code
limit 10
