{#
    The sample documents (the Xiamen texts under data/raw, the PDFs read in place from the
    shared sources), by content hash. The real-value tests of
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
        '2017-high-court.pdf': '324795c7efce9893ca94dcfcc6bd8e1e4573b46ceeaa3042185cd44464aeedb0',
        '2017-npc-office.pdf': '520fa5c58e1f8aa41a801835525ad885d6169d4c851309498e2e008792dc3206',
        '2018-high-court.pdf': '9bb83bc165f9437a9be42d7f3f2a5bdf9ca480f86601f65a70518389207dc3a5',
        '2018-npc-office.pdf': 'f113bb6ee8f9c3220685cb389fb5fbbfa8cbcc553414fb830882ba2e72a95fac',
        '2019-high-court.pdf': '7e5ac42ed95dae8cbae0a81e7a3f118ca78a7b5a9dcea012671d165ca7822aac',
        '2019-npc-office-tables.pdf': '2baf474e2d6556488740cdfbbc62cddb5fb3e47452634521fddb0a01f995c000',
        '2019-npc-office-text.pdf': 'be0b8f93a21635e0cbf4f20403d7f90d8c4f445cf2a5acd4b65f0bec70bc21f2',
    }) }}
{% endmacro %}

{# `column in (…)`: the column holds the content hash of a committed document. #}
{% macro is_committed_document(sha256_column) -%}
    {{ sha256_column }} in ({{ string_list(committed_documents().values() | list) }})
{%- endmacro %}
