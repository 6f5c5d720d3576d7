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

pdf_prose_figures as (

    select * from {{ ref('int_pdf_prose_figures_ranked') }}
    {{ only_documents_not_yet_loaded() }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    {{ only_documents_not_yet_loaded() }}

),

xiamen_figures as (

    select
        headline_figures.document_id,
        headline_figures.figure_key,
        headline_figures.figure_label,
        headline_figures.figure_value,
        headline_figures.figure_unit,
        first_printings.source_line = headline_figures.source_line as is_first_printing,
        headline_figures.table_id,
        headline_figures.source_line,
        cast(null as integer) as page_number,
        cast(null as integer) as page_line_number,
        cast(null as integer) as figure_order
    from headline_figures
    left join first_printings
        on headline_figures.document_id = first_printings.document_id
        and headline_figures.figure_key = first_printings.figure_key

),

-- Document-level figures of a Shanghai PDF's prose; its numbered line items (line_item)
-- are subject amounts that repeat the 一般公共预算 table, as Xiamen's line items do.
pdf_figures as (

    select
        document_id,
        figure_key,
        figure_label,
        figure_value,
        figure_unit,
        printing_rank = 1 as is_first_printing,
        table_id,
        cast(null as integer) as source_line,
        page_number,
        line_number as page_line_number,
        row_order as figure_order
    from pdf_prose_figures
    where prose_source = 'budget' and figure_key <> 'line_item'

),

figures as (

    select * from xiamen_figures
    union all
    select * from pdf_figures

),

final as (

    select
        documents.fiscal_year,
        documents.department_code,
        figures.figure_key,
        figures.figure_label,
        figures.figure_value,
        figures.figure_unit,
        case
            when figures.figure_unit = '万元'
                then {{ wan_to_yuan('figures.figure_value') }}
        end as amount_yuan,
        figures.is_first_printing,
        documents.document_id,
        documents.file_name,
        figures.table_id,
        figures.source_line,
        documents.document_scope,
        figures.page_number,
        figures.page_line_number,
        figures.figure_order
    from figures
    inner join documents
        on figures.document_id = documents.document_id

)

select * from final
