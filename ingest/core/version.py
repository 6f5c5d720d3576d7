"""The parser version: a hash of the ingest code itself.

A document already loaded is skipped only if it was parsed by the same code; any change to
the parser (a fix, a new column) re-parses everything, so an incremental build can never
keep rows that the current code would read differently."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def parser_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
