-- Crosswalk chains are followed for at most crosswalk_max_hops() links on every engine
-- (Spark, which has no recursive CTE, unrolls exactly that many joins; macros/crosswalk.sql).
-- A chain that reaches the limit may have been cut short: raise crosswalk_max_hops()
-- before adding the crosswalk row that makes it that long.
select
    fiscal_year,
    reported_code,
    reported_name,
    code_path,
    hops
from {{ ref('int_crosswalk_links_resolved') }}
where hops >= {{ crosswalk_max_hops() }}
