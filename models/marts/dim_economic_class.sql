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

printed as (

    select economic_code
    from economic_basic_expenditures
    where economic_code is not null

    union

    select subject_code
    from shanghai_cells
    where table_id = 'basic_expenditure_economic'
        and subject_code is not null

),

final as (

    select
        economic_classification.economic_code,
        economic_classification.economic_name,
        {{ economic_level('economic_classification.economic_code') }} as economic_level,
        left(economic_classification.economic_code, 3) as class_code,
        classes.economic_name as class_name,
        economic_classification.basis,
        printed.economic_code is not null as is_printed
    from economic_classification
    left join economic_classification as classes
        on left(economic_classification.economic_code, 3) = classes.economic_code
    left join printed
        on economic_classification.economic_code = printed.economic_code

)

select * from final
