"""Bad inputs made at test time from the real documents, each with the message it must get.

Shared by the ingest tests (exit status, message, nothing written) and the publish tests
(the published warehouse stays byte-identical)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tests.conftest import DOC_2020, DOC_2024, PUTUO

TEXT_2024 = DOC_2024.read_text(encoding="utf-8")
LINES_2024 = TEXT_2024.split("\n")


def _replace_line(number: int, expected: str, new: str) -> str:
    lines = list(LINES_2024)
    assert lines[number - 1].startswith(expected), lines[number - 1]
    lines[number - 1] = new
    return "\n".join(lines)


@dataclass(frozen=True)
class BadInput:
    case: str
    make: Callable[[Path], list[Path]]  # writes the input into a folder, returns the paths to ingest
    message: str


def _file(name: str, content: str | bytes) -> Callable[[Path], list[Path]]:
    def make(folder: Path) -> list[Path]:
        path = folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return [path]
    return make


def _sparse(folder: Path) -> list[Path]:
    path = folder / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # 200 MB on paper, nothing on disk
    return [path]


def _conflicting(folder: Path) -> list[Path]:
    other = folder / "other-2024.txt"
    other.write_text(TEXT_2024.replace("现代化提供坚实", "现代化提供有力"), encoding="utf-8")
    return [DOC_2024, other]


def _beside_a_good_one(folder: Path) -> list[Path]:
    return [DOC_2020, *_file("empty.txt", b"")(folder)]


BAD_INPUTS = [
    BadInput("truncated_mid_table", _file("cut.txt", "\n".join(LINES_2024[:1101]) + "\n"),
             "cut.txt:1101: expected 附件4…附件11 after 附件3; found 'end of file (truncated?)'"),
    BadInput("truncated_in_prose", _file("cut.txt", "\n".join(LINES_2024[:400]) + "\n"),
             "cut.txt:400: expected '第三部分 名词解释' after the 第二部分 prose"),
    BadInput("empty", _file("empty.txt", b""), "empty.txt: expected a budget document's text; found 'an empty file'"),
    BadInput("blank", _file("blank.txt", b"\n \n"), "blank.txt: expected a budget document's text; found 'an empty file'"),
    BadInput("binary", _file("binary.bin", bytes(range(256)) * 4),
             "binary.bin: expected text extracted from a budget PDF; found 'binary data (NUL bytes)'"),
    BadInput("not_a_budget", _file("novel.txt", "第一章 春天\n\n这是一部小说，不是预算。\n"),
             "novel.txt: expected a document of one known template: 厦门市部门预算 text (第二部分 YYYY年部门预算说明)"),
    BadInput("stray_character", _file("typo.txt", _replace_line(1415, "30226 劳务费", "30226 劳务费 2,0O2.70 2,002.70")),
             "typo.txt:1415: expected an amount (like 1,234.56) in 附件6; found '2,0O2.70'"),
    BadInput("figures_fit_no_placement",
             _file("bad.txt", _replace_line(1096, "2080116 引进人才费用",
                                            "2080116 引进人才费用 33,946.00 32,994.00 32,994.00 952.00 951.00")),
             "bad.txt:1096: expected 5 figures that fit the columns of 附件3"),
    BadInput("contradicts_another_table",
             _file("bad.txt", _replace_line(1287, "2080116 引进人才费用", "2080116 引进人才费用 32,995.00 32,995.00")),
             "expected figures that satisfy"),
    BadInput("no_year", _file("noyear.txt", TEXT_2024.replace("第二部分 2024年部门预算说明", "第二部分 部门预算说明")),
             "noyear.txt: expected a document of one known template"),
    BadInput("no_department",
             _file("nodept.txt", TEXT_2024.replace("（一）厦门市人力资源和社会保障局2024年收入预算为", "（一）2024年收入为")),
             "nodept.txt:197: expected a sentence '（一）<department>YYYY年收入预算为…'"),
    BadInput("same_department_year_other_content", _conflicting,
             "other-2024.txt: expected one document per department and year; xiamen-hrss-2024-budget.txt"),
    BadInput("oversized", _sparse,
             "huge.txt: expected a budget text of at most 20 MiB; found '200 MiB (refused before reading)'"),
    BadInput("missing_file", lambda folder: [folder / "nope.txt"], "nope.txt: expected a readable text file"),
    BadInput("valid_beside_bad", _beside_a_good_one, "empty.txt: expected a budget document's text"),
]


# PDFs made from a real one with pypdfium2 (tests/publish/test_quarantine.py): each is rejected
# with the message naming the file (and page where there is one).
OFFICE_2025 = PUTUO / "2025-dept-district-office.pdf"


def truncated_pdf(folder: Path) -> Path:
    data = OFFICE_2025.read_bytes()
    path = folder / "2025-dept-district-office-cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def coverless_pdf(folder: Path) -> Path:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(OFFICE_2025)
    coverless = pdfium.PdfDocument.new()
    coverless.import_pages(source, list(range(1, len(source))))
    path = folder / "2025-dept-district-office-no-cover.pdf"
    with open(path, "wb") as handle:
        coverless.save(handle)
    return path


def encrypted_pdf(folder: Path) -> Path:
    """A PDF whose user password is not empty: the standard security handler's /Encrypt."""
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"3 0 obj<</Filter/Standard/V 1/R 2/O<" + b"11" * 32 + b">/U<" + b"22" * 32 + b">/P -4>>endobj\n")
    xref_at = len(body)
    trailer = (b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % body.index(f"{n} 0 obj".encode())
                                                          for n in (1, 2, 3))
               + b"trailer<</Size 4/Root 1 0 R/Encrypt 3 0 R/ID[<" + b"ab" * 16 + b"><" + b"ab" * 16 + b">]>>\n"
               + b"startxref\n%d\n%%%%EOF\n" % xref_at)
    path = folder / "locked.pdf"
    path.write_bytes(body + trailer)
    return path


def scanned_pdf(folder: Path) -> Path:
    """Pages with an image and no text layer."""
    import pypdfium2 as pdfium
    from PIL import Image

    jpeg = folder / "scan.jpg"
    Image.new("RGB", (200, 100), "white").save(jpeg)
    scan = pdfium.PdfDocument.new()
    page = scan.new_page(595, 842)
    image = pdfium.PdfImage.new(scan)
    image.load_jpeg(str(jpeg))
    image.set_matrix(pdfium.PdfMatrix().scale(200, 100))
    page.insert_obj(image)
    page.gen_content()
    path = folder / "scan.pdf"
    with open(path, "wb") as handle:
        scan.save(handle)
    jpeg.unlink()
    return path


# (file the maker writes, rejection_kind, part of the message) for the corpus test.
PDF_BAD_INPUTS = [
    (truncated_pdf, "unreadable", "2025-dept-district-office-cut.pdf: expected a complete PDF"),
    (coverless_pdf, "unknown_template", "2025-dept-district-office-no-cover.pdf:page 1: expected a document of one known template"),
    (encrypted_pdf, "unreadable", "locked.pdf: expected a readable, unencrypted PDF"),
    (scanned_pdf, "unreadable", "scan.pdf:page 1: expected a PDF with a text layer"),
]
