{#
    Every arithmetic identity the documents of every family promise, one row each, with what
    the document prints for the whole (expected) and what its parts add up to (actual), exact
    in 元 and in 万元. Blank cells count as 0. An identity whose both sides are 0 says nothing
    and is left out.

    The identities common to every family are declared once, as data (macro
    identity_declarations, macros/identities.sql), and checked here over the printed figures
    of every family in long form (int_printed_figures_unioned):
      children_sum      a printed parent (合计/类/款) against the sum of its children
      row_arithmetic    columns of one row (total = basic + project, …)
      table_vs_table    one table's printed total against another's (or a summary's row by its
                        label, a summary's 类 rows against a table's by name)
      income_expenditure income total = expenditure total
      prose_vs_table    the prose's figures against the tables' totals (and Shanghai's
                        numbered 类-款-项 items against their 一般公共预算 row)
    A Shanghai prose figure in 万元 agrees with the table within its own rounding
    (rounding_allowance_yuan: 50 元 = 0.005 万元 when printed to 0.01, half a 万元 when printed
    whole); a final account's prose in 万元 agrees with its 万元 tables to half its last printed
    digit (50, 500 or 5,000 元); every other identity is exact.

    What only the Xiamen template prints is checked below the common part, on its staging
    models: 附件2's units against their department, 附件9's transfers, 附件3 fiscal = 附件5 + 附件8
    by code, 附件1/附件4 by 类 name, the 2024 prose items, prose arithmetic (prose_arithmetic)
    and prose figures printed twice (prose_repeat).
#}
{%- set identities = identity_declarations() -%}
{%- set row_identities = [] -%}
{%- set row_parts = [] -%}
{%- for row in identities.rows -%}
{%- do row_identities.append([
    row.table, row.target, row.get('description', row.parts | join(' + ')),
    'true' if row.get('keyed_by_row', true) else 'false',
]) -%}
{%- for part in row.parts -%}
{%- do row_parts.append([row.table, row.target, part]) -%}
{%- endfor -%}
{%- endfor -%}
{%- set table_pairs = [] -%}
{%- set table_pair_parts = [] -%}
{%- for pair in identities.table_pairs -%}
{%- do table_pairs.append([
    pair.left, pair.left_measure, pair.right, pair.get('group', 'table_vs_table'), pair.description,
]) -%}
{%- set right_measures = [pair.right_measure] if pair.right_measure is string else pair.right_measure -%}
{%- for right_measure in right_measures -%}
{%- do table_pair_parts.append([
    pair.left, pair.left_measure, pair.right, right_measure, pair.get('right_row', ''),
]) -%}
{%- endfor -%}
{%- endfor -%}
{%- set prose_tables = [] -%}
{%- for pair in identities.prose_tables -%}
{%- do prose_tables.append([pair[0], pair[1], pair[2], pair[3] if pair | length > 3 else '']) -%}
{%- endfor -%}
{%- set class_rows = [] -%}
{%- for pair in identities.class_rows -%}
{%- do class_rows.append([pair.left, pair.left_measure, pair.left_parent, pair.right, pair.right_measure]) -%}
{%- endfor -%}
{%- set hierarchy_tables = [] -%}
{%- for table_id in identities.hierarchies -%}
{%- do hierarchy_tables.append([table_id]) -%}
{%- endfor %}
with

printed as (

    select * from {{ ref('int_printed_figures_unioned') }}

),

shanghai_prose_printed as (

    select * from {{ ref('stg_shanghai__prose_figures') }}

),

final_account_prose_printed as (

    select * from {{ ref('stg_shanghai__final_account_figures') }}

),

subject_expenditures as (

    select * from {{ ref('stg_xiamen__subject_expenditures') }}

),

budget_expenditures as (

    select * from {{ ref('stg_xiamen__budget_expenditures') }}

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

-- A 万元 figure of the prose stands for the table's 元 to half its last printed digit: 50 元
-- when printed to 0.01 万元 (1,202.95), 5,000 元 when printed whole (839万元). The value lost
-- its printed decimals: a whole figure counts as printed to 0.01 only if its sentence shows it so.
shanghai_prose as (

    select
        *,
        case
            when figure_value <> round(figure_value, 0)
                or replace(raw_text, ',', '') like '%' || cast(figure_value as {{ dbt.type_string() }}) || '%'
                then 50
            else 5000
        end as rounding_allowance_yuan
    from shanghai_prose_printed

),

-- A final account's prose and tables both print 万元: the prose agrees to half its last printed
-- digit, 50 元 (0.005 万元) when printed to 0.01, 500 元 to 0.1 (其他收入6.2万元), 5,000 元 whole.
final_account_prose as (

    select
        *,
        case
            when replace(raw_text, ',', '') like '%' || cast(figure_value_wan as {{ dbt.type_string() }}) || '%'
                then 50
            when figure_value_wan = round(figure_value_wan, 1)
                and replace(raw_text, ',', '')
                like '%' || cast(cast(figure_value_wan as decimal(18, 1)) as {{ dbt.type_string() }}) || '%'
                then 500
            else 5000
        end as rounding_allowance_yuan
    from final_account_prose_printed

),

-- The declarations as tables (their order does not matter).
hierarchy_tables as (

    select declared.* from (
        values
            {{ identity_values(hierarchy_tables) }}
    ) as declared (table_id)

),

row_identities as (

    select declared.* from (
        values
            {{ identity_values(row_identities) }}
    ) as declared (table_id, target_measure, parts_description, keyed_by_row)

),

row_parts as (

    select declared.* from (
        values
            {{ identity_values(row_parts) }}
    ) as declared (table_id, target_measure, part_measure)

),

table_pairs as (

    select declared.* from (
        values
            {{ identity_values(table_pairs) }}
    ) as declared (left_table, left_measure, right_table, identity_group, description)

),

table_pair_parts as (

    select declared.* from (
        values
            {{ identity_values(table_pair_parts) }}
    ) as declared (left_table, left_measure, right_table, right_measure, right_row)

),

prose_table_pairs as (

    select declared.* from (
        values
            {{ identity_values(prose_tables) }}
    ) as declared (figure_key, table_id, measure, row_label)

),

class_row_pairs as (

    select declared.* from (
        values
            {{ identity_values(class_rows) }}
    ) as declared (left_table, left_measure, left_parent, right_table, right_measure)

),

hierarchy_rows as (

    select printed.*
    from printed
    inner join hierarchy_tables
        on printed.table_id = hierarchy_tables.table_id

),

children_sums as (

    select
        parent.document_id,
        parent.table_id,
        parent.source_line,
        parent.page_number,
        parent.row_code,
        parent.row_name,
        parent.measure,
        parent.value_yuan,
        sum(coalesce(child.value_yuan, 0)) as children_yuan,
        count(*) as child_count
    from hierarchy_rows as parent
    inner join hierarchy_rows as child
        on parent.document_id = child.document_id
        and parent.table_id = child.table_id
        and parent.measure = child.measure
        and not child.is_total
        and child.parent_code is not distinct from parent.row_code
    group by
        parent.document_id,
        parent.table_id,
        parent.source_line,
        parent.page_number,
        parent.row_code,
        parent.row_name,
        parent.measure,
        parent.value_yuan

),

children_sum as (

    select
        document_id,
        'children_sum' as identity_group,
        table_id || ':children_sum:' || coalesce(row_code, '合计') || ':' || measure as identity_key,
        table_id || ' ' || coalesce(row_code || ' ' || row_name, '合计') || ' ' || measure
        || ' = sum of its ' || child_count || ' children' as description,
        table_id,
        source_line,
        page_number,
        coalesce(value_yuan, 0) as expected_yuan,
        children_yuan as actual_yuan,
        0 as rounding_allowance_yuan
    from children_sums

),

row_targets as (

    select
        printed.document_id,
        printed.table_id,
        printed.row_key,
        printed.row_label,
        printed.source_line,
        printed.page_number,
        row_identities.target_measure,
        row_identities.parts_description,
        row_identities.keyed_by_row,
        coalesce(printed.value_yuan, 0) as expected_yuan
    from printed
    inner join row_identities
        on printed.table_id = row_identities.table_id
        and printed.measure = row_identities.target_measure

),

row_part_sums as (

    select
        printed.document_id,
        printed.table_id,
        printed.row_key,
        row_parts.target_measure,
        sum(coalesce(printed.value_yuan, 0)) as actual_yuan
    from printed
    inner join row_parts
        on printed.table_id = row_parts.table_id
        and printed.measure = row_parts.part_measure
    group by
        printed.document_id,
        printed.table_id,
        printed.row_key,
        row_parts.target_measure

),

row_arithmetic as (

    -- A row that prints none of the parts (no cell) is not checked.
    select
        row_targets.document_id,
        'row_arithmetic' as identity_group,
        row_targets.table_id || ':row:'
        || case when row_targets.keyed_by_row = 'true' then row_targets.row_label || ':' else '' end
        || row_targets.target_measure as identity_key,
        row_targets.table_id
        || case when row_targets.keyed_by_row = 'true' then ' ' || row_targets.row_label else '' end
        || ' ' || row_targets.target_measure || ' = ' || row_targets.parts_description as description,
        row_targets.table_id,
        row_targets.source_line,
        row_targets.page_number,
        row_targets.expected_yuan,
        row_part_sums.actual_yuan,
        0 as rounding_allowance_yuan
    from row_targets
    inner join row_part_sums
        on row_targets.document_id = row_part_sums.document_id
        and row_targets.table_id = row_part_sums.table_id
        and row_targets.row_key = row_part_sums.row_key
        and row_targets.target_measure = row_part_sums.target_measure

),

table_totals as (

    -- The printed total of each table, in long form, for cross-table and prose checks.
    select
        document_id,
        table_id,
        source_line,
        page_number,
        measure,
        amount_unit,
        coalesce(value_yuan, 0) as value_yuan,
        {{ yuan_to_wan_exact('coalesce(value_yuan, 0)') }} as measure_value
    from printed
    where is_total

),

-- The rows a table pair or a prose figure names: a table's total row (named ''), or a row
-- by its label (a final account summary's 本年收入合计).
named_rows as (

    select
        document_id,
        table_id,
        measure,
        case when is_total then '' else row_label end as named_row,
        coalesce(value_yuan, 0) as value_yuan
    from printed

),

table_pair_sums as (

    select
        named_rows.document_id,
        table_pair_parts.left_table,
        table_pair_parts.left_measure,
        table_pair_parts.right_table,
        sum(named_rows.value_yuan) as value_yuan
    from table_pair_parts
    inner join named_rows
        on table_pair_parts.right_table = named_rows.table_id
        and table_pair_parts.right_measure = named_rows.measure
        and table_pair_parts.right_row = named_rows.named_row
    group by
        named_rows.document_id,
        table_pair_parts.left_table,
        table_pair_parts.left_measure,
        table_pair_parts.right_table

),

table_vs_table as (

    select
        left_total.document_id,
        table_pairs.identity_group,
        table_pairs.left_table || '=' || table_pairs.right_table || ':' || table_pairs.left_measure
            as identity_key,
        table_pairs.description,
        table_pairs.left_table as table_id,
        left_total.source_line,
        left_total.page_number,
        left_total.value_yuan as expected_yuan,
        right_total.value_yuan as actual_yuan,
        0 as rounding_allowance_yuan
    from table_pairs
    inner join table_totals as left_total
        on table_pairs.left_table = left_total.table_id
        and table_pairs.left_measure = left_total.measure
    inner join table_pair_sums as right_total
        on left_total.document_id = right_total.document_id
        and table_pairs.left_table = right_total.left_table
        and table_pairs.left_measure = right_total.left_measure
        and table_pairs.right_table = right_total.right_table

),

class_rows_vs_table as (

    -- A summary prints each 类 by its name only (一、一般公共服务支出): the table's 类 row of
    -- that name prints the same figure, and a 类 the table lacks is 0.
    select
        summary_rows.document_id,
        'table_vs_table' as identity_group,
        class_row_pairs.left_table || '=' || class_row_pairs.right_table || ':' || class_row_pairs.left_measure
        || ':' || summary_rows.row_name as identity_key,
        class_row_pairs.left_table || ' ' || summary_rows.row_label || ' ' || class_row_pairs.left_measure
        || ' = ' || class_row_pairs.right_table || ' '
        || coalesce(class_rows.row_code, '(no 类 row of that name)') || ' ' || class_row_pairs.right_measure
            as description,
        class_row_pairs.left_table as table_id,
        summary_rows.source_line,
        summary_rows.page_number,
        coalesce(summary_rows.value_yuan, 0) as expected_yuan,
        coalesce(class_rows.value_yuan, 0) as actual_yuan,
        0 as rounding_allowance_yuan
    from class_row_pairs
    inner join printed as summary_rows
        on class_row_pairs.left_table = summary_rows.table_id
        and class_row_pairs.left_measure = summary_rows.measure
        and class_row_pairs.left_parent = summary_rows.parent_code
    left join printed as class_rows
        on summary_rows.document_id = class_rows.document_id
        and class_row_pairs.right_table = class_rows.table_id
        and class_row_pairs.right_measure = class_rows.measure
        and summary_rows.row_name = class_rows.row_name
        and class_rows.parent_code is null
        and not class_rows.is_total

),

prose_figures as (

    -- Xiamen's first printing of each figure; Shanghai's figures (each printed once), but
    -- the numbered items and the amounts of free sentences.
    select
        document_id,
        figure_key,
        figure_value,
        source_line,
        cast(null as integer) as page_number,
        -- 万元 prose against 万元 tables, both to 0.01: exact.
        0 as rounding_allowance_yuan
    from headline_first

    union all

    select
        document_id,
        figure_key,
        figure_value,
        cast(null as integer) as source_line,
        page_number,
        rounding_allowance_yuan
    from shanghai_prose
    where figure_key not in ('line_item', 'stated_amount', 'change_on_prior_year')

    union all

    select
        document_id,
        figure_key,
        figure_value_wan as figure_value,
        cast(null as integer) as source_line,
        page_number,
        rounding_allowance_yuan
    from final_account_prose

),

prose_vs_totals as (

    select
        prose_figures.document_id,
        'prose_vs_table' as identity_group,
        'prose=' || prose_table_pairs.table_id || ':' || prose_figures.figure_key as identity_key,
        'prose ' || prose_figures.figure_key || ' = ' || prose_table_pairs.table_id
        || ' ' || case when prose_table_pairs.row_label = '' then '合计' else prose_table_pairs.row_label end
        || ' ' || prose_table_pairs.measure as description,
        'prose' as table_id,
        prose_figures.source_line,
        prose_figures.page_number,
        {{ wan_to_yuan('prose_figures.figure_value') }} as expected_yuan,
        named_rows.value_yuan as actual_yuan,
        prose_figures.rounding_allowance_yuan
    from prose_figures
    inner join prose_table_pairs
        on prose_figures.figure_key = prose_table_pairs.figure_key
    inner join named_rows
        on prose_figures.document_id = named_rows.document_id
        and prose_table_pairs.table_id = named_rows.table_id
        and prose_table_pairs.measure = named_rows.measure
        and prose_table_pairs.row_label = named_rows.named_row

),

prose_items as (

    -- Shanghai's numbered items name their 类-款-项; the ingest matched the 项's code. A final
    -- account states each 项's 决算数 (outturn) under its number and each 类's (class_outturn).
    select
        document_id,
        'general_public_budget_expenditure' as table_id,
        'item ' || item_number as item_label,
        subject_name,
        matched_subject_code as subject_code,
        page_number,
        figure_value,
        rounding_allowance_yuan
    from shanghai_prose
    where figure_key = 'line_item'

    union all

    select
        document_id,
        'final_general_public_budget_expenditure' as table_id,
        case when figure_key = 'outturn' then 'item ' || item_number else 'class ' || subject_code end
            as item_label,
        figure_label as subject_name,
        subject_code,
        page_number,
        figure_value_wan as figure_value,
        rounding_allowance_yuan
    from final_account_prose
    where figure_key in ('outturn', 'class_outturn')

),

shanghai_line_items_vs_table as (

    select
        prose_items.document_id,
        'prose_vs_table' as identity_group,
        'prose=' || prose_items.table_id || ':' || prose_items.item_label as identity_key,
        'prose ' || prose_items.item_label || ' ' || coalesce(prose_items.subject_name, '')
        || ' = ' || prose_items.table_id || ' '
        || coalesce(prose_items.subject_code, '(no matching row)') || ' total' as description,
        'prose' as table_id,
        cast(null as integer) as source_line,
        prose_items.page_number,
        {{ wan_to_yuan('prose_items.figure_value') }} as expected_yuan,
        item_rows.value_yuan as actual_yuan,
        prose_items.rounding_allowance_yuan
    from prose_items
    left join printed as item_rows
        on prose_items.document_id = item_rows.document_id
        and prose_items.table_id = item_rows.table_id
        and item_rows.measure = 'total'
        and prose_items.subject_code = item_rows.row_code

),

-- Xiamen only, from here to xiamen_identities (万元 throughout).
unit_income_long as (

    select
        document_id,
        table_id,
        source_line,
        row_code as unit_code,
        measure,
        {{ yuan_to_wan_exact('value_yuan') }} as measure_value
    from printed
    where template_family = 'xiamen'
        and table_id = '附件2'
        and measure in ({{ string_list([
            'total', 'current_subtotal', 'general_public_budget', 'government_fund', 'state_capital',
            'fiscal_special_account', 'business_income', 'operating_income', 'superior_subsidy',
            'subordinate_remittance', 'other_income', 'carryover_subtotal'
        ]) }})

),

-- The later branches of each union all from here to xiamen_identities are positional:
-- they take the first branch's column names, and naming them again adds nothing.
-- noqa: disable=AL03
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

xiamen_identities as (

    select * from flat_children_sum
    union all
    select * from subject_vs_fiscal
    union all
    select * from overview_vs_tables
    union all
    select * from line_items_vs_table
    union all
    select * from prose_checks
    union all
    select * from prose_repeats

),

xiamen_in_yuan as (

    select
        document_id,
        identity_group,
        identity_key,
        description,
        table_id,
        source_line,
        cast(null as integer) as page_number,
        {{ wan_to_yuan('expected_wan') }} as expected_yuan,
        {{ wan_to_yuan('actual_wan') }} as actual_yuan,
        0 as rounding_allowance_yuan
    from xiamen_identities

),

unioned as (

    select * from children_sum
    union all
    select * from row_arithmetic
    union all
    select * from table_vs_table
    union all
    select * from class_rows_vs_table
    union all
    select * from prose_vs_totals
    union all
    select * from shanghai_line_items_vs_table
    union all
    select * from xiamen_in_yuan

),

final as (

    select
        document_id,
        identity_group,
        identity_key,
        description,
        table_id,
        source_line,
        page_number,
        {{ yuan_to_wan('expected_yuan') }} as expected_wan,
        {{ yuan_to_wan('actual_yuan') }} as actual_wan,
        {{ yuan_to_wan('(coalesce(actual_yuan, 0) - coalesce(expected_yuan, 0))') }} as difference_wan,
        cast(expected_yuan as decimal(24, 2)) as expected_yuan,
        cast(actual_yuan as decimal(24, 2)) as actual_yuan,
        cast(coalesce(actual_yuan, 0) - coalesce(expected_yuan, 0) as decimal(24, 2)) as difference_yuan,
        cast(rounding_allowance_yuan as decimal(24, 2)) as rounding_allowance_yuan
    from unioned
    where coalesce(expected_yuan, 0) <> 0
        or coalesce(actual_yuan, 0) <> 0

)

select * from final
