{#
    Crosswalk chains: every crosswalk row, followed through later catalogue links
    (A → B in one year, B → C from a later year on) up to crosswalk_max_hops() links.

    DuckDB, Trino and Postgres walk the links with a recursive CTE (default__). Spark SQL
    has no recursive CTE, so spark__ unrolls the walk into crosswalk_max_hops() joins.
    Both stop at the same depth: the dbt test assert_crosswalk_chains_fit_unrolled_depth
    fails when a chain of the seed reaches it (so nothing is ever cut silently), and
    assert_crosswalk_unrolled_walk_matches_recursive runs both implementations on DuckDB
    and requires the same rows.

    `crosswalk` names a relation (CTE or ref) with the columns of the seed
    subject_code_crosswalk. Output: fiscal_year, reported_code, reported_name,
    current_code, current_year, first_relation, first_basis, relation_path, code_path, hops.
#}

{% macro crosswalk_max_hops() -%}
    {{ return(8) }}
{%- endmacro %}

{% macro follow_crosswalk_links(crosswalk) -%}
    {{ return(adapter.dispatch('follow_crosswalk_links', 'budget_warehouse')(crosswalk)) }}
{%- endmacro %}

{% macro default__follow_crosswalk_links(crosswalk) %}
    with recursive walk (
        fiscal_year,
        reported_code,
        reported_name,
        current_code,
        current_year,
        first_relation,
        first_basis,
        relation_path,
        code_path,
        hops
    ) as (

        {{ crosswalk_chain_start(crosswalk) }}

        union all

        {{ crosswalk_chain_step('walk', crosswalk) }}

    )

    select * from walk
{% endmacro %}

{% macro spark__follow_crosswalk_links(crosswalk) %}
    with

    hop_1 as (

        {{ crosswalk_chain_start(crosswalk) }}

    ),

    {{ crosswalk_unrolled_hops(crosswalk) }},

    walk as (

        {{ crosswalk_unrolled_union() }}

    )

    select * from walk
{% endmacro %}

{# hop_2 as (…), …, hop_N as (…): each one more link from the hop before. #}
{% macro crosswalk_unrolled_hops(crosswalk) -%}
    {%- set ctes = [] -%}
    {%- for hop in range(2, crosswalk_max_hops() + 1) -%}
        {%- do ctes.append('hop_' ~ hop ~ ' as (' ~ crosswalk_chain_step('hop_' ~ (hop - 1), crosswalk) ~ ')') -%}
    {%- endfor -%}
    {{ ctes | join(',\n\n') }}
{%- endmacro %}

{# select * from hop_1 union all … union all select * from hop_N #}
{% macro crosswalk_unrolled_union() -%}
    {%- set selects = [] -%}
    {%- for hop in range(1, crosswalk_max_hops() + 1) -%}
        {%- do selects.append('select * from hop_' ~ hop) -%}
    {%- endfor -%}
    {{ selects | join('\nunion all\n') }}
{%- endmacro %}

{# The first link of every crosswalk row. #}
{% macro crosswalk_chain_start(crosswalk) %}
    select
        fiscal_year,
        reported_code,
        reported_name,
        new_code as current_code,
        new_code_first_year as current_year,
        relation as first_relation,
        basis as first_basis,
        relation as relation_path,
        reported_code || ' > ' || new_code as code_path,
        1 as hops
    from {{ crosswalk }}
{% endmacro %}

{#
    One more link from the chains of `chains`: a catalogue change of the code a chain ends
    at, in force from the chain's year on. A printing error belongs to one document and a
    link onto itself changes nothing, so neither continues a chain; a code already on the
    chain is not visited again.
#}
{% macro crosswalk_chain_step(chains, crosswalk) %}
    select
        chains.fiscal_year,
        chains.reported_code,
        chains.reported_name,
        catalogue_links.new_code as current_code,
        catalogue_links.new_code_first_year as current_year,
        chains.first_relation,
        chains.first_basis,
        chains.relation_path || ' > ' || catalogue_links.relation as relation_path,
        chains.code_path || ' > ' || catalogue_links.new_code as code_path,
        chains.hops + 1 as hops
    from {{ chains }} as chains
    inner join {{ crosswalk }} as catalogue_links
        on
            chains.current_code = catalogue_links.reported_code
            and chains.current_year <= catalogue_links.fiscal_year
    where
        catalogue_links.relation not in ('printing_error', 'same', 'renamed', 'unknown')
        and catalogue_links.new_code <> catalogue_links.reported_code
        and chains.hops < {{ crosswalk_max_hops() }}
        and (' > ' || chains.code_path || ' > ') not like ('% > ' || catalogue_links.new_code || ' > %')
{% endmacro %}
