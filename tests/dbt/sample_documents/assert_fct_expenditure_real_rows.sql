-- Rows an analyst can check against the page:
--   2024 2080116 non-fiscal project 952.00 (附件3 line 1096)
--   2024 403012 transfer 2080116 17,513.00 专项转移支付 (附件9 line 1487)
--   2024 403008 transfer 2230105 194.00 state capital, transfer type blank (附件9 line 1485)
--   2020 2080199 其他福利支出 9.08, a misprint conformed to 2081099 (line 187)
--   2020 2080199 其他人力资源和社会保障管理事务支出 141.6 stays 2080199 (line 161)
with

expenditure as (

    select * from {{ ref('fct_expenditure') }}
    where department_code = '403'

),

-- Only years whose committed 403 document (macros/committed_documents.sql) was loaded: a build of one document checks that one, and
-- another department's document of the same year is not this one.
loaded_years as (

    select distinct fiscal_year
    from {{ ref('int_documents_classified') }}
    where department_code = '403'
        and {{ is_committed_document('sha256') }}

),

expected as (

    select expected.* from (
        values
            (2024, null, '2080116', '2080116', 'non_fiscal', 'project', false, 952.00, 1096),
            (2024, '403012', '2080116', '2080116', 'general_public_budget', 'project', true, 17513.00, 1487),
            (2024, '403008', '2230105', '2230105', 'state_capital', 'project', true, 194.00, 1485),
            (2020, null, '2080199', '2081099', 'general_public_budget', 'unspecified', false, 9.08, 187),
            (2020, null, '2080199', '2080199', 'general_public_budget', 'unspecified', false, 141.60, 161)
    ) as expected (
        fiscal_year, unit_code, reported_subject_code, subject_code, fund_source,
        expenditure_type, is_transfer_to_lower_level, amount_wan, source_line
    )

)

select expected.*
from expected
inner join loaded_years
    on expected.fiscal_year = loaded_years.fiscal_year
left join expenditure
    on expected.fiscal_year = expenditure.fiscal_year
    and expected.unit_code is not distinct from expenditure.unit_code
    and expected.reported_subject_code = expenditure.reported_subject_code
    and expected.subject_code = expenditure.subject_code
    and expected.fund_source = expenditure.fund_source
    and expected.expenditure_type = expenditure.expenditure_type
    and expected.is_transfer_to_lower_level = expenditure.is_transfer_to_lower_level
    and expected.amount_wan = expenditure.amount_wan
    and expected.source_line = expenditure.source_line
where expenditure.expenditure_key is null
