-- Q1. How did talent spending (引进人才费用) change from 2020 to 2024, like for like?
-- 2020 reports it under 2011008 (款 20110 人力资源事务, dissolved in the 2021 classification),
-- 2024 under 2080116; map_subject_code conforms both to 2080116. Transfers to districts
-- are shown apart because 2024 keeps them outside its department total.
--
-- Answer (dbt build of both documents; amounts in 万元):
--   Like for like (general public budget without transfers) talent spending grew by 10,436.08
--   万元 (+46.26%); counting transfers to districts it almost doubled (+24,749.08, +96.08%),
--   because the district share grew from 3,200.00 to 17,513.00. 2024 adds 952.00 of
--   non-fiscal money (附件3) that 2020 does not itemise.
--
--   fiscal_year | reported_subject_codes | general_public_budget_wan | general_public_budget_transfers_wan | general_public_budget_with_transfers_wan | non_fiscal_wan | general_public_budget_change_wan | general_public_budget_growth_pct | general_public_budget_with_transfers_change_wan | general_public_budget_with_transfers_growth_pct
--   ------------+------------------------+---------------------------+-------------------------------------+------------------------------------------+----------------+----------------------------------+----------------------------------+-------------------------------------------------+------------------------------------------------
--   2020        | 2011008                | 22557.92                  | 3200.00                             | 25757.92                                 | 0.00           | NULL                             | NULL                             | NULL                                            | NULL
--   2024        | 2080116                | 32994.00                  | 17513.00                            | 50507.00                                 | 952.00         | 10436.08                         | 46.26                            | 24749.08                                        | 96.08
with

comparison as (

    select * from {{ ref('subject_year_comparison') }}

),

final as (

    select
        fiscal_year,
        reported_subject_codes,
        general_public_budget_wan,
        general_public_budget_transfers_wan,
        general_public_budget_with_transfers_wan,
        non_fiscal_wan,
        general_public_budget_change_wan,
        general_public_budget_growth_pct,
        general_public_budget_with_transfers_change_wan,
        general_public_budget_with_transfers_growth_pct
    from comparison
    where department_code = '403'
        and subject_code = '2080116'

)

select * from final
order by fiscal_year
