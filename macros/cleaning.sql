{#
    Ingest joins wrapped cell text with a space ('其他人力资源和社会保障管理事务支 出');
    Chinese names carry no meaningful whitespace, so all of it goes.
#}
{% macro clean_name(column) -%}
    nullif({{ remove_whitespace(column) }}, '')
{%- endmacro %}

{# Level of a functional-classification code follows from its length (3/5/7 digits). #}
{% macro subject_level(code_column) -%}
    case length({{ code_column }})
        when 3 then '类'
        when 5 then '款'
        when 7 then '项'
    end
{%- endmacro %}

{# Economic classification: 3 digits = 类, 5 digits = 款. #}
{% macro economic_level(code_column) -%}
    case length({{ code_column }})
        when 3 then '类'
        when 5 then '款'
    end
{%- endmacro %}
