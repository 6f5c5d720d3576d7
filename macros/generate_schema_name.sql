{#
    dbt's default prefixes custom schemas with the target schema (main_staging, …).
    The warehouse contract names the schemas staging, intermediate, marts and reference
    exactly, so a custom schema is used as-is; models without one fall back to the
    target schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
