{#
    The table cells of every PDF budget family in one shape: the one model the intermediate
    models and marts read a budget PDF's table cells from, so a new family joins here and
    nowhere else. The families share the table ids and column keys where a table means the
    same (docs/jiangsu.md); a family's own tables and columns keep their own keys, which the
    readers of this model select or leave by key.
#}
with

shanghai_cells as (

    select * from {{ ref('stg_shanghai__table_cells') }}

),

jiangsu_cells as (

    select * from {{ ref('stg_jiangsu__table_cells') }}

),

unioned as (

    select
        'shanghai-district-budget' as template,  -- noqa: RF04
        *
    from shanghai_cells
    union all
    select
        'jiangsu-provincial-budget' as template,  -- noqa: RF04
        *
    from jiangsu_cells

),

final as (

    select
        template,
        document_id,
        table_id,
        row_order,
        page_number,
        x0,
        top,
        x1,
        bottom,
        char_index,
        raw_text,
        table_title,
        side,
        row_label,
        subject_code,
        subject_level,
        column_key,
        column_label,
        amount,
        amount_unit,
        amount_yuan
    from unioned

)

select * from final
