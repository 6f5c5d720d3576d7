{#
    Follows crosswalk links transitively: a code printed in year Y maps to B (in force
    from year F), and if B itself is later mapped to C, the printed code ends at C.
    Only the first link is keyed by the printed name (that is what tells the 2020
    printing error apart from the real 2080199); later links are catalogue changes of
    the code and apply to any row reported under it from its first year on.
#}
with recursive

crosswalk as (

    select * from {{ ref('subject_code_crosswalk') }}

),

catalogue_links as (

    -- A printing error belongs to one document, and a link onto itself changes nothing.
    select *
    from crosswalk
    where relation not in ('printing_error', 'same', 'renamed', 'unknown')
        and new_code <> reported_code

),

chains as (

    select
        fiscal_year,
        reported_code,
        reported_name,
        new_code as current_code,
        new_code_first_year as current_year,
        relation as first_relation,
        basis as first_basis,
        relation as relation_path,
        [reported_code, new_code] as code_path,
        1 as hops
    from crosswalk

    union all

    select
        chains.fiscal_year,
        chains.reported_code,
        chains.reported_name,
        catalogue_links.new_code,
        catalogue_links.new_code_first_year,
        chains.first_relation,
        chains.first_basis,
        chains.relation_path || ' > ' || catalogue_links.relation,
        list_append(chains.code_path, catalogue_links.new_code),
        chains.hops + 1
    from chains
    inner join catalogue_links
        on catalogue_links.reported_code = chains.current_code
        and catalogue_links.fiscal_year >= chains.current_year
    where chains.hops < 20
        and not list_contains(chains.code_path, catalogue_links.new_code)

),

ranked as (

    select
        *,
        row_number() over (
            partition by fiscal_year, reported_code, reported_name
            order by hops desc, current_year desc, current_code
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
        array_to_string(code_path, ' > ') as code_path,
        hops,
        -- Two links leaving the same code in the same year would make the end ambiguous.
        branches_at_depth > 1 as is_ambiguous
    from ranked
    where depth_rank = 1

)

select * from final
