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
        message,
        page_number,
        -- A PDF's prose can print the same figure twice on one line: ingest then reports two
        -- identical findings. Numbered so each stays a row of its own (1 for every other).
        row_number() over (
            partition by document_id, table_id, source_line, page_number, finding_kind, subject, message
            order by expected, actual
        ) as finding_occurrence
    from source

)

select * from final
