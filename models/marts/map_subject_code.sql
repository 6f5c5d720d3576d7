with

subject_map as (

    select * from {{ ref('int_subject_codes_mapped') }}

),

subjects as (

    select * from {{ ref('dim_subject') }}

),

final as (

    select
        subject_map.fiscal_year,
        subject_map.reported_code,
        subject_map.reported_name,
        subject_map.subject_code,
        subjects.subject_name,
        subject_map.relation,
        subject_map.basis,
        subject_map.relation_path,
        subject_map.code_path,
        subject_map.hops,
        subject_map.mapping_source,
        subject_map.is_mapped,
        subject_map.first_seen_at,
        subject_map.occurrence_count
    from subject_map
    left join subjects
        on subject_map.subject_code = subjects.subject_code

)

select * from final
