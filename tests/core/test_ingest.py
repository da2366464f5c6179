"""Per-file import: a readable file yields documents, a broken one a Skipped with the reason."""

from __future__ import annotations

from bigan.core.ingest import ParsedFile, ingest
from bigan.core.models import Skipped
from bigan.core.textnorm import has_cjk


def test_a_report_file_is_ingested_with_its_documents(tmp_path, report_text):
    path = tmp_path / "report.txt"
    path.write_text(report_text, encoding="utf-8")

    parsed = ingest(str(path))

    assert isinstance(parsed, ParsedFile)
    assert [d.title for d in parsed.documents] == ["某局2023年工作总结"]
    assert len(parsed.passages[0]) == len(parsed.documents[0].passages) > 0


def test_broken_files_come_back_as_skipped_with_a_reason(tmp_path):
    broken = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 8,
        "fake.docx": "一、工作成效".encode(),
        "secret.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
    }
    for name, data in broken.items():
        path = tmp_path / name
        path.write_bytes(data)

        result = ingest(str(path))

        assert isinstance(result, Skipped), name
        assert result.path == str(path)
        assert has_cjk(result.reason), result.reason


def test_a_page_of_only_site_chrome_is_skipped(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("当前位置：首页 > 范文\n热门搜索：总结 计划\n浏览数：1234\nTop\n", encoding="utf-8")

    result = ingest(str(path))

    assert isinstance(result, Skipped)
    assert has_cjk(result.reason)
