{#
    Every economic code of the classification seed, and every code a document prints that the
    seed does not hold (the 财政局's 部门决算 prints 30224, 31001 …): reference data never gates
    the build. A printed code outside the seed stands with its printed name (basis 'printed
    only') and is listed in marts.unresolved_economic_code, where a seed row would settle it.
#}
with

economic_classification as (

    select * from {{ ref('economic_classification') }}

),

economic_basic_expenditures as (

    select * from {{ ref('stg_xiamen__economic_basic_expenditures') }}

),

shanghai_cells as (

    select * from {{ ref('int_pdf_budget_cells_unioned') }}

),

final_account_cells as (

    select * from {{ ref('stg_shanghai__final_account_cells') }}

),

printed_rows as (

    select
        economic_code,
        economic_name
    from economic_basic_expenditures
    where economic_code is not null

    union all

    select
        subject_code as economic_code,
        row_label as economic_name
    from shanghai_cells
    where table_id = 'basic_expenditure_economic'
        and subject_code is not null

    union all

    select
        subject_code as economic_code,
        row_label as economic_name
    from final_account_cells
    where table_id = 'final_basic_expenditure_economic'
        and subject_code is not null

),

printed as (

    -- One printed name per code: the first in name order, so the row is the same on every build.
    select
        economic_code,
        min(economic_name) as economic_name
    from printed_rows
    where length(economic_code) in (3, 5)
    group by economic_code

),

codes as (

    select
        economic_code,
        economic_name,
        basis,
        true as is_in_classification
    from economic_classification

    union all

    select
        printed.economic_code,
        printed.economic_name,
        'printed only' as basis,
        false as is_in_classification
    from printed
    left join economic_classification
        on printed.economic_code = economic_classification.economic_code
    where economic_classification.economic_code is null

),

final as (

    select
        codes.economic_code,
        codes.economic_name,
        {{ economic_level('codes.economic_code') }} as economic_level,
        left(codes.economic_code, 3) as class_code,
        coalesce(classes.economic_name, printed_classes.economic_name, codes.economic_name) as class_name,
        codes.basis,
        printed.economic_code is not null as is_printed,
        codes.is_in_classification
    from codes
    left join economic_classification as classes
        on left(codes.economic_code, 3) = classes.economic_code
    left join printed as printed_classes
        on left(codes.economic_code, 3) = printed_classes.economic_code
    left join printed
        on codes.economic_code = printed.economic_code

)

select * from final
