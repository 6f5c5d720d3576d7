with

budget_units as (

    select * from {{ ref('budget_units') }}

),

departments as (

    select * from {{ ref('departments') }}

),

ranked as (

    select
        unit_code,
        fiscal_year,
        unit_name,
        funding_type,
        row_number() over (partition by unit_code order by fiscal_year desc) as recency_rank
    from budget_units

),

histories as (

    select
        unit_code,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year,
        {{ dbt.listagg("fiscal_year || ' ' || unit_name", "'; '", 'order by fiscal_year') }}
            as unit_name_history,
        {{ dbt.listagg("fiscal_year || ' ' || funding_type", "'; '", 'order by fiscal_year') }}
            as funding_type_history,
        count(distinct unit_name) > 1 as is_renamed
    from budget_units
    group by unit_code

),

final as (

    select
        ranked.unit_code,
        -- Unit codes extend their department's code (403 → 403001 …).
        departments.department_code,
        ranked.unit_name,
        histories.unit_name_history,
        histories.is_renamed,
        ranked.funding_type,
        histories.funding_type_history,
        histories.first_fiscal_year,
        histories.last_fiscal_year
    from ranked
    inner join histories
        on ranked.unit_code = histories.unit_code
    left join departments
        on {{ has_prefix("ranked.unit_code", "departments.department_code") }}
    where ranked.recency_rank = 1

)

select * from final
