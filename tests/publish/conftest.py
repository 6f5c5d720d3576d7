from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.reference import project_copy
from budgetwh.build import document_paths
from budgetwh.model_state import BuildInputs, ModelFingerprint, published_state
from tests.conftest import ROOT
from tests.warehouses import WITHOUT_DBT_TESTS


@pytest.fixture(scope="session")
def dbt_env(tmp_path_factory):
    """Keep dbt's target/ and logs/ of these builds away from the project's own."""
    base = tmp_path_factory.mktemp("dbt")
    return {**os.environ, "DBT_TARGET_PATH": str(base / "target"), "DBT_LOG_PATH": str(base / "logs")}


class Project:
    """A copy of the project with the two Xiamen documents under its data/raw, built into `target`."""

    def __init__(self, root: Path, target: Path, dbt: Path):
        self.root = root
        self.data = root / "data" / "raw"
        self.target = target
        self.env = {**os.environ, "DBT_TARGET_PATH": str(dbt / "target"), "DBT_LOG_PATH": str(dbt / "logs")}

    def build(self, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
        """`python -m budgetwh build` as `make build` runs it: every document under data/raw."""
        result = subprocess.run([sys.executable, "-m", "budgetwh", "build", "--target", str(self.target), *extra],
                                cwd=self.root, env={**self.env, **(env or {})}, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
        return result

    def up_to_date(self) -> bool:
        """The build's own check, in this process, against the project copy."""
        model = ModelFingerprint.of_project(self.root)
        inputs = BuildInputs.of_build(self.root, model, document_paths(self.data), self.data)
        return published_state(self.target).up_to_date(model, inputs)


@pytest.fixture(scope="session")
def xiamen_project(tmp_path_factory) -> Project:
    """A copy of the project whose data/raw holds the two Xiamen documents only, built as
    `make build` builds. The up-to-date tests change its files (and put them back);
    test_idempotence compares its marts with the checkout's build of the same two documents
    (`xiamen_pair`, which ran every dbt test): this build skips them (tests/warehouses.py).
    Its warehouse is only read."""
    base = tmp_path_factory.mktemp("xiamen-project")
    root = base / "project"
    project_copy(root, [])
    shutil.copytree(ROOT / "data" / "raw" / "xiamen", root / "data" / "raw" / "xiamen")
    project = Project(root, base / "warehouse" / "budget.duckdb", base / "dbt")
    assert len(document_paths(project.data)) == 2
    first = project.build(env=WITHOUT_DBT_TESTS)
    assert "== ingest (every document)" in first.stdout
    return project
