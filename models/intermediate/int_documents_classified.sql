with

documents as (

    select * from {{ ref('stg_xiamen__documents') }}

),

departments as (

    select * from {{ ref('departments') }}

),

classification_years as (

    select * from {{ ref('classification_years') }}

),

final as (

    select
        documents.document_id,
        documents.file_name,
        documents.fiscal_year,
        documents.template,
        documents.amount_unit,
        documents.department_name,
        -- 2020 prints no department code; the name is the only link to it.
        coalesce(documents.department_code, departments.department_code) as department_code,
        -- A budget uses the classification of its own year unless the seed says otherwise.
        coalesce(classification_years.classification_year, documents.fiscal_year)
            as classification_year
    from documents
    left join departments
        on documents.department_name = departments.department_name
        or documents.department_name = departments.department_name || '部门'
    left join classification_years
        on documents.fiscal_year = classification_years.fiscal_year

)

select * from final
