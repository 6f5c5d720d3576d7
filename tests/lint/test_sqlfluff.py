"""SQL style: sqlfluff (config in .sqlfluff, jinja templater) over every SQL file of the dbt
project. Runs sqlfluff in a subprocess: it imports the .sqlfluff library_path module and
starts worker processes, neither of which belongs in the test process. Fix by hand or with
`.venv/bin/sqlfluff fix PATH` (then rebuild: `make build`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINTED = ["models", "analyses", "tests/dbt", "macros"]
SQLFLUFF = [sys.executable, "-m", "sqlfluff"]


def _lint(*args: str, stdin: str | None = None) -> list[dict]:
    result = subprocess.run([*SQLFLUFF, "lint", "--format", "json", "--nofail", *args],
                            cwd=ROOT, input=stdin, capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 0, result.stderr[-3000:]
    # sqlfluff prints the JSON report on one line; warnings (if any) go to stderr.
    return json.loads(result.stdout.strip().splitlines()[-1])


def _violations(report: list[dict]) -> list[str]:
    return [f"{entry['filepath']}:{violation['start_line_no']}:{violation['code']} {violation['description']}"
            for entry in report for violation in entry["violations"]]


def test_project_sql_follows_the_style():
    processes = str(min(4, os.cpu_count() or 1))
    report = _lint("--processes", processes, *LINTED)
    linted = {entry["filepath"] for entry in report}
    assert len(linted) >= 60 and any(path.startswith("macros/") for path in linted), sorted(linted)
    problems = _violations(report)
    assert not problems, "sqlfluff (see .sqlfluff):\n" + "\n".join(problems)


def test_style_rules_are_active():
    """The config really checks what it promises: lower case, trailing commas, explicit
    aliases, and jinja (ref, the project's macros, dbt.listagg) rendered without errors."""
    probe = (
        "SELECT\n"
        "    fiscal_year\n"
        "    , {{ wan_to_yuan('amount_wan') }} amount_yuan,\n"
        "    {{ dbt.listagg('unit_name', \"', '\", 'order by unit_name') }} as unit_names\n"
        "from {{ ref('fct_expenditure') }}\n"
        "group by fiscal_year, amount_wan\n"
    )
    codes = {line.split(":")[2].split()[0] for line in _violations(
        _lint("--stdin-filename", "models/marts/probe.sql", "-", stdin=probe))}
    assert {"CP01", "LT04", "AL02"} <= codes, codes
    assert not any(code.startswith("TMP") or code.startswith("PRS") for code in codes), codes
