{#
    万元 → 元 exactly: amounts are DECIMAL(18,2) 万元, so ×10000 never needs rounding,
    and staying in DECIMAL (never DOUBLE) keeps sums exact.
#}
{% macro wan_to_yuan(column) -%}
    cast({{ column }} * 10000 as decimal(24, 2))
{%- endmacro %}

{% macro wan(column) -%}
    cast({{ column }} as decimal(18, 2))
{%- endmacro %}
