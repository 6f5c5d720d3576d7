"""A build whose inputs are all what the published warehouse was built from does nothing.

`budgetwh build` records in meta.build_info a fingerprint of everything it read (model
fingerprint, dbt tests, analyses, its own code, packages, documents by content hash); when the
next build would read the same, it says the warehouse is up to date and leaves the file alone.
Any input the fingerprint leaves out would make a build skip a change, so every kind of input
is changed in turn here, in a copy of the project: the fingerprint check for each (cheap), and
real builds for the second build (up to date) and a changed dbt test (rebuilds). That --force
builds an up-to-date warehouse anyway is checked on the real documents
(tests/publish/test_quarantine.py, test_building_again_is_idempotent)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from budgetwh import model_state
from budgetwh.build import document_paths
from budgetwh.model_state import BuildInputs, ModelFingerprint, published_state
from tests.publish.conftest import Project

UP_TO_DATE = "is up to date"


def file_state(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


@pytest.fixture(scope="module")
def project(xiamen_project) -> Project:
    """The session's copy of the project with the two Xiamen documents, built (conftest.py)."""
    return xiamen_project


@pytest.fixture(scope="module")
def second_build(project) -> tuple[subprocess.CompletedProcess, tuple, tuple]:
    before = file_state(project.target)
    result = project.build()
    return result, before, file_state(project.target)


def test_a_second_build_is_up_to_date_and_leaves_the_warehouse_alone(project, second_build):
    result, before, after = second_build
    assert f"{project.target} {UP_TO_DATE}" in result.stdout
    assert "== ingest" not in result.stdout and "dbt" not in result.stdout.replace("dbt tests", "")
    assert after == before
    assert [p.name for p in (project.target.parent / ".building").iterdir()] == ["budget.duckdb.lock"]
    connection = duckdb.connect(str(project.target), read_only=True)
    try:
        recorded = connection.execute("select model_fingerprint, inputs_fingerprint from meta.build_info").fetchall()
    finally:
        connection.close()
    assert len(recorded) == 1 and all(len(digest) == 64 for digest in recorded[0])


def _append(relative: str, text: bytes = b"\n-- changed\n"):
    def change(root: Path) -> None:
        path = root / relative
        path.write_bytes(path.read_bytes() + text)
    return change


def _first(pattern: str, text: bytes = b"\n-- changed\n"):
    def change(root: Path) -> None:
        path = sorted(root.glob(pattern))[0]
        path.write_bytes(path.read_bytes() + text)
    return change


def _add(relative: str, text: bytes):
    def change(root: Path) -> None:
        (root / relative).write_bytes(text)
    return change


def _add_document(root: Path) -> None:
    shutil.copy2(root / "data/raw/xiamen/hrss/xiamen-hrss-2020-budget.txt", root / "data/raw/xiamen/hrss/copy.txt")


def _rename_document(root: Path) -> None:
    folder = root / "data/raw/xiamen/hrss"
    (folder / "xiamen-hrss-2020-budget.txt").rename(folder / "xiamen-hrss-2020-budget-renamed.txt")


def _remove_document(root: Path) -> None:
    (root / "data/raw/xiamen/hrss/xiamen-hrss-2020-budget.txt").unlink()


