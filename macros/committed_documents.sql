{#
    The documents committed under data/raw, by content hash. The real-value tests of
    tests/dbt assert what these very files print, so they look at a document only when its
    bytes are these: a user's own file of the same name, department and year (a corrected
    re-publication, a copy with a page missing) is checked by the identities and the
    quality status like any other document, and never fails the build for everyone.
    tests/ingest/test_committed_documents.py keeps this list equal to the files.
#}
{% macro committed_documents() %}
    {{ return({
        'xiamen-hrss-2020-budget.txt': 'f3fa369975600fb34b5544685aa661f760fed7113d4aa7759b187275bea4fc00',
        'xiamen-hrss-2024-budget.txt': '162b4268c393d0d1003ac1a11afedc9670e84e5d768ad7188f7128fb84df2ed7',
        '2024-final-finance.pdf': 'd45e923176f9fe4b6533829d3a2fe67f8cbcd55d07099dabf73aca62701f8eb5',
        '2025-dept-commerce.pdf': 'b067184912969b733d53e86c4cf658ba91b4cecf93c25b9198ea3086515e7a6a',
        '2025-dept-district-office.pdf': 'ef2db536657de0a0e0ef27c4487f04034c430ffa3d83e522904c7a71b477c299',
        '2025-unit-commerce.pdf': 'e678e969088c075cc349477d3c3e08c2061ec5dd07779332c7c935da1b8a5ccf',
        '2025-unit-district-office.pdf': '6a138c25953bd95faeef050d15512ddf154478a6b6db80ecafc8d2f165b16b7d',
        '2026-dept-justice.pdf': 'c8821d984a541c123130e02c834aac8cd09a37c58dc5074950e6f1b8603bd5e8',
        '2026-unit-justice.pdf': 'ad92f2d01b2ae866806648e822aa53881582f3ba11ad07601a50fd59ca9ee58f',
    }) }}
{% endmacro %}

{# `column in (…)`: the column holds the content hash of a committed document. #}
{% macro is_committed_document(sha256_column) -%}
    {{ sha256_column }} in ({{ string_list(committed_documents().values() | list) }})
{%- endmacro %}
