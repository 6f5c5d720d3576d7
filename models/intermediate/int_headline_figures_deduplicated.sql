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

ranked as (

    select
        *,
        row_number() over (
            partition by document_id, figure_key
            order by source_line, row_order
        ) as line_rank,
        count(*) over (partition by document_id, figure_key) as line_count,
        count(distinct figure_value) over (partition by document_id, figure_key)
            as distinct_value_count
    from headline_figures
    where figure_key not in (
        {%- for key in var('per_project_figure_keys') %}
        '{{ key }}'{{ "," if not loop.last }}
        {%- endfor %}
    )

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
