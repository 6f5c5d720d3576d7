{{
    config(
        materialized=document_fact_materialization(),
        incremental_strategy='delete+insert',
        unique_key='document_id',
        pre_hook="{{ delete_documents_no_longer_loaded() }}",
    )
}}

{#
    Income by unit and source from 附件2; for documents without 附件2 (2020) the prose
    figures give the same sources at department level. Blank and zero amounts give no
    row, and the department (403) and 合计 rows of 附件2 are left out because they
    repeat the sum of the units. A Shanghai district PDF: the income side of its
    财务收支预算总表 at department level (一般公共预算 / 政府性基金 / 国有资本经营预算, 事业收入,
    事业单位经营收入, 其他收入; its 财政拨款收入 and 收入总计 rows are sums), in exact 元. A Jiangsu
    provincial PDF likewise, from its 收支预算总表 (万元; 1.一般公共预算, 2.政府性基金预算,
    二、财政专户管理资金; 一、财政拨款 and 收入合计 are sums).
#}
with

unit_incomes as (

    select * from {{ ref('stg_xiamen__unit_incomes') }}
    {{ only_documents_not_yet_loaded() }}

),

headline_figures as (

    select * from {{ ref('int_headline_figures_deduplicated') }}
    {{ only_documents_not_yet_loaded() }}

),

shanghai_cells as (

    select * from {{ ref('int_pdf_budget_cells_unioned') }}
    {{ only_documents_not_yet_loaded() }}

),

documents as (

    select * from {{ ref('int_documents_classified') }}
    {{ only_documents_not_yet_loaded() }}

),

table_income as (

    select
        unit_incomes.document_id,
        unit_incomes.table_id,
        unit_incomes.source_line,
        unit_incomes.unit_code,
        sources.income_source,
        sources.is_carryover,
        case sources.income_column
            when 'general_public_budget_wan' then unit_incomes.general_public_budget_wan
            when 'government_fund_wan' then unit_incomes.government_fund_wan
            when 'state_capital_wan' then unit_incomes.state_capital_wan
            when 'fiscal_special_account_wan' then unit_incomes.fiscal_special_account_wan
            when 'business_income_wan' then unit_incomes.business_income_wan
            when 'operating_income_wan' then unit_incomes.operating_income_wan
            when 'superior_subsidy_wan' then unit_incomes.superior_subsidy_wan
            when 'subordinate_remittance_wan' then unit_incomes.subordinate_remittance_wan
            when 'other_income_wan' then unit_incomes.other_income_wan
            when 'carryover_general_public_budget_wan' then unit_incomes.carryover_general_public_budget_wan
            when 'carryover_government_fund_wan' then unit_incomes.carryover_government_fund_wan
            when 'carryover_state_capital_wan' then unit_incomes.carryover_state_capital_wan
            when 'carryover_fiscal_special_account_wan' then unit_incomes.carryover_fiscal_special_account_wan
            when 'carryover_unit_funds_wan' then unit_incomes.carryover_unit_funds_wan
        end as amount_wan
    from unit_incomes
    -- One row per income column of 附件2: a constant list and a case (portable).
    cross join (
        values
            ('general_public_budget', false, 'general_public_budget_wan'),
            ('government_fund', false, 'government_fund_wan'),
            ('state_capital', false, 'state_capital_wan'),
            ('fiscal_special_account', false, 'fiscal_special_account_wan'),
            ('business', false, 'business_income_wan'),
            ('operating', false, 'operating_income_wan'),
            ('superior_subsidy', false, 'superior_subsidy_wan'),
            ('subordinate_remittance', false, 'subordinate_remittance_wan'),
            ('other', false, 'other_income_wan'),
            ('general_public_budget', true, 'carryover_general_public_budget_wan'),
            ('government_fund', true, 'carryover_government_fund_wan'),
            ('state_capital', true, 'carryover_state_capital_wan'),
            ('fiscal_special_account', true, 'carryover_fiscal_special_account_wan'),
            ('unit_funds', true, 'carryover_unit_funds_wan')
    ) as sources (income_source, is_carryover, income_column)
    where length(unit_incomes.unit_code) > 3

),

prose_income as (

    select
        headline_figures.document_id,
        headline_figures.table_id,
        headline_figures.source_line,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        sources.income_source,
        sources.is_carryover,
        headline_figures.figure_value as amount_wan
    from headline_figures
    inner join (
        values
            ('general_public_budget_income', 'general_public_budget', false),
            ('government_fund_income', 'government_fund', false),
            ('state_capital_income', 'state_capital', false),
            ('fiscal_special_account_income', 'fiscal_special_account', false),
            ('business_income', 'business', false),
            ('operating_income', 'operating', false),
            ('superior_subsidy_income', 'superior_subsidy', false),
            ('subordinate_remittance_income', 'subordinate_remittance', false),
            ('other_income', 'other', false),
            ('carryover_income', 'unspecified', true)
    ) as sources (figure_key, income_source, is_carryover)
        on headline_figures.figure_key = sources.figure_key
    where headline_figures.document_id not in (select unit_incomes.document_id from unit_incomes)

),

-- A Shanghai 财务收支预算总表's income side: every row printed is kept. Labels are numbered
-- '1.' or '1、' and worded with or without 资金/预算: classified by their words, first match
-- wins; a row no word classifies keeps its printed label (reported_label) under 'other'. Only
-- the sums are left out, by rule: 收入总计 / 合计 rows, and 财政拨款收入 where the document
-- prints the 一般公共预算 / 政府性基金 / 国有资本经营 lines it sums.
shanghai_income_rows as (

    select
        shanghai_cells.document_id,
        shanghai_cells.table_id,
        shanghai_cells.row_label,
        shanghai_cells.amount_yuan,
        shanghai_cells.page_number,
        case
            when shanghai_cells.row_label like '%总计%' or shanghai_cells.row_label like '%合计%' then 'sum'
            when shanghai_cells.row_label like '%上年结转%' or shanghai_cells.row_label like '%结转和结余%'
                then 'unspecified'
            when shanghai_cells.row_label like '%一般公共预算%' then 'general_public_budget'
            when shanghai_cells.row_label like '%政府性基金%' then 'government_fund'
            when shanghai_cells.row_label like '%国有资本经营%' then 'state_capital'
            when shanghai_cells.row_label like '%财政专户%' then 'fiscal_special_account'
            when shanghai_cells.row_label like '%财政拨款%' then 'fiscal_total'
            when shanghai_cells.row_label like '%事业单位经营收入%' or shanghai_cells.row_label like '%经营收入%'
                then 'operating'
            when shanghai_cells.row_label like '%事业收入%' then 'business'
            when shanghai_cells.row_label like '%上级补助%' then 'superior_subsidy'
            when shanghai_cells.row_label like '%附属单位上缴%' then 'subordinate_remittance'
            when shanghai_cells.row_label like '%单位资金%' then 'unit_funds'
            when shanghai_cells.row_label like '%其他收入%' then 'other'
            else 'unclassified'
        end as label_class
    from shanghai_cells
    where shanghai_cells.table_id = 'financial_summary'
        and shanghai_cells.side = 'income'
        and shanghai_cells.column_key = 'amount'

),

fiscal_parts_printed as (

    select distinct document_id
    from shanghai_income_rows
    where label_class in ('general_public_budget', 'government_fund', 'state_capital')

),

shanghai_income as (

    select
        shanghai_income_rows.document_id,
        shanghai_income_rows.table_id,
        cast(null as integer) as source_line,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        case
            when shanghai_income_rows.label_class in ('unclassified', 'fiscal_total') then 'other'
            else shanghai_income_rows.label_class
        end as income_source,
        shanghai_income_rows.label_class = 'unspecified' as is_carryover,
        shanghai_income_rows.amount_yuan,
        shanghai_income_rows.page_number,
        shanghai_income_rows.row_label as reported_label
    from shanghai_income_rows
    left join fiscal_parts_printed
        on shanghai_income_rows.document_id = fiscal_parts_printed.document_id
    where shanghai_income_rows.label_class <> 'sum'
        and not (shanghai_income_rows.label_class = 'fiscal_total' and fiscal_parts_printed.document_id is not null)

),

unioned as (

    select
        document_id,
        table_id,
        source_line,
        unit_code,
        income_source,
        is_carryover,
        amount_wan,
        {{ wan_to_yuan('amount_wan') }} as amount_yuan,
        'table' as source_kind,
        cast(null as integer) as page_number,
        cast(null as {{ dbt.type_string() }}) as reported_label
    from table_income

    union all

    select
        document_id,
        table_id,
        source_line,
        unit_code,
        income_source,
        is_carryover,
        amount_wan,
        {{ wan_to_yuan('amount_wan') }} as amount_yuan,
        'prose' as source_kind,
        cast(null as integer) as page_number,
        cast(null as {{ dbt.type_string() }}) as reported_label
    from prose_income

    union all

    select
        document_id,
        table_id,
        source_line,
        unit_code,
        income_source,
        is_carryover,
        -- Printed in 元: 万元 for display only, rounded to 0.01; amount_yuan stays exact.
        {{ yuan_to_wan('amount_yuan') }} as amount_wan,
        amount_yuan,
        'table' as source_kind,
        page_number,
        reported_label
    from shanghai_income

),

final as (

    select
        documents.fiscal_year,
        documents.department_code,
        unioned.unit_code,
        unioned.income_source,
        unioned.is_carryover,
        unioned.amount_wan,
        unioned.amount_yuan,
        unioned.source_kind,
        documents.document_id,
        documents.file_name,
        unioned.table_id,
        unioned.source_line,
        {{ yuan_to_wan_exact('unioned.amount_yuan') }} as amount_wan_exact,
        documents.amount_unit as printed_unit,
        documents.document_scope,
        unioned.page_number,
        unioned.reported_label
    from unioned
    inner join documents
        on unioned.document_id = documents.document_id
    where unioned.amount_yuan is not null
        and unioned.amount_yuan <> 0

)

select * from final
