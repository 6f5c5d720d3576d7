"""Reference rows for a generated corpus, and a copy of the project that carries them.

The warehouse refuses a document whose department or budget units are not in the reference
seeds (seeds/organisation/departments.csv, budget_units.csv): every department and unit an
analyst sees has a cited row there, and a unit name that drifts is a failing test, not a
silent new unit. Generated departments are not real, so their rows must not enter the
project's own seeds. A build of a generated corpus runs in a copy of the project whose
seeds are the real ones plus the generator's rows, each row's evidence naming the generator,
its seed and the corpus folder.

    python bench/reference.py CORPUS_DIR… --project-copy DEST
    cd DEST && python -m budgetwh build --target … --documents CORPUS_DIR/*.txt data/raw/**/*.txt

The real documents go into every such build: the warehouse's real-value tests (2080116 合计
33,946.00 …) assert them, and with them every dbt test keeps its own severity.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402

# What a build needs of the project: the packages it runs and the dbt project it builds.
PROJECT_PARTS = ("budgetwh", "ingest", "models", "macros", "seeds", "analyses", "tests/dbt",
                 "dbt_project.yml", "profiles.yml")
DEPARTMENTS_SEED = Path("seeds/organisation/departments.csv")
BUDGET_UNITS_SEED = Path("seeds/organisation/budget_units.csv")
CLASSIFICATION_YEARS_SEED = Path("seeds/classification/classification_years.csv")
CROSSWALK_SEED = Path("seeds/classification/subject_code_crosswalk.csv")
SUBJECT_NAMES_SEED = Path("seeds/classification/subject_names_by_year.csv")
# The generator prints the 2020 classification before 2021 and the 2024 one from 2021 on
# (bench/generate.py, subject_code).
FIRST_YEAR_OF_NEW_CODES = 2021


@dataclass(frozen=True)
class GeneratedCorpus:
    """A corpus folder's manifest with the departments the generator made for it."""
    folder: Path
    manifest: dict
    departments: dict[str, generate.Department]

    @classmethod
    def read(cls, folder: Path) -> "GeneratedCorpus":
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        departments = generate.departments(manifest["seed"], manifest["departments"])
        return cls(folder, manifest, {d.code: d for d in departments})

    def documents(self):
        """(document entry of the manifest, its department), in manifest order."""
        for document in self.manifest["documents"]:
            yield document, self.departments[document["department_code"]]


def _levels(code: str, item_name: str):
    """(code, name) of the 类, 款 and 项 a 项 code prints: 附件3/附件5 print the 类 and 款 rows
    above each 项, in the same classification."""
    yield code[:3], generate.CLASS_NAMES[code[:3]]
    yield code[:5], generate.SECTION_NAMES[code[:5]]
    yield code, item_name


def _crosswalk_row(year: int, reported: str, name: str, conformed: str, evidence: str) -> dict:
    return {"fiscal_year": year, "reported_code": reported, "reported_name": name, "new_code": conformed,
            "new_code_first_year": FIRST_YEAR_OF_NEW_CODES if reported != conformed else year,
            "relation": "moved" if reported != conformed else "same", "basis": "official catalogue",
            "evidence": evidence}


def classification_rows(corpus: GeneratedCorpus) -> tuple[list[dict], list[dict], list[dict]]:
    """classification_years rows for every year of a corpus, crosswalk rows for the codes a
    department of the corpus prints in a year of the old classification, and names in the
    conformed (2024) classification for codes the real documents never print."""
    evidence = f"generated corpus {corpus.folder.name}: bench/generate.py prints"
    years: dict[int, dict] = {}
    crosswalk: dict[tuple, dict] = {}
    names: dict[str, dict] = {}
    for document, department in corpus.documents():
        year = document["year"]
        old = year < FIRST_YEAR_OF_NEW_CODES
        years[year] = {"fiscal_year": year, "classification_year": 2020 if old else 2024,
                       "evidence": f"{evidence} the {'2020' if old else '2024'} codes for {year}"}
        for code in department.subjects:
            if not old:
                for level_code, name in _levels(code, generate.SUBJECT_BY_CODE[code].name):
                    names[level_code] = {"subject_code": level_code, "fiscal_year": 2024, "subject_name": name,
                                         "basis": "national classification",
                                         "evidence": f"{evidence} {level_code} {name} from 2021"}
                continue
            printed_code, printed_name = generate.subject_code(code, year)
            for (reported, name), (conformed, _) in zip(_levels(printed_code, printed_name),
                                                        _levels(code, printed_name)):
                crosswalk[(year, reported, name)] = _crosswalk_row(
                    year, reported, name, conformed, f"{evidence} {reported} {name} for {conformed} in {year}")
        if not old:
            continue
        # 附件9 prints the transfer's 项 alone, and a transfer may use a 项 the department spends nothing on.
        for key, _unit in department.transfers:
            code, name = next((t[1], t[2]) for t in generate.TRANSFERS if t[0] == key)
            reported, printed_name = generate.PRE_2021.get(code, (code, name))
            crosswalk.setdefault((year, reported, printed_name), _crosswalk_row(
                year, reported, printed_name, code, f"{evidence} {reported} {printed_name} in 附件9 for {code} in {year}"))
    return list(years.values()), list(crosswalk.values()), list(names.values())


