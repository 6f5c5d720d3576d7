-- Quality status of real documents (only the committed files loaded are checked,
-- by content hash: macros/committed_documents.sql):
--   2026-unit-justice.pdf prints 行政运行's 项目支出 as 64,840,547.00 元 (the 款's whole 项目支出):
--     four failed identities, each a known source finding with its evidence
--     (seeds/quality/known_source_findings.csv), and rounding → rounding_only;
--   2025-dept-district-office.pdf has no finding → clean;
--   xiamen-hrss-2024-budget.txt has only 0.01–0.02 万元 differences → rounding_only;
--   2024-final-finance.pdf's prose prints 财政拨款收入支出总计 0.3 万元 against 2,961.68 in its
--     table (page 21 vs 13; a known source finding) and rounding → rounding_only;
--   2019-high-court.pdf (江苏省高级人民法院) has no finding → clean.
with

expected as (

    select statuses.* from (
        values
            ('2026-unit-justice.pdf', 'rounding_only'),
            ('2025-dept-district-office.pdf', 'clean'),
            ('xiamen-hrss-2024-budget.txt', 'rounding_only'),
            ('2024-final-finance.pdf', 'rounding_only'),
            ('2019-high-court.pdf', 'clean')
    ) as statuses (file_name, quality_status)

)

select
    expected.file_name,
    expected.quality_status as expected_status,
    documents.quality_status as actual_status
from expected
inner join {{ ref('dim_document') }} as documents
    on expected.file_name = documents.file_name
    and {{ is_committed_document('documents.sha256') }}
where documents.quality_status <> expected.quality_status
