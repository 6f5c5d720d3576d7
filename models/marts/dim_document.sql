{#
    One row per loaded document with its quality status. The rules (also in the docs of this
    model, 中文 / English):

    - an amount-difference finding (finding_kind row_identity, parent_sum, total_sum,
      cross_table, prose_differs_from_table, parent_differs_from_children,
      row_identity_rounding) is *rounding* when its difference is at most
      var('rounding_tolerance_wan') = 0.02 万元 (200 元; a finding in a 元 table is divided by
      10,000 first) or its kind says it is rounding (row_identity_rounding); else a *contradiction*.
      A difference that cannot be computed (expected or actual NULL) is a contradiction.
    - fct_reconciliation (the identities of the Xiamen and Shanghai budgets and the Shanghai
      final accounts) adds its rows of
      status 'fail' (above rounding and not explained by seeds/quality/known_source_findings.csv)
      as contradictions and counts its 'known_finding' rows apart: a known source finding never
      makes a document contradict itself.
    - A Shanghai district budget's and a Shanghai final account's identities are checked
      twice: at ingest (parse findings) and in fct_reconciliation, which checks every one of
      them (every amount finding kind the ingest raises for them) and more. Their amount-difference
      findings are therefore counted from fct_reconciliation only ('fail' a contradiction,
      'rounding' a rounding difference), never twice; they stay in fct_parse_finding.
    - var('incomplete_finding_kinds'): what the reader could not read → incomplete: a table
      of the template not printed (missing_table) or stopping before its total row
      (table_cut_short: a page of it is missing), a part of the document not printed
      (missing_part), a titled table the template does not declare (unknown_table), a cell,
      row or table page that could not be read (unreadable_cell / _row / _table). The rest of
      the document is published (docs/reading-pdfs.md).
    - figure_not_captured / figure_not_printed: the fidelity check found a printed amount the
      ingest did not capture, or a figure not printed where it was read → not_faithfully_read.
      It outranks every other status: the document's rows are not what it prints, so its
      other findings may be the warehouse's, not the document's.
    - quality_status: not_faithfully_read (any fidelity gap) > contradicts_itself (any
      contradiction) > incomplete (any missing table) > rounding_only (rounding differences
      only) > clean (none). Other findings (blank cells,
      page numbers, stray text, a code printed twice …) are counted, never change the status.
    - findings across documents (var cross_document_finding_kinds: a stated change on the
      prior year the prior year's document does not bear out, a 年初预算 that differs from the
      year's budget document) are counted in cross_document_finding_count and never change the
      status: a disagreement between two documents does not say which one is wrong, and it is
      not the document contradicting itself (it comes and goes with the other document).
#}
{#- Templates whose amount identities fct_reconciliation checks in full, and the parse-finding
    kinds that repeat them. -#}
{%- set reconciled_templates = ['shanghai-district-budget', 'shanghai-final-account'] -%}
{%- set amount_finding_kinds = [
    'row_identity', 'parent_sum', 'total_sum', 'cross_table', 'prose_differs_from_table'
] -%}

with

documents as (

    select * from {{ ref('int_documents_classified') }}

),

raw_documents as (

    select * from {{ ref('stg_xiamen__documents') }}

),

findings as (

    select * from {{ ref('stg_xiamen__parse_findings') }}

),

table_units as (

    select distinct
        document_id,
        table_id,
        amount_unit
    from {{ ref('int_pdf_budget_cells_unioned') }}

),

reconciliation as (

    select * from {{ ref('fct_reconciliation') }}

),

rejected as (

    select * from {{ ref('stg_xiamen__rejected_documents') }}

),

published_findings as (

    select * from {{ ref('fct_parse_finding') }}

),

cross_document_counts as (

    select
        document_id,
        count(*) as cross_document_finding_count
    from published_findings
    where finding_kind in ({{ string_list(var('cross_document_finding_kinds')) }})
    group by document_id

),

findings_classified as (

    select
        findings.document_id,
        findings.finding_kind,
        case
            when findings.finding_kind in ({{ string_list(var('incomplete_finding_kinds')) }}) then 'missing_table'
            when findings.finding_kind in ('figure_not_captured', 'figure_not_printed') then 'fidelity_gap'
            when documents.template in ({{ string_list(reconciled_templates) }})
                and findings.finding_kind in ({{ string_list(amount_finding_kinds) }})
                then 'reconciled'
            when findings.finding_kind not in (
                    {{ string_list(amount_finding_kinds) }},
                    'parent_differs_from_children', 'row_identity_rounding'
                ) then 'other'
            when findings.finding_kind = 'row_identity_rounding' then 'rounding'
            when findings.expected_value is null or findings.actual_value is null then 'contradiction'
            when abs(findings.actual_value - findings.expected_value)
                / case
                    -- The prose prints 万元 and its findings compare in 万元; a table finding is
                    -- in its table's unit (元 for the Shanghai budget tables but 三公).
                    when findings.finding_kind = 'prose_differs_from_table' then 1
                    when coalesce(table_units.amount_unit, documents.amount_unit) = '元' then 10000
                    else 1
                end
                <= {{ var('rounding_tolerance_wan') }} then 'rounding'
            else 'contradiction'
        end as finding_class
    from findings
    inner join documents
        on findings.document_id = documents.document_id
    left join table_units
        on
        findings.document_id = table_units.document_id
        and findings.table_id = table_units.table_id

),

finding_counts as (

    select
        document_id,
        count(*) as finding_count,
        sum(case when finding_class = 'contradiction' then 1 else 0 end) as contradiction_count,
        sum(case when finding_class = 'rounding' then 1 else 0 end) as rounding_difference_count,
        sum(case when finding_class = 'missing_table' then 1 else 0 end) as missing_table_count,
        sum(case when finding_class = 'fidelity_gap' then 1 else 0 end) as fidelity_gap_count,
        sum(case when finding_class = 'other' then 1 else 0 end) as other_finding_count
    from findings_classified
    group by document_id

),

reconciliation_counts as (

    select
        reconciliation.document_id,
        sum(case when reconciliation.status = 'fail' then 1 else 0 end) as failed_identity_count,
        sum(case when reconciliation.status = 'known_finding' then 1 else 0 end) as known_finding_count,
        sum(
            case
                when reconciliation.status = 'rounding'
                    and documents.template in ({{ string_list(reconciled_templates) }})
                    then 1
                else 0
            end
        ) as rounding_identity_count
    from reconciliation
    inner join documents
        on reconciliation.document_id = documents.document_id
    group by reconciliation.document_id

),

superseding as (

    select
        superseded_document_id,
        -- One file path has at most one rejected version per run.
        min(file_name) as superseded_by_file_name,
        min(sha256) as superseded_by_sha256,
        min(message) as superseded_by_message
    from rejected
    where superseded_document_id is not null
    group by superseded_document_id

),

counted as (

    select
        documents.document_id,
        documents.region,
        documents.department_code,
        documents.department_name,
        documents.unit_name,
        documents.fiscal_year,
        documents.document_kind,
        documents.document_scope,
        documents.template,
        documents.file_name,
        raw_documents.sha256,
        documents.page_count,
        documents.amount_unit,
        coalesce(finding_counts.finding_count, 0) as finding_count,
        coalesce(finding_counts.contradiction_count, 0)
        + coalesce(reconciliation_counts.failed_identity_count, 0) as contradiction_count,
        coalesce(finding_counts.rounding_difference_count, 0)
        + coalesce(reconciliation_counts.rounding_identity_count, 0) as rounding_difference_count,
        coalesce(reconciliation_counts.known_finding_count, 0) as known_finding_count,
        coalesce(finding_counts.missing_table_count, 0) as missing_table_count,
        coalesce(finding_counts.fidelity_gap_count, 0) as fidelity_gap_count,
        coalesce(finding_counts.other_finding_count, 0) as other_finding_count,
        coalesce(cross_document_counts.cross_document_finding_count, 0) as cross_document_finding_count,
        superseding.superseded_by_file_name,
        superseding.superseded_by_sha256,
        superseding.superseded_by_message
    from documents
    inner join raw_documents
        on documents.document_id = raw_documents.document_id
    left join finding_counts
        on documents.document_id = finding_counts.document_id
    left join reconciliation_counts
        on documents.document_id = reconciliation_counts.document_id
    left join cross_document_counts
        on documents.document_id = cross_document_counts.document_id
    left join superseding
        on documents.document_id = superseding.superseded_document_id

),

final as (

    select
        document_id,
        region,
        department_code,
        department_name,
        unit_name,
        fiscal_year,
        document_kind,
        document_scope,
        template,
        file_name,
        sha256,
        page_count,
        amount_unit,
        case
            when fidelity_gap_count > 0 then 'not_faithfully_read'
            when contradiction_count > 0 then 'contradicts_itself'
            when missing_table_count > 0 then 'incomplete'
            when rounding_difference_count > 0 then 'rounding_only'
            else 'clean'
        end as quality_status,
        finding_count,
        contradiction_count,
        rounding_difference_count,
        known_finding_count,
        missing_table_count,
        fidelity_gap_count,
        other_finding_count,
        cross_document_finding_count,
        superseded_by_file_name is not null as is_superseded,
        superseded_by_file_name,
        superseded_by_sha256,
        superseded_by_message
    from counted

)

select * from final
