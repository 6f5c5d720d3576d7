-- Q6. Which units does the 2024 money go to, and from which sources (附件2)?
--
-- Answer (dbt build of both documents; amounts in 万元):
--   Just over half of the 2024 money (82,095.49 万元) goes to the social-insurance centre
--   (the 20826 pension-fund subsidies alone are 70,287.92); only 人才服务中心 (operating income
--   2,145.00) and 留学人员服务中心 (superior subsidy 1,012.00) have income outside the general
--   public budget. Units add to 159,318.39, 0.01 below the printed 403 row (known finding).
--
--   unit_code | unit_name                                      | income_wan | general_public_budget_wan | other_sources_wan
--   ----------+------------------------------------------------+------------+---------------------------+------------------
--   403002    | 厦门市社会保险中心（厦门市市民服务信息中心）   | 82095.49   | 82095.49                  | NULL
--   403012    | 厦门市人才服务中心                             | 35514.48   | 33369.48                  | 2145.00
--   403001    | 厦门市人力资源和社会保障局                     | 14131.04   | 14131.04                  | NULL
--   403003    | 厦门市劳动就业中心                             | 13680.64   | 13680.64                  | NULL
--   403015    | 厦门市留学人员服务中心（厦门市留学人员工作站） | 4158.05    | 3146.05                   | 1012.00
--   403013    | 厦门市人事考试测评中心                         | 2900.23    | 2900.23                   | NULL
--   403008    | 厦门市企业离退休人员社会化服务中心             | 2440.22    | 2440.22                   | NULL
--   403006    | 厦门市劳动保障监察支队                         | 2122.32    | 2122.32                   | NULL
--   403009    | 厦门市职业技能鉴定中心                         | 1164.70    | 1164.70                   | NULL
--   403010    | 厦门市劳动人事争议仲裁院                       | 979.02     | 979.02                    | NULL
--   403016    | 厦门市高技能人才公共实训服务中心               | 132.20     | 132.20                    | NULL
with

income as (

    select * from {{ ref('fct_income') }}

),

units as (

    select * from {{ ref('dim_budget_unit') }}

),

final as (

    select
        income.unit_code,
        units.unit_name,
        sum(income.amount_wan) as income_wan,
        sum(income.amount_wan) filter (where income.income_source = 'general_public_budget')
            as general_public_budget_wan,
        sum(income.amount_wan) filter (where income.income_source <> 'general_public_budget')
            as other_sources_wan
    from income
    inner join units
        on income.unit_code = units.unit_code
    where income.fiscal_year = 2024
    group by income.unit_code, units.unit_name

)

select * from final
order by income_wan desc
