{{
    config(
        materialized=document_fact_materialization(),
        incremental_strategy='delete+insert',
        unique_key='document_id',
        pre_hook="{{ delete_documents_no_longer_loaded() }}",
    )
}}

with

indicators as (

    select * from {{ ref('stg_xiamen__performance_indicators') }}
    {{ only_documents_not_yet_loaded() }}

),

projects as (

    select * from {{ ref('stg_xiamen__performance_projects') }}
    {{ only_documents_not_yet_loaded() }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    {{ only_documents_not_yet_loaded() }}

),

final as (

    select
        documents.fiscal_year,
        documents.department_code,
        indicators.project_key,
        projects.project_name,
        projects.project_scope,
        indicators.indicator_order,
        indicators.indicator_level_1,
        indicators.indicator_level_2,
        indicators.task_name,
        indicators.indicator_name,
        indicators.direction,
        -- 2024 words the comparison (大于等于), 2020 uses symbols (≥); one vocabulary here.
        case
            when indicators.direction in ('大于等于', '≥', '>=') then '>='
            when indicators.direction in ('小于等于', '≤', '<=') then '<='
            when indicators.direction in ('等于', '=') then '='
            when indicators.direction in ('大于', '>') then '>'
            when indicators.direction in ('小于', '<') then '<'
        end as direction_operator,
        indicators.target_value is null as is_qualitative,
        indicators.target_text,
        indicators.target_value,
        indicators.target_unit,
        documents.document_id,
        documents.file_name,
        indicators.table_id,
        indicators.source_line
    from indicators
    inner join documents
        on indicators.document_id = documents.document_id
    left join projects
        on indicators.document_id = projects.document_id
        and indicators.project_key = projects.project_key

)

select * from final
