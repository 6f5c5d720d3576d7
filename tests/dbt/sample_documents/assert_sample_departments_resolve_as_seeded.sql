-- The Xiamen sample documents reach their department through what they print or the
-- departments seed, never through a key derived from the name: xiamen-hrss-2024-budget.txt
-- prints 代码 403 (附件2 lines 972-976), xiamen-hrss-2020-budget.txt prints no code and the seed
-- names it (厦门市人力资源和社会保障局, line 100), both 403. Any other document may derive its key.
with

documents as (

    select * from {{ ref('int_documents_classified') }}
    where {{ is_committed_document('sha256') }}
        and template like 'xiamen-%'

),

final as (

    select
        file_name,
        department_name,
        department_code,
        department_key_source
    from documents
    where department_code <> '403'
        or department_key_source not in (
            case file_name when 'xiamen-hrss-2024-budget.txt' then 'printed' else 'seed' end
        )

)

select * from final
