-- Every budget unit a document lists must be a unit of the budget_units seed for that
-- year (2024 prints the bracketed second name separately), so unit names and codes
-- cannot drift apart silently.
with

printed_units as (

    select * from {{ ref('stg_xiamen__budget_units') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

),

budget_units as (

    select * from {{ ref('budget_units') }}

)

select
    documents.fiscal_year,
    printed_units.unit_name,
    printed_units.unit_alias,
    printed_units.source_line
from printed_units
inner join documents
    on printed_units.document_id = documents.document_id
left join budget_units
    on documents.fiscal_year = budget_units.fiscal_year
    and budget_units.unit_name in (
        printed_units.unit_name,
        printed_units.unit_name || '（' || printed_units.unit_alias || '）'
    )
where budget_units.unit_code is null
