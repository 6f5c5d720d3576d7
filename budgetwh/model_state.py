"""What the incremental fact tables of a published warehouse were computed with.

The fact marts keep the rows of documents loaded by earlier builds and only add those of
new documents. That is right only while everything else their rows are computed from stays
the same: the dbt models and macros, the seeds (crosswalk, known findings, departments …),
dbt_project.yml, the parser, and the engine versions. The build records a fingerprint of
all of it in meta.build_info; when the published warehouse's fingerprint differs from the
current one, its fact rows may be stale and the build runs `dbt build --full-refresh`.

A build also records what else it read (BuildInputs): dbt's tests and the analyses, the
build's own code, every installed package's version and the documents by content hash. When
all of it and the model fingerprint equal the published warehouse's, a build would publish
the same warehouse again, and `budgetwh build` stops at once (up to date)."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import duckdb

from ingest.core.document import fingerprint as document_fingerprint
from ingest.core.errors import IngestError
from ingest.core.version import parser_version

# Everything dbt reads to compute the tables; tests/dbt and analyses only check or query them.
MODEL_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds")
ENGINE_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
# What a build reads beyond that: dbt's tests and the analyses (the build runs them; a warehouse
# has only passed the tests it was built with) and the build's own code (column lineage,
# meta.build_info). Documents and package versions are added by BuildInputs.
CHECK_INPUTS = ("tests/dbt", "analyses", "budgetwh")


@dataclass(frozen=True)
class ModelFingerprint:
    digest: str

    @classmethod
    def of_project(cls, root: Path) -> "ModelFingerprint":
        hasher = hashlib.sha256()
        hasher.update(f"parser {parser_version()}\n".encode())
        for package in ENGINE_PACKAGES:
            hasher.update(f"{package} {version(package)}\n".encode())
        _hash_files(hasher, root, MODEL_INPUTS)
        return cls(hasher.hexdigest())


@dataclass(frozen=True)
class BuildInputs:
    """Everything a build publishes from: the model fingerprint, CHECK_INPUTS, the Python
    version and every installed distribution's version, and each document given as (its path
    under the data folder, or its absolute path when outside it; sha256), sorted."""
    digest: str

    @classmethod
    def of_build(cls, root: Path, model: ModelFingerprint, documents: list[Path],
                 data_root: Path) -> "BuildInputs | None":
        """None when a document cannot be hashed (missing, too large): the build reports it."""
        hasher = hashlib.sha256()
        hasher.update(f"model {model.digest}\npython {sys.version}\n".encode())
        for package in installed_distributions():
            hasher.update(f"package {package}\n".encode())
        _hash_files(hasher, root, CHECK_INPUTS)
        data_root = data_root.resolve()
        try:
            hashed = sorted((_document_name(Path(path).resolve(), data_root), document_fingerprint(path).sha256)
                            for path in documents)
        except IngestError:
            return None
        for name, sha256 in hashed:
            hasher.update(f"document {name} {sha256}\n".encode())
        return cls(hasher.hexdigest())


def installed_distributions() -> list[str]:
    """Every distribution importable from sys.path, as its metadata folder's name (which pip
    writes as name-version): a directory listing, where asking importlib.metadata for each
    version would read every package's METADATA (0.2 s)."""
    return sorted({name for folder in sys.path if os.path.isdir(folder) for name in os.listdir(folder)
                   if name.endswith((".dist-info", ".egg-info"))})


def _document_name(path: Path, data_root: Path) -> str:
    # The name is stored with the document (raw.documents.file_name): a renamed document is a change.
    return path.relative_to(data_root).as_posix() if path.is_relative_to(data_root) else path.as_posix()


def _hash_files(hasher, root: Path, names: tuple[str, ...]) -> None:
    for path in _input_files(root, names):
        # The path is part of the hash: moving a model between folders changes its schema.
        hasher.update(f"{path.relative_to(root).as_posix()}\n".encode())
        hasher.update(hashlib.sha256(path.read_bytes()).digest())


def _input_files(root: Path, names: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for name in names:
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
    inputs: BuildInputs | None = None  # None: none recorded (an older build), never up to date
    built_at: object = None
    storage_version: str | None = None  # the file's DuckDB storage format, e.g. 'v1.0.0+' (DuckDB 1.x)

    def in_storage_format(self, storage_version: str) -> bool:
        """Written in this storage format (a file whose format is not known counts as written in it)."""
        return self.storage_version is None or self.storage_version == storage_version

    def up_to_date(self, model: ModelFingerprint, inputs: BuildInputs | None) -> bool:
        """Built by this parser from these very inputs: a build would publish the same warehouse."""
        return (self.parsed_by_this_parser and self.fingerprint == model and inputs is not None
                and self.inputs == inputs)


def published_state(warehouse: Path) -> PublishedState:
    """The published warehouse's parser versions, model fingerprint and build inputs (opened
    read-only, once); a missing file, or one that is not a warehouse of this project, gives a
    state that forces a full build."""
    nothing = PublishedState(False, None)
    if not warehouse.exists():
        return nothing
    try:
        connection = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return nothing
    storage = _storage_version(connection)
    try:
        stale = connection.execute("select count(*) from raw.documents where parser_version <> ?",
                                   [parser_version()]).fetchone()[0]
    except duckdb.Error:
        connection.close()
        return nothing  # built before parser versions were recorded, or not a warehouse
    try:
        # select *: warehouses built before a column was recorded lack it.
        result = connection.execute("select * from meta.build_info")
        row = dict(zip([column[0] for column in result.description], result.fetchone() or ()))
    except duckdb.Error:
        row = {}  # built before fingerprints were recorded
    finally:
        connection.close()
    model, inputs = row.get("model_fingerprint"), row.get("inputs_fingerprint")
    return PublishedState(stale == 0, ModelFingerprint(model) if model else None,
                          BuildInputs(inputs) if inputs else None, row.get("built_at"), storage)


def _storage_version(connection: duckdb.DuckDBPyConnection, database: str | None = None) -> str | None:
    """The storage format DuckDB tags an attached file with ('v1.0.0+': DuckDB 1.x's default,
    readable by 1.0 and later; 'v2.0.0+': DuckDB 2.0's default, which no DuckDB before 2.0 opens)."""
    try:
        row = connection.execute("select tags from duckdb_databases() "
                                 "where database_name = coalesce(?, current_database())", [database]).fetchone()
    except duckdb.Error:
        return None  # a DuckDB without storage tags
    tags = row[0] if row else None
    return tags.get("storage_version") if isinstance(tags, dict) else None


def new_file_storage_version() -> str | None:
    """The storage format this DuckDB writes a new database file in (what a build from empty
    publishes): a file DuckDB creates in a temporary folder and that is removed at once."""
    with tempfile.TemporaryDirectory(prefix="budgetwh-storage-") as folder:
        connection = duckdb.connect()
        try:
            connection.execute("attach ? as probe", [os.path.join(folder, "probe.duckdb")])
            return _storage_version(connection, "probe")
        finally:
            connection.close()
