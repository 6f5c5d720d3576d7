-- Values printed in the Shanghai district PDFs (data/raw/shanghai/putuo/), checked in the marts:
--   上海市普陀区人民政府办公室 2025 部门预算 (2025-dept-district-office.pdf), 一般公共预算支出功能分类
--     预算表 page 14: 2010301 行政运行 basic 11,919,501.84 元, project 110,000.00 元
--     (total 12,029,501.84 元 = 1,202.950184 万元, exact); “三公”经费 page 20: 867.50 万元;
--     财务收支预算总表 page 8: 一般公共预算资金 income 91,016,775.35 元, the only income source.
--   上海市普陀区司法局 2026 部门预算 (2026-dept-justice.pdf): 2040601 行政运行 16,726,725.44 元
--     (basic + project).
-- Only committed documents that were loaded are checked, by content hash
-- (macros/committed_documents.sql; a build of one document checks that one).
with

documents as (

    select * from {{ ref('int_documents_classified') }}
    where document_scope = 'department'
        and region = '上海市普陀区'
        and {{ is_committed_document('sha256') }}

),

expenditure as (

    select * from {{ ref('fct_expenditure') }}
    where document_scope = 'department'
        and fund_source = 'general_public_budget'

),

three_public as (

    select * from {{ ref('fct_three_public') }}
    where document_scope = 'department'

),

expected as (

    select expected.* from (
        values
            ('上海市普陀区人民政府办公室', 2025, '2010301', 'basic', 11919501.84, 14),
            ('上海市普陀区人民政府办公室', 2025, '2010301', 'project', 110000.00, 14),
            ('上海市普陀区人民政府办公室', 2025, '2010301', 'basic+project', 12029501.84, null),
            ('上海市普陀区司法局', 2026, '2040601', 'basic+project', 16726725.44, null)
    ) as expected (department_name, fiscal_year, subject_code, measure, amount_yuan, page_number)

),

actual_lines as (

    select
        documents.department_name,
        expenditure.fiscal_year,
        expenditure.subject_code,
        expenditure.expenditure_type as measure,
        expenditure.amount_yuan,
        expenditure.page_number
    from expenditure
    inner join documents
        on expenditure.document_id = documents.document_id

    union all

    select
        documents.department_name,
        expenditure.fiscal_year,
        expenditure.subject_code,
        'basic+project' as measure,
        sum(expenditure.amount_yuan) as amount_yuan,
        cast(null as integer) as page_number
    from expenditure
    inner join documents
        on expenditure.document_id = documents.document_id
    where expenditure.expenditure_type in ('basic', 'project')
    group by documents.department_name, expenditure.fiscal_year, expenditure.subject_code

),

expenditure_failures as (

    select
        expected.department_name,
        expected.fiscal_year,
        expected.subject_code || ' ' || expected.measure as what,
        expected.amount_yuan as expected_value,
        actual_lines.amount_yuan as actual_value
    from expected
    inner join documents
        on expected.department_name = documents.department_name
        and expected.fiscal_year = documents.fiscal_year
    left join actual_lines
        on expected.department_name = actual_lines.department_name
        and expected.fiscal_year = actual_lines.fiscal_year
        and expected.subject_code = actual_lines.subject_code
        and expected.measure = actual_lines.measure
    where actual_lines.amount_yuan is distinct from expected.amount_yuan
        or (
            expected.page_number is not null
            and actual_lines.page_number is distinct from expected.page_number
        )

),

-- The exact 万元 of the 12,029,501.84 元 row pair, and the rounded display value.
exact_wan_failures as (

    select
        documents.department_name,
        documents.fiscal_year,
        '2010301 amount_wan_exact / amount_wan' as what,
        1202.950184 as expected_value,
        sum(expenditure.amount_wan_exact) as actual_value
    from expenditure
    inner join documents
        on expenditure.document_id = documents.document_id
    where documents.department_name = '上海市普陀区人民政府办公室'
        and documents.fiscal_year = 2025
        and expenditure.subject_code = '2010301'
    group by documents.department_name, documents.fiscal_year
    having sum(expenditure.amount_wan_exact) <> 1202.950184
        or sum(expenditure.amount_wan) <> 1202.95

),

income_failures as (

    select
        documents.department_name,
        documents.fiscal_year,
        'income ' || coalesce(income.income_source, '(none)') as what,
        91016775.35 as expected_value,
        income.amount_yuan as actual_value
    from documents
    left join {{ ref('fct_income') }} as income
        on documents.document_id = income.document_id
    where documents.department_name = '上海市普陀区人民政府办公室'
        and documents.fiscal_year = 2025
        and (
            income.income_source is distinct from 'general_public_budget'
            or income.amount_yuan <> 91016775.35
            or income.page_number <> 8
        )

),

three_public_failures as (

    select
        documents.department_name,
        documents.fiscal_year,
        '三公 total (万元)' as what,
        867.50 as expected_value,
        sum(three_public.amount_wan) as actual_value
    from documents
    left join three_public
        on documents.document_id = three_public.document_id
    where documents.department_name = '上海市普陀区人民政府办公室'
        and documents.fiscal_year = 2025
    group by documents.department_name, documents.fiscal_year
    having sum(three_public.amount_wan) is distinct from 867.50

)

select * from expenditure_failures
union all
select * from exact_wan_failures
union all
select * from three_public_failures
union all
select * from income_failures
