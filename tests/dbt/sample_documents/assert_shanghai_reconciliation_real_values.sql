-- Identities of the Shanghai district PDFs (data/raw/shanghai/putuo/) checked in fct_reconciliation,
-- with the values and pages printed:
--   2025-dept-district-office.pdf 一般公共预算支出功能分类预算表 page 14: 201 03 01 行政运行 合计
--     12,029,501.84 = 基本支出 11,919,501.84 + 项目支出 110,000.00 元; the prose (page 6) prints
--     item 1 行政运行 as 1,202.95 万元 = 12,029,500.00 元, within its rounding (1.84 元 < 50 元);
--     财务收支预算总表 page 8: 收入总计 = 支出总计 = 91,016,775.35 元; “三公” page 20: 合计 867.50 万元.
--   2026-unit-justice.pdf 支出预算总表 page 11: 204 06 01 行政运行 合计 14,348,853.34 beside
--     基本支出 14,348,853.34 and 项目支出 64,840,547.00 (the 款's figure: a real contradiction of
--     the source, recorded with its evidence in known_source_findings: known_finding); page 15: 合计 86,959,408.34 against 基本 + 项目
--     86,959,408.00 (0.34 元: rounding).
-- A missing row or any other value fails. Only committed documents that were
-- loaded are checked (by content hash, macros/committed_documents.sql).
with

expected as (

    select expected.* from (
        values
            (
                '2025-dept-district-office.pdf', 'general_public_budget_expenditure:row:2010301:total',
                'row_arithmetic', 12029501.84, 12029501.84, 'ok', 14
            ),
            (
                '2025-dept-district-office.pdf', 'prose=general_public_budget_expenditure:item 1',
                'prose_vs_table', 12029500.00, 12029501.84, 'ok', 6
            ),
            (
                '2025-dept-district-office.pdf', 'financial_summary=financial_summary:income:amount',
                'income_expenditure', 91016775.35, 91016775.35, 'ok', 8
            ),
            (
                '2025-dept-district-office.pdf', 'three_public:row:合计:total',
                'row_arithmetic', 8675000.00, 8675000.00, 'ok', 20
            ),
            (
                '2026-unit-justice.pdf', 'expenditure_summary:row:2040601:total',
                'row_arithmetic', 14348853.34, 79189400.34, 'known_finding', 11
            ),
            (
                '2026-unit-justice.pdf', 'general_public_budget_expenditure:row:合计:total',
                'row_arithmetic', 86959408.34, 86959408.00, 'rounding', 15
            )
    ) as expected (file_name, identity_key, identity_group, expected_yuan, actual_yuan, status, page_number)

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    where {{ is_committed_document('sha256') }}

),

reconciliation as (

    select * from {{ ref('fct_reconciliation') }}

),

final as (

    select
        expected.file_name,
        expected.identity_key,
        expected.expected_yuan,
        reconciliation.expected_yuan as actual_expected_yuan,
        expected.actual_yuan,
        reconciliation.actual_yuan as actual_actual_yuan,
        expected.status,
        reconciliation.status as actual_status,
        expected.page_number,
        reconciliation.page_number as actual_page_number
    from expected
    inner join documents
        on expected.file_name = documents.file_name
    left join reconciliation
        on documents.document_id = reconciliation.document_id
        and expected.identity_key = reconciliation.identity_key
    where reconciliation.identity_key is null
        or reconciliation.identity_group <> expected.identity_group
        or reconciliation.expected_yuan <> expected.expected_yuan
        or reconciliation.actual_yuan <> expected.actual_yuan
        or reconciliation.status <> expected.status
        or reconciliation.page_number <> expected.page_number

)

select * from final
