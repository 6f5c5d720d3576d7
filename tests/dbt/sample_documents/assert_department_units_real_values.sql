-- Which department each unit of the sample PDFs belongs to (issue 23 item 4), as they print it:
--   2026-dept-justice.pdf page 6: 具体包括：1.普陀区司法局本部 2.普陀区法律援助中心;
--   2025-dept-commerce.pdf page 5: 2.上海市普陀区中小企业服务中心，不单列预算。;
--   2025-dept-district-office.pdf page 4: 2.下属事业单位上海市普陀区交流服务中心不单列预算，并入本部。
-- Each unit listed is a dim_budget_unit row under the listing budget's department_code; each
-- sample 单位预算 is its department's own (预算单位：上海市普陀区司法局 …): the department
-- itself, with the same department_code as that department's 部门预算 and no finding.
-- Committed documents only, by content hash; a department whose 部门预算 was not loaded is not
-- checked (a build of one document checks that one).
with

documents as (

    select * from {{ ref('int_documents_classified') }}
    where {{ is_committed_document('sha256') }}

),

expected_units as (

    select expected.* from (
        values
            ('2026-dept-justice.pdf', 6, '普陀区法律援助中心', true),
            ('2025-dept-commerce.pdf', 5, '上海市普陀区中小企业服务中心', false),
            ('2025-dept-district-office.pdf', 4, '上海市普陀区交流服务中心', false)
    ) as expected (file_name, page_number, unit_name, has_own_budget)

),

unit_failures as (

    select
        expected_units.file_name,
        'unit list: ' || expected_units.unit_name as what
    from expected_units
    inner join documents
        on expected_units.file_name = documents.file_name
    left join {{ ref('stg_shanghai__department_units') }} as listed
        on documents.document_id = listed.document_id
        and listed.table_id = '机构设置'
        and expected_units.unit_name = listed.unit_name
        and expected_units.page_number = listed.page_number
        and expected_units.has_own_budget = listed.has_own_budget
        and not listed.is_headquarters
    left join {{ ref('dim_budget_unit') }} as units
        on expected_units.unit_name = units.unit_name
        and documents.department_code = units.department_code
    where listed.document_id is null
        or units.unit_code is null

),

expected_departments as (

    select expected.* from (
        values
            ('2026-unit-justice.pdf', '2026-dept-justice.pdf'),
            ('2025-unit-commerce.pdf', '2025-dept-commerce.pdf'),
            ('2025-unit-district-office.pdf', '2025-dept-district-office.pdf')
    ) as expected (unit_file_name, department_file_name)

),

department_failures as (

    select
        unit_budgets.file_name,
        'department of the 单位预算: ' || unit_budgets.department_source || ' ' || unit_budgets.department_code
        || ', expected department_itself ' || department_budgets.department_code as what
    from expected_departments
    inner join documents as unit_budgets
        on expected_departments.unit_file_name = unit_budgets.file_name
    inner join documents as department_budgets
        on expected_departments.department_file_name = department_budgets.file_name
    where unit_budgets.department_source <> 'department_itself'
        or unit_budgets.department_code <> department_budgets.department_code

),

finding_failures as (

    select
        findings.file_name,
        'unexpected finding ' || findings.finding_kind as what
    from {{ ref('fct_parse_finding') }} as findings
    inner join documents
        on findings.document_id = documents.document_id
    inner join expected_departments
        on documents.file_name = expected_departments.unit_file_name
    inner join documents as department_budgets
        on expected_departments.department_file_name = department_budgets.file_name
    where findings.finding_kind = 'unit_department_unknown'

)

select * from unit_failures
union all
select * from department_failures
union all
select * from finding_failures
