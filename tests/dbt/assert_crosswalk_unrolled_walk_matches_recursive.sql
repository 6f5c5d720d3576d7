-- The two implementations of follow_crosswalk_links (macros/crosswalk.sql) must walk the
-- same chains: the recursive CTE every engine but Spark runs, and the unrolled joins Spark
-- runs. Both are run here, on DuckDB, over the seed and over a made-up chain of four links
-- that ends in a cycle and a split (the seed's chains are one link long today).
with

seed_crosswalk as (

    select
        fiscal_year,
        reported_code,
        reported_name,
        new_code,
        new_code_first_year,
        relation,
        basis
    from {{ ref('subject_code_crosswalk') }}

),

synthetic_crosswalk as (

    select synthetic.* from (
        values
            (1900, '9000001', 'synthetic one', '9000002', 1901, 'moved', 'name only'),
            (1901, '9000002', 'synthetic two', '9000003', 1902, 'renumbered', 'name only'),
            (1902, '9000003', 'synthetic three', '9000004', 1903, 'merged', 'name only'),
            (1903, '9000004', 'synthetic four', '9000002', 1904, 'moved', 'name only'),
            (1903, '9000004', 'synthetic four', '9000005', 1904, 'split', 'name only')
    ) as synthetic (
        fiscal_year, reported_code, reported_name, new_code, new_code_first_year, relation, basis
    )

),

crosswalk as (

    select * from seed_crosswalk
    union all
    select * from synthetic_crosswalk

),

recursive_walk as (

    {{ default__follow_crosswalk_links('crosswalk') }}

),

unrolled_walk as (

    {{ spark__follow_crosswalk_links('crosswalk') }}

),

recursive_only as (

    select * from recursive_walk
    except all
    select * from unrolled_walk

),

unrolled_only as (

    select * from unrolled_walk
    except all
    select * from recursive_walk

)

select
    'recursive only' as found_in,
    recursive_only.fiscal_year,
    recursive_only.code_path,
    recursive_only.hops
from recursive_only

union all

select
    'unrolled only' as found_in,
    unrolled_only.fiscal_year,
    unrolled_only.code_path,
    unrolled_only.hops
from unrolled_only

union all

-- The made-up chain must really be walked to its end (9000001 > … > 9000005, 4 links).
select
    'synthetic chain not walked to 4 links' as found_in,
    1900 as fiscal_year,
    max(recursive_walk.code_path) as code_path,
    max(recursive_walk.hops) as hops
from recursive_walk
where recursive_walk.fiscal_year = 1900
having max(recursive_walk.hops) <> 4 or max(recursive_walk.hops) is null
