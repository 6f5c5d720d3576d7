"""The locks install exactly what they list, from the package registry and nothing else.

`make` installs requirements.lock (and requirements-spark.lock for Spark) with
`pip install --no-deps`: every package the environment needs must be in the lock, pinned to
one version, and nothing the lock does not name is fetched. That is how the install leaves out
dbt-core-experimental-parser, which dbt-core 1.12 requires but whose install downloads a
binary from outside the package registries (dbt-core issue #15670); it only serves dbt's
opt-in `--use-v2-parser`. These tests keep it that way: exact pins only (no URL, path or pip
option that could point elsewhere), the parser in no lock and not installed, the lock closed
under its packages' requirements (so --no-deps misses nothing but the parser), and the
environment the tests run in installed as locked."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, distribution, distributions

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

LOCKS = ("requirements.lock", "requirements-spark.lock")
LEFT_OUT = "dbt-core-experimental-parser"
# name[extras]==version, optionally ; marker: an exact pin of one release from the index.
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[(?P<extras>[A-Za-z0-9_,-]+)\])?"
                 r"==(?P<version>[A-Za-z0-9.+!_-]+)(?:\s*;\s*(?P<marker>.+))?$")


def lock_lines(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def pins(name: str) -> dict[str, tuple[str, set[str]]]:
    """canonical name -> (version, extras) of every line of a lock."""
    found = {}
    for line in lock_lines(name):
        match = PIN.match(line)
        assert match, f"{name}: {line!r} is not an exact pin (name==version)"
        found[canonicalize_name(match["name"])] = (match["version"], set((match["extras"] or "").split(",")) - {""})
    return found


@pytest.mark.parametrize("lock", LOCKS)
def test_every_line_is_an_exact_pin(lock):
    lines = lock_lines(lock)
    assert lines
    bad = [line for line in lines if not PIN.match(line)]
    assert not bad, f"{lock}: not name==version: {bad}"
    names = [canonicalize_name(PIN.match(line)["name"]) for line in lines]
    assert len(names) == len(set(names)), f"{lock}: a package pinned twice"


@pytest.mark.parametrize("lock", LOCKS)
def test_the_parser_that_downloads_a_binary_is_in_no_lock(lock):
    assert LEFT_OUT not in pins(lock)


def test_the_parser_is_not_installed():
    assert not [d for d in distributions() if canonicalize_name(d.metadata["Name"] or "") == LEFT_OUT]
    with pytest.raises(PackageNotFoundError):
        distribution(LEFT_OUT)


def test_the_environment_is_installed_as_locked():
    wrong = {}
    for name, (version, _) in pins("requirements.lock").items():
        try:
            installed = distribution(name).version
        except PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"locked version, installed version: {wrong} (make reinstalls when the lock changes)"


def _missing_requirements(locked: dict[str, tuple[str, set[str]]]) -> dict[str, list[str]]:
    """Requirements of the locked packages (their own, and those of the extras the lock names)
    that the lock does not satisfy, read from the installed packages' metadata."""
    missing: dict[str, list[str]] = {}
    for name, (_, extras) in locked.items():
        for text in distribution(name).requires or []:
            requirement = Requirement(text)
            if requirement.marker and not any(requirement.marker.evaluate({"extra": extra})
                                              for extra in extras | {""}):
                continue
            wanted = canonicalize_name(requirement.name)
            if wanted not in locked or not requirement.specifier.contains(locked[wanted][0], prereleases=True):
                missing.setdefault(name, []).append(text)
    return missing


def test_the_lock_is_closed_but_for_the_parser():
    """pip install --no-deps installs no more than the lock: every requirement of a locked
    package is itself locked at a version it accepts, except dbt-core's parser."""
    locked = pins("requirements.lock")
    missing = _missing_requirements(locked)
    assert missing.pop("dbt-core", None) == [r for r in distribution("dbt-core").requires
                                             if canonicalize_name(Requirement(r).name) == LEFT_OUT]
    assert not missing, f"requirements not in requirements.lock: {missing}"


def test_the_spark_lock_is_closed_over_the_main_one():
    try:
        distribution("dbt-spark")
    except PackageNotFoundError:
        pytest.skip("requirements-spark.lock is not installed here (make test-spark installs it)")
    locked = {**pins("requirements.lock"), **pins("requirements-spark.lock")}
    missing = _missing_requirements({name: locked[name] for name in pins("requirements-spark.lock")})
    assert not missing, f"requirements not in the locks: {missing}"
