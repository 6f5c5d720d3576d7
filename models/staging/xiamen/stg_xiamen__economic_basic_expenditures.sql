with

source as (

    select * from {{ source('xiamen', 'basic_expenditure_economic') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        nullif(trim(economic_code), '') as economic_code,
        {{ clean_name('economic_name') }} as economic_name,
        coalesce({{ economic_level('trim(economic_code)') }}, '合计') as economic_level,
        {{ wan('total') }} as total_wan,
        {{ wan('personnel') }} as personnel_wan,
        {{ wan('public') }} as public_wan
    from source

)

select * from final
