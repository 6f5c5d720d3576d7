with

source as (

    select * from {{ source('xiamen', 'performance_projects') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        project_key,
        scope as project_scope,
        {{ clean_name('project_name') }} as project_name,
        implementation_period,
        implementing_unit,
        supervising_department,
        overall_goal,
        annual_goal,
        {{ wan('budget_amount') }} as budget_amount_wan,
        {{ wan('fiscal_amount') }} as fiscal_amount_wan,
        fiscal_amount_line,
        fund_scope,
        investment_plan
    from source

)

select * from final
