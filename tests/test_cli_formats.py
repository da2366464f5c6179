"""`bank build` and `parse` on an office archive: .doc/.rtf/.odt, PDFs, Big5 and damaged text, as a user runs them."""

from __future__ import annotations

import json
import random
import shutil

from tests.helpers import run_main


def test_build_of_a_mixed_archive_imports_the_good_files_and_names_each_bad_one(tmp_path, office_samples, report_text):
    folder = tmp_path / "十年材料"
    folder.mkdir()
    shutil.copy(office_samples["doc"], folder / "2015总结.doc")
    shutil.copy(office_samples["odt"], folder / "2016总结.odt")
    shutil.copy(office_samples["pdf"], folder / "2017总结.pdf")
    shutil.copy(office_samples["scan_pdf"], folder / "扫描件.pdf")
    (folder / "x.doc").write_bytes(random.Random(9).randbytes(5000))
    (folder / "繁體.txt").write_bytes("一、工作成效\n全年新開工項目十五個，完成投資八點六億元。\n".encode("big5") * 20)
    damaged = report_text.replace("今年以来", "今年以来，")
    (folder / "损坏.txt").write_bytes(damaged[:40].encode() + b"\xff" + damaged[40:].encode())
    db = tmp_path / "bank.db"

    result = run_main("bank", "build", folder, "--db", db)

    assert result.returncode == 1
    assert "x.doc" in result.stderr and "扫描件.pdf" in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("跳过：")]
    assert len(skipped) == 2
    assert f"注意：{folder / '损坏.txt'}：有 1 处无法识别的字节" in result.stderr
    assert "导入完成：5 个文件" in result.stdout
    stats = json.loads(run_main("bank", "stats", "--db", db, "--json").stdout)
    assert stats["files"] == 5


def test_parse_of_a_doc_prints_its_outline(office_samples, report_headings):
    result = run_main("parse", office_samples["doc"], "--json")

    assert result.returncode == 0
    parsed = json.loads(result.stdout)
    headings = [(h["level"], h["text"]) for d in parsed["documents"] for h in d["headings"]]
    assert headings == [(level, text) for level, _, text in report_headings]


def test_parse_prints_the_note_about_replaced_bytes(tmp_path, report_text):
    path = tmp_path / "report.txt"
    path.write_bytes(report_text[:30].encode() + b"\xfe\xfe" + report_text[30:].encode())

    result = run_main("parse", path)

    assert result.returncode == 0
    assert f"注意：{path}：有 2 处无法识别的字节" in result.stderr


def test_without_libreoffice_build_says_what_to_install_and_imports_the_rest(
    tmp_path, monkeypatch, office_samples, report_text
):
    monkeypatch.setenv("BIGAN_SOFFICE", str(tmp_path / "没有" / "soffice"))
    folder = tmp_path / "材料"
    folder.mkdir()
    shutil.copy(office_samples["doc"], folder / "旧稿.doc")
    (folder / "新稿.txt").write_text(report_text, encoding="utf-8")

    result = run_main("bank", "build", folder, "--db", tmp_path / "bank.db")

    assert result.returncode == 1
    assert f"跳过：{folder / '旧稿.doc'}：导入 .doc 文件需要安装 LibreOffice" in result.stderr
    assert "导入完成：1 个文件" in result.stdout
