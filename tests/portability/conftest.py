"""One dbt build of seeds and models over an empty raw schema, shared by the portability gate
and the lineage tests: it compiles every model (target/manifest.json holds their SQL) and
creates every view and table, whose columns the lineage reads. No document is parsed: the
SQL, not the data, is under test. About 10 s."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest.core.schema import create_statements

ROOT = Path(__file__).resolve().parents[2]


class Project:
    def __init__(self, database: Path, target: Path):
        self.database = database
        self.target = target
        self.manifest_path = target / "manifest.json"
        self.manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def models(self) -> list[dict]:
        return sorted((node for node in self.manifest["nodes"].values() if node["resource_type"] == "model"),
                      key=lambda node: node["name"])


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Project:
    base = tmp_path_factory.mktemp("portability")
    # DuckDB names the catalog after the file's stem, and the compiled SQL names it: keep
    # the published file name.
    database = base / "budget.duckdb"
    connection = duckdb.connect(str(database))
    for statement in create_statements():
        connection.execute(statement)
    connection.close()
    target = base / "target"
    env = {**os.environ, "BUDGET_WAREHOUSE_PATH": str(database), "DBT_TARGET_PATH": str(target),
           "DBT_LOG_PATH": str(base / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
    result = subprocess.run(
        [dbt, "build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
         "--project-dir", str(ROOT), "--profiles-dir", str(ROOT)],
        cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return Project(database, target)
