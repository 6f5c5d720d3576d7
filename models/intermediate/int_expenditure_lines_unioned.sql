{#
    All 项-level expenditure amounts in one shape, before conforming the subject code.
    Only 项 rows (7-digit codes) are taken: 类/款 rows are sums of them and would be
    counted twice. Blank or zero cells produce no line.
      - 附件5/附件8: fiscal money by fund source, basic vs project.
      - 附件3: only its non-fiscal columns (its fiscal columns repeat 附件5 + 附件8).
      - 附件9: transfers to districts, by unit, always project spending.
      - prose line items: only for documents without 附件5 (2020), where they are the
        one itemised source; 2024's prose repeats 附件5 and would double count.
    PDF budgets (int_pdf_budget_cells_unioned: the Shanghai district and Jiangsu provincial
    families, exact 元):
      - general_public_budget_expenditure / government_fund_expenditure /
        state_capital_expenditure: fiscal money by fund source, basic vs project;
      - expenditure_summary minus those three tables, per subject and column: the
        non-fiscal money (a line only where the difference is not zero);
      - a fund table that prints each row's total alone (Jiangsu's 一般公共预算支出预算表, 万元):
        that total, expenditure_type unspecified.
    amount_yuan is the exact measure of every line (万元 × 10000 for Xiamen, the printed 元
    for Shanghai); amount_wan is as printed for Xiamen and amount_yuan / 10000 rounded to
    0.01 万元 for Shanghai (see the amount_wan doc). Provenance: source_line for a text
    document, page_number for a PDF.
    Shanghai final accounts (部门决算, stg_shanghai__final_account_*, printed in 万元):
      - final_general_public_budget_expenditure 项 rows: phase outturn (决算), basic/project;
      - the 决算情况说明's per-项 年初预算: phase initial_budget, expenditure_type unspecified.
    budget_phase says which: every budget document's line is 'budgeted'.
#}
with

budget_expenditures as (

    select * from {{ ref('stg_xiamen__budget_expenditures') }}

),

subject_expenditures as (

    select * from {{ ref('stg_xiamen__subject_expenditures') }}

),

transfer_payments as (

    select * from {{ ref('stg_xiamen__transfer_payments') }}

),

line_items as (

    select * from {{ ref('stg_xiamen__line_items') }}

),

shanghai_cells as (

    select * from {{ ref('int_pdf_budget_cells_unioned') }}

),

final_account_cells as (

    select * from {{ ref('stg_shanghai__final_account_cells') }}

),

final_account_figures as (

    select * from {{ ref('stg_shanghai__final_account_figures') }}

),

fiscal_lines as (

    select
        budget_expenditures.document_id,
        budget_expenditures.table_id,
        budget_expenditures.row_order,
        budget_expenditures.source_line,
        budget_expenditures.raw_text,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        budget_expenditures.subject_code as reported_subject_code,
        budget_expenditures.subject_name as reported_subject_name,
        budget_expenditures.fund_source,
        split.expenditure_type,
        false as is_transfer_to_lower_level,
        cast(null as {{ dbt.type_string() }}) as transfer_type,
        cast(null as {{ dbt.type_string() }}) as project_name,
        case split.expenditure_type
            when 'basic' then budget_expenditures.basic_subtotal_wan
            when 'project' then budget_expenditures.project_wan
        end as amount_wan,
        cast(null as integer) as page_number
    from budget_expenditures
    -- One line per column: a constant list and a case, which every engine reads alike
    -- (a lateral join over values does not carry over to Spark).
    cross join (values ('basic'), ('project')) as split (expenditure_type)
    where budget_expenditures.subject_level = '项'

),

non_fiscal_lines as (

    select
        subject_expenditures.document_id,
        subject_expenditures.table_id,
        subject_expenditures.row_order,
        subject_expenditures.source_line,
        subject_expenditures.raw_text,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        subject_expenditures.subject_code as reported_subject_code,
        subject_expenditures.subject_name as reported_subject_name,
        'non_fiscal' as fund_source,
        split.expenditure_type,
        false as is_transfer_to_lower_level,
        cast(null as {{ dbt.type_string() }}) as transfer_type,
        cast(null as {{ dbt.type_string() }}) as project_name,
        case split.expenditure_type
            when 'basic' then subject_expenditures.non_fiscal_basic_wan
            when 'project' then subject_expenditures.non_fiscal_project_wan
        end as amount_wan,
        cast(null as integer) as page_number
    from subject_expenditures
    cross join (values ('basic'), ('project')) as split (expenditure_type)
    where subject_expenditures.subject_level = '项'

),

