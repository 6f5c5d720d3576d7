{#
    Economic codes a document prints that seeds/classification/economic_classification.csv does
    not hold (the 财政局's 2024 部门决算 prints 30224, 30225, 30308, 30310, 30311, 31001, 31019,
    31021, 31022): published with their printed names (marts.dim_economic_class, basis 'printed
    only'), never a failed test; listed here, one row per code, name and document, so a seed row
    can settle each. Beside marts.unresolved_subject_code, which does the same for function codes.
#}
with

economic_classes as (

    select * from {{ ref('dim_economic_class') }}

),

shanghai_cells as (

    select * from {{ ref('stg_shanghai__table_cells') }}

),

final_account_cells as (

    select * from {{ ref('stg_shanghai__final_account_cells') }}

),

economic_basic_expenditures as (

    select * from {{ ref('stg_xiamen__economic_basic_expenditures') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

),

printed as (

    select
        document_id,
        table_id,
        subject_code as economic_code,
        row_label as reported_name,
        page_number,
        cast(null as integer) as source_line
    from shanghai_cells
    where table_id = 'basic_expenditure_economic'

    union all

    select
        document_id,
        table_id,
        subject_code as economic_code,
        row_label as reported_name,
        page_number,
        cast(null as integer) as source_line
    from final_account_cells
    where table_id = 'final_basic_expenditure_economic'

    union all

    select
        document_id,
        table_id,
        economic_code,
        economic_name as reported_name,
        cast(null as integer) as page_number,
        source_line
    from economic_basic_expenditures

),

unresolved as (

    select
        printed.document_id,
        printed.table_id,
        printed.economic_code,
        printed.reported_name,
        min(printed.page_number) as page_number,
        min(printed.source_line) as source_line,
        count(*) as cell_count
    from printed
    inner join economic_classes
        on printed.economic_code = economic_classes.economic_code
    where not economic_classes.is_in_classification
    group by printed.document_id, printed.table_id, printed.economic_code, printed.reported_name

),

final as (

    select
        documents.fiscal_year,
        unresolved.economic_code,
        unresolved.reported_name,
        left(unresolved.economic_code, 3) as economic_class_code,
        'economic' as code_kind,
        'not_in_classification_seed' as resolution_gap,
        documents.document_id,
        documents.file_name,
        unresolved.table_id,
        unresolved.page_number,
        unresolved.source_line,
        unresolved.cell_count
    from unresolved
    inner join documents
        on unresolved.document_id = documents.document_id

)

select * from final
