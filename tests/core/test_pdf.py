"""PDF import: text layers become the source's paragraphs; scanned, encrypted and broken PDFs get a Chinese reason."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bigan.core import bank
from bigan.core.corpus import parse_file
from bigan.core.decode import SourceError, read_source
from bigan.core.textnorm import has_cjk
from tests.office import LONG_PARAGRAPH, PDF_REPORT

_MARKS = re.compile(r"[\s，、。；：]")


def _texts(path: Path) -> list[str]:
    return [b.text.replace(" ", "") for b in read_source(path).blocks]


def _bare(text: str) -> str:
    # LibreOffice leaves out a comma that would hang past the right margin, so compare without commas and stops.
    return _MARKS.sub("", text)


def test_a_text_pdf_gives_back_the_source_paragraphs(office_samples):
    texts = _texts(office_samples["pdf"])

    # Each paragraph ran over several lines (and one over a page break); each comes back whole.
    assert [_bare(t) for t in texts] == [_bare(p) for p in PDF_REPORT]


def test_page_numbers_are_not_imported_as_text(office_samples):
    texts = _texts(office_samples["pdf"])

    assert not any("—" in t and any(c.isdigit() for c in t) and len(t) < 10 for t in texts)


def test_headings_of_a_pdf_become_the_outline(office_samples):
    _, documents = parse_file(office_samples["pdf"])

    assert [d.title for d in documents] == ["某县2023年工作总结"]
    assert [(s.level, s.number, s.heading) for s in documents[0].sections] == [
        (1, "一、", "主要工作成效"),
        (2, "（一）", "狠抓项目建设"),
        (2, "（二）", "优化营商环境"),
        (1, "二、", "下一步打算"),
    ]
    assert _bare(LONG_PARAGRAPH) in [_bare(p.text) for p in documents[0].passages]


def test_a_pdf_only_protected_against_changes_still_imports(office_samples):
    assert _texts(office_samples["restricted_pdf"]) == _texts(office_samples["pdf"])


def test_a_pdf_with_an_opening_password_is_refused_in_chinese(office_samples):
    with pytest.raises(SourceError) as caught:
        read_source(office_samples["locked_pdf"])

    assert "加密" in str(caught.value) and "密码" in str(caught.value)


def test_a_scanned_pdf_is_named_as_such(office_samples):
    with pytest.raises(SourceError) as caught:
        read_source(office_samples["scan_pdf"])

    assert "扫描" in str(caught.value) and "OCR" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "cut"),
    [("truncated", lambda d: d[: len(d) // 2]), ("header only", lambda d: d[:16]), ("not a pdf", lambda d: d[40:])],
)
def test_a_broken_pdf_gets_a_chinese_reason(office_samples, tmp_path, name, cut):
    path = tmp_path / "broken.pdf"
    path.write_bytes(cut(office_samples["pdf"].read_bytes()))

    with pytest.raises(SourceError) as caught:
        read_source(path)

    assert has_cjk(str(caught.value)) and "PDF" in str(caught.value)


def test_a_build_with_bad_pdfs_imports_the_good_one(office_samples, tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    shutil.copy(office_samples["pdf"], folder / "good.pdf")
    shutil.copy(office_samples["scan_pdf"], folder / "scan.pdf")
    shutil.copy(office_samples["locked_pdf"], folder / "locked.pdf")
    (folder / "broken.pdf").write_bytes(office_samples["pdf"].read_bytes()[:3000])

    report = bank.build([folder], tmp_path / "bank.db")

    assert [Path(p).name for p in report.imported] == ["good.pdf"]
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"scan.pdf", "locked.pdf", "broken.pdf"}
    assert "扫描" in reasons["scan.pdf"] and "密码" in reasons["locked.pdf"] and "损坏" in reasons["broken.pdf"]
    assert report.totals["documents"] == 1
