-- 2080116 引进人才费用, like for like across the 2021 reclassification (2020 prints it as
-- 2011008, lines 135 and 201; 2024 as 2080116, 附件5 line 1287, 附件3 line 1096, 附件9
-- line 1487):
--   2020: 22,557.92 万元 general public budget + 3,200.00 transfers to districts
--   2024: 32,994.00 万元 general public budget + 17,513.00 transfers, and 952.00 non-fiscal
with

comparison as (

    select * from {{ ref('subject_year_comparison') }}
    where department_code = '403' and subject_code = '2080116'

),

-- Only years whose committed document (macros/committed_documents.sql) was loaded: a build of one document checks that one.
loaded_years as (

    select distinct fiscal_year
    from {{ ref('int_documents_classified') }}
    where department_code = '403'
        and {{ is_committed_document('sha256') }}

),

expected as (

    select expected.* from (
        values
            (2020, '2011008', 22557.92, 3200.00, 0.00),
            (2024, '2080116', 32994.00, 17513.00, 952.00)
    ) as expected (
        fiscal_year, reported_subject_codes, general_public_budget_wan,
        general_public_budget_transfers_wan, non_fiscal_wan
    )

)

select
    expected.fiscal_year,
    comparison.reported_subject_codes,
    comparison.general_public_budget_wan,
    comparison.general_public_budget_transfers_wan,
    comparison.non_fiscal_wan
from expected
inner join loaded_years
    on expected.fiscal_year = loaded_years.fiscal_year
left join comparison
    on expected.fiscal_year = comparison.fiscal_year
where comparison.reported_subject_codes is distinct from expected.reported_subject_codes
    or comparison.general_public_budget_wan is distinct from expected.general_public_budget_wan
    or comparison.general_public_budget_transfers_wan
    is distinct from expected.general_public_budget_transfers_wan
    or comparison.non_fiscal_wan is distinct from expected.non_fiscal_wan
