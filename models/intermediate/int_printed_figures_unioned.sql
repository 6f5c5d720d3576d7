{#
    Every printed table figure of every family in one long form, the input of the one
    identity check (int_identities_checked): one row per printed cell (document × table ×
    row × measure), exact in 元 whatever the table's unit, with the row's code, its parent's
    code and whether it is the table's total row, and its provenance (text line or PDF page).

    Xiamen: the wide staging rows (万元), one measure per amount column; a blank cell is 0
    (as the identities always counted it). Shanghai budgets: the ruled cells (元, 三公 in
    万元); a blank cell stays NULL (the check counts it as 0). A two-sided Shanghai table
    (收支总表) names its measures side:column, its rows side:row_order. The Shanghai final
    account (部门决算, 万元) likewise; its two summaries (收入支出决算总表, 财政拨款收入支出
    决算总表) key each row by its printed label, so that their sections add up as a hierarchy.
#}
{#-
    A final account summary's sections, side by side: 总计 = 本年收入合计 + 使用非财政拨款结余 +
    年初结转和结余 (支出: 本年支出合计 + 结余分配 + 年末结转和结余; the fiscal summary: 本年 … 合计 +
    年初 / 年末财政拨款结转和结余). The numbered rows (一、… ) above a 本年 … 合计 add up to it,
    those below 年初财政拨款结转和结余 to it.
-#}
{%- set final_summaries = ['final_income_expenditure_summary', 'final_fiscal_summary'] -%}
{%- set final_summary_sections = [
    '本年收入合计', '使用非财政拨款结余（含专用结余）', '年初结转和结余', '年初财政拨款结转和结余',
    '本年支出合计', '结余分配', '年末结转和结余', '年末财政拨款结转和结余',
] -%}
{%- set xiamen_tables = [
    {
        'model': 'stg_xiamen__subject_expenditures', 'code': 'subject_code', 'name': 'subject_name',
        'level': 'subject_level',
        'measures': [
            'total', 'fiscal_subtotal', 'fiscal_basic', 'fiscal_project',
            'non_fiscal_subtotal', 'non_fiscal_basic', 'non_fiscal_project',
        ],
    },
    {
        'model': 'stg_xiamen__budget_expenditures', 'code': 'subject_code', 'name': 'subject_name',
        'level': 'subject_level',
        'measures': ['total', 'basic_subtotal', 'basic_personnel', 'basic_public', 'project'],
    },
    {
        'model': 'stg_xiamen__economic_basic_expenditures', 'code': 'economic_code', 'name': 'economic_name',
        'level': 'economic_level', 'measures': ['total', 'personnel', 'public'],
    },
    {
        'model': 'stg_xiamen__unit_incomes', 'code': 'unit_code', 'name': 'unit_name', 'level': none,
        'measures': [
            'total', 'current_subtotal', 'general_public_budget', 'government_fund', 'state_capital',
            'fiscal_special_account', 'business_income', 'operating_income', 'superior_subsidy',
            'subordinate_remittance', 'other_income', 'carryover_subtotal',
            'carryover_general_public_budget', 'carryover_government_fund', 'carryover_state_capital',
            'carryover_fiscal_special_account', 'carryover_unit_funds',
        ],
    },
    {
        'model': 'stg_xiamen__three_public_costs', 'code': none, 'name': none, 'level': none,
        'measures': [
            'total', 'outbound_travel', 'vehicle_subtotal', 'vehicle_purchase', 'vehicle_operation',
            'official_reception',
        ],
    },
    {
        'model': 'stg_xiamen__transfer_payments', 'code': 'unit_code', 'name': 'unit_name', 'level': none,
        'measures': ['amount'],
    },
] %}

with

{% for xiamen_table in xiamen_tables %}
{{ xiamen_table.model }} as (

    select * from {{ ref(xiamen_table.model) }}

),

{% endfor %}
shanghai_cells as (

    select * from {{ ref('stg_shanghai__table_cells') }}

),

final_account_cells as (

    select * from {{ ref('stg_shanghai__final_account_cells') }}

),

{#
    Parent codes: 款 under its 类 (3 digits), 项 under its 款 (5 digits); Xiamen's unit rows
    (附件2, 6 digits) under their department row (3 digits). 合计 rows have none and are the
    parents of the rows without a parent.
#}
{% for xiamen_table in xiamen_tables -%}
{%- set relation = xiamen_table.model -%}
{%- if xiamen_table.level -%}
{%- set total_expression = relation ~ '.' ~ xiamen_table.level ~ " = '合计'" -%}
{%- set parent_expression = 'case ' ~ relation ~ '.' ~ xiamen_table.level
    ~ " when '款' then left(" ~ relation ~ '.' ~ xiamen_table.code ~ ', 3)'
    ~ " when '项' then left(" ~ relation ~ '.' ~ xiamen_table.code ~ ', 5) end' -%}
{%- elif xiamen_table.code -%}
{%- set total_expression = relation ~ '.' ~ xiamen_table.code ~ ' is null' -%}
{%- set parent_expression = 'case when length(' ~ relation ~ '.' ~ xiamen_table.code ~ ') > 3 then left('
    ~ relation ~ '.' ~ xiamen_table.code ~ ', 3) end' -%}
{%- else -%}
{%- set total_expression = 'true' -%}
{%- set parent_expression = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{%- endif -%}
{%- set null_string = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{%- set measure_cases = [] -%}
{%- for measure in xiamen_table.measures -%}
{%- do measure_cases.append("when '" ~ measure ~ "' then " ~ relation ~ '.' ~ measure ~ '_wan') -%}
{%- endfor %}
{{ relation }}_long as (

    select
        'xiamen' as template_family,
        {{ relation }}.document_id,
        {{ relation }}.table_id,
        cast({{ relation }}.row_order as {{ dbt.type_string() }}) as row_key,
        {{ relation ~ '.' ~ xiamen_table.code if xiamen_table.code else null_string }} as row_code,
        {{ relation ~ '.' ~ xiamen_table.name if xiamen_table.name else null_string }} as row_name,
        {{ total_expression }} as is_total,
        {{ parent_expression }} as parent_code,
        measures.measure,
        {{ wan_to_yuan('coalesce(case measures.measure ' ~ measure_cases | join(' ') ~ ' end, 0)') }}
            as value_yuan,
        '万元' as amount_unit,
        {{ xiamen_table.model }}.source_line,
        cast(null as integer) as page_number
    from {{ xiamen_table.model }}
    {{ unpivot_values(xiamen_table.measures) }}

),

{% endfor %}
shanghai_long as (

    select
        'shanghai' as template_family,
        document_id,
        table_id,
        coalesce(side || ':', '') || cast(row_order as {{ dbt.type_string() }}) as row_key,
        subject_code as row_code,
        row_label as row_name,
        subject_code is null and (row_label like '合计%' or row_label like '%总计') as is_total,
        case when length(subject_code) > 3 then left(subject_code, length(subject_code) - 2) end
            as parent_code,
        coalesce(side || ':', '') || column_key as measure,
        amount_yuan as value_yuan,
        amount_unit,
        cast(null as integer) as source_line,
        page_number
    from shanghai_cells

),

final_account_carryover_rows as (

    -- Where a summary's 年初财政拨款结转和结余 stands: the numbered rows below it are its parts.
    select distinct
        document_id,
        table_id,
        side,
        row_order
    from final_account_cells
    where row_label = '年初财政拨款结转和结余'

),

final_account_rows as (

    select
        final_account_cells.*,
        final_account_cells.table_id in ({{ string_list(final_summaries) }}) as is_summary,
        final_account_cells.row_label in ({{ string_list(final_summary_sections) }}) as is_section,
        final_account_carryover_rows.row_order as carryover_row_order
    from final_account_cells
    left join final_account_carryover_rows
        on final_account_cells.document_id = final_account_carryover_rows.document_id
        and final_account_cells.table_id = final_account_carryover_rows.table_id
        and final_account_cells.side = final_account_carryover_rows.side

),

final_account_long as (

    select
        'shanghai_final' as template_family,
        document_id,
        table_id,
        coalesce(side || ':', '') || cast(row_order as {{ dbt.type_string() }}) as row_key,
        case when is_summary then row_label else subject_code end as row_code,
        -- A summary's numbered row names its 类 without the number (一、一般公共服务支出).
        case
            when is_summary and not is_section and row_label like '%、%'
                then substr(row_label, {{ dbt.position("'、'", 'row_label') }} + 1)
            else row_label
        end as row_name,
        subject_code is null
        and (row_label in ('合计', '总计') or row_label like '%经费合计') as is_total,
        case
            when not is_summary and length(subject_code) > 3 then left(subject_code, length(subject_code) - 2)
            when not is_summary or row_label = '总计' then cast(null as {{ dbt.type_string() }})
            when is_section then '总计'
            when row_order > carryover_row_order then '年初财政拨款结转和结余'
            when side = 'income' then '本年收入合计'
            else '本年支出合计'
        end as parent_code,
        coalesce(side || ':', '') || column_key as measure,
        amount_yuan as value_yuan,
        amount_unit,
        cast(null as integer) as source_line,
        page_number
    from final_account_rows

),

unioned as (

    {% for xiamen_table in xiamen_tables %}
    select * from {{ xiamen_table.model }}_long
    union all
    {% endfor %}
    select * from shanghai_long
    union all
    select * from final_account_long

),

final as (

    select
        template_family,
        document_id,
        table_id,
        row_key,
        row_code,
        row_name,
        -- The row as an identity key names it: its code, else its printed label (合计).
        coalesce(row_code, case when template_family = 'xiamen' then '合计' else row_name end) as row_label,
        is_total,
        parent_code,
        measure,
        value_yuan,
        amount_unit,
        source_line,
        page_number
    from unioned

)

select * from final
