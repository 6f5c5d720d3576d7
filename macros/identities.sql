{#
    The accounting identities every family's documents promise, declared once as data and
    checked by one model (int_identities_checked) over the printed figures of every family
    in long form (int_printed_figures_unioned). A new template adds its tables here; no SQL.

      hierarchies     tables whose coded rows add up: parent = Σ children (类 = Σ 款, 款 = Σ 项,
                      a child's parent_code is its code less two digits), 合计 = Σ top level;
                      checked for every measure of the table
      rows            within one printed row: target measure = Σ part measures
                      (keyed_by_row false: a one-row table whose key names no row;
                      description: the words after 'target = ' when Σ parts is too long)
      table_pairs     one table's printed total against another's (group income_expenditure
                      when it says income = expenditure); right_row: the other table's row of
                      that label instead of its total (a summary's 本年收入合计); a list of
                      right measures: the sum of the other table's totals of each
      class_rows      each row under a summary's left_parent row against the right table's
                      top-level (类) row of the same name (the summary prints the 类 without
                      its code)
      prose_tables    a figure of the prose against a table's printed total, or the row of the
                      label given fourth (万元 prose against a 元 table: within the prose's
                      rounding, 0.005 万元)

    A measure of a two-sided Shanghai table (收支总表) is side:column ('income:amount'); the
    final account's (部门决算) summaries key each row by its printed label.
#}
{% macro identity_declarations() %}
    {{ return({
        'hierarchies': [
            '附件3', '附件5', '附件6', '附件8',
            'income_summary', 'expenditure_summary', 'general_public_budget_expenditure',
            'government_fund_expenditure', 'state_capital_expenditure', 'basic_expenditure_economic',
            'final_income_expenditure_summary', 'final_fiscal_summary', 'final_income', 'final_expenditure',
            'final_general_public_budget_expenditure', 'final_government_fund', 'final_state_capital',
            'final_basic_expenditure_economic',
        ],
        'rows': [
            {'table': '附件3', 'target': 'total', 'parts': ['fiscal_subtotal', 'non_fiscal_subtotal']},
            {'table': '附件3', 'target': 'fiscal_subtotal', 'parts': ['fiscal_basic', 'fiscal_project']},
            {'table': '附件3', 'target': 'non_fiscal_subtotal', 'parts': ['non_fiscal_basic', 'non_fiscal_project']},
            {'table': '附件5', 'target': 'total', 'parts': ['basic_subtotal', 'project']},
            {'table': '附件8', 'target': 'total', 'parts': ['basic_subtotal', 'project']},
            {'table': '附件5', 'target': 'basic_subtotal', 'parts': ['basic_personnel', 'basic_public']},
            {'table': '附件6', 'target': 'total', 'parts': ['personnel', 'public']},
            {'table': '附件2', 'target': 'total', 'parts': ['current_subtotal', 'carryover_subtotal']},
            {'table': '附件2', 'target': 'current_subtotal', 'description': 'sum of income sources', 'parts': [
                'general_public_budget', 'government_fund', 'state_capital', 'fiscal_special_account',
                'business_income', 'operating_income', 'superior_subsidy', 'subordinate_remittance',
                'other_income']},
            {'table': '附件2', 'target': 'carryover_subtotal', 'description': 'sum of carryover sources', 'parts': [
                'carryover_general_public_budget', 'carryover_government_fund', 'carryover_state_capital',
                'carryover_fiscal_special_account', 'carryover_unit_funds']},
            {'table': '附件7', 'target': 'total', 'keyed_by_row': false,
                'parts': ['outbound_travel', 'vehicle_subtotal', 'official_reception']},
            {'table': '附件7', 'target': 'vehicle_subtotal', 'keyed_by_row': false,
                'parts': ['vehicle_purchase', 'vehicle_operation']},
            {'table': 'income_summary', 'target': 'total',
                'parts': ['fiscal', 'business_income', 'operating_income', 'other_income']},
            {'table': 'expenditure_summary', 'target': 'total', 'parts': ['basic', 'project']},
            {'table': 'general_public_budget_expenditure', 'target': 'total', 'parts': ['basic', 'project']},
            {'table': 'government_fund_expenditure', 'target': 'total', 'parts': ['basic', 'project']},
            {'table': 'state_capital_expenditure', 'target': 'total', 'parts': ['basic', 'project']},
            {'table': 'basic_expenditure_economic', 'target': 'total', 'parts': ['personnel', 'public']},
            {'table': 'fiscal_summary', 'target': 'expenditure:total', 'parts': [
                'expenditure:general_public_budget', 'expenditure:government_fund', 'expenditure:state_capital']},
            {'table': 'three_public', 'target': 'total',
                'parts': ['outbound_travel', 'vehicle_subtotal', 'official_reception']},
            {'table': 'three_public', 'target': 'vehicle_subtotal', 'parts': ['vehicle_purchase', 'vehicle_operation']},
            {'table': 'final_income', 'target': 'total', 'description': 'sum of income sources', 'parts': [
                'fiscal', 'superior_subsidy', 'business_income', 'operating_income', 'subordinate_remittance',
                'other_income']},
            {'table': 'final_expenditure', 'target': 'total', 'description': 'sum of expenditure kinds', 'parts': [
                'basic', 'project', 'remittance_to_superior', 'operating_expenditure', 'subsidy_to_subordinate']},
            {'table': 'final_general_public_budget_expenditure', 'target': 'total', 'parts': ['basic', 'project']},
            {'table': 'final_government_fund', 'target': 'expenditure_total', 'parts': ['basic', 'project']},
            {'table': 'final_state_capital', 'target': 'expenditure_total', 'parts': ['basic', 'project']},
            {'table': 'final_fiscal_summary', 'target': 'expenditure:total', 'parts': [
                'expenditure:general_public_budget', 'expenditure:government_fund', 'expenditure:state_capital']},
            {'table': 'final_three_public', 'target': 'budget:total',
                'parts': ['budget:outbound_travel', 'budget:vehicle_subtotal', 'budget:official_reception']},
            {'table': 'final_three_public', 'target': 'budget:vehicle_subtotal',
                'parts': ['budget:vehicle_purchase', 'budget:vehicle_operation']},
            {'table': 'final_three_public', 'target': 'outturn:total',
                'parts': ['outturn:outbound_travel', 'outturn:vehicle_subtotal', 'outturn:official_reception']},
            {'table': 'final_three_public', 'target': 'outturn:vehicle_subtotal',
                'parts': ['outturn:vehicle_purchase', 'outturn:vehicle_operation']},
        ],
        'table_pairs': [
            {'left': '附件6', 'left_measure': 'total', 'right': '附件5', 'right_measure': 'basic_subtotal',
                'description': '附件6 合计 = 附件5 basic 合计'},
            {'left': '附件6', 'left_measure': 'personnel', 'right': '附件5', 'right_measure': 'basic_personnel',
                'description': '附件6 personnel 合计 = 附件5 personnel 合计'},
            {'left': '附件6', 'left_measure': 'public', 'right': '附件5', 'right_measure': 'basic_public',
                'description': '附件6 public 合计 = 附件5 public 合计'},
            {'left': '附件2', 'left_measure': 'total', 'right': '附件3', 'right_measure': 'total',
                'group': 'income_expenditure',
                'description': '附件2 income 合计 = 附件3 expenditure 合计 (income = expenditure)'},
            {'left': '附件2', 'left_measure': 'general_public_budget', 'right': '附件5', 'right_measure': 'total',
                'description': '附件2 一般公共预算 income = 附件5 合计'},
            {'left': 'income_summary', 'left_measure': 'total',
                'right': 'financial_summary', 'right_measure': 'income:amount',
                'description': '收入预算总表 合计 = 财务收支预算总表 收入总计'},
            {'left': 'expenditure_summary', 'left_measure': 'total',
                'right': 'financial_summary', 'right_measure': 'expenditure:amount',
                'description': '支出预算总表 合计 = 财务收支预算总表 支出总计'},
            {'left': 'financial_summary', 'left_measure': 'income:amount',
                'right': 'financial_summary', 'right_measure': 'expenditure:amount',
                'group': 'income_expenditure', 'description': '财务收支预算总表 收入总计 = 支出总计'},
            {'left': 'fiscal_summary', 'left_measure': 'income:amount',
                'right': 'fiscal_summary', 'right_measure': 'expenditure:total',
                'group': 'income_expenditure', 'description': '财政拨款收支预算总表 收入总计 = 支出总计'},
            {'left': 'general_public_budget_expenditure', 'left_measure': 'total',
                'right': 'fiscal_summary', 'right_measure': 'expenditure:general_public_budget',
                'description': '一般公共预算支出功能分类预算表 合计 = 财政拨款收支预算总表 一般公共预算 支出总计'},
            {'left': 'general_public_budget_expenditure', 'left_measure': 'basic',
                'right': 'basic_expenditure_economic', 'right_measure': 'total',
                'description': '一般公共预算支出功能分类预算表 基本支出 合计 = 基本支出经济分类预算表 合计'},
            {'left': 'final_income_expenditure_summary', 'left_measure': 'income:outturn',
                'right': 'final_income_expenditure_summary', 'right_measure': 'expenditure:outturn',
                'group': 'income_expenditure', 'description': '收入支出决算总表 收入总计 = 支出总计'},
            {'left': 'final_fiscal_summary', 'left_measure': 'income:outturn',
                'right': 'final_fiscal_summary', 'right_measure': 'expenditure:total',
                'group': 'income_expenditure', 'description': '财政拨款收入支出决算总表 收入总计 = 支出总计'},
            {'left': 'final_income', 'left_measure': 'total',
                'right': 'final_income_expenditure_summary', 'right_measure': 'income:outturn',
                'right_row': '本年收入合计', 'description': '收入决算表 合计 = 收入支出决算总表 本年收入合计'},
            {'left': 'final_expenditure', 'left_measure': 'total',
                'right': 'final_income_expenditure_summary', 'right_measure': 'expenditure:outturn',
                'right_row': '本年支出合计', 'description': '支出决算表 合计 = 收入支出决算总表 本年支出合计'},
            {'left': 'final_general_public_budget_expenditure', 'left_measure': 'total',
                'right': 'final_fiscal_summary', 'right_measure': 'expenditure:general_public_budget',
                'right_row': '本年支出合计',
                'description': '一般公共预算财政拨款支出决算表 合计 = 财政拨款收入支出决算总表 一般公共预算 本年支出合计'},
            {'left': 'final_income', 'left_measure': 'fiscal',
                'right': 'final_fiscal_summary', 'right_measure': 'income:outturn', 'right_row': '本年收入合计',
                'description': '收入决算表 财政拨款收入 合计 = 财政拨款收入支出决算总表 本年收入合计'},
            {'left': 'final_general_public_budget_expenditure', 'left_measure': 'basic',
                'right': 'final_basic_expenditure_economic', 'right_measure': ['left:outturn', 'right:outturn'],
                'description': '一般公共预算财政拨款支出决算表 基本支出 合计 = 基本支出决算表 人员经费合计 + 公用经费合计'},
        ],
        'class_rows': [
            {'left': 'final_income_expenditure_summary', 'left_measure': 'expenditure:outturn',
                'left_parent': '本年支出合计', 'right': 'final_expenditure', 'right_measure': 'total'},
            {'left': 'final_fiscal_summary', 'left_measure': 'expenditure:general_public_budget',
                'left_parent': '本年支出合计', 'right': 'final_general_public_budget_expenditure',
                'right_measure': 'total'},
        ],
        'prose_tables': [
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
            ('transfer_to_lower_level', '附件9', 'amount'),
            ('income_total', 'financial_summary', 'income:amount'),
            ('expenditure_total', 'financial_summary', 'expenditure:amount'),
            ('fiscal_income', 'fiscal_summary', 'income:amount'),
            ('fiscal_expenditure', 'fiscal_summary', 'expenditure:total'),
            ('business_income', 'income_summary', 'business_income'),
            ('operating_income', 'income_summary', 'operating_income'),
            ('other_income', 'income_summary', 'other_income'),
            ('general_public_budget_expenditure', 'general_public_budget_expenditure', 'total'),
            ('government_fund_expenditure', 'government_fund_expenditure', 'total'),
            ('state_capital_expenditure', 'state_capital_expenditure', 'total'),
            ('three_public_total', 'three_public', 'total'),
            ('outbound_travel', 'three_public', 'outbound_travel'),
            ('official_reception', 'three_public', 'official_reception'),
            ('vehicle_subtotal', 'three_public', 'vehicle_subtotal'),
            ('vehicle_purchase', 'three_public', 'vehicle_purchase'),
            ('vehicle_operation', 'three_public', 'vehicle_operation'),
            ('government_operation', 'three_public', 'government_operation'),
            ('income_expenditure_total', 'final_income_expenditure_summary', 'income:outturn'),
            ('fiscal_total', 'final_fiscal_summary', 'income:outturn'),
            ('income_total', 'final_income_expenditure_summary', 'income:outturn', '本年收入合计'),
            ('expenditure_total', 'final_income_expenditure_summary', 'expenditure:outturn', '本年支出合计'),
            ('fiscal_income', 'final_income', 'fiscal'),
            ('superior_subsidy', 'final_income', 'superior_subsidy'),
            ('business_income', 'final_income', 'business_income'),
            ('operating_income', 'final_income', 'operating_income'),
            ('subordinate_remittance', 'final_income', 'subordinate_remittance'),
            ('other_income', 'final_income', 'other_income'),
            ('basic_expenditure', 'final_expenditure', 'basic'),
            ('project_expenditure', 'final_expenditure', 'project'),
            ('operating_expenditure', 'final_expenditure', 'operating_expenditure'),
            ('gpb_expenditure', 'final_general_public_budget_expenditure', 'total'),
            ('gpb_outturn', 'final_general_public_budget_expenditure', 'total'),
            ('gpb_basic_expenditure', 'final_general_public_budget_expenditure', 'basic'),
            ('personnel', 'final_basic_expenditure_economic', 'left:outturn'),
            ('public', 'final_basic_expenditure_economic', 'right:outturn'),
            ('three_public_initial_budget', 'final_three_public', 'budget:total'),
            ('three_public_outturn', 'final_three_public', 'outturn:total'),
            ('three_public_outbound_travel_outturn', 'final_three_public', 'outturn:outbound_travel'),
            ('three_public_vehicle_outturn', 'final_three_public', 'outturn:vehicle_subtotal'),
            ('three_public_reception_outturn', 'final_three_public', 'outturn:official_reception'),
        ],
    }) }}
{% endmacro %}

{# A declaration list as the rows of a `values` clause: one tuple of quoted strings per item. #}
{% macro identity_values(rows) -%}
    {%- set rendered = [] -%}
    {%- for row in rows -%}
        {%- do rendered.append('(' ~ string_list(row) ~ ')') -%}
    {%- endfor -%}
    {{ rendered | join(',\n            ') }}
{%- endmacro %}
