{#
    The department every document belongs to, resolved in one place. A 部门预算 (and every
    other department-scope document) is its holder's. A 单位预算 belongs to its department:
      1. the 主管部门 its cover prints beside the 预算单位 (stg_shanghai__department_units,
         table_id 封面);
      2. else the unit is the department itself (its 本部's 单位预算): its holder is the holder
         of a department-scope document of the same region and year;
      3. else the 部门预算 of the same region and year whose unit list (机构设置) names the unit;
      4. else nobody says: the unit is its own department, and fct_parse_finding says so
         (unit_department_unknown).
    Names are compared by unit_name_key (macros/units.sql): the forms the template prints one
    name in, with or without 上海市, 普陀区 for 上海市普陀区, 区 for the district. A department
    named by a cover is given the name its own 部门预算 prints, where one of that year matches,
    so that it gets the same derived key (int_documents_classified).
#}
with

documents as (

    select * from {{ ref('stg_xiamen__documents') }}

),

listings as (

    select * from {{ ref('stg_shanghai__department_units') }}

),

department_documents as (

    select
        document_id,
        region,
        fiscal_year,
        department_name,
        {{ unit_name_key('department_name', 'region') }} as name_key,
        document_kind
    from documents
    where document_scope = 'department'

),

-- The unit lists are read from budgets: a unit list names the units of that year's budget.
department_budgets as (

    select * from department_documents
    where document_kind not like '%决算'

),

units as (

    select
        document_id,
        region,
        fiscal_year,
        department_name as unit_name,
        {{ unit_name_key('department_name', 'region') }} as name_key
    from documents
    where document_scope = 'unit'

),

cover_departments as (

    select
        units.document_id,
        listings.department_name,
        listings.page_number,
        row_number() over (
            partition by units.document_id
            order by department_budgets.department_name, department_budgets.document_id
        ) as match_rank,
        -- The name its own 部门预算 of that year prints, where one matches the cover's.
        department_budgets.department_name as budget_department_name,
        department_budgets.document_id as budget_document_id
    from units
    inner join listings
        on units.document_id = listings.document_id
        and listings.table_id = '封面'
    left join department_budgets
        on units.region = department_budgets.region
        and units.fiscal_year = department_budgets.fiscal_year
        and {{ unit_name_key('listings.department_name', 'units.region') }} = department_budgets.name_key

),

own_departments as (

    select
        units.document_id,
        department_documents.department_name,
        department_documents.document_id as department_document_id,
        row_number() over (
            partition by units.document_id
            -- A budget's holder before a final account's: the unit is a budget's unit.
            order by
                case when department_documents.document_kind like '%决算' then 1 else 0 end,
                department_documents.document_id
        ) as match_rank
    from units
    inner join department_documents
        on units.region = department_documents.region
        and units.fiscal_year = department_documents.fiscal_year
        and units.name_key = department_documents.name_key

),

listed_units as (

    select
        units.document_id,
        department_budgets.department_name,
        department_budgets.document_id as listing_document_id,
        listings.page_number as listing_page_number,
        -- Two budgets of one year listing the same unit: the first by name, so every engine
        -- picks the same one.
        row_number() over (
            partition by units.document_id
            order by department_budgets.department_name, department_budgets.document_id, listings.row_order
        ) as match_rank
    from units
    inner join department_budgets
        on units.region = department_budgets.region
        and units.fiscal_year = department_budgets.fiscal_year
    inner join listings
        on department_budgets.document_id = listings.document_id
        and listings.table_id = '机构设置'
        -- A 本部 entry is the department itself (step 2), often in a shortened name.
        and not listings.is_headquarters
    where {{ unit_name_key('listings.unit_name', 'department_budgets.region') }} = units.name_key

),

final as (

    select
        documents.document_id,
        documents.region,
        documents.fiscal_year,
        documents.document_scope,
        case when documents.document_scope = 'unit' then documents.department_name end as unit_name,
        case
            when documents.document_scope <> 'unit' then documents.department_name
            when cover_departments.document_id is not null
                then coalesce(cover_departments.budget_department_name, cover_departments.department_name)
            when own_departments.document_id is not null then own_departments.department_name
            when listed_units.document_id is not null then listed_units.department_name
            else documents.department_name
        end as department_name,
        case
            when documents.document_scope <> 'unit' then 'document'
            when cover_departments.document_id is not null then 'cover'
            when own_departments.document_id is not null then 'department_itself'
            when listed_units.document_id is not null then 'unit_list'
            else 'unknown'
        end as department_source,
        case
            when documents.document_scope <> 'unit' then documents.document_id
            when cover_departments.document_id is not null then documents.document_id
            when own_departments.document_id is not null then own_departments.department_document_id
            when listed_units.document_id is not null then listed_units.listing_document_id
        end as department_source_document_id,
        case
            when documents.document_scope <> 'unit' then 1
            when cover_departments.document_id is not null then cover_departments.page_number
            when own_departments.document_id is not null then 1
            when listed_units.document_id is not null then listed_units.listing_page_number
        end as department_source_page_number
    from documents
    left join cover_departments
        on documents.document_id = cover_departments.document_id
        and cover_departments.match_rank = 1
    left join own_departments
        on documents.document_id = own_departments.document_id
        and own_departments.match_rank = 1
    left join listed_units
        on documents.document_id = listed_units.document_id
        and listed_units.match_rank = 1

)

select * from final
