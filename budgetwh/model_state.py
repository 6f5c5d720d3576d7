"""What the incremental fact tables of a published warehouse were computed with.

The fact marts keep the rows of documents loaded by earlier builds and only add those of
new documents. That is right only while everything else their rows are computed from stays
the same: the dbt models and macros, the seeds (crosswalk, known findings, departments …),
dbt_project.yml, the parser, and the engine versions. The build records a fingerprint of
all of it in meta.build_info; when the published warehouse's fingerprint differs from the
current one, its fact rows may be stale and the build runs `dbt build --full-refresh`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import duckdb

from ingest.core.version import parser_version

# Everything dbt reads to compute the tables; tests/dbt and analyses only check or query them.
MODEL_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds")
ENGINE_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")


@dataclass(frozen=True)
class ModelFingerprint:
    digest: str

    @classmethod
    def of_project(cls, root: Path) -> "ModelFingerprint":
        hasher = hashlib.sha256()
        hasher.update(f"parser {parser_version()}\n".encode())
        for package in ENGINE_PACKAGES:
            hasher.update(f"{package} {version(package)}\n".encode())
        for path in _input_files(root):
            # The path is part of the hash: moving a model between folders changes its schema.
            hasher.update(f"{path.relative_to(root).as_posix()}\n".encode())
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
        return cls(hasher.hexdigest())


def _input_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in MODEL_INPUTS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


@dataclass(frozen=True)
class PublishedState:
    """What a build needs to know of the published warehouse, read in one connection."""
    parsed_by_this_parser: bool  # every document parsed by the current parser
    fingerprint: ModelFingerprint | None  # None: none recorded, treated as stale


def published_state(warehouse: Path) -> PublishedState:
    """The published warehouse's parser versions and model fingerprint; a missing file, or
    one that is not a warehouse of this project, gives a state that forces a full build."""
    nothing = PublishedState(False, None)
    if not warehouse.exists():
        return nothing
    try:
        connection = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return nothing
    try:
        stale = connection.execute("select count(*) from raw.documents where parser_version <> ?",
                                   [parser_version()]).fetchone()[0]
    except duckdb.Error:
        connection.close()
        return nothing  # built before parser versions were recorded, or not a warehouse
    try:
        row = connection.execute("select model_fingerprint from meta.build_info").fetchone()
    except duckdb.Error:
        row = None  # built before fingerprints were recorded
    finally:
        connection.close()
    return PublishedState(stale == 0, ModelFingerprint(row[0]) if row and row[0] else None)
