-- Fails on any identity of any document whose parts differ from the printed whole by
-- more than 0.02 万元, unless seed known_source_findings documents that exact difference.
select
    fiscal_year,
    identity_key,
    description,
    expected_wan,
    actual_wan,
    difference_wan,
    file_name,
    source_line
from {{ ref('fct_reconciliation') }}
where status = 'fail'
