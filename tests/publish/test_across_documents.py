"""Findings across documents (issue 13 item 3): a stated change on the prior year checked
against the prior year's document, on generated documents of two consecutive years.

The real corpus has no such pair (Xiamen 403 is 2020 and 2024; the Putuo budgets of 2025 and
2026 are of different departments), so bench/generate.py makes one department's 2023 and 2024
budgets, each stating its change on the year before from the other's figures. Then the 2024
document is given a misprinted change of its 机关运行经费 (−151.33 instead of −150.33 万元):
both documents carry the finding, their quality status stays what it was, an incremental build
(the 2023 document already loaded) equals a build from scratch, and the finding goes when the
2023 document leaves the warehouse."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from bench import generate
from bench.reference import project_copy
from tests.warehouses import dbt_env, query, run_build

SEED = 7
KIND = "stated_change_differs_from_prior_year"
PRINTED = "比2023年预算减少150.33万元"
MISPRINTED = "比2023年预算减少151.33万元"


class Project:
    """The project copy whose seeds carry the generated department (bench/reference.py)."""

    def __init__(self, root: Path, dbt: Path):
        self.root, self.env = root, dbt_env(dbt)

    def build(self, target: Path, documents: list[Path], *extra: str) -> str:
        result = run_build(target, documents, self.env, *extra, cwd=self.root)
        assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
        return result.stdout


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("across")
    corpus = base / "corpus"
    manifest = generate.generate_corpus(corpus, 1, [2023, 2024], SEED, check=False)
    earlier, later = (corpus / entry["file"] for entry in manifest["documents"])
    assert (earlier.name, later.name) == ("xiamen-d401-2023-budget.txt", "xiamen-d401-2024-budget.txt")
    root = base / "project"
    project_copy(root, [corpus])
    misprinted = base / "misprinted" / later.name
    misprinted.parent.mkdir()
    text = later.read_text(encoding="utf-8")
    assert text.count(PRINTED) == 1
    misprinted.write_text(text.replace(PRINTED, MISPRINTED), encoding="utf-8")
    return Project(root, base / "dbt"), earlier, later, misprinted, base


CHECKS = """
    select file_name, change_key, stated_change_wan, level_wan, prior_file_name, prior_level_wan,
           computed_change_wan, difference_wan, is_disagreement
    from intermediate.int_prior_year_changes_checked order by change_key"""
FINDINGS = f"""
    select file_name, fiscal_year, finding_subject, expected_value, actual_value, difference_value,
           source_line, message
    from marts.fct_parse_finding where finding_kind = '{KIND}' order by file_name"""
DOCUMENTS = """
    select file_name, quality_status, finding_count, cross_document_finding_count
    from marts.dim_document order by file_name"""


@pytest.fixture(scope="module")
def consistent(setup):
    project, earlier, later, _, base = setup
    target = base / "consistent" / "budget.duckdb"
    project.build(target, [earlier, later], "--quiet")
    return target


def test_consistent_pair_is_checked_and_agrees(consistent):
    rows = query(consistent, CHECKS)
    later, earlier = "xiamen-d401-2024-budget.txt", "xiamen-d401-2023-budget.txt"
    assert [r[:2] for r in rows] == [
        (later, "expenditure_change"), (later, "general_budget_change"),
        (later, "income_change"), (later, "office_operation_change")]
    by_key = {r[1]: r for r in rows}
    assert by_key["income_change"][2:] == (
        Decimal("-5847.89"), Decimal("44689.70"), earlier, Decimal("50537.59"), Decimal("-5847.89"),
        Decimal("0.00"), False)
    assert by_key["office_operation_change"][2:] == (
        Decimal("-150.33"), Decimal("474.18"), earlier, Decimal("624.51"), Decimal("-150.33"),
        Decimal("0.00"), False)
    assert not any(r[-1] for r in rows)
    assert query(consistent, FINDINGS) == []
    assert [r[3] for r in query(consistent, DOCUMENTS)] == [0, 0]


@pytest.fixture(scope="module")
def misprinted_incremental(setup, consistent):
    """The misprinted 2024 document replaces the consistent one in the same warehouse: the
    2023 document is already loaded, its finding must still appear."""
    project, earlier, _, misprinted, base = setup
    target = base / "misprinted-incremental" / "budget.duckdb"
    target.parent.mkdir()
    shutil.copyfile(consistent, target)
    output = project.build(target, [earlier, misprinted])
    assert "dbt build (models and tests; seeds unchanged; facts of new documents only)" in output
    # the build's summary names the disagreement on each document; the status stays clean
    assert "summary: 2 documents published (2 clean; 2 with findings), 0 rejected" in output
    for line in ("clean               xiamen-d401-2023-budget.txt: 2023 厦门市市场监督管理局 预算, 4 findings, "
                 "1 disagreeing with another document",
                 "clean               xiamen-d401-2024-budget.txt: 2024 厦门市市场监督管理局 预算, 5 findings, "
                 "1 disagreeing with another document"):
        assert line in output
    return target


def line_of(path: Path, printed: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if printed in line)


def test_a_misprinted_change_is_a_finding_on_both_documents(setup, misprinted_incremental):
    _, earlier, _, misprinted, _ = setup
    message = ("2024 xiamen-d401-2024-budget.txt states office_operation_change -151.33 万元 "
               "(比2023年预算减少151.33万元); office_operation_cost 474.18 − 624.51 of 2023 "
               "xiamen-d401-2023-budget.txt = -150.33 万元")
    rows = query(misprinted_incremental, FINDINGS)
    assert [r[:6] + (r[7],) for r in rows] == [
        ("xiamen-d401-2023-budget.txt", 2023, "office_operation_change", Decimal("-150.33"), Decimal("-151.33"),
         Decimal("-1.00"), message),
        ("xiamen-d401-2024-budget.txt", 2024, "office_operation_change", Decimal("-150.33"), Decimal("-151.33"),
         Decimal("-1.00"), message)]
    # each at its own line: the prior figure in 2023, the stated change in 2024
    assert {r[0]: r[6] for r in rows} == {
        "xiamen-d401-2023-budget.txt": line_of(earlier, "624.51万元"),
        "xiamen-d401-2024-budget.txt": line_of(misprinted, MISPRINTED)}
    checks = {r[1]: r for r in query(misprinted_incremental, CHECKS)}
    assert checks["office_operation_change"][-2:] == (Decimal("-1.00"), True)
    assert [r[-1] for r in checks.values()].count(True) == 1


def test_a_disagreement_between_documents_does_not_change_the_status(consistent, misprinted_incremental):
    documents = query(misprinted_incremental, DOCUMENTS)
    assert [r[3] for r in documents] == [1, 1]
    # status and the document's own findings as before the misprint
    assert [r[:3] for r in documents] == [r[:3] for r in query(consistent, DOCUMENTS)]


def test_incremental_equals_a_build_from_scratch(setup, misprinted_incremental, tmp_path):
    project, earlier, _, misprinted, _ = setup
    scratch = tmp_path / "budget.duckdb"
    project.build(scratch, [earlier, misprinted], "--quiet")
    every = "select * exclude (finding_key) from marts.fct_parse_finding order by all"
    assert query(misprinted_incremental, every) == query(scratch, every)
    assert query(misprinted_incremental, "select finding_key from marts.fct_parse_finding order by 1") == \
        query(scratch, "select finding_key from marts.fct_parse_finding order by 1")
    assert query(misprinted_incremental, DOCUMENTS) == query(scratch, DOCUMENTS)


def test_the_finding_goes_with_the_prior_document(setup, misprinted_incremental):
    project, _, _, misprinted, _ = setup
    project.build(misprinted_incremental, [misprinted], "--quiet")
    assert query(misprinted_incremental, FINDINGS) == []
    assert query(misprinted_incremental, CHECKS) == []
    assert query(misprinted_incremental, DOCUMENTS)[0][3] == 0
