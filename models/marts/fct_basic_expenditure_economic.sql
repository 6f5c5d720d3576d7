{{
    config(
        materialized=document_fact_materialization(),
        incremental_strategy='delete+insert',
        unique_key='document_id',
        pre_hook="{{ delete_documents_no_longer_loaded() }}",
    )
}}

with

economic_basic_expenditures as (

    select * from {{ ref('stg_xiamen__economic_basic_expenditures') }}
    {{ only_documents_not_yet_loaded() }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    {{ only_documents_not_yet_loaded() }}

),

split as (

    -- 款 rows only: 类 rows and 合计 are their sums.
    select
        economic_basic_expenditures.document_id,
        economic_basic_expenditures.table_id,
        economic_basic_expenditures.source_line,
        economic_basic_expenditures.economic_code,
        economic_basic_expenditures.economic_name,
        parts.basic_expenditure_type,
        case parts.basic_expenditure_type
            when 'personnel' then economic_basic_expenditures.personnel_wan
            when 'public' then economic_basic_expenditures.public_wan
        end as amount_wan
    from economic_basic_expenditures
    cross join (values ('personnel'), ('public')) as parts (basic_expenditure_type)
    where economic_basic_expenditures.economic_level = '款'

),

nonzero_parts as (

    select *
    from split
    where amount_wan is not null
        and amount_wan <> 0

),

final as (

    select
        documents.fiscal_year,
        documents.department_code,
        nonzero_parts.economic_code,
        left(nonzero_parts.economic_code, 3) as economic_class_code,
        nonzero_parts.economic_name as reported_economic_name,
        nonzero_parts.basic_expenditure_type,
        nonzero_parts.amount_wan,
        {{ wan_to_yuan('nonzero_parts.amount_wan') }} as amount_yuan,
        documents.document_id,
        documents.file_name,
        nonzero_parts.table_id,
        nonzero_parts.source_line
    from nonzero_parts
    inner join documents
        on nonzero_parts.document_id = documents.document_id

)

select * from final
