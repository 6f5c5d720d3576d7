{{
    config(
        materialized=document_fact_materialization(),
        incremental_strategy='delete+insert',
        unique_key='document_id',
        pre_hook="{{ delete_documents_no_longer_loaded() }}",
    )
}}

{#
    三公 costs by category. Unlike the other facts, zero rows are kept: a 三公 budget of
    0 is a statement the document makes (and the prose repeats), and analysts compare
    categories year by year. 附件7 prints a blank for 0; the prose confirms 0.00.
    A Shanghai district PDF prints the 三公 table in 万元 (its 合计 row, blank cells for 0),
    read from int_pdf_budget_cells_unioned with its page; so is a Jiangsu provincial PDF's
    (“三公”经费、会议费、培训费 table, 万元: its 会议费 and 培训费 are no 三公 and stay out; a
    blank Jiangsu cell is not read, so its category has no row).
#}
with

three_public_costs as (

    select * from {{ ref('stg_xiamen__three_public_costs') }}
    {{ only_documents_not_yet_loaded() }}

),

headline_figures as (

    select * from {{ ref('int_headline_figures_deduplicated') }}
    {{ only_documents_not_yet_loaded() }}

),

shanghai_cells as (

    select * from {{ ref('int_pdf_budget_cells_unioned') }}
    {{ only_documents_not_yet_loaded() }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    {{ only_documents_not_yet_loaded() }}

),

table_costs as (

    select
        three_public_costs.document_id,
        three_public_costs.table_id,
        three_public_costs.source_line,
        categories.cost_category,
        coalesce(case categories.cost_category
            when 'outbound_travel' then three_public_costs.outbound_travel_wan
            when 'official_reception' then three_public_costs.official_reception_wan
            when 'vehicle_purchase' then three_public_costs.vehicle_purchase_wan
            when 'vehicle_operation' then three_public_costs.vehicle_operation_wan
        end, 0) as amount_wan
    from three_public_costs
    cross join (
        values ('outbound_travel'), ('official_reception'), ('vehicle_purchase'), ('vehicle_operation')
    ) as categories (cost_category)

),

shanghai_costs as (

    select
        shanghai_cells.document_id,
        shanghai_cells.table_id,
        cast(null as integer) as source_line,
        shanghai_cells.column_key as cost_category,
        {{ yuan_to_wan('coalesce(shanghai_cells.amount_yuan, 0)') }} as amount_wan,
        shanghai_cells.page_number
    from shanghai_cells
    where shanghai_cells.table_id = 'three_public'
        and shanghai_cells.row_label = '合计'
        and shanghai_cells.column_key in (
            'outbound_travel', 'official_reception', 'vehicle_purchase', 'vehicle_operation'
        )

),

prose_costs as (

    select
        headline_figures.document_id,
        headline_figures.table_id,
        headline_figures.source_line,
        categories.cost_category,
        headline_figures.figure_value as amount_wan
    from headline_figures
    inner join (
        values
            ('three_public_outbound', 'outbound_travel'),
            ('three_public_reception', 'official_reception'),
            ('three_public_vehicle_purchase', 'vehicle_purchase'),
            ('three_public_vehicle_operation', 'vehicle_operation')
    ) as categories (figure_key, cost_category)
        on headline_figures.figure_key = categories.figure_key
    where headline_figures.document_id not in (select three_public_costs.document_id from three_public_costs)

),

unioned as (

    select
        document_id,
        table_id,
        source_line,
        cost_category,
        amount_wan,
        'table' as source_kind,
        cast(null as integer) as page_number
    from table_costs

    union all

    select
        document_id,
        table_id,
        source_line,
        cost_category,
        amount_wan,
        'table' as source_kind,
        page_number
    from shanghai_costs

    union all

    select
        document_id,
        table_id,
        source_line,
        cost_category,
        amount_wan,
        'prose' as source_kind,
        cast(null as integer) as page_number
    from prose_costs

),

final as (

    select
        documents.fiscal_year,
        documents.department_code,
        unioned.cost_category,
        unioned.amount_wan,
        {{ wan_to_yuan('unioned.amount_wan') }} as amount_yuan,
        unioned.source_kind,
        documents.document_id,
        documents.file_name,
        unioned.table_id,
        unioned.source_line,
        documents.document_scope,
        unioned.page_number
    from unioned
    inner join documents
        on unioned.document_id = documents.document_id

)

select * from final
