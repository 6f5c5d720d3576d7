{#
    A unit's name in the form every Shanghai document can be matched by. The template names
    one unit several ways: in full on a cover (上海市普陀区法律援助中心), without the city in a
    unit list (普陀区法律援助中心), with 区 alone for the district in the list's sentences
    (区司法局本部). The region the document is of (上海市普陀区) is known, so its printed
    forms are taken off the front: the full region, the district without 上海市, 上海市
    alone, then (a district's documents only) a leading 区 that stands for the district. What
    is left names the unit within its region; two names match when these keys are equal and
    the documents are of the same region.
#}
{% macro unit_name_key(name, region) -%}
    {%- set stripped -%}
        case
            when {{ has_prefix(name, region) }} then substr({{ name }}, length({{ region }}) + 1)
            when {{ region }} <> '上海市' and {{ has_prefix(name, "replace(" ~ region ~ ", '上海市', '')") }}
                then substr({{ name }}, length(replace({{ region }}, '上海市', '')) + 1)
            when {{ has_prefix(name, "'上海市'") }} then substr({{ name }}, length('上海市') + 1)
            else {{ name }}
        end
    {%- endset -%}
    case
        when substr({{ region }}, length({{ region }}), 1) in ('区', '县')
            and substr({{ stripped }}, 1, 1) = '区' and length({{ stripped }}) > 1
            then substr({{ stripped }}, 2)
        else {{ stripped }}
    end
{%- endmacro %}
