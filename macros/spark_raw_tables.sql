{#
    On Spark the raw tables are parquet (python -m budgetwh export-parquet, one folder per
    table) registered as tables of schema raw before any model runs, so the staging models
    read source('xiamen', …) and source('shanghai', …) on every engine. The list is the project's own sources (one
    table per source of schema raw), so the contract stays in one place: a table in
    ingest/core/schema.py that dbt reads is a source, and a source without its parquet
    folder fails here, naming the folder.

    DuckDB: ingest writes schema raw itself, nothing to do (an empty hook is skipped).
    A registered table is re-pointed on every run (drop + create: dropping a table over a
    location leaves the files), so a new export is always what the build reads.
#}
{% macro register_raw_parquet_tables() -%}
    {{ return(adapter.dispatch('register_raw_parquet_tables', 'budget_warehouse')()) }}
{%- endmacro %}

{% macro default__register_raw_parquet_tables() -%}
{%- endmacro %}

{% macro spark__register_raw_parquet_tables() -%}
    {%- if execute -%}
        {%- set parquet_dir = env_var('BUDGET_RAW_PARQUET_DIR') | trim -%}
        {#- Every template family's sources (xiamen, shanghai) read schema raw. -#}
        {%- set raw_sources = graph.sources.values() | selectattr('source_name', 'in', ['xiamen', 'shanghai']) | list -%}
        {%- for schema_name in raw_sources | map(attribute='schema') | unique -%}
            {%- do run_query('create schema if not exists ' ~ schema_name) -%}
        {%- endfor -%}
        {%- for source_table in raw_sources | sort(attribute='identifier') -%}
            {%- set relation = source_table.schema ~ '.' ~ source_table.identifier -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query(
                'create table ' ~ relation ~ ' using parquet location '
                ~ "'" ~ parquet_dir ~ '/' ~ source_table.identifier ~ "'"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
