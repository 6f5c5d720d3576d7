from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from budgetwh.build import sample_documents_root
from ingest.core.document import read_document
from ingest.xiamen.parse import parse_document

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw" / "xiamen" / "hrss"
DOC_2020 = RAW / "xiamen-hrss-2020-budget.txt"
DOC_2024 = RAW / "xiamen-hrss-2024-budget.txt"
# The sample documents, read in place from the shared sources (budgetwh.build.sample_documents_root:
# $BUDGET_SAMPLE_DOCUMENTS, by default ../shared/sources); never copied into the checkout.
SAMPLES = sample_documents_root() or Path("/BUDGET_SAMPLE_DOCUMENTS-is-empty")
PUTUO = SAMPLES / "pdf" / "shanghai-putuo"
JIANGSU = SAMPLES / "pdf" / "jiangsu"
# The one sample that is no department's document: the blank 2024 部门决算 template
# (上海市XX局), which every build sets aside (blank_template) rather than loads.
BLANK_TEMPLATE = PUTUO / "2024-final-template.pdf"
# The sample folders of the families the warehouse reads.
SAMPLE_FOLDERS = (PUTUO, JIANGSU)


def samples_missing() -> str | None:
    """Why the sample documents cannot be read, or None when they can."""
    missing = [folder for folder in SAMPLE_FOLDERS if not folder.is_dir()]
    if missing:
        return (f"the sample documents are not at {SAMPLES} (no {', '.join(str(f.relative_to(SAMPLES)) for f in missing)}"
                "; set BUDGET_SAMPLE_DOCUMENTS to the folder that holds pdf/shanghai-putuo and pdf/jiangsu; "
                "../shared/sources by default)")
    return None


def require_samples() -> None:
    """A test that needs a sample document: under CI it fails naming the folder; elsewhere it
    is skipped, naming the folder."""
    missing = samples_missing()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(missing, pytrace=False)
        pytest.skip(missing)


def pytest_runtest_setup(item):
    if item.get_closest_marker("samples"):
        require_samples()


def committed_documents() -> list[Path]:
    """Every department's document the tests build with: the two Xiamen texts under data/raw
    and the sample PDFs of the families read (the blank template not among them). Without the
    samples, only the texts: a test that needs the PDFs is marked `samples` or calls
    require_samples()."""
    texts = sorted((ROOT / "data" / "raw").rglob("*.txt"))
    return texts + sorted(p for folder in SAMPLE_FOLDERS for p in folder.rglob("*.pdf") if p != BLANK_TEMPLATE)


@pytest.fixture(scope="session")
def parsed_2020():
    return parse_document(read_document(DOC_2020))


@pytest.fixture(scope="session")
def parsed_2024():
    return parse_document(read_document(DOC_2024))


@pytest.fixture(scope="session")
def raw_db(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """Both documents loaded through the command line, as the build does."""
    from ingest.cli import main

    path = tmp_path_factory.mktemp("raw") / "ingested.duckdb"
    assert main([str(DOC_2020), str(DOC_2024), "--db", str(path), "--quiet"]) == 0
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


# Warehouses built once per session and shared (tests/warehouses.py): a build is nearly a
# minute of dbt. Tests that change one work on a copy.
@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory):
    """Every real document plus one bad document of each kind, built and published (exit 3)."""
    from tests.warehouses import build_real_warehouse

    return build_real_warehouse(tmp_path_factory.mktemp("real-warehouse"))


@pytest.fixture(scope="session")
def xiamen_pair(tmp_path_factory):
    """The two Xiamen text documents built from the checkout (every dbt test ran)."""
    from tests.warehouses import build_xiamen_pair

    return build_xiamen_pair(tmp_path_factory.mktemp("xiamen-pair"))


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium (Debian's, installed by scripts/ensure_chromium.sh where missing); the
    tests that need it skip, naming why, only where it is absent and cannot be installed."""
    import subprocess

    from report import docs_site

    result = subprocess.run(["sh", str(ROOT / "scripts" / "ensure_chromium.sh")], capture_output=True, text=True)
    if result.returncode != 0 or not docs_site.CHROMIUM.exists():
        reason = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        pytest.skip(f"headless Chromium is not installed and could not be installed: {reason}")
    return docs_site.CHROMIUM


# The suite runs on two workers (`make test`: pytest-xdist, --dist loadgroup). A session
# fixture is built once per worker that uses it, and a build is most of a minute: so every test
# of the files that read one shared warehouse goes to one worker, and every other file's tests
# stay together on one worker (their module fixtures are builds too).
SHARED_BUILDS = ("real_warehouse", "xiamen_pair", "xiamen_project")


# First: pytest-xdist's own hook reads the groups to send each to one worker.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    by_file: dict[str, str] = {}
    for item in items:
        shared = next((name for name in SHARED_BUILDS if name in getattr(item, "fixturenames", ())), None)
        if shared is not None:
            by_file.setdefault(item.nodeid.split("::")[0], shared)
    # Files that share a build with another shared build (test_idempotence uses both Xiamen
    # builds) join that build's group: xiamen_project and xiamen_pair go together.
    groups = {"xiamen_project": "xiamen_pair"}
    for item in items:
        path = item.nodeid.split("::")[0]
        group = by_file.get(path)
        item.add_marker(pytest.mark.xdist_group(groups.get(group, group) if group else path))
