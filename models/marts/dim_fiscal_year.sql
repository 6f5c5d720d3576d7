with

documents as (

    select * from {{ ref('int_documents_classified') }}

),

subject_names as (

    select * from {{ ref('subject_names_by_year') }}

),

conformed_year as (

    select max(fiscal_year) as classification_year
    from subject_names

),

-- One row per year and template, so the list below needs no distinct aggregate.
templates as (

    select distinct
        fiscal_year,
        template
    from documents

),

template_lists as (

    select
        fiscal_year,
        {{ dbt.listagg('template', "', '", 'order by template') }} as templates
    from templates
    group by fiscal_year

),

final as (

    select
        documents.fiscal_year,
        min(documents.classification_year) as classification_year,
        min(conformed_year.classification_year) as conformed_classification_year,
        count(*) as document_count,
        min(template_lists.templates) as templates,
        {{ dbt.listagg('documents.file_name', "', '", 'order by documents.file_name') }} as file_names
    from documents
    cross join conformed_year
    left join template_lists
        on documents.fiscal_year = template_lists.fiscal_year
    group by documents.fiscal_year

)

select * from final
