-- 财政局's 2024 部门决算 prints nine economic codes the classification seed does not hold
-- (基本支出决算表, pages 16-17): each is published in dim_economic_class with its printed name
-- (basis 'printed only') and listed once in unresolved_economic_code; no code of the seed is
-- listed. Checked only when that very document (by content hash) is loaded.
with

loaded as (

    select max(case when file_name = '2024-final-finance.pdf' then 1 else 0 end) as has_final_account
    from {{ ref('int_documents_classified') }}
    where {{ is_committed_document('sha256') }}

),

listed as (

    select
        economic_code,
        reported_name,
        page_number
    from {{ ref('unresolved_economic_code') }}
    where file_name = '2024-final-finance.pdf'

),

expected as (

    select expected.*
    from (
        values
            ('30224', '被装购置费', 16),
            ('30225', '专用燃料费', 17),
            ('30308', '助学金', 17),
            ('30310', '个人农业生产补贴', 17),
            ('30311', '代缴社会保险费', 17),
            ('31001', '房屋建筑物购建', 17),
            ('31019', '其他交通工具购置', 17),
            ('31021', '文物和陈列品购置', 17),
            ('31022', '无形资产购置', 17)
    ) as expected (economic_code, reported_name, page_number)

),

in_seed_listed as (

    select count(*) as row_count
    from {{ ref('unresolved_economic_code') }} as unresolved
    inner join {{ ref('economic_classification') }} as seed
        on unresolved.economic_code = seed.economic_code

),

published as (

    select count(*) as row_count
    from {{ ref('dim_economic_class') }}
    where basis = 'printed only'
        and economic_code in (select expected.economic_code from expected)
        and class_name is not null

),

final as (

    select 'an expected unresolved code is not listed: ' || expected.economic_code as failure
    from expected
    cross join loaded
    left join listed
        on expected.economic_code = listed.economic_code
        and expected.reported_name = listed.reported_name
        and expected.page_number = listed.page_number
    where loaded.has_final_account = 1
        and listed.economic_code is null

    union all

    select 'a code the final account does not leave unresolved is listed: ' || listed.economic_code as failure
    from listed
    left join expected
        on listed.economic_code = expected.economic_code
    where expected.economic_code is null

    union all

    select 'a code of the classification seed is listed' as failure
    from in_seed_listed
    where in_seed_listed.row_count <> 0

    union all

    select 'the nine codes are not all in dim_economic_class with their printed names' as failure
    from published, loaded
    where loaded.has_final_account = 1
        and published.row_count <> 9

)

select * from final
