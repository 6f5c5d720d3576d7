-- Only evidence of a change is listed. 财政局's 2024 部门决算 prints 2010601 行政运行 (支出决算表,
-- page 10) and no 2025 or 2026 document prints it: printed in one year only, which is no
-- evidence of a change, so it is not listed; 区政府办公室 and 商务委员会 2025 print 2101101 行政单位医疗
-- and 2080505 机关事业单位基本养老保险缴费支出, and 司法局 2026 prints both again under the same
-- names (支出预算总表, pages 12-13), so they are confirmed and not listed. Xiamen codes (crosswalk
-- or conformed classification) are never listed. Checked only when those very
-- documents (by content hash, macros/committed_documents.sql) are loaded.
with

loaded as (

    select
        max(case when file_name = '2024-final-finance.pdf' then 1 else 0 end) as has_final_account,
        max(case when file_name = '2026-dept-justice.pdf' then 1 else 0 end) as has_justice_2026,
        max(case when file_name = '2025-dept-district-office.pdf' then 1 else 0 end) as has_district_office_2025
    from {{ ref('int_documents_classified') }}
    where {{ is_committed_document('sha256') }}

),

unresolved as (

    select * from {{ ref('unresolved_subject_code') }}

),

listed_final_account as (

    select count(*) as row_count
    from unresolved
    where fiscal_year = 2024
        and reported_code = '2010601'
        and reported_name = '行政运行'

),

confirmed_listed as (

    select count(*) as row_count
    from unresolved
    where fiscal_year = 2025
        and reported_code in ('2101101', '2080505')

),

xiamen_listed as (

    select count(*) as row_count
    from unresolved
    where first_seen_at like 'xiamen-hrss-2020-budget.txt %'
        or first_seen_at like 'xiamen-hrss-2024-budget.txt %'

),

final as (

    select 'final account 2010601, printed in 2024 only, is listed' as failure
    from loaded, listed_final_account
    where loaded.has_final_account = 1
        and listed_final_account.row_count <> 0

    union all

    select '2025 codes 司法局 2026 prints again are listed' as failure
    from loaded, confirmed_listed
    where loaded.has_district_office_2025 = 1
        and loaded.has_justice_2026 = 1
        and confirmed_listed.row_count <> 0

    union all

    select 'a Xiamen code is listed' as failure
    from xiamen_listed
    where xiamen_listed.row_count <> 0

)

select * from final
