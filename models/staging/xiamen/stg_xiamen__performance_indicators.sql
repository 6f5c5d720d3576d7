with

source as (

    select * from {{ source('xiamen', 'performance_indicators') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        project_key,
        indicator_order,
        {{ clean_name('level_1') }} as indicator_level_1,
        {{ clean_name('level_2') }} as indicator_level_2,
        {{ clean_name('task_name') }} as task_name,
        {{ clean_name('indicator_name') }} as indicator_name,
        {{ clean_name('direction') }} as direction,
        trim(target_text) as target_text,
        target_value,
        {{ clean_name('target_unit') }} as target_unit
    from source

)

select * from final
