-- Every budget unit a document lists must be a unit of the budget_units seed for that
-- year (2024 prints the bracketed second name separately), so unit names and codes
-- cannot drift apart silently. A check of the seed against the sample documents (by content
-- hash): a user's own document with a unit the seed does not list is published all the same.
with

printed_units as (

    select * from {{ ref('stg_xiamen__budget_units') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

),

budget_units as (

    select * from {{ ref('budget_units') }}

),

-- The names a printed unit may have in the seed: its name, or 名（别名） when the document
-- prints the second name apart. Two equi-joins instead of one join on `in (…)`, which
-- DuckDB runs as a nested loop (29 s of a 41 s dbt build at 10,000 documents).
seed_names as (

    select
        document_id,
        table_id,
        row_order,
        unit_name as seed_name
    from printed_units

    union all

    select
        document_id,
        table_id,
        row_order,
        unit_name || '（' || unit_alias || '）' as seed_name
    from printed_units
    where unit_alias is not null

),

known_units as (

    select distinct
        seed_names.document_id,
        seed_names.table_id,
        seed_names.row_order
    from seed_names
    inner join documents
        on seed_names.document_id = documents.document_id
    inner join budget_units
        on documents.fiscal_year = budget_units.fiscal_year
        and seed_names.seed_name = budget_units.unit_name

)

select
    documents.fiscal_year,
    printed_units.unit_name,
    printed_units.unit_alias,
    printed_units.source_line
from printed_units
inner join documents
    on printed_units.document_id = documents.document_id
    and {{ is_committed_document('documents.sha256') }}
left join known_units
    on printed_units.document_id = known_units.document_id
    and printed_units.table_id = known_units.table_id
    and printed_units.row_order = known_units.row_order
where known_units.document_id is null
