-- Identities of the Shanghai final account (部门决算) 2024-final-finance.pdf (上海市普陀区财政局,
-- printed in 万元) checked in fct_reconciliation, with the values and pages printed:
--   收入支出决算总表 page 7: 收入 总计 2,995.39 = 支出 总计 2,995.39, and 收入 总计 = 本年收入合计
--     2,946.25 + 年初结转和结余 49.14;
--   一般公共预算财政拨款支出决算表 page 15: 201 06 01 行政运行 1,511.89 = 基本支出 1,503.52 +
--     项目支出 8.37; its 基本支出 合计 2,336.91 = 人员经费合计 2,152.26 + 公用经费合计 184.65 of the
--     基本支出决算表;
--   收入支出决算总表 page 6 prints 八、社会保障和就业支出 326.71 where the 支出决算表 prints 208 as
--     326.72 (rounding);
--   the prose (page 21) prints 财政拨款收入支出总计 0.3 万元 where the 财政拨款收入支出决算总表
--     prints 2,961.68: a real contradiction of the source, recorded with its evidence in
--     known_source_findings (known_finding).
-- A missing row or any other value fails. Only the committed file is checked, when loaded
-- (by content hash, macros/committed_documents.sql).
with

expected as (

    select expected.* from (
        values
            (
                '2024-final-finance.pdf',
                'final_income_expenditure_summary=final_income_expenditure_summary:income:outturn',
                'income_expenditure', 29953900.00, 29953900.00, 'ok', 7
            ),
            (
                '2024-final-finance.pdf', 'final_income_expenditure_summary:children_sum:总计:income:outturn',
                'children_sum', 29953900.00, 29953900.00, 'ok', 7
            ),
            (
                '2024-final-finance.pdf', 'final_general_public_budget_expenditure:row:2010601:total',
                'row_arithmetic', 15118900.00, 15118900.00, 'ok', 15
            ),
            (
                '2024-final-finance.pdf',
                'final_general_public_budget_expenditure=final_basic_expenditure_economic:basic',
                'table_vs_table', 23369100.00, 23369100.00, 'ok', 15
            ),
            (
                '2024-final-finance.pdf',
                'final_income_expenditure_summary=final_expenditure:expenditure:outturn:社会保障和就业支出',
                'table_vs_table', 3267100.00, 3267200.00, 'rounding', 6
            ),
            (
                '2024-final-finance.pdf', 'prose=final_fiscal_summary:fiscal_total',
                'prose_vs_table', 3000.00, 29616800.00, 'known_finding', 21
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
