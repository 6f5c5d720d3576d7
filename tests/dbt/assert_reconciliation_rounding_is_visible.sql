{{ config(severity='warn') }}

-- Warns (never fails) on every identity off by a rounding amount (≤ 0.02 万元), documented
-- or not, so the source's own rounding stays visible in every build.
select
    fiscal_year,
    identity_key,
    difference_wan,
    status,
    known_finding_explanation
from {{ ref('fct_reconciliation') }}
where absolute_difference_wan > 0
    and absolute_difference_wan <= 0.02
