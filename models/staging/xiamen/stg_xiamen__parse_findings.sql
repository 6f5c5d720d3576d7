with

source as (

    select * from {{ source('xiamen', 'parse_findings') }}

),

final as (

    select
        document_id,
        table_id,
        source_line,
        finding_kind,
        severity,
        subject as finding_subject,
        cast(expected as decimal(18, 2)) as expected_value,
        cast(actual as decimal(18, 2)) as actual_value,
        message
    from source

)

select * from final
