"""Build the marts on Apache Spark from a built DuckDB warehouse (`make test-spark`).

The same dbt project, target `spark` of profiles.yml (dbt-spark, method session: a local
PySpark inside the dbt process, Java 17). Steps:

  1. export the warehouse's raw tables as parquet (budgetwh.export, read-only)
  2. `dbt build --target spark`: its on-run-start hook registers raw.<table> over the
     parquet folders (macros/spark_raw_tables.sql), then seeds, models and every dbt test
     run on Spark

Everything is written under one scratch folder, never into the checkout: dbt's target and
logs, Spark's warehouse (table files), its Derby metastore and derby.log. The metastore is
on disk because the marts must outlive the dbt process: `spark_session()` opens it again,
with the settings of the same profile, to read the marts back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from budgetwh.build import PROJECT_ROOT
from budgetwh.export import export_parquet

PROFILE = "budget_warehouse"
TARGET = "spark"


class SparkBuildFailed(Exception):
    pass


@dataclass(frozen=True)
class SparkWorkspace:
    """The scratch folders of one Spark build."""

    root: Path

    @property
    def parquet_dir(self) -> Path:
        return self.root / "raw-parquet"

    @property
    def spark_dir(self) -> Path:
        return self.root / "spark"

    @property
    def dbt_target_dir(self) -> Path:
        return self.root / "dbt-target"

    @property
    def dbt_log_dir(self) -> Path:
        return self.root / "dbt-logs"

    def environment(self) -> dict[str, str]:
        """What profiles.yml's spark output reads (it has no defaults, so a run without these
        fails instead of writing into the checkout)."""
        return {"BUDGET_SPARK_DIR": str(self.spark_dir), "BUDGET_RAW_PARQUET_DIR": str(self.parquet_dir),
                "DBT_TARGET_PATH": str(self.dbt_target_dir), "DBT_LOG_PATH": str(self.dbt_log_dir),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def build_on_spark(warehouse: Path, workspace: SparkWorkspace, quiet: bool = True) -> None:
    workspace.spark_dir.mkdir(parents=True, exist_ok=True)
    export_parquet(warehouse, workspace.parquet_dir)
    dbt = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
    # cwd is the scratch folder: Spark and Derby put stray files (spark-warehouse/, derby.log)
    # in the working directory when a setting is missed.
    result = subprocess.run(
        # The invariants, as `make build` runs them: the checks of what the sample documents
        # print run on DuckDB (the suite's builds), and every mart is compared with DuckDB's.
        [dbt, "build", "--target", TARGET, "--exclude", "tag:sample_documents",
         "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)],
        cwd=workspace.root, env={**os.environ, **workspace.environment()}, capture_output=quiet, text=True)
    if result.returncode != 0:
        tail = (result.stdout or "")[-8000:] if quiet else ""
        raise SparkBuildFailed(f"dbt build --target {TARGET} failed (exit {result.returncode}); "
                               f"logs in {workspace.dbt_log_dir}\n{tail}")


def spark_settings(workspace: SparkWorkspace) -> dict[str, str]:
    """server_side_parameters of the spark output of profiles.yml, rendered as dbt renders
    them (env_var), so a reader opens the same metastore and warehouse as the build."""
    text = (PROJECT_ROOT / "profiles.yml").read_text(encoding="utf-8")
    environment = {**os.environ, **workspace.environment()}

    def env_var(name: str, default: str | None = None) -> str:
        if name in environment:
            return environment[name]
        if default is None:
            raise SparkBuildFailed(f"profiles.yml: env var {name} is required by the spark target")
        return default

    output = yaml.safe_load(text)[PROFILE]["outputs"][TARGET]
    return {key: jinja2.Template(str(value)).render(env_var=env_var)
            for key, value in output["server_side_parameters"].items()}


def spark_session(workspace: SparkWorkspace):
    """A PySpark session on the build's metastore (Hive support, as dbt-spark's session
    method opens it). Only one process may hold the Derby metastore: call after the build."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_settings(workspace).items():
        builder = builder.config(key, value)
    # dbt-spark forces ANSI mode off for every session it opens; read the marts the same way.
    return builder.config("spark.sql.ansi.enabled", "false").getOrCreate()
