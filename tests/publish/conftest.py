import os

import pytest


@pytest.fixture(scope="session")
def dbt_env(tmp_path_factory):
    """Keep dbt's target/ and logs/ of these builds away from the project's own."""
    base = tmp_path_factory.mktemp("dbt")
    return {**os.environ, "DBT_TARGET_PATH": str(base / "target"), "DBT_LOG_PATH": str(base / "logs")}
