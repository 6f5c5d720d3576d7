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

shanghai_cells as (

    select * from {{ ref('int_pdf_budget_cells_unioned') }}
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
        end as amount_wan,
        cast(null as integer) as page_number
    from economic_basic_expenditures
    cross join (values ('personnel'), ('public')) as parts (basic_expenditure_type)
    where economic_basic_expenditures.economic_level = '款'

),

-- Shanghai district PDFs: 一般公共预算基本支出部门预算经济分类预算表 in exact 元, 款 rows.
shanghai_split as (

    select
        document_id,
        table_id,
        cast(null as integer) as source_line,
        subject_code as economic_code,
        row_label as economic_name,
        column_key as basic_expenditure_type,
        amount_yuan,
        page_number
    from shanghai_cells
    where table_id = 'basic_expenditure_economic'
        and length(subject_code) = 5
        and column_key in ('personnel', 'public')

),

parts as (

    select
        document_id,
        table_id,
        source_line,
        economic_code,
        economic_name,
        basic_expenditure_type,
        amount_wan,
        {{ wan_to_yuan('amount_wan') }} as amount_yuan,
        page_number
    from split

    union all

    select
        document_id,
        table_id,
        source_line,
        economic_code,
        economic_name,
        basic_expenditure_type,
        -- Printed in 元: 万元 for display only, rounded to 0.01; amount_yuan stays exact.
        {{ yuan_to_wan('amount_yuan') }} as amount_wan,
        amount_yuan,
        page_number
    from shanghai_split

),

nonzero_parts as (

    select *
    from parts
    where amount_yuan is not null
        and amount_yuan <> 0

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
        nonzero_parts.amount_yuan,
        documents.document_id,
        documents.file_name,
        nonzero_parts.table_id,
        nonzero_parts.source_line,
        {{ yuan_to_wan_exact('nonzero_parts.amount_yuan') }} as amount_wan_exact,
        documents.amount_unit as printed_unit,
        documents.document_scope,
        nonzero_parts.page_number
    from nonzero_parts
    inner join documents
        on nonzero_parts.document_id = documents.document_id

)

select * from final
