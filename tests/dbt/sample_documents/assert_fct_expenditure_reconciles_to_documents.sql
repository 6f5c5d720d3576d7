-- The totals the documents print, in 万元:
--   2024 (xiamen-hrss-2024-budget.txt lines 205-246): 159,318.40 without transfers
--        (156,161.40 general public budget + 3,157.00 non-fiscal), transfers 20,826.00
--        (20,632.00 general public budget + 194.00 state capital, 附件9).
--   2020 (xiamen-hrss-2020-budget.txt lines 129, 201): general public budget 78,046.06,
--        of which 3,458.89 transfers to districts.
with

expenditure as (

    select * from {{ ref('fct_expenditure') }}

),

totals as (

    select
        fiscal_year,
        sum(amount_wan) filter (where not is_transfer_to_lower_level) as without_transfers_wan,
        sum(amount_wan) filter (where is_transfer_to_lower_level) as transfers_wan,
        sum(amount_wan) filter (where fund_source = 'general_public_budget') as general_public_budget_wan,
        sum(amount_wan) filter (where fund_source = 'non_fiscal') as non_fiscal_wan,
        sum(amount_yuan) as total_yuan,
        sum(amount_wan) as total_wan
    from expenditure
    -- The figures below are 厦门市人力资源和社会保障局's (403); other departments differ.
    where department_code = '403'
    group by fiscal_year

),

-- Only years whose committed 403 document (macros/committed_documents.sql) was loaded: a build of one document checks that one, and
-- another department's document of the same year is not this one.
loaded_years as (

    select distinct fiscal_year
    from {{ ref('int_documents_classified') }}
    where department_code = '403'
        and {{ is_committed_document('sha256') }}

),

expected as (

    select expected.* from (
        values
            (2024, 159318.40, 20826.00, 176793.40, 3157.00),
            (2020, 74587.17, 3458.89, 78046.06, null)
    ) as expected (fiscal_year, without_transfers_wan, transfers_wan, general_public_budget_wan, non_fiscal_wan)

)

select
    expected.fiscal_year,
    totals.without_transfers_wan,
    totals.transfers_wan,
    totals.general_public_budget_wan,
    totals.non_fiscal_wan
from expected
inner join loaded_years
    on expected.fiscal_year = loaded_years.fiscal_year
left join totals
    on expected.fiscal_year = totals.fiscal_year
where totals.without_transfers_wan is distinct from expected.without_transfers_wan
    or totals.transfers_wan is distinct from expected.transfers_wan
    or totals.general_public_budget_wan is distinct from expected.general_public_budget_wan
    or totals.non_fiscal_wan is distinct from expected.non_fiscal_wan
    or totals.total_yuan <> totals.total_wan * 10000