transfer_lines as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        unit_code,
        subject_code as reported_subject_code,
        subject_name as reported_subject_name,
        fund_source,
        'project' as expenditure_type,
        true as is_transfer_to_lower_level,
        transfer_type,
        project_name,
        amount_wan,
        cast(null as integer) as page_number
    from transfer_payments
    where unit_code is not null

),

prose_lines as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        coalesce(printed_subject_code, matched_subject_code) as reported_subject_code,
        subject_name as reported_subject_name,
        'general_public_budget' as fund_source,
        'unspecified' as expenditure_type,
        is_transfer_to_lower_level,
        cast(null as {{ dbt.type_string() }}) as transfer_type,
        cast(null as {{ dbt.type_string() }}) as project_name,
        amount_wan,
        cast(null as integer) as page_number
    from line_items
    where document_id not in (select budget_expenditures.document_id from budget_expenditures)

),

xiamen_lines as (

    select * from fiscal_lines
    union all
    select * from non_fiscal_lines
    union all
    select * from transfer_lines
    union all
    select * from prose_lines

),

shanghai_item_cells as (

    select
        document_id,
        table_id,
        row_order,
        page_number,
        raw_text,
        subject_code,
        row_label,
        column_key,
        case table_id
            when 'general_public_budget_expenditure' then 'general_public_budget'
            when 'government_fund_expenditure' then 'government_fund'
            when 'state_capital_expenditure' then 'state_capital'
            when 'expenditure_summary' then 'all_funds'
        end as fund_source,
        amount_yuan
    from shanghai_cells
    where subject_level = '项'
        and column_key in ('basic', 'project')
        and table_id in (
            'general_public_budget_expenditure', 'government_fund_expenditure',
            'state_capital_expenditure', 'expenditure_summary'
        )

),

shanghai_fiscal_lines as (

    select
        document_id,
        table_id,
        row_order,
        cast(null as integer) as source_line,
        raw_text,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        subject_code as reported_subject_code,
        row_label as reported_subject_name,
        fund_source,
        column_key as expenditure_type,
        false as is_transfer_to_lower_level,
        cast(null as {{ dbt.type_string() }}) as transfer_type,
        cast(null as {{ dbt.type_string() }}) as project_name,
        amount_yuan,
        page_number
    from shanghai_item_cells
    where fund_source <> 'all_funds'

),

shanghai_fiscal_totals as (

    select
        document_id,
        reported_subject_code,
        expenditure_type,
        sum(amount_yuan) as fiscal_yuan
    from shanghai_fiscal_lines
    group by document_id, reported_subject_code, expenditure_type

),

-- 支出预算总表 holds all funds; what the three fiscal tables do not hold is non-fiscal money.
shanghai_non_fiscal_lines as (

    select
        all_funds.document_id,
        all_funds.table_id,
        all_funds.row_order,
        cast(null as integer) as source_line,
        all_funds.raw_text,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        all_funds.subject_code as reported_subject_code,
        all_funds.row_label as reported_subject_name,
        'non_fiscal' as fund_source,
        all_funds.column_key as expenditure_type,
        false as is_transfer_to_lower_level,
        cast(null as {{ dbt.type_string() }}) as transfer_type,
        cast(null as {{ dbt.type_string() }}) as project_name,
        coalesce(all_funds.amount_yuan, 0) - coalesce(fiscal.fiscal_yuan, 0) as amount_yuan,
        all_funds.page_number
    from shanghai_item_cells as all_funds
    left join shanghai_fiscal_totals as fiscal
        on all_funds.document_id = fiscal.document_id
        and all_funds.subject_code = fiscal.reported_subject_code
        and all_funds.column_key = fiscal.expenditure_type
    where all_funds.fund_source = 'all_funds'

),

-- The fund tables that split a row into 基本支出 and 项目支出 (Shanghai); a fund table that
-- prints the row's total alone (Jiangsu: 功能科目名称 | 金额) is not among them.
split_tables as (

    select distinct
        document_id,
        table_id
    from shanghai_cells
    where column_key in ('basic', 'project')

),

