with

source as (

    select * from {{ source('xiamen', 'transfer_payments') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        nullif(trim(unit_code), '') as unit_code,
        {{ clean_name('unit_name') }} as unit_name,
        nullif(trim(subject_code), '') as subject_code,
        {{ clean_name('subject_name') }} as subject_name,
        {{ clean_name('fund_nature') }} as fund_nature,
        -- 资金性质 is printed in words; the warehouse speaks one fund-source vocabulary.
        case {{ clean_name('fund_nature') }}
            when '一般公共预算资金' then 'general_public_budget'
            when '政府性基金预算资金' then 'government_fund'
            when '国有资本经营预算资金' then 'state_capital'
        end as fund_source,
        {{ clean_name('transfer_type') }} as transfer_type,
        {{ clean_name('project_name') }} as project_name,
        {{ wan('amount') }} as amount_wan
    from source

)

select * from final
