"""Section 10 of BENCHMARKS.md (PDF pages per CPU-second against two floors), rendered from
a recorded run: the verdict follows the measured rate, not a constant."""

from bench.pdf import TARGET_PAGES_PER_CPU_SECOND, pdf_section


def _recorded(seconds_end_to_end: float) -> dict:
    pages = 160
    rows = [{"label": "end to end", "seconds": seconds_end_to_end},
            {"label": "floor: pypdfium2", "seconds": 0.4},
            {"label": "floor: pdfplumber", "seconds": None}]
    for row in rows:
        row["pages_per_cpu_second"] = pages / row["seconds"] if row["seconds"] else None
    rate = rows[0]["pages_per_cpu_second"]
    return {"pdf": {"documents": 7, "pages": pages, "repeats": 3, "rows": rows, "target": TARGET_PAGES_PER_CPU_SECOND,
                    "passes": rate >= TARGET_PAGES_PER_CPU_SECOND, "peak_rss_mib": {"one": 110.0, "all": 112.0}}}


def test_section_reports_rates_floors_and_verdict():
    text = "\n".join(pdf_section(_recorded(2.0)))
    assert "| end to end | 2.00 | 80 |" in text and "| floor: pypdfium2 | 0.40 | 400 |" in text
    assert "| floor: pdfplumber | – | – |" in text
    assert "measured 80, **MISS** (0.53× the target)" in text
    assert "on all 7: 112 MiB" in text
    assert "**PASS**" in "\n".join(pdf_section(_recorded(0.5)))


def test_no_section_without_a_pdf_run():
    assert pdf_section({}) == []
