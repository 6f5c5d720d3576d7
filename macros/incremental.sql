{#
    Fact tables partitioned by document (materialized incremental on DuckDB, plain tables on
    other engines). Their rows each come from one document, its classification (seeds) and
    nothing else, so the rows of a document loaded by an earlier build stay right as long as
    the models and seeds do not change; when they change the build runs dbt with
    --full-refresh (budgetwh/model_state.py).

    A build then only computes the rows of documents not yet in the table:
      - new documents, and changed ones (their document_id is a hash of their content, so a
        changed document is a new one to the table), are computed and inserted;
      - documents no longer in raw.documents (removed, or the old version of a changed
        one) are deleted first (pre_hook delete_documents_no_longer_loaded).
#}

{# The materialization of a document-partitioned fact: incremental only where the
   delete+insert strategy and its hooks are known to work (dbt-duckdb). #}
{% macro document_fact_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}


{#
    `where <column> in (<the documents not yet in this table>)` on an incremental run, nothing
    otherwise. The documents are listed as constants, looked up when the model runs: a
    constant filter reaches the raw tables' scans through every view above them, so a build
    adding one document reads that document's rows only (a `not in (select … from this)`
    would make DuckDB compute the views over every document and discard most of them).
    Document ids are hex digests of the text, never text of the document.
    A 单位预算's department can depend on another document (the 部门预算 whose unit list names
    the unit, int_unit_departments_resolved): when that one arrives or leaves, the rows of a
    document already loaded sit under a department it no longer belongs to. Such a document
    is listed too and computed again like a new one (delete+insert replaces its rows).
#}
{% macro only_documents_not_yet_loaded(column='document_id') -%}
    {%- set new_documents = [] -%}
    {%- if is_incremental() and execute -%}
        {%- set loaded_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- set query -%}
            select document_id
            from {{ source('xiamen', 'documents') }}
            where document_id not in (select loaded.document_id from {{ this }} as loaded)
            {{ moved_documents(loaded_columns) }}
            order by document_id
        {%- endset -%}
        {%- set new_documents = run_query(query).columns[0].values() -%}
    {%- endif -%}
    {%- if is_incremental() and new_documents | length > 0 -%}
        where {{ column }} in ({{ string_list(new_documents) }})
    {%- elif is_incremental() -%}
        where false
    {%- endif -%}
{%- endmacro %}


{# `union` the documents loaded under a department they no longer belong to (above), for a
   table with a department_code. #}
{% macro moved_documents(loaded_columns) -%}
    {%- if 'department_code' in loaded_columns -%}
        union
        select distinct loaded.document_id
        from {{ this }} as loaded
        inner join {{ ref('int_documents_classified') }} as classified
            on loaded.document_id = classified.document_id
        where loaded.department_code is distinct from classified.department_code
    {%- endif -%}
{%- endmacro %}


{# pre_hook: drop the rows of documents that are no longer loaded (removed from the input,
   or replaced by a changed version with another document_id). #}
{% macro delete_documents_no_longer_loaded() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where document_id not in (select loaded.document_id from {{ source('xiamen', 'documents') }} as loaded)
    {%- endif -%}
{%- endmacro %}


{# pre_hook of fct_parse_finding: drop every finding across documents (var
   cross_document_finding_kinds). Each depends on two documents, so a build recomputes all
   of them rather than only those of its new documents. #}
{% macro delete_cross_document_findings() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where finding_kind in ({{ string_list(var('cross_document_finding_kinds')) }})
    {%- endif -%}
{%- endmacro %}