def reference_rows(corpus: GeneratedCorpus) -> tuple[list[dict], list[dict]]:
    """Department rows and budget-unit rows (one per unit and year printed) of a corpus."""
    manifest = corpus.manifest
    evidence = (f"generated by bench/generate.py (generator {manifest['generator_version']}, seed {manifest['seed']}) "
                f"in {corpus.folder.name}")
    departments: dict[str, dict] = {}
    units: dict[tuple[str, int], dict] = {}
    for document, department in corpus.documents():
        departments[department.code] = {"department_code": department.code, "department_name": department.name,
                                        "region": "厦门市", "evidence": evidence}
        for unit in department.units:
            # The unit list prints a second name in brackets; the seed keeps both, as the
            # real 2024 rows do (budget_units.csv, 403015).
            name = f"{unit.name}（{unit.alias}）" if unit.alias else unit.name
            units[(unit.code, document["year"])] = {
                "unit_code": unit.code, "fiscal_year": document["year"], "unit_name": name, "unit_nature": "",
                "funding_type": unit.funding, "evidence": f"{evidence}, {document['file']}"}
    return list(departments.values()), list(units.values())


def project_copy(destination: Path, corpora: list[Path]) -> dict[str, int]:
    """A copy of the project at `destination` whose organisation and classification seeds also
    hold the rows of `corpora`; `python -m budgetwh build` run from there (working directory)
    builds the generated documents with every dbt test at its own severity. Returns how many
    rows each seed gained."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        target = destination / part
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    added = {"departments": 0, "units": 0, "years": 0, "crosswalk": 0, "names": 0}
    for folder in corpora:
        corpus = GeneratedCorpus.read(folder)
        departments, units = reference_rows(corpus)
        added["departments"] += _append(destination / DEPARTMENTS_SEED, departments)
        added["units"] += _append(destination / BUDGET_UNITS_SEED, units)
        years, crosswalk, names = classification_rows(corpus)
        added["names"] += _append(destination / SUBJECT_NAMES_SEED, names)
        added["years"] += _append(destination / CLASSIFICATION_YEARS_SEED, years)
        added["crosswalk"] += _append(destination / CROSSWALK_SEED, crosswalk, key_columns=3)
    return added


def _append(seed: Path, rows: list[dict], key_columns: int = 2) -> int:
    with seed.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames
        known = {tuple(row[c] for c in columns[:key_columns]) for row in reader}
    content = seed.read_bytes()
    # DuckDB's CSV sniffer refuses a file that mixes line endings: append in the file's own.
    ending = "\r\n" if b"\r\n" in content else "\n"
    with seed.open("a", encoding="utf-8", newline="") as handle:
        if not content.endswith(b"\n"):
            handle.write(ending)
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator=ending)
        appended = 0
        for row in rows:
            key = tuple(str(row[c]) for c in columns[:key_columns])
            if key not in known:
                writer.writerow(row)
                known.add(key)
                appended += 1
    return appended


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/reference.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path, help="generated corpus folders (with manifest.json)")
    parser.add_argument("--project-copy", type=Path, required=True, help="folder to write the project copy to")
    args = parser.parse_args(argv)
    added = project_copy(args.project_copy, args.corpora)
    print(f"{args.project_copy}: " + ", ".join(f"{n} {what} rows" for what, n in added.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
