{#
    Stated changes on the prior year checked against the prior year's document (issue 13,
    "across documents"). A budget or final account prints its figure and the change on the
    year before (收入预算为159,318.40万元，比2023年预算数增加28,021.16万元; 收入支出总计减少56.95万元);
    when the warehouse holds the prior year's document of the same department, kind and scope,
    that change must equal this year's figure minus the prior document's figure. One row per
    checkable pair; a pair whose prior document is not held gives no row (nothing to compare).

    Only named changes are checked, each with the figure it is a change of (figure_pairs): the
    generic change_on_prior_year of a Shanghai budget's prose does not say of which total it is
    the change. A change stated against the prior year's 预算执行数 (execution) is not comparable
    with the prior budget document and is left out. The prior year is fiscal_year − 1, not the
    year the sentence names: 2026-dept-justice.pdf prints 比2026年预算 in its 2026 budget.
#}
with

documents as (

    select * from {{ ref('int_documents_classified') }}

),

xiamen_figures as (

    select * from {{ ref('int_headline_figures_deduplicated') }}

),

pdf_prose_figures as (

    select * from {{ ref('int_pdf_prose_figures_ranked') }}

),

-- change_key: the stated change; level_key: the figure it is the change of (same document).
figure_pairs as (

    select pairs.*
    from (
        values
            ('income_change', 'income_total'),
            ('expenditure_change', 'expenditure_total'),
            ('general_budget_change', 'general_budget_expenditure'),
            ('office_operation_change', 'office_operation_cost'),
            ('fiscal_income_change', 'fiscal_income'),
            ('income_expenditure_total_change', 'income_expenditure_total'),
            ('fiscal_total_change', 'fiscal_total'),
            ('gpb_expenditure_change', 'gpb_expenditure'),
            ('government_operation_change', 'government_operation')
    ) as pairs (change_key, level_key)

),

prose_figures as (

    select
        document_id,
        figure_key,
        figure_label,
        figure_value,
        source_line,
        cast(null as integer) as page_number
    from xiamen_figures
    where figure_unit = '万元'
    union all
    -- A PDF's prose may print a figure twice: the first printing counts (as in fct_headline_figure).
    select
        document_id,
        figure_key,
        figure_label,
        figure_value,
        cast(null as integer) as source_line,
        page_number
    from pdf_prose_figures
    where printing_rank = 1

),

stated as (

    select
        documents.document_id,
        documents.file_name,
        documents.region,
        documents.department_code,
        documents.fiscal_year,
        documents.document_kind,
        documents.document_scope,
        figure_pairs.change_key,
        figure_pairs.level_key,
        changes.figure_label as stated_change_label,
        changes.figure_value as stated_change_wan,
        changes.source_line as stated_change_source_line,
        changes.page_number as stated_change_page_number,
        levels.figure_value as level_wan,
        levels.source_line as level_source_line,
        levels.page_number as level_page_number
    from documents
    inner join prose_figures as changes
        on documents.document_id = changes.document_id
    inner join figure_pairs
        on changes.figure_key = figure_pairs.change_key
    inner join prose_figures as levels
        on changes.document_id = levels.document_id
        and figure_pairs.level_key = levels.figure_key
    -- 比2024年预算执行数: against the prior year's execution, which no budget document prints.
    where changes.figure_label not like '%执行数%'

),

checked as (

    select
        stated.*,
        prior_documents.document_id as prior_document_id,
        prior_documents.file_name as prior_file_name,
        prior_documents.fiscal_year as prior_fiscal_year,
        prior_levels.figure_value as prior_level_wan,
        prior_levels.source_line as prior_level_source_line,
        prior_levels.page_number as prior_level_page_number,
        stated.level_wan - prior_levels.figure_value as computed_change_wan
    from stated
    inner join documents as prior_documents
        on stated.region = prior_documents.region
        and stated.department_code = prior_documents.department_code
        and stated.document_kind = prior_documents.document_kind
        and stated.document_scope = prior_documents.document_scope
        and stated.fiscal_year - 1 = prior_documents.fiscal_year
    inner join prose_figures as prior_levels
        on prior_documents.document_id = prior_levels.document_id
        and stated.level_key = prior_levels.figure_key

),

final as (

    select
        document_id,
        file_name,
        department_code,
        fiscal_year,
        document_kind,
        document_scope,
        change_key,
        level_key,
        stated_change_label,
        stated_change_wan,
        stated_change_source_line,
        stated_change_page_number,
        level_wan,
        level_source_line,
        level_page_number,
        prior_document_id,
        prior_file_name,
        prior_fiscal_year,
        prior_level_wan,
        prior_level_source_line,
        prior_level_page_number,
        computed_change_wan,
        stated_change_wan - computed_change_wan as difference_wan,
        -- Three figures each rounded to 0.01 万元 as printed: the same tolerance as a
        -- document's own identities (var rounding_tolerance_wan).
        abs(stated_change_wan - computed_change_wan) > {{ var('rounding_tolerance_wan') }}
            as is_disagreement
    from checked

)

select * from final
