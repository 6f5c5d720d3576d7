with

economic_basic_expenditures as (

    select * from {{ ref('stg_xiamen__economic_basic_expenditures') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

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
        parts.amount_wan
    from economic_basic_expenditures
    cross join lateral (
        values
            ('personnel', economic_basic_expenditures.personnel_wan),
            ('public', economic_basic_expenditures.public_wan)
    ) as parts (basic_expenditure_type, amount_wan)
    where economic_basic_expenditures.economic_level = '款'
        and parts.amount_wan is not null
        and parts.amount_wan <> 0

),

final as (

    select
        documents.fiscal_year,
        documents.department_code,
        split.economic_code,
        left(split.economic_code, 3) as economic_class_code,
        split.economic_name as reported_economic_name,
        split.basic_expenditure_type,
        split.amount_wan,
        {{ wan_to_yuan('split.amount_wan') }} as amount_yuan,
        documents.document_id,
        documents.file_name,
        split.table_id,
        split.source_line
    from split
    inner join documents
        on split.document_id = documents.document_id

)

select * from final
