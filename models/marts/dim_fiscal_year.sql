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

final as (

    select
        documents.fiscal_year,
        min(documents.classification_year) as classification_year,
        min(conformed_year.classification_year) as conformed_classification_year,
        count(*) as document_count,
        string_agg(distinct documents.template, ', ') as templates,
        string_agg(documents.file_name, ', ' order by documents.file_name) as file_names
    from documents
    cross join conformed_year
    group by documents.fiscal_year

)

select * from final
