with

documents as (

    select * from {{ ref('stg_xiamen__documents') }}

),

-- A 单位预算's department (its cover, its 部门预算's unit list, or itself): resolved there.
unit_departments as (

    select * from {{ ref('int_unit_departments_resolved') }}

),

departments as (

    select * from {{ ref('departments') }}

),

classification_years as (

    select * from {{ ref('classification_years') }}

),

resolved as (

    select
        documents.document_id,
        documents.file_name,
        documents.sha256,
        documents.fiscal_year,
        documents.template,
        documents.amount_unit,
        documents.region,
        unit_departments.department_name,
        unit_departments.unit_name,
        unit_departments.department_source,
        documents.document_kind,
        documents.document_scope,
        documents.page_count,
        documents.department_code as printed_department_code,
        departments.department_code as seed_department_code,
        -- A budget uses the classification of its own year unless the seed says otherwise.
        coalesce(classification_years.classification_year, documents.fiscal_year)
            as classification_year
    from documents
    inner join unit_departments
        on documents.document_id = unit_departments.document_id
    left join departments
        on unit_departments.department_name = departments.department_name
        or unit_departments.department_name = departments.department_name || '部门'
    left join classification_years
        on documents.fiscal_year = classification_years.fiscal_year

),

final as (

    select
        document_id,
        file_name,
        sha256,
        fiscal_year,
        template,
        amount_unit,
        department_name,
        unit_name,
        department_source,
        -- 2020 prints no department code; the name is the only link to it. A department no
        -- seed row names (the Shanghai district documents print no code either) gets a key
        -- derived from its region and printed name: the same department gets the same key in
        -- every year and scope, whatever the template: a seed row only names a department
        -- the documents cannot (Xiamen 2020 prints no code), it never gates one.
        coalesce(
            printed_department_code,
            seed_department_code,
            'name:' || substr(md5(concat_ws('|', region, department_name)), 1, 12)
        ) as department_code,
        case
            when printed_department_code is not null then 'printed'
            when seed_department_code is not null then 'seed'
            else 'derived'
        end as department_key_source,
        classification_year,
        region,
        document_kind,
        document_scope,
        page_count
    from resolved

)

select * from final
