"""Headless commands run as `python main.py …`: exit status, messages, JSON output, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bigan.core.textnorm import has_cjk
from tests.helpers import run_main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run main.py with args from the project root and return the finished process."""
    return run_main(*args)


@pytest.fixture
def mixed_folder(tmp_path, report_text, make_docx) -> tuple[Path, list[str]]:
    """A folder with one good report and four files that cannot be read; returns it and the bad names."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(report_text, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "fake.docx").write_text("一、工作成效\n全年新开工项目十五个。", encoding="utf-8")
    real = make_docx(tmp_path / "real.docx", [("一、工作成效", "Normal"), ("全年新开工项目十五个。" * 30, "Normal")])
    data = real.read_bytes()
    (folder / "corrupt.docx").write_bytes(data[: len(data) // 2])
    return folder, ["empty.txt", "binary.txt", "fake.docx", "corrupt.docx"]


def test_build_with_broken_files_reports_each_and_imports_the_rest(tmp_path, mixed_folder):
    folder, bad = mixed_folder
    db_path = tmp_path / "bank.db"

    result = run("bank", "build", folder, "--db", db_path)

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    for name in bad:
        reasons = [line for line in lines if name in line and has_cjk(line.replace(str(folder), ""))]
        assert len(reasons) == 1, (name, result.stderr)
    assert not [line for line in lines if "good.txt" in line and has_cjk(line.replace(str(folder), ""))]

    stats = run("bank", "stats", "--db", db_path, "--json")
    assert stats.returncode == 0
    assert json.loads(stats.stdout)["documents"] == 1


def test_build_of_good_files_exits_0_with_a_one_line_summary(tmp_path, report_text):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "report.txt").write_text(report_text, encoding="utf-8")
    db_path = tmp_path / "bank.db"

    result = run("bank", "build", folder, "--db", db_path)

    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()
    assert len(summary) == 1
    assert has_cjk(summary[0])
    assert db_path.exists()


def test_stats_json_has_the_counts(bundled_bank):
    _, db_path = bundled_bank

    result = run("bank", "stats", "--db", db_path, "--json")

    assert result.returncode == 0
    counts = json.loads(result.stdout)
    assert {"documents", "sections", "passages"} <= counts.keys()
    assert counts["documents"] == 23
    assert counts["sections"] > 0 and counts["passages"] > 0


def test_stats_of_a_missing_bank_is_a_chinese_error(tmp_path):
    result = run("bank", "stats", "--db", tmp_path / "missing.db")

    assert result.returncode != 0
    assert has_cjk(result.stderr)
    assert result.stdout.strip() == ""


def test_parse_json_lists_documents_and_headings_in_order(tmp_path, report_text, report_headings):
    path = tmp_path / "report.txt"
    path.write_text(report_text, encoding="utf-8")

    result = run("parse", path, "--json")

    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert set(data) == {"file", "documents", "skipped", "notes"}
    assert data["file"] == str(path)
    assert data["skipped"] == []
    assert data["notes"] == []
    (document,) = data["documents"]
    assert set(document) == {"title", "date", "year", "converted", "headings", "passages", "asides"}
    assert document["title"] == "某局2023年工作总结"
    assert all(set(h) == {"level", "number", "text"} for h in document["headings"])
    assert [(h["level"], h["number"], h["text"]) for h in document["headings"]] == report_headings
    assert isinstance(document["passages"], int) and document["passages"] > 0


def test_parse_of_a_scraped_page_shows_title_date_and_what_is_not_a_passage():
    page = Path(__file__).resolve().parent / "data" / "pages" / "city_daily.txt"

    data = json.loads(run("parse", page, "--json").stdout)

    (document,) = data["documents"]
    assert (document["title"], document["date"], document["year"]) == ("2026年临江市政府工作报告", "2026-01-18", 2026)
    kinds = [a["kind"] for a in document["asides"]]
    assert kinds[:2] == ["salutation", "opening"]
    assert {"appendix", "glossary"} <= set(kinds)
    headings = [h["text"] for h in document["headings"]]
    assert not [h for h in headings if "新质生产力：" in h or "道路10条" in h]


def test_parse_of_a_broken_file_exits_1_and_lists_it_as_skipped(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("一、工作成效", encoding="utf-8")

    result = run("parse", path, "--json")

    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["documents"] == []
    (skipped,) = data["skipped"]
    assert skipped["file"] == str(path)
    assert has_cjk(skipped["reason"])


def test_parse_without_json_prints_the_reason_for_a_broken_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")

    result = run("parse", path)

    assert result.returncode == 1
    assert "empty.txt" in result.stderr
    assert has_cjk(result.stderr.replace(str(path), ""))


def test_stats_without_db_looks_in_the_bigan_home_dir(bigan_home):
    result = run("bank", "stats")

    assert result.returncode != 0
    assert str(bigan_home) in result.stderr


def test_an_import_is_logged_with_each_skipped_file_and_no_document_text(tmp_path, report_text):
    home = tmp_path / "home"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.txt").write_text(report_text, encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"not a zip at all")
    env = dict(os.environ, BIGAN_HOME=str(home))
    result = run_main("bank", "build", folder, "--db", tmp_path / "bank.db", env=env)
    assert result.returncode == 1
    log = (home / "logs" / "bigan.log").read_text(encoding="utf-8")
    assert "start command bank" in log and "libreoffice=" in log
    assert "import: 1 files imported" in log
    assert "skipped" in log and "broken.docx" in log
    assert "狠抓项目建设" not in log and "项目储备不足" not in log


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["match"], "缺少参数：标题"),
        (["bank", "build", "--bogus"], "无法识别的参数：--bogus"),
        (["check", "稿.txt", "--year", "明年"], "参数 --year 需要整数"),
        (["screenshot"], "缺少参数：图片"),
    ],
)
def test_a_mistyped_command_is_answered_in_chinese(args, said):
    result = run(*args)
    assert result.returncode == 2
    assert said in result.stderr and "用法：" in result.stderr
    assert "error:" not in result.stderr and "usage:" not in result.stderr


def test_every_help_is_chinese_down_to_its_headings():
    for args in (["--help"], ["bank", "build", "--help"], ["screenshot", "--help"]):
        shown = run(*args).stdout
        assert "用法：" in shown and "选项" in shown and "显示本帮助并退出" in shown
        assert not any(word in shown for word in ("usage:", "positional arguments", "show this help"))