-- A fund table printing only each row's total gives that total once, its type unspecified
-- (as a prose line item's): which part of it is basic or project the document does not say.
-- Jiangsu prints no all-funds table by subject, so there are no non-fiscal lines to derive.
total_only_lines as (

    select
        item_cells.document_id,
        item_cells.table_id,
        item_cells.row_order,
        cast(null as integer) as source_line,
        item_cells.raw_text,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        item_cells.subject_code as reported_subject_code,
        item_cells.row_label as reported_subject_name,
        case item_cells.table_id
            when 'general_public_budget_expenditure' then 'general_public_budget'
            when 'government_fund_expenditure' then 'government_fund'
            when 'state_capital_expenditure' then 'state_capital'
        end as fund_source,
        'unspecified' as expenditure_type,
        false as is_transfer_to_lower_level,
        cast(null as {{ dbt.type_string() }}) as transfer_type,
        cast(null as {{ dbt.type_string() }}) as project_name,
        item_cells.amount_yuan,
        item_cells.page_number
    from shanghai_cells as item_cells
    left join split_tables
        on item_cells.document_id = split_tables.document_id
        and item_cells.table_id = split_tables.table_id
    where item_cells.subject_level = '项'
        and item_cells.column_key = 'total'
        and item_cells.table_id in (
            'general_public_budget_expenditure', 'government_fund_expenditure', 'state_capital_expenditure'
        )
        and split_tables.document_id is null

),

shanghai_lines as (

    select * from shanghai_fiscal_lines
    union all
    select * from shanghai_non_fiscal_lines
    union all
    select * from total_only_lines

),

-- 一般公共预算财政拨款支出决算表: what was spent (决算数), basic vs project, in 万元.
final_account_outturn_lines as (

    select
        document_id,
        table_id,
        row_order,
        cast(null as integer) as source_line,
        raw_text,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        subject_code as reported_subject_code,
        row_label as reported_subject_name,
        'general_public_budget' as fund_source,
        column_key as expenditure_type,
        false as is_transfer_to_lower_level,
        cast(null as {{ dbt.type_string() }}) as transfer_type,
        cast(null as {{ dbt.type_string() }}) as project_name,
        amount_wan,
        page_number,
        'outturn' as budget_phase
    from final_account_cells
    where table_id = 'final_general_public_budget_expenditure'
        and subject_level = '项'
        and column_key in ('basic', 'project')

),

-- The 决算情况说明 restates each 项's 年初预算 (general public budget fiscal money, no split).
final_account_initial_budget_lines as (

    select
        document_id,
        table_id,
        row_order,
        cast(null as integer) as source_line,
        raw_text,
        cast(null as {{ dbt.type_string() }}) as unit_code,
        subject_code as reported_subject_code,
        subject_name as reported_subject_name,
        'general_public_budget' as fund_source,
        'unspecified' as expenditure_type,
        false as is_transfer_to_lower_level,
        cast(null as {{ dbt.type_string() }}) as transfer_type,
        cast(null as {{ dbt.type_string() }}) as project_name,
        figure_value_wan as amount_wan,
        page_number,
        'initial_budget' as budget_phase
    from final_account_figures
    where figure_key = 'initial_budget'

),

wan_lines as (

    select
        *,
        'budgeted' as budget_phase
    from xiamen_lines
    union all
    select * from final_account_outturn_lines
    union all
    select * from final_account_initial_budget_lines

),

unioned as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        unit_code,
        reported_subject_code,
        reported_subject_name,
        fund_source,
        expenditure_type,
        is_transfer_to_lower_level,
        transfer_type,
        project_name,
        amount_wan,
        {{ wan_to_yuan('amount_wan') }} as amount_yuan,
        page_number,
        budget_phase
    from wan_lines

    union all

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        unit_code,
        reported_subject_code,
        reported_subject_name,
        fund_source,
        expenditure_type,
        is_transfer_to_lower_level,
        transfer_type,
        project_name,
        -- Printed in 元: 万元 for display only, rounded to 0.01; amount_yuan stays exact.
        {{ yuan_to_wan('amount_yuan') }} as amount_wan,
        cast(amount_yuan as decimal(24, 2)) as amount_yuan,
        page_number,
        'budgeted' as budget_phase
    from shanghai_lines

),

final as (

    select *
    from unioned
    where amount_yuan is not null
        and amount_yuan <> 0
        and length(reported_subject_code) = 7

)

select * from final
