with

departments as (

    select * from {{ ref('departments') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

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
        departments.department_code,
        departments.department_name,
        departments.region,
        coverage.first_fiscal_year,
        coverage.last_fiscal_year,
        coalesce(coverage.document_count, 0) as document_count
    from departments
    left join coverage
        on departments.department_code = coverage.department_code

)

select * from final
