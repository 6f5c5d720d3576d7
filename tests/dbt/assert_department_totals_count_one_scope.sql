-- subject_year_comparison counts a department-year's 部门预算 only, never its 单位预算 on top:
-- for every department-year with a department-scope document, the comparison's measures
-- equal the department-scope facts (in exact 元, rounded once to 0.01 万元).
with

documents as (

    select * from {{ ref('int_documents_classified') }}

),

department_scope_years as (

    select distinct
        department_code,
        fiscal_year
    from documents
    where document_scope = 'department'
        and document_kind not like '%决算'

),

facts as (

    select
        expenditure.department_code,
        expenditure.fiscal_year,
        cast(round(sum(expenditure.amount_yuan) * 0.0001, 2) as decimal(38, 2)) as total_wan
    from {{ ref('fct_expenditure') }} as expenditure
    inner join department_scope_years
        on expenditure.department_code = department_scope_years.department_code
        and expenditure.fiscal_year = department_scope_years.fiscal_year
    where expenditure.document_scope = 'department'
        and expenditure.budget_phase = 'budgeted'
    group by expenditure.department_code, expenditure.fiscal_year

),

compared as (

    select
        department_code,
        fiscal_year,
        sum(
            general_public_budget_with_transfers_wan + government_fund_wan + state_capital_wan
            + non_fiscal_wan
        ) as total_wan,
        count(*) as subject_rows
    from {{ ref('subject_year_comparison') }}
    group by department_code, fiscal_year

)

select
    facts.department_code,
    facts.fiscal_year,
    facts.total_wan as department_scope_wan,
    compared.total_wan as comparison_wan
from facts
left join compared
    on facts.department_code = compared.department_code
    and facts.fiscal_year = compared.fiscal_year
-- Each subject row is rounded once per measure (at most 0.005 万元 each, five measures); more
-- than that means a scope was counted twice.
where compared.total_wan is null
    or abs(compared.total_wan - facts.total_wan) > 0.025 * compared.subject_rows
