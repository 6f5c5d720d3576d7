{{
    config(
        materialized=document_fact_materialization(),
        incremental_strategy='delete+insert',
        unique_key='document_id',
        pre_hook="{{ delete_documents_no_longer_loaded() }}",
    )
}}

with

headline_figures as (

    select * from {{ ref('stg_xiamen__headline_figures') }}
    {{ only_documents_not_yet_loaded() }}

),

first_printings as (

    select * from {{ ref('int_headline_figures_deduplicated') }}
    {{ only_documents_not_yet_loaded() }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    {{ only_documents_not_yet_loaded() }}

),

final as (

    select
        documents.fiscal_year,
        documents.department_code,
        headline_figures.figure_key,
        headline_figures.figure_label,
        headline_figures.figure_value,
        headline_figures.figure_unit,
        case
            when headline_figures.figure_unit = '万元'
                then {{ wan_to_yuan('headline_figures.figure_value') }}
        end as amount_yuan,
        first_printings.source_line = headline_figures.source_line as is_first_printing,
        documents.document_id,
        documents.file_name,
        headline_figures.table_id,
        headline_figures.source_line
    from headline_figures
    inner join documents
        on headline_figures.document_id = documents.document_id
    left join first_printings
        on headline_figures.document_id = first_printings.document_id
        and headline_figures.figure_key = first_printings.figure_key

)

select * from final
