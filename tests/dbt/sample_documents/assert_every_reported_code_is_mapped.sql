-- Every functional-classification code any document reports, in any year, must reach a
-- conformed subject — through an explicit crosswalk row (keyed by year, code and printed
-- name) or by already being a code of the conformed classification. A new document
-- A check of the seeds against the corpus of the test suite (the sample documents): a user's
-- own document with a code nobody has looked at is published, its code listed in
-- marts.unresolved_subject_code, and never fails `make build`.
with

reported as (

    select * from {{ ref('int_reported_subjects_unioned') }}

),

subject_map as (

    select * from {{ ref('map_subject_code') }}

),

subjects as (

    select * from {{ ref('dim_subject') }}

)

select
    reported.fiscal_year,
    reported.reported_code,
    reported.reported_name,
    reported.first_seen_at,
    subject_map.mapping_source
from reported
left join subject_map
    on reported.fiscal_year = subject_map.fiscal_year
    and reported.reported_code = subject_map.reported_code
    and reported.reported_name = subject_map.reported_name
left join subjects
    on subject_map.subject_code = subjects.subject_code
where subject_map.subject_code is null
    or subjects.subject_code is null
