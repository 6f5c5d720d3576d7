{#
    The codes whose comparison across years rests on an assumption that a crosswalk row
    would settle, and only those with evidence of a change:
    - printed_later_under_another_name: a code a table prints beside its name stands for
      itself in its year ('printed in document'), but a later classification year the
      warehouse holds (a document or the seed) has the code only under another name: renamed,
      or reused for another activity (the national classification renumbers, merges and
      renames 项 between years);
    - no_crosswalk_row: a code neither the crosswalk nor the conformed classification knows
      (a text document's code of a year the seed does not cover, a code the catalogue dropped):
      published as printed, subject_relation 'unresolved' in fct_expenditure.
    A code printed in one year only, which no later document happens to print again, is no
    evidence of a change and is not listed. Nothing fails: analysts filter on it, the
    report shows it.
#}
with

subject_map as (

    select * from {{ ref('int_subject_codes_mapped') }}

),

reported as (

    select * from {{ ref('int_reported_subjects_unioned') }}

),

subject_names as (

    select * from {{ ref('subject_names_by_year') }}

),

-- Every (classification year, code, name) the warehouse knows: printed by a document, or a
-- row of the classification seed.
known_codes as (

    select
        classification_year,
        reported_code as subject_code,
        reported_name as subject_name
    from reported

    union

    select
        fiscal_year as classification_year,
        subject_code,
        subject_name
    from subject_names

),

held_years as (

    select distinct classification_year
    from known_codes

),

printed_codes as (

    select
        subject_map.fiscal_year,
        reported.classification_year,
        subject_map.reported_code,
        subject_map.reported_name,
        subject_map.first_seen_at,
        subject_map.occurrence_count,
        subject_map.mapping_source
    from subject_map
    inner join reported
        on subject_map.fiscal_year = reported.fiscal_year
        and subject_map.reported_code = reported.reported_code
        and subject_map.reported_name = reported.reported_name
    where subject_map.mapping_source in ('printed in document', 'unmapped')

),

later_years as (

    select
        printed_codes.fiscal_year,
        printed_codes.reported_code,
        printed_codes.reported_name,
        {{ dbt.listagg('cast(held_years.classification_year as ' ~ dbt.type_string() ~ ')', "', '",
            'order by held_years.classification_year') }} as later_classification_years
    from printed_codes
    inner join held_years
        on printed_codes.classification_year < held_years.classification_year
    group by
        printed_codes.fiscal_year,
        printed_codes.reported_code,
        printed_codes.reported_name

),

later_printings as (

    select
        printed_codes.fiscal_year,
        printed_codes.reported_code,
        printed_codes.reported_name,
        max(case when known_codes.subject_name = printed_codes.reported_name then 1 else 0 end)
            as is_printed_later_under_same_name,
        {{ dbt.listagg(
            'cast(known_codes.classification_year as ' ~ dbt.type_string() ~ ") || ' ' || known_codes.subject_name",
            "'; '",
            'order by known_codes.classification_year, known_codes.subject_name'
        ) }}
            as later_names
    from printed_codes
    inner join known_codes
        on printed_codes.reported_code = known_codes.subject_code
        and printed_codes.classification_year < known_codes.classification_year
    group by
        printed_codes.fiscal_year,
        printed_codes.reported_code,
        printed_codes.reported_name

),

final as (

    select
        printed_codes.fiscal_year,
        printed_codes.classification_year,
        printed_codes.reported_code,
        printed_codes.reported_name,
        case printed_codes.mapping_source
            when 'unmapped' then 'no_crosswalk_row'
            else 'printed_later_under_another_name'
        end as resolution_gap,
        later_years.later_classification_years,
        later_printings.later_names,
        printed_codes.first_seen_at,
        printed_codes.occurrence_count
    from printed_codes
    left join later_years
        on printed_codes.fiscal_year = later_years.fiscal_year
        and printed_codes.reported_code = later_years.reported_code
        and printed_codes.reported_name = later_years.reported_name
    left join later_printings
        on printed_codes.fiscal_year = later_printings.fiscal_year
        and printed_codes.reported_code = later_printings.reported_code
        and printed_codes.reported_name = later_printings.reported_name
    where printed_codes.mapping_source = 'unmapped'
        or later_printings.is_printed_later_under_same_name = 0

)

select * from final
