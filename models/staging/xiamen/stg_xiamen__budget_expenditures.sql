with

source as (

    select * from {{ source('xiamen', 'budget_expenditure') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        fund_source,
        nullif(trim(subject_code), '') as subject_code,
        {{ clean_name('subject_name') }} as subject_name,
        coalesce({{ subject_level('trim(subject_code)') }}, '合计') as subject_level,
        {{ wan('total') }} as total_wan,
        {{ wan('basic_subtotal') }} as basic_subtotal_wan,
        {{ wan('basic_personnel') }} as basic_personnel_wan,
        {{ wan('basic_public') }} as basic_public_wan,
        {{ wan('project') }} as project_wan
    from source

)

select * from final
