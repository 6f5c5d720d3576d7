{#
    Document-level prose figures, one per document and key. The prose repeats some of
    them (a total in the summary and again in its section): the first line's value is
    kept and the repetitions are counted, so a disagreement between them is visible.
    The per-project keys (var per_project_figure_keys: project_budget for every project
    of 五、部分项目情况说明, …) take one value per project, not per document, so they
    are left to fct_headline_figure.
#}
with

headline_figures as (

    select * from {{ ref('stg_xiamen__headline_figures') }}

),

document_figures as (

    select *
    from headline_figures
    where figure_key not in ({{ string_list(var('per_project_figure_keys')) }})

),

-- Counted by grouping, not by a distinct window count (neither Spark nor Trino has one).
printings as (

    select
        document_id,
        figure_key,
        count(*) as line_count,
        count(distinct figure_value) as distinct_value_count
    from document_figures
    group by document_id, figure_key

),

ranked as (

    select
        document_figures.*,
        row_number() over (
            partition by document_figures.document_id, document_figures.figure_key
            order by document_figures.source_line, document_figures.row_order
        ) as line_rank,
        printings.line_count,
        printings.distinct_value_count
    from document_figures
    inner join printings
        on document_figures.document_id = printings.document_id
        and document_figures.figure_key = printings.figure_key

),

final as (

    select
        document_id,
        figure_key,
        figure_label,
        figure_value,
        figure_unit,
        table_id,
        source_line,
        line_count,
        distinct_value_count
    from ranked
    where line_rank = 1

)

select * from final
