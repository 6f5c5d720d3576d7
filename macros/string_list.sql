{# 'a', 'b', 'c' from a list of strings, for `in (...)` (quotes doubled, as SQL escapes them). #}
{% macro string_list(values) -%}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append("'" ~ (value | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {{ quoted | join(', ') }}
{%- endmacro %}
