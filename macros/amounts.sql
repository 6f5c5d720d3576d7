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

{#
    元 → 万元. × 0.0001 (a DECIMAL literal), never / 10000: DuckDB divides decimals as
    DOUBLE. yuan_to_wan_exact keeps every digit (DECIMAL(24,6)); yuan_to_wan rounds half-up
    to 0.01 万元 for a DECIMAL(18,2) column (exact for amounts printed in 万元).
#}
{% macro yuan_to_wan_exact(column) -%}
    cast({{ column }} * 0.0001 as decimal(24, 6))
{%- endmacro %}

{% macro yuan_to_wan(column) -%}
    cast(round({{ column }} * 0.0001, 2) as decimal(18, 2))
{%- endmacro %}
