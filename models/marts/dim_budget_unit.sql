{#
    Every budget unit the warehouse knows, under its department: the units of the seed
    (Xiamen, by their printed codes), and the units the Shanghai documents name apart from
    their department: a 单位预算 whose unit is not the department itself (its department
    resolved by int_unit_departments_resolved) and every unit a 部门预算 lists in its
    机构设置 other than its 本部. Those print no code: their key is derived from region and
    the unit's name in the form every document can be matched by (unit_name_key), so the list's
    普陀区法律援助中心 and the cover's 上海市普陀区法律援助中心 are one unit. A 单位预算 of the
    department itself (its 本部) adds no unit: the department is in dim_department.
#}
with

budget_units as (

    select * from {{ ref('budget_units') }}

),

departments as (

    select * from {{ ref('departments') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

),

listings as (

    select * from {{ ref('stg_shanghai__department_units') }}

),

seed_units as (

    select
        budget_units.unit_code,
        budget_units.fiscal_year,
        budget_units.unit_name,
        budget_units.funding_type,
        -- Unit codes extend their department's code (403 → 403001 …).
        departments.department_code,
        'seed' as unit_key_source
    from budget_units
    left join departments
        on {{ has_prefix("budget_units.unit_code", "departments.department_code") }}

),

named_units as (

    -- A 单位预算 of a unit under another department: the unit's name as its cover prints it.
    select
        region,
        fiscal_year,
        unit_name,
        department_code,
        1 as name_rank
    from documents
    where document_scope = 'unit'
        and department_source in ('cover', 'unit_list')

    union all

    -- The units a 部门预算 lists, each under that budget's department.
    select
        documents.region,
        documents.fiscal_year,
        listings.unit_name,
        documents.department_code,
        2 as name_rank
    from listings
    inner join documents
        on listings.document_id = documents.document_id
    where listings.table_id = '机构设置'
        and not listings.is_headquarters
        and documents.document_scope = 'department'

),

-- One name per unit and year: a cover's full name before a list's shorter one.
document_unit_years as (

    select
        'name:' || substr(md5(concat_ws('|', region, {{ unit_name_key('unit_name', 'region') }})), 1, 12)
            as unit_code,
        fiscal_year,
        unit_name,
        cast(null as {{ dbt.type_string() }}) as funding_type,
        department_code,
        'derived' as unit_key_source,
        row_number() over (
            partition by region, {{ unit_name_key('unit_name', 'region') }}, fiscal_year
            order by name_rank asc, length(unit_name) desc, unit_name asc
        ) as name_order
    from named_units

),

all_units as (

    select * from seed_units

    union all

    select
        unit_code,
        fiscal_year,
        unit_name,
        funding_type,
        department_code,
        unit_key_source
    from document_unit_years
    where name_order = 1

),

ranked as (

    select
        unit_code,
        fiscal_year,
        unit_name,
        funding_type,
        department_code,
        unit_key_source,
        row_number() over (partition by unit_code order by fiscal_year desc, department_code asc) as recency_rank
    from all_units

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
    from all_units
    group by unit_code

),

final as (

    select
        ranked.unit_code,
        ranked.department_code,
        ranked.unit_name,
        histories.unit_name_history,
        histories.is_renamed,
        ranked.funding_type,
        histories.funding_type_history,
        histories.first_fiscal_year,
        histories.last_fiscal_year,
        ranked.unit_key_source
    from ranked
    inner join histories
        on ranked.unit_code = histories.unit_code
    where ranked.recency_rank = 1

)

select * from final
