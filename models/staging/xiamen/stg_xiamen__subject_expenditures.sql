with

source as (

    select * from {{ source('xiamen', 'subject_expenditure') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        nullif(trim(subject_code), '') as subject_code,
        {{ clean_name('subject_name') }} as subject_name,
        coalesce({{ subject_level('trim(subject_code)') }}, '合计') as subject_level,
        {{ wan('total') }} as total_wan,
        {{ wan('fiscal_subtotal') }} as fiscal_subtotal_wan,
        {{ wan('fiscal_basic') }} as fiscal_basic_wan,
        {{ wan('fiscal_project') }} as fiscal_project_wan,
        {{ wan('non_fiscal_subtotal') }} as non_fiscal_subtotal_wan,
        {{ wan('non_fiscal_basic') }} as non_fiscal_basic_wan,
        {{ wan('non_fiscal_project') }} as non_fiscal_project_wan
    from source

)

select * from final
