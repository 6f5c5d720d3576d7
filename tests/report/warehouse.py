"""Where the docs and report tests keep what they made. The warehouse they read is the
session's warehouse of the real documents (tests/warehouses.py, `real_warehouse`), built once
into a temporary folder with dbt's target/ and logs/ there too, never the published one."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ARTEFACTS = ROOT / "target" / "test-artefacts"  # git-ignored: screenshots and charts to look at
