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

occurrences as (

    -- 2024's prose prints names only; its code is the one of the agreeing 附件5 row.
    select
        document_id,
        table_id,
        source_line,
        coalesce(printed_subject_code, matched_subject_code) as reported_code,
        subject_name as reported_name
    from line_items

    union all

    select
        document_id,
        table_id,
        source_line,
        subject_code,
        subject_name
    from subject_expenditures
    where subject_code is not null

    union all

    select
        document_id,
        table_id,
        source_line,
        subject_code,
        subject_name
    from budget_expenditures
    where subject_code is not null

    union all

    select
        document_id,
        table_id,
        source_line,
        subject_code,
        subject_name
    from transfer_payments
    where subject_code is not null

),

final as (

    select
        documents.fiscal_year,
        documents.classification_year,
        occurrences.reported_code,
        occurrences.reported_name,
        min(occurrences.table_id || ' line ' || occurrences.source_line) as first_seen_at,
        count(*) as occurrence_count
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
