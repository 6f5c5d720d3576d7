{#
    Every (year, code, name) any document reports, with its conformed code.
    A reported code is conformed either through the crosswalk (keyed by the printed
    name), or — only when the document already uses the conformed classification and
    the crosswalk has nothing for that year and code — as itself, or — only when a
    document whose tables print every 类/款/项 code beside its name (the Shanghai district
    template, is_known_as_printed) reports it and the crosswalk has nothing for that year
    and code — as itself too ('printed in document': the document itself is the evidence of
    the code and its name in that year). Anything else stays unmapped on purpose, so the
    test on map_subject_code makes someone add a seed row (a Xiamen code outside the
    conformed classification still needs its crosswalk row).
#}
with

reported as (

    select * from {{ ref('int_reported_subjects_unioned') }}

),

crosswalk as (

    select * from {{ ref('int_crosswalk_links_resolved') }}

),

subject_names as (

    select * from {{ ref('subject_names_by_year') }}

),

conformed_year as (

    select max(fiscal_year) as classification_year
    from subject_names

),

conformed_classification as (

    select subject_names.subject_code
    from subject_names
    inner join conformed_year
        on subject_names.fiscal_year = conformed_year.classification_year

),

crosswalked_codes as (

    select distinct
        fiscal_year,
        reported_code
    from crosswalk

),

matched as (

    select
        reported.fiscal_year,
        reported.reported_code,
        reported.reported_name,
        reported.first_seen_at,
        reported.occurrence_count,
        crosswalk.subject_code as crosswalk_subject_code,
        crosswalk.relation as crosswalk_relation,
        crosswalk.basis as crosswalk_basis,
        crosswalk.relation_path as crosswalk_relation_path,
        crosswalk.code_path as crosswalk_code_path,
        crosswalk.hops as crosswalk_hops,
        case
            when crosswalk.reported_code is not null then 'crosswalk'
            when crosswalked_codes.reported_code is null
                and reported.classification_year = conformed_year.classification_year
                and conformed_classification.subject_code is not null
                then 'conformed classification'
            when crosswalked_codes.reported_code is null
                and reported.is_known_as_printed
                then 'printed in document'
            else 'unmapped'
        end as mapping_source
    from reported
    cross join conformed_year
    left join crosswalk
        on reported.fiscal_year = crosswalk.fiscal_year
        and reported.reported_code = crosswalk.reported_code
        and reported.reported_name = crosswalk.reported_name
    left join crosswalked_codes
        on reported.fiscal_year = crosswalked_codes.fiscal_year
        and reported.reported_code = crosswalked_codes.reported_code
    left join conformed_classification
        on reported.reported_code = conformed_classification.subject_code

),

final as (

    select
        fiscal_year,
        reported_code,
        reported_name,
        case mapping_source
            when 'crosswalk' then crosswalk_subject_code
            when 'conformed classification' then reported_code
            when 'printed in document' then reported_code
        end as subject_code,
        case mapping_source
            when 'crosswalk' then crosswalk_relation
            when 'conformed classification' then 'same'
            when 'printed in document' then 'same'
        end as relation,
        case mapping_source
            when 'crosswalk' then crosswalk_basis
            when 'conformed classification' then 'official catalogue'
            when 'printed in document' then 'printed in document'
        end as basis,
        case mapping_source
            when 'crosswalk' then crosswalk_relation_path
            when 'conformed classification' then 'same'
            when 'printed in document' then 'same'
        end as relation_path,
        case mapping_source
            when 'crosswalk' then crosswalk_code_path
            when 'conformed classification' then reported_code
            when 'printed in document' then reported_code
        end as code_path,
        case mapping_source
            when 'crosswalk' then crosswalk_hops
            when 'conformed classification' then 0
            when 'printed in document' then 0
        end as hops,
        mapping_source,
        mapping_source <> 'unmapped' as is_mapped,
        first_seen_at,
        occurrence_count
    from matched

)

select * from final