# One change of every kind of input a build reads.
CHANGES = {
    "document changed": _append("data/raw/xiamen/hrss/xiamen-hrss-2024-budget.txt", b"\n"),
    "document added": _add_document,
    "document renamed": _rename_document,
    "document removed": _remove_document,
    "model": _first("models/marts/*.sql"),
    "model added": _add("models/marts/new_model.sql", b"select 1 as one\n"),
    "model docs": _first("models/**/*.yml", b"\n"),
    "macro": _first("macros/*.sql"),
    "seed": _first("seeds/**/*.csv", b"\n"),
    "dbt test": _first("tests/dbt/*.sql"),
    "analysis": _first("analyses/*.sql"),
    "profiles.yml": _append("profiles.yml", b"\n# changed\n"),
    "dbt_project.yml": _append("dbt_project.yml", b"\n# changed\n"),
    "build code": _append("budgetwh/lineage.py", b"\n# changed\n"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_kind_of_input_changed_is_not_up_to_date(project, second_build, change, tmp_path):
    saved = tmp_path / "saved"
    shutil.copytree(project.root, saved, ignore=shutil.ignore_patterns("__pycache__"))
    assert project.up_to_date()
    try:
        change(project.root)
        assert not project.up_to_date()
    finally:
        for part in ("data", "models", "macros", "seeds", "tests", "analyses", "budgetwh"):
            shutil.rmtree(project.root / part)
            shutil.copytree(saved / part, project.root / part)
        for name in ("profiles.yml", "dbt_project.yml"):
            shutil.copy2(saved / name, project.root / name)
    assert project.up_to_date()


def test_parser_and_package_versions_are_inputs(project, second_build, monkeypatch, tmp_path):
    assert project.up_to_date()
    with monkeypatch.context() as patch:
        patch.setattr(model_state, "parser_version", lambda: "another parser")
        assert not project.up_to_date()
    with monkeypatch.context() as patch:
        engines = model_state.version
        patch.setattr(model_state, "version", lambda name: "0.0.1" if name == "dbt-duckdb" else engines(name))
        assert not project.up_to_date()
    # Any installed package, not only the engines: a folder on sys.path with one more.
    (tmp_path / "some_package-1.0.dist-info").mkdir()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "path", [*sys.path, str(tmp_path)])
        assert not project.up_to_date()
    assert project.up_to_date()


def test_a_warehouse_without_recorded_inputs_is_not_up_to_date(project, second_build, tmp_path):
    """Warehouses published before the inputs were recorded are built again."""
    older = tmp_path / "budget.duckdb"
    shutil.copyfile(project.target, older)
    connection = duckdb.connect(str(older))
    try:
        connection.execute("alter table meta.build_info drop column inputs_fingerprint")
    finally:
        connection.close()
    model = ModelFingerprint.of_project(project.root)
    inputs = BuildInputs.of_build(project.root, model, document_paths(project.data), project.data)
    assert published_state(project.target).up_to_date(model, inputs)
    assert not published_state(older).up_to_date(model, inputs)


def test_a_changed_dbt_test_rebuilds(project, second_build, tmp_path):
    """The real build, on a copy of the published warehouse (the other tests keep theirs): a
    dbt test edited (not in the model fingerprint: no --full-refresh, but the tests must run),
    then up to date again."""
    copy = Project(project.root, tmp_path / "budget.duckdb", tmp_path / "dbt")
    shutil.copyfile(project.target, copy.target)
    assert UP_TO_DATE in copy.build().stdout  # the same inputs, wherever the file is
    test = sorted((project.root / "tests" / "dbt").glob("*.sql"))[0]
    original = test.read_bytes()
    before = file_state(copy.target)
    try:
        test.write_bytes(original + b"\n-- changed\n")
        changed = copy.build()
        assert UP_TO_DATE not in changed.stdout
        assert "== ingest (new and changed documents)" in changed.stdout
        assert "== dbt build (models and tests; seeds unchanged" in changed.stdout
        # dbt ran the edited test (its name in dbt's output) and passed it.
        assert f"PASS {test.stem} " in changed.stdout
        assert file_state(copy.target)[0] != before[0]  # a new file was published
        assert f"{copy.target} {UP_TO_DATE}" in copy.build().stdout
    finally:
        test.write_bytes(original)


def _in_storage_format(source: Path, copy: Path, storage_version: str) -> None:
    """`source` copied into a new file in an older DuckDB storage format. DuckDB 1.5.6 (the
    engine before DuckDB 2.0) writes 'v1.0.0+' files; DuckDB 2.0 writes that same format when
    asked (checked by hand on 2026-11-30: a warehouse built with duckdb 1.5.6 is tagged
    'v1.0.0+', and 1.5.6 opens a 'v1.0.0+' file that DuckDB 2.0.1 wrote into)."""
    connection = duckdb.connect()
    try:
        connection.execute("attach ? as source (read_only)", [str(source)])
        # Attached under the name it has when opened as a file: the views name their catalog.
        connection.execute(f"attach ? as {copy.stem} (storage_version '{storage_version}')", [str(copy)])
        connection.execute(f"copy from database source to {copy.stem}")
    finally:
        connection.close()


def test_a_warehouse_in_an_older_duckdb_storage_format_is_read_then_built_from_empty(project, second_build, tmp_path):
    """A warehouse published by DuckDB 1.x ('v1.0.0+' storage) is read by DuckDB 2.0 (the
    up-to-date check and the fingerprints work on it), but an incremental build would copy
    it and keep that format for good: the build starts from empty instead, and the file it
    publishes is in the format this DuckDB writes. No DuckDB before 2.0 opens that file."""
    current = model_state.new_file_storage_version()
    assert published_state(project.target).storage_version == current
    older = Project(project.root, tmp_path / "older" / "budget.duckdb", tmp_path / "dbt")
    older.target.parent.mkdir()
    _in_storage_format(project.target, older.target, "v1.0.0")
    state = published_state(older.target)
    assert state.storage_version == "v1.0.0+" != current
    # Read: the same parser, fingerprints and inputs as the published warehouse it came from.
    assert state.parsed_by_this_parser and state.fingerprint == published_state(project.target).fingerprint
    assert older.up_to_date()  # the same inputs (after an upgrade the package versions differ)
    built = older.build("--force")
    assert "building it from empty" in built.stdout and "== ingest (every document)" in built.stdout
    assert published_state(older.target).storage_version == current
    with duckdb.connect(str(older.target), read_only=True) as rebuilt, \
            duckdb.connect(str(project.target), read_only=True) as original:
        for table in ("fct_expenditure", "fct_parse_finding", "dim_document"):
            query = f"select * from marts.{table} order by all"
            assert rebuilt.execute(query).fetchall() == original.execute(query).fetchall()
    # Then an ordinary incremental build again: same format, so the copy is kept.
    assert "building it from empty" not in older.build("--force").stdout
