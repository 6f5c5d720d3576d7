"""Section 10 of the benchmark: PDF → raw rows, in pages per CPU-second, beside two floors
measured on the same files in the same run.

- end to end: what ingest does per PDF in a worker (read_source: characters, boxes, ruling
  lines; the family's parse: cells, prose, identities; the fidelity check by position);
- floor 1, pypdfium2 alone: every character's text and box, nothing else (the reader's own
  lower bound: it cannot take less than PDFium's page load and character boxes);
- floor 2, pdfplumber's `extract_tables()` on every page (what a table-extraction library
  made for the job costs; pdfminer-based).

CPU time (time.process_time) in this process, best of `repeats` after one warm-up run,
so other work on the machine distorts it less than wall time. Peak memory: the ingest
command line's peak RSS in a fresh process on one PDF and on all of them (flat in the number
of documents: they are parsed one at a time and loaded in batches)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_PAGES_PER_CPU_SECOND = 150


def _department_pdfs() -> list[Path]:
    """The PDFs the build reads (data/raw and the sample documents) that are a department's
    document a family reads. A blank template (the 部门决算 template beside the accounts) is
    set aside once its cover is read, and a PDF no family reads is refused at its cover: either
    would count pages without their tables being read."""
    from budgetwh.build import default_document_paths
    from ingest.core.errors import BlankTemplate, IngestError
    from ingest.registry import parse_source, read_source
    kept = []
    for path in (path for path in default_document_paths()[0] if path.suffix == ".pdf"):
        try:
            parse_source(read_source(path), str(path))
        except (BlankTemplate, IngestError):
            continue
        kept.append(path)
    return kept


def _best_cpu(work, repeats: int) -> float:
    work()
    samples = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        samples.append(time.process_time() - start)
    return min(samples)


def _end_to_end(paths: list[Path]) -> None:
    from ingest.core.pdf_fidelity import pdf_fidelity_report
    from ingest.registry import parse_source, read_source
    for path in paths:
        source = read_source(path)
        pdf_fidelity_report(source, parse_source(source, str(path)).records)


def _pypdfium2_chars(paths: list[Path]) -> None:
    import pypdfium2 as pdfium
    for path in paths:
        pdf = pdfium.PdfDocument(path)
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            for i in range(textpage.count_chars()):
                textpage.get_text_range(i, 1)
                textpage.get_charbox(i)
            textpage.close()
            page.close()
        pdf.close()


def _pdfplumber_tables(paths: list[Path]) -> None:
    import pdfplumber
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()


_PEAK = ("import resource, sys\nfrom ingest.cli import main\n"
         "code = main(sys.argv[1:])\n"
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nsys.exit(code)\n")


def _peak_rss_mib(paths: list[Path], work: Path) -> float:
    db = work / f"pdf-peak-{len(paths)}.duckdb"
    db.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", _PEAK, *map(str, paths), "--db", str(db), "--quiet", "--jobs", "1"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    db.unlink(missing_ok=True)
    return int(done.stdout.split()[-1]) / 1024


def bench_pdf(repeats: int, work: Path) -> dict:
    import pypdfium2 as pdfium
    paths = _department_pdfs()
    pages = sum(len(pdfium.PdfDocument(p)) for p in paths)
    rows = [{"label": "end to end (read, cells, prose, identities, fidelity)",
             "seconds": _best_cpu(lambda: _end_to_end(paths), repeats)},
            {"label": "floor: pypdfium2 character text and boxes only",
             "seconds": _best_cpu(lambda: _pypdfium2_chars(paths), repeats)}]
    try:
        rows.append({"label": "floor: pdfplumber extract_tables() on every page",
                     "seconds": _best_cpu(lambda: _pdfplumber_tables(paths), 1)})
    except ImportError:
        rows.append({"label": "floor: pdfplumber extract_tables() (pdfplumber not installed)", "seconds": None})
    for row in rows:
        row["pages_per_cpu_second"] = pages / row["seconds"] if row["seconds"] else None
    peak = {"one": _peak_rss_mib(paths[:1], work), "all": _peak_rss_mib(paths, work)}
    end_to_end = rows[0]["pages_per_cpu_second"]
    return {"documents": len(paths), "pages": pages, "repeats": repeats, "rows": rows, "peak_rss_mib": peak,
            "target": TARGET_PAGES_PER_CPU_SECOND, "passes": end_to_end >= TARGET_PAGES_PER_CPU_SECOND}


def pdf_section(results: dict) -> list[str]:
    pdf = results.get("pdf")
    if not pdf:
        return []
    out = ["## 10. PDF input: pages per CPU-second against two floors (issue #11)", "",
           f"All {pdf['documents']} department PDFs among the sample documents ({pdf['pages']} pages; the blank template, "
           "set aside, is not counted), in this process, CPU time, best of "
           f"{pdf['repeats']} after a warm-up (pdfplumber: one run).", "",
           "| what | CPU seconds | pages per CPU-second |", "| --- | --- | --- |"]
    for row in pdf["rows"]:
        seconds = "–" if row["seconds"] is None else f"{row['seconds']:.2f}"
        rate = "–" if row["pages_per_cpu_second"] is None else f"{row['pages_per_cpu_second']:.0f}"
        out.append(f"| {row['label']} | {seconds} | {rate} |")
    end_to_end = pdf["rows"][0]["pages_per_cpu_second"]
    out += ["", f"Target: at least {pdf['target']} pages per CPU-second end to end: measured {end_to_end:.0f}, "
            f"**{'PASS' if pdf['passes'] else 'MISS'}** ({end_to_end / pdf['target']:.2f}× the target).", "",
            f"Peak RSS of `python -m ingest` (one job) on one PDF: {pdf['peak_rss_mib']['one']:.0f} MiB; on all "
            f"{pdf['documents']}: {pdf['peak_rss_mib']['all']:.0f} MiB.", ""]
    return out


if __name__ == "__main__":  # quick look: python bench/pdf.py
    import tempfile
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(pdf_section({"pdf": bench_pdf(3, Path(tmp))})))
