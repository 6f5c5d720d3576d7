{{ config(severity='warn') }}

-- A crosswalk row whose (year, code, name) no document prints is probably a typo in the
-- seed's name (and then the real printed row is left unmapped).
with

crosswalk as (

    select * from {{ ref('subject_code_crosswalk') }}

),

reported as (

    select * from {{ ref('int_reported_subjects_unioned') }}

)

select
    crosswalk.fiscal_year,
    crosswalk.reported_code,
    crosswalk.reported_name
from crosswalk
left join reported
    on crosswalk.fiscal_year = reported.fiscal_year
    and crosswalk.reported_code = reported.reported_code
    and crosswalk.reported_name = reported.reported_name
where reported.reported_code is null
    and crosswalk.fiscal_year in (select loaded_years.fiscal_year from {{ ref('dim_fiscal_year') }} as loaded_years)
