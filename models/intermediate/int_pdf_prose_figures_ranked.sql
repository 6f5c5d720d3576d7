{#
    The figures of a PDF's prose, of the Shanghai templates (部门预算 / 单位预算 and 部门决算) and
    the Jiangsu provincial budget,
    in one shape, each with its printing rank. A prose may print one figure twice (a total in
    the summary and again in its section; 财政局's 2024 决算 prints 财政拨款收入支出总计 as 0.3万元
    on one page and 2,961.68万元 on another): the first printing — earliest page, then line,
    then place on the line — is the document's figure, as for the Xiamen text
    (int_headline_figures_deduplicated); a later printing is never chosen in its stead. The
    rule lives here only: fct_headline_figure and int_prior_year_changes_checked read it.
#}
with

shanghai_budget_prose as (

    select * from {{ ref('stg_shanghai__prose_figures') }}

),

jiangsu_budget_prose as (

    select * from {{ ref('stg_jiangsu__prose_figures') }}

),

-- Both budget families' prose figures have one shape (ingest/core/records.py ProseFigure).
budget_prose as (

    select * from shanghai_budget_prose
    union all
    select * from jiangsu_budget_prose

),

final_account_prose as (

    select * from {{ ref('stg_shanghai__final_account_figures') }}

),

unioned as (

    select
        document_id,
        'budget' as prose_source,
        figure_key,
        figure_label,
        figure_value,
        figure_unit,
        table_id,
        page_number,
        line_number,
        row_order,
        -- A budget's prose figures carry their place on the line.
        cast(x0 as double) as line_position
    from budget_prose
    union all
    select
        document_id,
        'final_account' as prose_source,
        figure_key,
        figure_label,
        figure_value_wan as figure_value,
        figure_unit,
        table_id,
        page_number,
        line_number,
        row_order,
        -- A final account's figures are numbered in reading order.
        cast(row_order as double) as line_position
    from final_account_prose

),

final as (

    select
        document_id,
        prose_source,
        figure_key,
        figure_label,
        figure_value,
        figure_unit,
        table_id,
        page_number,
        line_number,
        row_order,
        row_number() over (
            partition by document_id, figure_key
            order by page_number, line_number, line_position
        ) as printing_rank
    from unioned

)

select * from final
