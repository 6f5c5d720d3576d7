-- Only 项 (7-digit) rows may enter the fact; a 类/款 row would count its children twice.
select
    fiscal_year,
    reported_subject_code,
    subject_code,
    table_id,
    source_line
from {{ ref('fct_expenditure') }}
where length(reported_subject_code) <> 7
    or length(subject_code) <> 7
