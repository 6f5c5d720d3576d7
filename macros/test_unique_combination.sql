{#
    Grain test without dbt_utils (no packages: they would need a download).
    Returns one row per duplicated combination, so a passing model returns nothing.
    NULLs are compared as values: two rows with the same NULL unit are still duplicates
    of the grain, which is what "one row per …" means here.
#}
{% test unique_combination(model, columns) %}
    with

    grouped as (

        select
            {{ columns | join(', ') }},
            count(*) as row_count
        from {{ model }}
        group by {{ columns | join(', ') }}

    ),

    final as (

        select *
        from grouped
        where row_count > 1

    )

    select * from final

{% endtest %}
