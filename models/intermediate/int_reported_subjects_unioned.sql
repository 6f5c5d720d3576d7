with

documents as (

    select * from {{ ref('int_documents_classified') }}

),

line_items as (

    select * from {{ ref('stg_xiamen__line_items') }}

),

subject_expenditures as (

    select * from {{ ref('stg_xiamen__subject_expenditures') }}

),

budget_expenditures as (

    select * from {{ ref('stg_xiamen__budget_expenditures') }}

),

transfer_payments as (

    select * from {{ ref('stg_xiamen__transfer_payments') }}

),

shanghai_cells as (

    select * from {{ ref('int_pdf_budget_cells_unioned') }}

),

shanghai_figures as (

    select * from {{ ref('stg_shanghai__prose_figures') }}

),

final_account_cells as (

    select * from {{ ref('stg_shanghai__final_account_cells') }}

),

final_account_figures as (

    select * from {{ ref('stg_shanghai__final_account_figures') }}

),

-- A final account's tables print every functional code beside its name, like the budget's.
final_account_rows as (

    select distinct
        document_id,
        table_id,
        page_number,
        row_order,
        subject_code,
        row_label
    from final_account_cells
    where subject_code is not null
        and table_id <> 'final_basic_expenditure_economic'

),

-- Functional-classification rows of the PDF budget tables (Shanghai district, Jiangsu
-- provincial; the economic tables have their own codes), one per printed row: the tables
-- print every 类/款/项 code beside its name.
shanghai_rows as (

    select distinct
        document_id,
        table_id,
        page_number,
        row_order,
        subject_code,
        row_label
    from shanghai_cells
    where subject_code is not null
        -- Economic codes (301 / 30201) are another classification; Jiangsu prints them in its
        -- 财政拨款基本支出 and 机关运行经费 tables too.
        and table_id not in (
            'basic_expenditure_economic', 'fiscal_basic_expenditure_economic', 'government_operation'
        )

),

occurrences as (

    -- 2024's prose prints names only; its code is the one of the agreeing 附件5 row.
    select
        document_id,
        table_id,
        source_line,
        cast(null as integer) as page_number,
        coalesce(printed_subject_code, matched_subject_code) as reported_code,
        subject_name as reported_name,
        false as is_known_as_printed
    from line_items

    union all

    select
        document_id,
        table_id,
        source_line,
        cast(null as integer) as page_number,
        subject_code,
        subject_name,
        false as is_known_as_printed
    from subject_expenditures
    where subject_code is not null

    union all

    select
        document_id,
        table_id,
        source_line,
        cast(null as integer) as page_number,
        subject_code,
        subject_name,
        false as is_known_as_printed
    from budget_expenditures
    where subject_code is not null

    union all

    select
        document_id,
        table_id,
        source_line,
        cast(null as integer) as page_number,
        subject_code,
        subject_name,
        false as is_known_as_printed
    from transfer_payments
    where subject_code is not null

    union all

    select
        document_id,
        table_id,
        cast(null as integer) as source_line,
        page_number,
        subject_code,
        row_label,
        true as is_known_as_printed
    from shanghai_rows

    union all

    -- The prose line items name their 项 and take the code of the agreeing table row.
    select
        document_id,
        table_id,
        cast(null as integer) as source_line,
        page_number,
        coalesce(printed_subject_code, matched_subject_code) as reported_code,
        subject_name as reported_name,
        true as is_known_as_printed
    from shanghai_figures
    where figure_key = 'line_item'

    union all

    select
        document_id,
        table_id,
        cast(null as integer) as source_line,
        page_number,
        subject_code,
        row_label,
        true as is_known_as_printed
    from final_account_rows

    union all

    -- The 决算情况说明 names each 项 and takes the code of the agreeing table row.
    select
        document_id,
        table_id,
        cast(null as integer) as source_line,
        page_number,
        subject_code,
        subject_name,
        true as is_known_as_printed
    from final_account_figures
    where figure_key in ('initial_budget', 'outturn')

),

final as (

    select
        documents.fiscal_year,
        documents.classification_year,
        occurrences.reported_code,
        occurrences.reported_name,
        min(
            documents.file_name || ' ' || occurrences.table_id
            || coalesce(' line ' || occurrences.source_line, ' page ' || occurrences.page_number)
        ) as first_seen_at,
        count(*) as occurrence_count,
        -- Only when every printing is one of those tables: a Xiamen document reporting the
        -- same (year, code, name) still needs its crosswalk row, as it always did.
        min(case when occurrences.is_known_as_printed then 1 else 0 end) = 1 as is_known_as_printed
    from occurrences
    inner join documents
        on occurrences.document_id = documents.document_id
    where occurrences.reported_code is not null
    group by
        documents.fiscal_year,
        documents.classification_year,
        occurrences.reported_code,
        occurrences.reported_name

)

select * from final
