{#
    SQL that differs between engines, behind adapter.dispatch: the models call these and
    stay one text for every engine (see models/portability.md and the portability gate,
    tests/portability/). dbt picks <adapter>__<name>, else default__<name>.
#}

{#
    Delete every whitespace run. DuckDB (like Postgres) replaces only the first match of
    regexp_replace unless given the 'g' flag; Spark and Trino always replace every match,
    and Trino's 4-argument regexp_replace takes a lambda, not flags. Spark's string
    literals treat a backslash as an escape, so its pattern doubles it.
#}
{% macro remove_whitespace(expression) -%}
    {{ return(adapter.dispatch('remove_whitespace', 'budget_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__remove_whitespace(expression) -%}
    regexp_replace({{ expression }}, '\s+', '')
{%- endmacro %}

{% macro duckdb__remove_whitespace(expression) -%}
    regexp_replace({{ expression }}, '\s+', '', 'g')
{%- endmacro %}

{% macro postgres__remove_whitespace(expression) -%}
    regexp_replace({{ expression }}, '\s+', '', 'g')
{%- endmacro %}

{% macro spark__remove_whitespace(expression) -%}
    regexp_replace({{ expression }}, '\\s+', '')
{%- endmacro %}

{#
    Long form without UNPIVOT. DuckDB's UNPIVOT statement exists nowhere else (Spark has
    an UNPIVOT clause since 3.4, Trino none), and a lateral join over a values list loses
    its LATERAL on the way to Spark. Portable: cross join the measure names and pick the
    column with a case.

        select w.key, measures.measure, {{ unpivot_case('w', ['a', 'b']) }} as measure_value
        from w
        {{ unpivot_values(['a', 'b']) }}

    renders
        select w.key, measures.measure,
            case measures.measure when 'a' then w.a when 'b' then w.b end as measure_value
        from w
        cross join (values ('a'), ('b')) as measures (measure)
#}
{% macro unpivot_values(measures, alias='measures', column='measure') -%}
    {%- set rows = [] -%}
    {%- for measure in measures -%}
        {%- do rows.append("('" ~ measure ~ "')") -%}
    {%- endfor -%}
    cross join (values {{ rows | join(', ') }}) as {{ alias }} ({{ column }})
{%- endmacro %}

{% macro unpivot_case(relation, measures, alias='measures', column='measure') -%}
    {%- set branches = [] -%}
    {%- for measure in measures -%}
        {%- do branches.append("when '" ~ measure ~ "' then " ~ relation ~ "." ~ measure) -%}
    {%- endfor -%}
    case {{ alias }}.{{ column }} {{ branches | join(' ') }} end
{%- endmacro %}

{#
    `expression` begins with `prefix` (a unit code under its department's code). DuckDB's
    starts_with does not exist in Spark (startswith) nor Trino (starts_with exists there, but
    not in older Spark): the default compares the leading characters, which every engine
    reads the same way (NULL in, NULL out, like starts_with).
#}
{% macro has_prefix(expression, prefix) -%}
    {{ return(adapter.dispatch('has_prefix', 'budget_warehouse')(expression, prefix)) }}
{%- endmacro %}

{% macro default__has_prefix(expression, prefix) -%}
    substr({{ expression }}, 1, length({{ prefix }})) = {{ prefix }}
{%- endmacro %}

{% macro duckdb__has_prefix(expression, prefix) -%}
    starts_with({{ expression }}, {{ prefix }})
{%- endmacro %}

{#
    Ordered list as text (the name histories, the reported codes of a conformed subject).
    dbt-spark's own spark__listagg drops the order by (with a warning), so a history would
    list its years in whatever order the shuffle left them and differ from DuckDB's. Spark
    4.0 added listagg … within group (order by …), the standard form; dbt looks in the root
    project first for dbt's own macros, so this one replaces dbt-spark's.
#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error('listagg with limit_num is not implemented for Spark') }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
