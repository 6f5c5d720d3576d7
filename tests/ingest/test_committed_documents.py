"""The real-value dbt tests (tests/dbt) look at a document only when its bytes are those of a
file committed under data/raw (macros/committed_documents.sql, by content hash), so that a
user's own file of the same name never fails the build for everyone. If the list drifted from
the files, those tests would quietly check nothing: it must name every committed document with
its hash, and nothing else."""

from __future__ import annotations

import hashlib
import re

from tests.conftest import ROOT, committed_documents


def test_the_committed_documents_are_listed_by_their_content_hash():
    macro = (ROOT / "macros" / "committed_documents.sql").read_text(encoding="utf-8")
    listed = dict(re.findall(r"'([^']+\.(?:txt|pdf))': '([0-9a-f]{64})'", macro))
    files = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in committed_documents()}
    assert len(files) == 16  # 2 Xiamen texts, 7 Putuo PDFs (the blank template aside), 7 Jiangsu PDFs
    assert listed == files
