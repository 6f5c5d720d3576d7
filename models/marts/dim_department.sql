with

departments as (

    select * from {{ ref('departments') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

),

-- Departments no seed row names: their key is derived from region and name
-- (int_documents_classified), and the documents give name and region.
derived_departments as (

    select
        department_code,
        min(department_name) as department_name,
        min(region) as region
    from documents
    where department_key_source = 'derived'
    group by department_code

),

all_departments as (

    select
        department_code,
        department_name,
        region,
        'seed' as department_key_source
    from departments

    union all

    select
        department_code,
        department_name,
        region,
        'derived' as department_key_source
    from derived_departments

),

coverage as (

    select
        department_code,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year,
        count(*) as document_count
    from documents
    group by department_code

),

final as (

    select
        all_departments.department_code,
        all_departments.department_name,
        all_departments.region,
        coverage.first_fiscal_year,
        coverage.last_fiscal_year,
        coalesce(coverage.document_count, 0) as document_count,
        all_departments.department_key_source
    from all_departments
    left join coverage
        on all_departments.department_code = coverage.department_code

)

select * from final
