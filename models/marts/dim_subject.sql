with

subject_names as (

    select * from {{ ref('subject_names_by_year') }}

),

subject_map as (

    select * from {{ ref('int_subject_codes_mapped') }}

),

conformed_year as (

    select max(fiscal_year) as classification_year
    from subject_names

),

leaf_codes as (

    -- The whole current classification we know of, plus any older code that has no
    -- successor (relation unknown/retired) and so stands for itself.
    select subject_names.subject_code
    from subject_names
    inner join conformed_year
        on subject_names.fiscal_year = conformed_year.classification_year

    union

    select subject_code
    from subject_map
    where subject_code is not null

    union

    -- A code no crosswalk row settles stands for itself in the facts, marked unresolved.
    select reported_code
    from subject_map
    where not is_mapped

),

all_codes as (

    select subject_code from leaf_codes
    union
    select left(subject_code, 3) from leaf_codes
    union
    select left(subject_code, 5) from leaf_codes
    where length(subject_code) >= 5

),

latest_names as (

    select
        subject_code,
        subject_name,
        fiscal_year as subject_name_year
    from subject_names
    qualify row_number() over (partition by subject_code order by fiscal_year desc) = 1

),

-- Codes known only as a document prints them (mapping 'printed in document', the Shanghai
-- district tables): their name is the one printed in the latest year; the seed's name, where
-- it has one, comes first.
printed_names as (

    select
        subject_code,
        reported_name as subject_name,
        fiscal_year as subject_name_year
    from subject_map
    where mapping_source in ('printed in document', 'unmapped')
    qualify row_number() over (partition by subject_code order by fiscal_year desc, reported_name asc) = 1

),

name_histories as (

    select
        subject_code,
        {{ dbt.listagg("fiscal_year || ' ' || subject_name", "'; '", 'order by fiscal_year') }}
            as name_history,
        count(distinct subject_name) > 1 as is_renamed
    from subject_names
    group by subject_code

),

final as (

    select
        all_codes.subject_code,
        coalesce(latest_names.subject_name, printed_names.subject_name) as subject_name,
        coalesce(latest_names.subject_name_year, printed_names.subject_name_year) as subject_name_year,
        {{ subject_level('all_codes.subject_code') }} as subject_level,
        left(all_codes.subject_code, 3) as class_code,
        coalesce(class_names.subject_name, printed_class_names.subject_name) as class_name,
        case when length(all_codes.subject_code) >= 5 then left(all_codes.subject_code, 5) end
            as section_code,
        coalesce(section_names.subject_name, printed_section_names.subject_name) as section_name,
        latest_names.subject_name_year = conformed_year.classification_year
            as is_in_conformed_classification,
        name_histories.name_history,
        coalesce(name_histories.is_renamed, false) as is_renamed
    from all_codes
    cross join conformed_year
    left join latest_names
        on all_codes.subject_code = latest_names.subject_code
    left join latest_names as class_names
        on left(all_codes.subject_code, 3) = class_names.subject_code
    left join latest_names as section_names
        on left(all_codes.subject_code, 5) = section_names.subject_code
        and length(all_codes.subject_code) >= 5
    left join printed_names
        on all_codes.subject_code = printed_names.subject_code
    left join printed_names as printed_class_names
        on left(all_codes.subject_code, 3) = printed_class_names.subject_code
    left join printed_names as printed_section_names
        on left(all_codes.subject_code, 5) = printed_section_names.subject_code
        and length(all_codes.subject_code) >= 5
    left join name_histories
        on all_codes.subject_code = name_histories.subject_code

)

select * from final
