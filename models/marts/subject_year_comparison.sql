{#
    Department × conformed subject × year: a department's budget is the unit of disclosure,
    so a year is compared with that department's previous document, never with another
    department's. Transfers to districts are shown apart because 2024
    keeps them outside its department total while 2020 counts them in; comparing
    "with" and "without" makes both readings available. Change and growth compare
    each year with the previous year that has a document.
    A department-year with a 部门预算 (document_scope 'department') counts that document
    only: its 单位预算 repeats part of it. A department-year with 单位预算 only counts those.
    Sums are taken over the exact amount_yuan and shown in 万元 rounded to 0.01 once (exact
    for 万元 documents; a 元 document's rows are not rounded one by one).
#}
with

all_expenditure as (

    select * from {{ ref('fct_expenditure') }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}

),

department_scope_years as (

    select distinct
        department_code,
        fiscal_year
    from documents
    where document_scope = 'department'
        -- A final account (部门决算) is a department-scope document but no budget.
        and document_kind not like '%决算'

),

-- Budgets only: a final account's 年初预算 and 决算 rows describe the same money again.
expenditure as (

    select all_expenditure.*
    from all_expenditure
    left join department_scope_years
        on all_expenditure.department_code = department_scope_years.department_code
        and all_expenditure.fiscal_year = department_scope_years.fiscal_year
    where all_expenditure.budget_phase = 'budgeted'
        and (
            all_expenditure.document_scope = 'department'
            or department_scope_years.department_code is null
        )

),

subjects as (

    select * from {{ ref('dim_subject') }}

),


by_subject_year_yuan as (

    select
        department_code,
        subject_code,
        fiscal_year,
        sum(case
            when fund_source = 'general_public_budget' and not is_transfer_to_lower_level
                then amount_yuan
            else 0
        end) as general_public_budget_yuan,
        sum(case
            when fund_source = 'general_public_budget' and is_transfer_to_lower_level
                then amount_yuan
            else 0
        end) as general_public_budget_transfers_yuan,
        sum(case when fund_source = 'government_fund' then amount_yuan else 0 end)
            as government_fund_yuan,
        sum(case when fund_source = 'state_capital' then amount_yuan else 0 end)
            as state_capital_yuan,
        sum(case when fund_source = 'non_fiscal' then amount_yuan else 0 end)
            as non_fiscal_yuan
    from expenditure
    group by department_code, subject_code, fiscal_year

),

by_subject_year as (

    select
        department_code,
        subject_code,
        fiscal_year,
        cast(round(general_public_budget_yuan * 0.0001, 2) as decimal(38, 2)) as general_public_budget_wan,
        cast(round(general_public_budget_transfers_yuan * 0.0001, 2) as decimal(38, 2))
            as general_public_budget_transfers_wan,
        cast(round(government_fund_yuan * 0.0001, 2) as decimal(38, 2)) as government_fund_wan,
        cast(round(state_capital_yuan * 0.0001, 2) as decimal(38, 2)) as state_capital_wan,
        cast(round(non_fiscal_yuan * 0.0001, 2) as decimal(38, 2)) as non_fiscal_wan
    from by_subject_year_yuan

),

-- One row per printed code, so the list below needs no distinct aggregate.
reported_codes as (

    select distinct
        department_code,
        subject_code,
        fiscal_year,
        reported_subject_code
    from expenditure

),

reported_code_lists as (

    select
        department_code,
        subject_code,
        fiscal_year,
        {{ dbt.listagg('reported_subject_code', "', '", 'order by reported_subject_code') }}
            as reported_subject_codes
    from reported_codes
    group by department_code, subject_code, fiscal_year

),

-- Every subject a department ever spent on, in every year that department has a document.
department_subjects as (

    select distinct
        department_code,
        subject_code
    from expenditure

),

department_years as (

    select distinct
        department_code,
        fiscal_year
    from expenditure

),

spine as (

    select
        department_subjects.department_code,
        department_subjects.subject_code,
        department_years.fiscal_year
    from department_subjects
    inner join department_years
        on department_subjects.department_code = department_years.department_code

),

filled as (

    select
        spine.department_code,
        spine.subject_code,
        spine.fiscal_year,
        reported_code_lists.reported_subject_codes,
        coalesce(by_subject_year.general_public_budget_wan, 0) as general_public_budget_wan,
        coalesce(by_subject_year.general_public_budget_transfers_wan, 0)
            as general_public_budget_transfers_wan,
        coalesce(by_subject_year.general_public_budget_wan, 0)
        + coalesce(by_subject_year.general_public_budget_transfers_wan, 0)
            as general_public_budget_with_transfers_wan,
        coalesce(by_subject_year.government_fund_wan, 0) as government_fund_wan,
        coalesce(by_subject_year.state_capital_wan, 0) as state_capital_wan,
        coalesce(by_subject_year.non_fiscal_wan, 0) as non_fiscal_wan
    from spine
    left join by_subject_year
        on spine.department_code = by_subject_year.department_code
        and spine.subject_code = by_subject_year.subject_code
        and spine.fiscal_year = by_subject_year.fiscal_year
    left join reported_code_lists
        on spine.department_code = reported_code_lists.department_code
        and spine.subject_code = reported_code_lists.subject_code
        and spine.fiscal_year = reported_code_lists.fiscal_year

),

compared as (

    select
        department_code,
        subject_code,
        fiscal_year,
        reported_subject_codes,
        general_public_budget_wan,
        general_public_budget_transfers_wan,
        general_public_budget_with_transfers_wan,
        government_fund_wan,
        state_capital_wan,
        non_fiscal_wan,
        lag(fiscal_year) over by_year as previous_fiscal_year,
        lag(general_public_budget_wan) over by_year as previous_general_public_budget_wan,
        lag(general_public_budget_with_transfers_wan) over by_year
            as previous_general_public_budget_with_transfers_wan
    from filled
    window by_year as (partition by department_code, subject_code order by fiscal_year)

),

final as (

    select
        compared.department_code,
        compared.subject_code,
        subjects.subject_name,
        subjects.class_code,
        subjects.class_name,
        subjects.section_code,
        subjects.section_name,
        compared.fiscal_year,
        compared.reported_subject_codes,
        compared.general_public_budget_wan,
        compared.general_public_budget_transfers_wan,
        compared.general_public_budget_with_transfers_wan,
        compared.government_fund_wan,
        compared.state_capital_wan,
        compared.non_fiscal_wan,
        compared.previous_fiscal_year,
        compared.previous_general_public_budget_wan,
        compared.general_public_budget_wan - compared.previous_general_public_budget_wan
            as general_public_budget_change_wan,
        cast(round(
            (compared.general_public_budget_wan - compared.previous_general_public_budget_wan)
            * 100.0 / nullif(compared.previous_general_public_budget_wan, 0), 2
        ) as decimal(12, 2)) as general_public_budget_growth_pct,
        compared.previous_general_public_budget_with_transfers_wan,
        compared.general_public_budget_with_transfers_wan
        - compared.previous_general_public_budget_with_transfers_wan
            as general_public_budget_with_transfers_change_wan,
        cast(round(
            (
                compared.general_public_budget_with_transfers_wan
                - compared.previous_general_public_budget_with_transfers_wan
            )
            * 100.0 / nullif(compared.previous_general_public_budget_with_transfers_wan, 0), 2
        ) as decimal(12, 2)) as general_public_budget_with_transfers_growth_pct
    from compared
    left join subjects
        on compared.subject_code = subjects.subject_code

)

select * from final
