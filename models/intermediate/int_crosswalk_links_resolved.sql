{#
    Follows crosswalk links transitively: a code printed in year Y maps to B (in force
    from year F), and if B itself is later mapped to C, the printed code ends at C.
    Only the first link is keyed by the printed name (that is what tells the 2020
    printing error apart from the real 2080199); later links are catalogue changes of
    the code and apply to any row reported under it from its first year on.
#}
with

crosswalk as (

    select * from {{ ref('subject_code_crosswalk') }}

),

-- Recursive where the engine has recursive CTEs, unrolled on Spark (macros/crosswalk.sql).
chains as (

    {{ follow_crosswalk_links('crosswalk') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by fiscal_year, reported_code, reported_name
            order by hops desc, current_year desc, current_code asc
        ) as depth_rank,
        count(*) over (
            partition by fiscal_year, reported_code, reported_name, hops
        ) as branches_at_depth
    from chains

),

final as (

    select
        fiscal_year,
        reported_code,
        reported_name,
        current_code as subject_code,
        current_year as subject_code_first_year,
        first_relation as relation,
        first_basis as basis,
        relation_path,
        code_path,
        hops,
        -- Two links leaving the same code in the same year would make the end ambiguous.
        branches_at_depth > 1 as is_ambiguous
    from ranked
    where depth_rank = 1

)

select * from final
