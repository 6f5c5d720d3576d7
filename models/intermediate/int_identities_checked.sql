{#
    Every arithmetic identity the documents promise, one row each, with what the
    document prints (expected) and what its parts add up to (actual). Blank cells
    count as 0. An identity whose both sides are 0 says nothing and is left out.

    Groups:
      children_sum      a printed parent (合计/类/款) against the sum of its children
      row_arithmetic    columns of one row (total = basic + project, …)
      table_vs_table    one table's figure against another's (附件3 fiscal = 附件5 + 附件8, …)
      prose_vs_table    the prose against the tables (line items vs 附件5, totals vs 合计 rows)
      prose_arithmetic  prose totals against prose parts (2020 items vs 78,046.06, …)
      income_expenditure income = expenditure
      prose_repeat      a figure the prose prints twice, second printing vs first
#}
with

subject_expenditures as (

    select * from {{ ref('stg_xiamen__subject_expenditures') }}

),

budget_expenditures as (

    select * from {{ ref('stg_xiamen__budget_expenditures') }}

),

economic_basic_expenditures as (

    select * from {{ ref('stg_xiamen__economic_basic_expenditures') }}

),

unit_incomes as (

    select * from {{ ref('stg_xiamen__unit_incomes') }}

),

three_public_costs as (

    select * from {{ ref('stg_xiamen__three_public_costs') }}

),

transfer_payments as (

    select * from {{ ref('stg_xiamen__transfer_payments') }}

),

overview_items as (

    select * from {{ ref('stg_xiamen__overview_items') }}

),

line_items as (

    select * from {{ ref('stg_xiamen__line_items') }}

),

headline_figures as (

    select * from {{ ref('stg_xiamen__headline_figures') }}

),

headline_first as (

    select * from {{ ref('int_headline_figures_deduplicated') }}

),

-- Hierarchical tables in long form: one row per printed row × measure.
subject_wide as (

    select
        document_id,
        table_id,
        source_line,
        subject_code as code,
        subject_name as row_name,
        subject_level = '合计' as is_total,
        case subject_level
            when '款' then left(subject_code, 3)
            when '项' then left(subject_code, 5)
        end as parent_code,
        coalesce(total_wan, 0) as total,
        coalesce(fiscal_subtotal_wan, 0) as fiscal_subtotal,
        coalesce(fiscal_basic_wan, 0) as fiscal_basic,
        coalesce(fiscal_project_wan, 0) as fiscal_project,
        coalesce(non_fiscal_subtotal_wan, 0) as non_fiscal_subtotal,
        coalesce(non_fiscal_basic_wan, 0) as non_fiscal_basic,
        coalesce(non_fiscal_project_wan, 0) as non_fiscal_project
    from subject_expenditures

),

{%- set subject_measures = [
    'total', 'fiscal_subtotal', 'fiscal_basic', 'fiscal_project',
    'non_fiscal_subtotal', 'non_fiscal_basic', 'non_fiscal_project'
] %}

subject_long as (

    select
        subject_wide.document_id,
        subject_wide.table_id,
        subject_wide.source_line,
        subject_wide.code,
        subject_wide.row_name,
        subject_wide.is_total,
        subject_wide.parent_code,
        measures.measure,
        {{ unpivot_case('subject_wide', subject_measures) }} as measure_value
    from subject_wide
    {{ unpivot_values(subject_measures) }}

),

budget_wide as (

    select
        document_id,
        table_id,
        source_line,
        subject_code as code,
        subject_name as row_name,
        subject_level = '合计' as is_total,
        case subject_level
            when '款' then left(subject_code, 3)
            when '项' then left(subject_code, 5)
        end as parent_code,
        coalesce(total_wan, 0) as total,
        coalesce(basic_subtotal_wan, 0) as basic_subtotal,
        coalesce(basic_personnel_wan, 0) as basic_personnel,
        coalesce(basic_public_wan, 0) as basic_public,
        coalesce(project_wan, 0) as project
    from budget_expenditures

),

{%- set budget_measures = ['total', 'basic_subtotal', 'basic_personnel', 'basic_public', 'project'] %}

budget_long as (

    select
        budget_wide.document_id,
        budget_wide.table_id,
        budget_wide.source_line,
        budget_wide.code,
        budget_wide.row_name,
        budget_wide.is_total,
        budget_wide.parent_code,
        measures.measure,
        {{ unpivot_case('budget_wide', budget_measures) }} as measure_value
    from budget_wide
    {{ unpivot_values(budget_measures) }}

),

economic_wide as (

    select
        document_id,
        table_id,
        source_line,
        economic_code as code,
        economic_name as row_name,
        economic_level = '合计' as is_total,
        case economic_level
            when '款' then left(economic_code, 3)
        end as parent_code,
        coalesce(total_wan, 0) as total,
        coalesce(personnel_wan, 0) as personnel,
        -- The measure's name is part of identity_key ('附件6:children_sum:302:public').
        coalesce(public_wan, 0) as public  -- noqa: RF04
    from economic_basic_expenditures

),

{%- set economic_measures = ['total', 'personnel', 'public'] %}

economic_long as (

    select
        economic_wide.document_id,
        economic_wide.table_id,
        economic_wide.source_line,
        economic_wide.code,
        economic_wide.row_name,
        economic_wide.is_total,
        economic_wide.parent_code,
        measures.measure,
        {{ unpivot_case('economic_wide', economic_measures) }} as measure_value
    from economic_wide
    {{ unpivot_values(economic_measures) }}

),

hierarchy_long as (

    select * from subject_long
    union all
    select * from budget_long
    union all
    select * from economic_long

),

children_sums as (

    select
        parent.document_id,
        parent.table_id,
        parent.source_line,
        parent.code,
        parent.row_name,
        parent.measure,
        parent.measure_value,
        sum(child.measure_value) as children_value,
        count(*) as child_count
    from hierarchy_long as parent
    inner join hierarchy_long as child
        on parent.document_id = child.document_id
        and parent.table_id = child.table_id
        and parent.measure = child.measure
        and not child.is_total
        and child.parent_code is not distinct from parent.code
    group by
        parent.document_id,
        parent.table_id,
        parent.source_line,
        parent.code,
        parent.row_name,
        parent.measure,
        parent.measure_value

),

children_sum as (

    select
        document_id,
        'children_sum' as identity_group,
        table_id || ':children_sum:' || coalesce(code, '合计') || ':' || measure as identity_key,
        table_id || ' ' || coalesce(code || ' ' || row_name, '合计') || ' ' || measure
        || ' = sum of its ' || child_count || ' children' as description,
        table_id,
        source_line,
        measure_value as expected_wan,
        children_value as actual_wan
    from children_sums

),

-- The later branches of each union all from here to overview_vs_tables are positional:
-- they take the first branch's column names, and naming them again adds nothing.
-- noqa: disable=AL03
row_arithmetic as (

    select
        document_id,
        'row_arithmetic' as identity_group,
        table_id || ':row:' || coalesce(subject_code, '合计') || ':total' as identity_key,
        table_id || ' ' || coalesce(subject_code, '合计')
        || ' total = fiscal_subtotal + non_fiscal_subtotal' as description,
        table_id,
        source_line,
        coalesce(total_wan, 0) as expected_wan,
        coalesce(fiscal_subtotal_wan, 0) + coalesce(non_fiscal_subtotal_wan, 0) as actual_wan
    from subject_expenditures

    union all

    select
        document_id,
        'row_arithmetic',
        table_id || ':row:' || coalesce(subject_code, '合计') || ':fiscal_subtotal',
        table_id || ' ' || coalesce(subject_code, '合计')
        || ' fiscal_subtotal = fiscal_basic + fiscal_project',
        table_id,
        source_line,
        coalesce(fiscal_subtotal_wan, 0),
        coalesce(fiscal_basic_wan, 0) + coalesce(fiscal_project_wan, 0)
    from subject_expenditures

    union all

    select
        document_id,
        'row_arithmetic',
        table_id || ':row:' || coalesce(subject_code, '合计') || ':non_fiscal_subtotal',
        table_id || ' ' || coalesce(subject_code, '合计')
        || ' non_fiscal_subtotal = non_fiscal_basic + non_fiscal_project',
        table_id,
        source_line,
        coalesce(non_fiscal_subtotal_wan, 0),
        coalesce(non_fiscal_basic_wan, 0) + coalesce(non_fiscal_project_wan, 0)
    from subject_expenditures

    union all

    select
        document_id,
        'row_arithmetic',
        table_id || ':row:' || coalesce(subject_code, '合计') || ':total',
        table_id || ' ' || coalesce(subject_code, '合计') || ' total = basic_subtotal + project',
        table_id,
        source_line,
        coalesce(total_wan, 0),
        coalesce(basic_subtotal_wan, 0) + coalesce(project_wan, 0)
    from budget_expenditures

    union all

    -- 附件8 prints no personnel/public split, so only 附件5 rows carry this identity.
    select
        document_id,
        'row_arithmetic',
        table_id || ':row:' || coalesce(subject_code, '合计') || ':basic_subtotal',
        table_id || ' ' || coalesce(subject_code, '合计')
        || ' basic_subtotal = basic_personnel + basic_public',
        table_id,
        source_line,
        coalesce(basic_subtotal_wan, 0),
        coalesce(basic_personnel_wan, 0) + coalesce(basic_public_wan, 0)
    from budget_expenditures
    where fund_source = 'general_public_budget'

    union all

    select
        document_id,
        'row_arithmetic',
        table_id || ':row:' || coalesce(economic_code, '合计') || ':total',
        table_id || ' ' || coalesce(economic_code, '合计') || ' total = personnel + public',
        table_id,
        source_line,
        coalesce(total_wan, 0),
        coalesce(personnel_wan, 0) + coalesce(public_wan, 0)
    from economic_basic_expenditures

    union all

    select
        document_id,
        'row_arithmetic',
        table_id || ':row:' || coalesce(unit_code, '合计') || ':total',
        table_id || ' ' || coalesce(unit_code, '合计') || ' total = current_subtotal + carryover_subtotal',
        table_id,
        source_line,
        coalesce(total_wan, 0),
        coalesce(current_subtotal_wan, 0) + coalesce(carryover_subtotal_wan, 0)
    from unit_incomes

    union all

    select
        document_id,
        'row_arithmetic',
        table_id || ':row:' || coalesce(unit_code, '合计') || ':current_subtotal',
        table_id || ' ' || coalesce(unit_code, '合计') || ' current_subtotal = sum of income sources',
        table_id,
        source_line,
        coalesce(current_subtotal_wan, 0),
        coalesce(general_public_budget_wan, 0) + coalesce(government_fund_wan, 0)
        + coalesce(state_capital_wan, 0) + coalesce(fiscal_special_account_wan, 0)
        + coalesce(business_income_wan, 0) + coalesce(operating_income_wan, 0)
        + coalesce(superior_subsidy_wan, 0) + coalesce(subordinate_remittance_wan, 0)
        + coalesce(other_income_wan, 0)
    from unit_incomes

    union all

    select
        document_id,
        'row_arithmetic',
        table_id || ':row:' || coalesce(unit_code, '合计') || ':carryover_subtotal',
        table_id || ' ' || coalesce(unit_code, '合计') || ' carryover_subtotal = sum of carryover sources',
        table_id,
        source_line,
        coalesce(carryover_subtotal_wan, 0),
        coalesce(carryover_general_public_budget_wan, 0) + coalesce(carryover_government_fund_wan, 0)
        + coalesce(carryover_state_capital_wan, 0) + coalesce(carryover_fiscal_special_account_wan, 0)
        + coalesce(carryover_unit_funds_wan, 0)
    from unit_incomes

    union all

    select
        document_id,
        'row_arithmetic',
        table_id || ':row:total',
        table_id || ' total = outbound_travel + vehicle_subtotal + official_reception',
        table_id,
        source_line,
        coalesce(total_wan, 0),
        coalesce(outbound_travel_wan, 0) + coalesce(vehicle_subtotal_wan, 0)
        + coalesce(official_reception_wan, 0)
    from three_public_costs

    union all

    select
        document_id,
        'row_arithmetic',
        table_id || ':row:vehicle_subtotal',
        table_id || ' vehicle_subtotal = vehicle_purchase + vehicle_operation',
        table_id,
        source_line,
        coalesce(vehicle_subtotal_wan, 0),
        coalesce(vehicle_purchase_wan, 0) + coalesce(vehicle_operation_wan, 0)
    from three_public_costs

),

-- Flat children: 附件2's department row against its units and 合计, 附件9's 合计.
unit_income_wide as (

    select
        document_id,
        table_id,
        source_line,
        unit_code,
        coalesce(total_wan, 0) as total,
        coalesce(current_subtotal_wan, 0) as current_subtotal,
        coalesce(general_public_budget_wan, 0) as general_public_budget,
        coalesce(government_fund_wan, 0) as government_fund,
        coalesce(state_capital_wan, 0) as state_capital,
        coalesce(fiscal_special_account_wan, 0) as fiscal_special_account,
        coalesce(business_income_wan, 0) as business_income,
        coalesce(operating_income_wan, 0) as operating_income,
        coalesce(superior_subsidy_wan, 0) as superior_subsidy,
        coalesce(subordinate_remittance_wan, 0) as subordinate_remittance,
        coalesce(other_income_wan, 0) as other_income,
        coalesce(carryover_subtotal_wan, 0) as carryover_subtotal
    from unit_incomes

),

{%- set unit_income_measures = [
    'total', 'current_subtotal', 'general_public_budget', 'government_fund', 'state_capital',
    'fiscal_special_account', 'business_income', 'operating_income', 'superior_subsidy',
    'subordinate_remittance', 'other_income', 'carryover_subtotal'
] %}

unit_income_long as (

    select
        unit_income_wide.document_id,
        unit_income_wide.table_id,
        unit_income_wide.source_line,
        unit_income_wide.unit_code,
        measures.measure,
        {{ unpivot_case('unit_income_wide', unit_income_measures) }} as measure_value
    from unit_income_wide
    {{ unpivot_values(unit_income_measures) }}

),

flat_children_sum as (

    -- The department row (code of 3 digits) is the sum of its units (6 digits).
    select
        department.document_id,
        'children_sum' as identity_group,
        department.table_id || ':children_sum:' || department.unit_code || ':' || department.measure
            as identity_key,
        department.table_id || ' ' || department.unit_code || ' ' || department.measure
        || ' = sum of its units' as description,
        department.table_id,
        department.source_line,
        department.measure_value as expected_wan,
        sum(unit.measure_value) as actual_wan
    from unit_income_long as department
    inner join unit_income_long as unit
        on department.document_id = unit.document_id
        and department.table_id = unit.table_id
        and department.measure = unit.measure
        and length(unit.unit_code) > length(department.unit_code)
        and {{ has_prefix("unit.unit_code", "department.unit_code") }}
    where length(department.unit_code) = 3
    group by
        department.document_id,
        department.table_id,
        department.unit_code,
        department.measure,
        department.source_line,
        department.measure_value

    union all

    -- 合计 repeats the department row (one department per document).
    select
        total.document_id,
        'children_sum',
        total.table_id || ':children_sum:合计:' || total.measure,
        total.table_id || ' 合计 ' || total.measure || ' = sum of department rows',
        total.table_id,
        total.source_line,
        total.measure_value,
        sum(department.measure_value)
    from unit_income_long as total
    inner join unit_income_long as department
        on total.document_id = department.document_id
        and total.table_id = department.table_id
        and total.measure = department.measure
        and length(department.unit_code) = 3
    where total.unit_code is null
    group by
        total.document_id,
        total.table_id,
        total.measure,
        total.source_line,
        total.measure_value

    union all

    select
        total.document_id,
        'children_sum',
        total.table_id || ':children_sum:合计:amount',
        total.table_id || ' 合计 = sum of its transfers',
        total.table_id,
        total.source_line,
        coalesce(total.amount_wan, 0),
        sum(coalesce(detail.amount_wan, 0))
    from transfer_payments as total
    inner join transfer_payments as detail
        on total.document_id = detail.document_id
        and total.table_id = detail.table_id
        and detail.unit_code is not null
    where total.unit_code is null
    group by
        total.document_id,
        total.table_id,
        total.source_line,
        total.amount_wan

),

fiscal_by_code as (

    -- 附件5 and 附件8 together are the fiscal part of 附件3.
    select
        document_id,
        subject_code,
        sum(coalesce(total_wan, 0)) as total,
        sum(coalesce(basic_subtotal_wan, 0)) as basic_subtotal,
        sum(coalesce(project_wan, 0)) as project,
        min(source_line) as source_line
    from budget_expenditures
    group by document_id, subject_code

),

subject_fiscal_pairs as (

    select
        coalesce(subject_expenditures.document_id, fiscal_by_code.document_id) as document_id,
        coalesce(subject_expenditures.subject_code, fiscal_by_code.subject_code, '合计') as code_label,
        coalesce(subject_expenditures.source_line, fiscal_by_code.source_line) as source_line,
        subject_expenditures.fiscal_subtotal_wan,
        subject_expenditures.fiscal_basic_wan,
        subject_expenditures.fiscal_project_wan,
        fiscal_by_code.total as fiscal_total_wan,
        fiscal_by_code.basic_subtotal as fiscal_basic_subtotal_wan,
        fiscal_by_code.project as fiscal_project_sum_wan
    from subject_expenditures
    full outer join fiscal_by_code
        on subject_expenditures.document_id = fiscal_by_code.document_id
        and subject_expenditures.subject_code is not distinct from fiscal_by_code.subject_code
    -- Only documents that print both tables can be compared.
    where coalesce(subject_expenditures.document_id, fiscal_by_code.document_id) in (
            select printed_3.document_id from subject_expenditures as printed_3
            intersect
            select printed_5_8.document_id from budget_expenditures as printed_5_8
        )

),

subject_vs_fiscal as (

    select
        subject_fiscal_pairs.document_id,
        'table_vs_table' as identity_group,
        '附件3=附件5+附件8:' || subject_fiscal_pairs.code_label || ':' || measures.measure as identity_key,
        '附件3 ' || subject_fiscal_pairs.code_label || ' ' || measures.measure || ' = 附件5 + 附件8'
            as description,
        '附件3' as table_id,
        subject_fiscal_pairs.source_line,
        coalesce(case measures.measure
            when 'fiscal_subtotal' then subject_fiscal_pairs.fiscal_subtotal_wan
            when 'fiscal_basic' then subject_fiscal_pairs.fiscal_basic_wan
            when 'fiscal_project' then subject_fiscal_pairs.fiscal_project_wan
        end, 0) as expected_wan,
        coalesce(case measures.measure
            when 'fiscal_subtotal' then subject_fiscal_pairs.fiscal_total_wan
            when 'fiscal_basic' then subject_fiscal_pairs.fiscal_basic_subtotal_wan
            when 'fiscal_project' then subject_fiscal_pairs.fiscal_project_sum_wan
        end, 0) as actual_wan
    from subject_fiscal_pairs
    {{ unpivot_values(['fiscal_subtotal', 'fiscal_basic', 'fiscal_project']) }}

),

table_totals as (

    -- The printed total of each table, in long form, for cross-table and prose checks.
    select
        document_id,
        table_id,
        source_line,
        measure,
        measure_value
    from hierarchy_long
    where is_total

    union all

    select
        document_id,
        table_id,
        source_line,
        measure,
        measure_value
    from unit_income_long
    where unit_code is null

    union all

    select
        three_public_costs.document_id,
        three_public_costs.table_id,
        three_public_costs.source_line,
        measures.measure,
        coalesce(case measures.measure
            when 'total' then three_public_costs.total_wan
            when 'outbound_travel' then three_public_costs.outbound_travel_wan
            when 'vehicle_subtotal' then three_public_costs.vehicle_subtotal_wan
            when 'vehicle_purchase' then three_public_costs.vehicle_purchase_wan
            when 'vehicle_operation' then three_public_costs.vehicle_operation_wan
            when 'official_reception' then three_public_costs.official_reception_wan
        end, 0)
    from three_public_costs
    {{ unpivot_values([
        'total', 'outbound_travel', 'vehicle_subtotal', 'vehicle_purchase', 'vehicle_operation',
        'official_reception'
    ]) }}

    union all

    select
        document_id,
        table_id,
        source_line,
        'amount',
        coalesce(amount_wan, 0)
    from transfer_payments
    where unit_code is null

),

table_pairs as (

    select pairs.* from (
        values
            ('附件6', 'total', '附件5', 'basic_subtotal', '附件6 合计 = 附件5 basic 合计'),
            ('附件6', 'personnel', '附件5', 'basic_personnel', '附件6 personnel 合计 = 附件5 personnel 合计'),
            ('附件6', 'public', '附件5', 'basic_public', '附件6 public 合计 = 附件5 public 合计'),
            ('附件2', 'total', '附件3', 'total', '附件2 income 合计 = 附件3 expenditure 合计 (income = expenditure)'),
            ('附件2', 'general_public_budget', '附件5', 'total', '附件2 一般公共预算 income = 附件5 合计')
    ) as pairs (left_table, left_measure, right_table, right_measure, description)

),

table_vs_table_totals as (

    select
        left_total.document_id,
        case
            when table_pairs.left_table = '附件2' and table_pairs.right_table = '附件3'
                then 'income_expenditure'
            else 'table_vs_table'
        end as identity_group,
        table_pairs.left_table || '=' || table_pairs.right_table || ':' || table_pairs.left_measure
            as identity_key,
        table_pairs.description,
        table_pairs.left_table as table_id,
        left_total.source_line,
        left_total.measure_value as expected_wan,
        right_total.measure_value as actual_wan
    from table_pairs
    inner join table_totals as left_total
        on table_pairs.left_table = left_total.table_id
        and table_pairs.left_measure = left_total.measure
    inner join table_totals as right_total
        on left_total.document_id = right_total.document_id
        and table_pairs.right_table = right_total.table_id
        and table_pairs.right_measure = right_total.measure

),

class_totals as (

    -- 类 totals of 附件3 (all funds) and of 附件5 + 附件8 (fiscal), by 类 name.
    select
        document_id,
        '附件3' as compared_table,
        subject_name,
        coalesce(total_wan, 0) as amount_wan
    from subject_expenditures
    where subject_level = '类'

    union all

    select
        document_id,
        '附件5+附件8',
        subject_name,
        sum(coalesce(total_wan, 0))
    from budget_expenditures
    where subject_level = '类'
    group by document_id, subject_name

),

overview_vs_tables as (

    -- 附件1 spends by 类 what 附件3 does; 附件4 what 附件5 + 附件8 do.
    select
        overview_items.document_id,
        'table_vs_table' as identity_group,
        overview_items.table_id || '=' || class_totals.compared_table || ':' || overview_items.item_name
            as identity_key,
        overview_items.table_id || ' ' || overview_items.item_name || ' = '
        || class_totals.compared_table || ' 类 total' as description,
        overview_items.table_id,
        overview_items.source_line,
        coalesce(overview_items.amount_wan, 0) as expected_wan,
        coalesce(class_totals.amount_wan, 0) as actual_wan
    from overview_items
    left join class_totals
        on overview_items.document_id = class_totals.document_id
        and overview_items.item_name = class_totals.subject_name
        and class_totals.compared_table
        = case overview_items.table_id when '附件1' then '附件3' else '附件5+附件8' end
    where overview_items.side = 'expenditure'
        and overview_items.table_id in ('附件1', '附件4')
        and overview_items.item_name like '%支出'
        and overview_items.item_name not like '%合计%'
        and overview_items.item_name not like '%总计%'

    union all

    select
        overview_items.document_id,
        case
            when overview_items.item_name in ('收入总计', '本年收入合计')
                and table_totals.table_id <> '附件2' then 'income_expenditure'
            else 'table_vs_table'
        end,
        overview_items.table_id || '=' || table_totals.table_id || ':' || overview_items.item_name,
        overview_items.table_id || ' ' || overview_items.item_name || ' = '
        || table_totals.table_id || ' 合计 ' || table_totals.measure,
        overview_items.table_id,
        overview_items.source_line,
        coalesce(overview_items.amount_wan, 0),
        table_totals.measure_value
    from overview_items
    inner join (
        values
            ('附件1', '一般公共预算拨款收入', null, '附件2', 'general_public_budget'),
            ('附件1', '政府性基金预算拨款收入', null, '附件2', 'government_fund'),
            ('附件1', '国有资本经营预算拨款收入', null, '附件2', 'state_capital'),
            ('附件1', '财政专户管理资金收入', null, '附件2', 'fiscal_special_account'),
            ('附件1', '事业收入', null, '附件2', 'business_income'),
            ('附件1', '事业单位经营收入', null, '附件2', 'operating_income'),
            ('附件1', '上级补助收入', null, '附件2', 'superior_subsidy'),
            ('附件1', '附属单位上缴收入', null, '附件2', 'subordinate_remittance'),
            ('附件1', '其他收入', null, '附件2', 'other_income'),
            ('附件1', '本年收入合计', null, '附件2', 'current_subtotal'),
            ('附件1', '上年结转结余', null, '附件2', 'carryover_subtotal'),
            ('附件1', '收入总计', null, '附件2', 'total'),
            ('附件1', '本年支出合计', null, '附件3', 'total'),
            ('附件1', '支出总计', null, '附件3', 'total'),
            ('附件1', '收入总计', null, '附件3', 'total'),
            ('附件4', '一般公共预算拨款', '本年收入', '附件5', 'total'),
            ('附件4', '收入总计', null, '附件5', 'total'),
            ('附件4', '支出总计', null, '附件5', 'total')
    ) as pairs (overview_table, item_name, section_label, compared_table, measure)
        on overview_items.table_id = pairs.overview_table
        and overview_items.item_name = pairs.item_name
        -- 附件4 prints 一般公共预算拨款 under 本年收入 and again under 上年结转.
        and (pairs.section_label is null or overview_items.section_label = pairs.section_label)
    inner join table_totals
        on overview_items.document_id = table_totals.document_id
        and pairs.compared_table = table_totals.table_id
        and pairs.measure = table_totals.measure
    where overview_items.side = case when pairs.item_name like '%支出%' then 'expenditure' else 'income' end

),

-- noqa: enable=AL03
budget_item_rows as (

    select
        document_id,
        subject_code,
        coalesce(total_wan, 0) as total_wan
    from budget_expenditures
    where fund_source = 'general_public_budget'
        and subject_level = '项'

),

line_items_vs_table as (

    -- 2024's prose items against the 附件5 row they name (2020 has no 附件5).
    select
        line_items.document_id,
        'prose_vs_table' as identity_group,
        'prose:二=附件5:item ' || line_items.item_number
        || coalesce('.' || line_items.sub_item_number, '') as identity_key,
        'prose item ' || line_items.item_number || ' ' || line_items.subject_name
        || ' = 附件5 ' || coalesce(line_items.matched_subject_code, '(no matching row)')
            as description,
        line_items.table_id,
        line_items.source_line,
        budget_item_rows.total_wan as expected_wan,
        line_items.amount_wan as actual_wan
    from line_items
    left join budget_item_rows
        on line_items.document_id = budget_item_rows.document_id
        and line_items.matched_subject_code = budget_item_rows.subject_code
    where line_items.document_id in (select budget_expenditures.document_id from budget_expenditures)

),

headline_wide as (

    select
        document_id,
        {% for key in [
            'income_total', 'fiscal_income', 'general_public_budget_income',
            'government_fund_income', 'state_capital_income', 'fiscal_special_account_income',
            'business_income', 'operating_income', 'superior_subsidy_income',
            'subordinate_remittance_income', 'other_income', 'carryover_income',
            'expenditure_total', 'basic_expenditure', 'personnel_expenditure',
            'public_expenditure', 'project_expenditure', 'transfer_to_lower_level',
            'non_fiscal_expenditure', 'operating_expenditure', 'general_budget_expenditure',
            'government_fund_expenditure', 'three_public_total', 'three_public_outbound',
            'three_public_reception', 'three_public_vehicle', 'three_public_vehicle_operation',
            'three_public_vehicle_purchase', 'procurement_total', 'procurement_goods',
            'procurement_works', 'procurement_services'
        ] %}
        max(case when figure_key = '{{ key }}' then figure_value end) as {{ key }},
        max(case when figure_key = '{{ key }}' then source_line end) as {{ key }}_line,
        {% endfor %}
        count(*) as figure_count
    from headline_first
    group by document_id

),

line_item_sums as (

    select
        document_id,
        sum(amount_wan) as all_items_wan,
        sum(case when is_transfer_to_lower_level then amount_wan else 0 end) as transfer_items_wan
    from line_items
    group by document_id

),

transfer_detail_sums as (

    select
        document_id,
        sum(coalesce(amount_wan, 0)) as transfers_wan
    from transfer_payments
    where unit_code is not null
    group by document_id

),

prose_check_values as (

    -- Which prose identity is which: a constant list; its figures are picked by key below
    -- (a lateral join over values, with the figures inside, does not carry over to Spark).
    select
        headline_wide.document_id,
        prose_check.identity_group,
        prose_check.identity_key,
        prose_check.description,
        case prose_check.identity_key
            when 'prose:income_total=sum of sources' then headline_wide.income_total_line
            when 'prose:fiscal_income=sum of budgets' then headline_wide.fiscal_income_line
            when 'prose:expenditure_total=basic+project+other' then headline_wide.expenditure_total_line
            when 'prose:basic=personnel+public' then headline_wide.basic_expenditure_line
            when 'prose:income_total=expenditure_total' then headline_wide.income_total_line
            when 'prose:three_public_total=parts' then headline_wide.three_public_total_line
            when 'prose:three_public_vehicle=parts' then headline_wide.three_public_vehicle_line
            when 'prose:procurement_total=parts' then headline_wide.procurement_total_line
            when 'prose:general_budget_expenditure=sum of line items' then headline_wide.general_budget_expenditure_line
            when 'prose:transfer_to_lower_level=transfers' then headline_wide.transfer_to_lower_level_line
        end as source_line,
        case prose_check.identity_key
            when 'prose:income_total=sum of sources' then headline_wide.income_total
            when 'prose:fiscal_income=sum of budgets' then headline_wide.fiscal_income
            when 'prose:expenditure_total=basic+project+other' then headline_wide.expenditure_total
            when 'prose:basic=personnel+public' then headline_wide.basic_expenditure
            when 'prose:income_total=expenditure_total' then headline_wide.income_total
            when 'prose:three_public_total=parts' then headline_wide.three_public_total
            when 'prose:three_public_vehicle=parts' then headline_wide.three_public_vehicle
            when 'prose:procurement_total=parts' then headline_wide.procurement_total
            when 'prose:general_budget_expenditure=sum of line items' then headline_wide.general_budget_expenditure
            when 'prose:transfer_to_lower_level=transfers' then headline_wide.transfer_to_lower_level
        end as expected_wan,
        case prose_check.identity_key
            when 'prose:income_total=sum of sources'
                then coalesce(headline_wide.fiscal_income, 0)
                    + coalesce(headline_wide.fiscal_special_account_income, 0)
                    + coalesce(headline_wide.business_income, 0)
                    + coalesce(headline_wide.operating_income, 0)
                    + coalesce(headline_wide.superior_subsidy_income, 0)
                    + coalesce(headline_wide.subordinate_remittance_income, 0)
                    + coalesce(headline_wide.other_income, 0)
                    + coalesce(headline_wide.carryover_income, 0)
            when 'prose:fiscal_income=sum of budgets'
                then coalesce(headline_wide.general_public_budget_income, 0)
                    + coalesce(headline_wide.government_fund_income, 0)
                    + coalesce(headline_wide.state_capital_income, 0)
            when 'prose:expenditure_total=basic+project+other'
                then coalesce(headline_wide.basic_expenditure, 0)
                    + coalesce(headline_wide.project_expenditure, 0)
                    + coalesce(headline_wide.non_fiscal_expenditure, 0)
                    + coalesce(headline_wide.operating_expenditure, 0)
            when 'prose:basic=personnel+public'
                then coalesce(headline_wide.personnel_expenditure, 0)
                    + coalesce(headline_wide.public_expenditure, 0)
            when 'prose:income_total=expenditure_total' then headline_wide.expenditure_total
            when 'prose:three_public_total=parts'
                then coalesce(headline_wide.three_public_outbound, 0)
                    + coalesce(headline_wide.three_public_reception, 0)
                    + coalesce(headline_wide.three_public_vehicle, 0)
            when 'prose:three_public_vehicle=parts'
                then coalesce(headline_wide.three_public_vehicle_purchase, 0)
                    + coalesce(headline_wide.three_public_vehicle_operation, 0)
            when 'prose:procurement_total=parts'
                then coalesce(headline_wide.procurement_goods, 0)
                    + coalesce(headline_wide.procurement_works, 0)
                    + coalesce(headline_wide.procurement_services, 0)
            when 'prose:general_budget_expenditure=sum of line items' then line_item_sums.all_items_wan
            when 'prose:transfer_to_lower_level=transfers'
                then coalesce(line_item_sums.transfer_items_wan, 0)
                    + coalesce(transfer_detail_sums.transfers_wan, 0)
        end as actual_wan
    from headline_wide
    left join line_item_sums
        on headline_wide.document_id = line_item_sums.document_id
    left join transfer_detail_sums
        on headline_wide.document_id = transfer_detail_sums.document_id
    cross join (
        values
            (
                'prose_arithmetic', 'prose:income_total=sum of sources',
                'income_total = fiscal + 财政专户 + 事业 + 经营 + 上级补助 + 附属单位 + 其他 + 结转'
            ),
            (
                'prose_arithmetic', 'prose:fiscal_income=sum of budgets',
                'fiscal_income = 一般公共预算 + 政府性基金 + 国有资本经营'
            ),
            (
                'prose_arithmetic', 'prose:expenditure_total=basic+project+other',
                'expenditure_total = basic + project + non-fiscal + operating'
            ),
            (
                'prose_arithmetic', 'prose:basic=personnel+public',
                'basic_expenditure = personnel + public'
            ),
            (
                'income_expenditure', 'prose:income_total=expenditure_total',
                'income_total = expenditure_total'
            ),
            (
                'prose_arithmetic', 'prose:three_public_total=parts',
                '三公 total = outbound + reception + vehicle'
            ),
            (
                'prose_arithmetic', 'prose:three_public_vehicle=parts',
                '三公 vehicle = purchase + operation'
            ),
            (
                'prose_arithmetic', 'prose:procurement_total=parts',
                'procurement_total = goods + works + services'
            ),
            (
                'prose_arithmetic', 'prose:general_budget_expenditure=sum of line items',
                '一般公共预算支出 = sum of the numbered line items (二)'
            ),
            (
                'prose_vs_table', 'prose:transfer_to_lower_level=transfers',
                '对区转移支付 = transfer line items + 附件9 rows'
            )
    ) as prose_check (identity_group, identity_key, description)

),

prose_checks as (

    select
        document_id,
        identity_group,
        identity_key,
        description,
        'prose' as table_id,
        source_line,
        expected_wan,
        actual_wan
    from prose_check_values
    where expected_wan is not null

),

prose_table_pairs as (

    select pairs.* from (
        values
            ('income_total', '附件2', 'total'),
            ('general_public_budget_income', '附件2', 'general_public_budget'),
            ('operating_income', '附件2', 'operating_income'),
            ('superior_subsidy_income', '附件2', 'superior_subsidy'),
            ('expenditure_total', '附件3', 'total'),
            ('non_fiscal_expenditure', '附件3', 'non_fiscal_subtotal'),
            ('general_budget_expenditure', '附件5', 'total'),
            ('basic_expenditure', '附件5', 'basic_subtotal'),
            ('personnel_expenditure', '附件5', 'basic_personnel'),
            ('public_expenditure', '附件5', 'basic_public'),
            ('project_expenditure', '附件5', 'project'),
            ('three_public_total', '附件7', 'total'),
            ('three_public_outbound', '附件7', 'outbound_travel'),
            ('three_public_reception', '附件7', 'official_reception'),
            ('three_public_vehicle', '附件7', 'vehicle_subtotal'),
            ('three_public_vehicle_operation', '附件7', 'vehicle_operation'),
            ('three_public_vehicle_purchase', '附件7', 'vehicle_purchase'),
            ('transfer_to_lower_level', '附件9', 'amount')
    ) as pairs (figure_key, table_id, measure)

),

prose_vs_totals as (

    select
        headline_first.document_id,
        'prose_vs_table' as identity_group,
        'prose=' || prose_table_pairs.table_id || ':' || headline_first.figure_key as identity_key,
        'prose ' || headline_first.figure_key || ' = ' || prose_table_pairs.table_id
        || ' 合计 ' || prose_table_pairs.measure as description,
        'prose' as table_id,
        headline_first.source_line,
        headline_first.figure_value as expected_wan,
        table_totals.measure_value as actual_wan
    from headline_first
    inner join prose_table_pairs
        on headline_first.figure_key = prose_table_pairs.figure_key
    inner join table_totals
        on headline_first.document_id = table_totals.document_id
        and prose_table_pairs.table_id = table_totals.table_id
        and prose_table_pairs.measure = table_totals.measure

),

prose_repeats as (

    select
        repeated.document_id,
        'prose_repeat' as identity_group,
        'prose:repeat:' || repeated.figure_key || ':line ' || repeated.source_line as identity_key,
        repeated.figure_key || ' printed again on line ' || repeated.source_line
        || ' = first printing on line ' || headline_first.source_line as description,
        repeated.table_id,
        repeated.source_line,
        headline_first.figure_value as expected_wan,
        repeated.figure_value as actual_wan
    from headline_figures as repeated
    inner join headline_first
        on repeated.document_id = headline_first.document_id
        and repeated.figure_key = headline_first.figure_key
        and repeated.source_line <> headline_first.source_line

),

unioned as (

    select * from children_sum
    union all
    select * from row_arithmetic
    union all
    select * from flat_children_sum
    union all
    select * from subject_vs_fiscal
    union all
    select * from table_vs_table_totals
    union all
    select * from overview_vs_tables
    union all
    select * from line_items_vs_table
    union all
    select * from prose_checks
    union all
    select * from prose_vs_totals
    union all
    select * from prose_repeats

),

final as (

    select
        document_id,
        identity_group,
        identity_key,
        description,
        table_id,
        source_line,
        cast(expected_wan as decimal(18, 2)) as expected_wan,
        cast(actual_wan as decimal(18, 2)) as actual_wan,
        cast(coalesce(actual_wan, 0) - coalesce(expected_wan, 0) as decimal(18, 2))
            as difference_wan
    from unioned
    where coalesce(expected_wan, 0) <> 0
        or coalesce(actual_wan, 0) <> 0

)

select * from final
