{#
    All 项-level expenditure amounts in one shape, before conforming the subject code.
    Only 项 rows (7-digit codes) are taken: 类/款 rows are sums of them and would be
    counted twice. Blank or zero cells produce no line.
      - 附件5/附件8: fiscal money by fund source, basic vs project.
      - 附件3: only its non-fiscal columns (its fiscal columns repeat 附件5 + 附件8).
      - 附件9: transfers to districts, by unit, always project spending.
      - prose line items: only for documents without 附件5 (2020), where they are the
        one itemised source; 2024's prose repeats 附件5 and would double count.
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
        end as amount_wan
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
        end as amount_wan
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
        amount_wan
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
        amount_wan
    from line_items
    where document_id not in (select budget_expenditures.document_id from budget_expenditures)

),

unioned as (

    select * from fiscal_lines
    union all
    select * from non_fiscal_lines
    union all
    select * from transfer_lines
    union all
    select * from prose_lines

),

final as (

    select *
    from unioned
    where amount_wan is not null
        and amount_wan <> 0
        and length(reported_subject_code) = 7

)

select * from final
