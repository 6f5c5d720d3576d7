with

source as (

    select * from {{ source('xiamen', 'budget_units') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        {{ clean_name('unit_name') }} as unit_name,
        {{ clean_name('unit_alias') }} as unit_alias,
        {{ clean_name('unit_nature') }} as unit_nature,
        {{ clean_name('funding_type') }} as funding_type,
        authorized_staff,
        actual_staff
    from source

)

select * from final
