with

source as (

    select * from {{ source('xiamen', 'unit_income') }}

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
        unit_code is null as is_total_row,
        {{ wan('total') }} as total_wan,
        {{ wan('current_subtotal') }} as current_subtotal_wan,
        {{ wan('general_public_budget') }} as general_public_budget_wan,
        {{ wan('government_fund') }} as government_fund_wan,
        {{ wan('state_capital') }} as state_capital_wan,
        {{ wan('fiscal_special_account') }} as fiscal_special_account_wan,
        {{ wan('business_income') }} as business_income_wan,
        {{ wan('operating_income') }} as operating_income_wan,
        {{ wan('superior_subsidy') }} as superior_subsidy_wan,
        {{ wan('subordinate_remittance') }} as subordinate_remittance_wan,
        {{ wan('other_income') }} as other_income_wan,
        {{ wan('carryover_subtotal') }} as carryover_subtotal_wan,
        {{ wan('carryover_general_public_budget') }} as carryover_general_public_budget_wan,
        {{ wan('carryover_government_fund') }} as carryover_government_fund_wan,
        {{ wan('carryover_state_capital') }} as carryover_state_capital_wan,
        {{ wan('carryover_fiscal_special_account') }} as carryover_fiscal_special_account_wan,
        {{ wan('carryover_unit_funds') }} as carryover_unit_funds_wan
    from source

)

select * from final
