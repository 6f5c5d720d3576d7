with

source as (

    select * from {{ source('xiamen', 'headline_figures') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        figure_key,
        label as figure_label,
        cast(value as decimal(18, 2)) as figure_value,
        unit as figure_unit
    from source

)

select * from final
