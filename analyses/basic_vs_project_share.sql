-- Q2. What share of the department's spending is basic (running the units) and what share
-- is project money? Both documents print the split in the prose (2020 has no itemised
-- basic/project split by subject, so the prose is the only source common to both years).
--
-- Answer (dbt build of both documents; amounts in 万元):
--   Project money dominates and its share grew: 82.86% → 87.23% (the 2024 remainder, 1.98%,
--   is non-fiscal spending). Not quite like for like: 2020's project figure includes its
--   3,458.89 of transfers to districts, while 2024 keeps its 20,826.00 outside the total.
--
--   fiscal_year | expenditure_total_wan | basic_wan | project_wan | transfers_wan | basic_share_pct | project_share_pct
--   ------------+-----------------------+-----------+-------------+---------------+-----------------+------------------
--   2020        | 79689.46              | 13658.87  | 66030.59    | 3458.89       | 17.14           | 82.86
--   2024        | 159318.40             | 17187.60  | 138973.80   | 20826.00      | 10.79           | 87.23
with

headline_figures as (

    select * from {{ ref('fct_headline_figure') }}

),

totals as (

    select
        fiscal_year,
        max(case when figure_key = 'expenditure_total' then figure_value end) as expenditure_total_wan,
        max(case when figure_key = 'basic_expenditure' then figure_value end) as basic_wan,
        max(case when figure_key = 'project_expenditure' then figure_value end) as project_wan,
        max(case when figure_key = 'transfer_to_lower_level' then figure_value end) as transfers_wan
    from headline_figures
    where is_first_printing
    group by fiscal_year

),

final as (

    select
        fiscal_year,
        expenditure_total_wan,
        basic_wan,
        project_wan,
        transfers_wan,
        round(basic_wan * 100.0 / expenditure_total_wan, 2) as basic_share_pct,
        round(project_wan * 100.0 / expenditure_total_wan, 2) as project_share_pct
    from totals

)

select * from final
order by fiscal_year
