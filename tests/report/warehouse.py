"""One warehouse built for the docs and report tests of a session, never the published one.

`python -m budgetwh build --target` into a temporary folder, with dbt's target/ and logs/
in temporary folders too, so the project's own target/ and a concurrent `make build` are not
disturbed. Both tests/docs and tests/report ask for it; it is built once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ARTEFACTS = ROOT / "target" / "test-artefacts"  # git-ignored: screenshots and charts to look at

_built: dict[str, Path] = {}


def built_warehouse(tmp_path_factory) -> Path:
    if "path" not in _built:
        base = tmp_path_factory.mktemp("warehouse")
        target = base / "budget.duckdb"
        env = {**os.environ, "DBT_TARGET_PATH": str(base / "dbt-target"), "DBT_LOG_PATH": str(base / "dbt-logs")}
        env.pop("BUDGET_WAREHOUSE_PATH", None)
        result = subprocess.run([sys.executable, "-m", "budgetwh", "build", "--target", str(target), "--quiet"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        _built["path"] = target
    return _built["path"]
