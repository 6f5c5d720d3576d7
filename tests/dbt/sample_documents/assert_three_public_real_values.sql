-- 三公 budgets as printed: 2020 37.63 万元 (reception 22.59, vehicle operation 15.04; line
-- 208-219), 2024 27.96 万元 (reception 16.54, vehicle operation 11.42; 附件7 line 1458).
with

three_public as (

    select * from {{ ref('fct_three_public') }}
    where department_code = '403'

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
            (2020, 'outbound_travel', 0.00), (2020, 'official_reception', 22.59),
            (2020, 'vehicle_purchase', 0.00), (2020, 'vehicle_operation', 15.04),
            (2024, 'outbound_travel', 0.00), (2024, 'official_reception', 16.54),
            (2024, 'vehicle_purchase', 0.00), (2024, 'vehicle_operation', 11.42)
    ) as expected (fiscal_year, cost_category, amount_wan)

)

select
    expected.*,
    three_public.amount_wan as actual_wan
from expected
inner join loaded_years
    on expected.fiscal_year = loaded_years.fiscal_year
left join three_public
    on expected.fiscal_year = three_public.fiscal_year
    and expected.cost_category = three_public.cost_category
where three_public.amount_wan is distinct from expected.amount_wan
