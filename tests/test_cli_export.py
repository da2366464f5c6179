"""`python main.py export IN --out OUT`: drafts between .txt, .md and .docx, and one-line Chinese errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest

from bigan.core.textnorm import has_cjk
from tests.helpers import run_main

ROOT = Path(__file__).resolve().parent.parent


def export(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run `main.py export` and check it never shows a traceback."""
    return run_main("export", *args, timeout=120)


def test_txt_to_docx_and_back_round_trips(tmp_path, report_text):
    draft = tmp_path / "draft.txt"
    draft.write_text(report_text, encoding="utf-8")

    to_word = export(draft, "--out", tmp_path / "draft.docx")
    back = export(tmp_path / "draft.docx", "--out", tmp_path / "back.txt")

    assert to_word.returncode == 0 and back.returncode == 0
    assert "draft.docx" in to_word.stdout and "标题 6 个" in to_word.stdout
    assert (tmp_path / "back.txt").read_text(encoding="utf-8") == report_text
    word = docx.Document(str(tmp_path / "draft.docx"))
    assert word.paragraphs[0].text == "某局2023年工作总结"
    assert word.paragraphs[3].style.name == "Heading 2"


def test_markdown_goes_to_word_and_comes_back_as_markdown(tmp_path, report_text):
    (tmp_path / "draft.txt").write_text(report_text, encoding="utf-8")
    assert export(tmp_path / "draft.txt", "--out", tmp_path / "draft.md").returncode == 0
    assert export(tmp_path / "draft.md", "--out", tmp_path / "draft.docx").returncode == 0
    assert export(tmp_path / "draft.docx", "--out", tmp_path / "again.md").returncode == 0

    assert (tmp_path / "again.md").read_text(encoding="utf-8") == (tmp_path / "draft.md").read_text(encoding="utf-8")
    assert (tmp_path / "draft.md").read_text(encoding="utf-8").startswith("# 某局2023年工作总结\n\n")


def test_a_docx_with_a_table_exports_with_a_note(tmp_path):
    document = docx.Document()
    document.add_paragraph("某局工作总结", style="Title")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "指标"
    document.save(str(tmp_path / "in.docx"))

    result = export(tmp_path / "in.docx", "--out", tmp_path / "out.txt")

    assert result.returncode == 0
    assert "表格" in result.stderr
    # A row with one filled cell reads as that cell's text, without a tab standing for the empty cell.
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "某局工作总结\n指标\n"


@pytest.mark.parametrize(
    ("name", "data", "out", "words"),
    [
        ("broken.docx", b"PK\x03\x04" + b"\0" * 100, "out.txt", "损坏"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "out.txt", "密码"),
        ("missing.txt", None, "out.docx", "不存在"),
        ("draft.txt", "标题\n正文。\n".encode(), "out.pdf", "PDF"),
        ("draft.txt", "标题\n正文。\n".encode(), "no-such-folder/out.docx", "文件夹不存在"),
    ],
)
def test_bad_input_exits_1_with_a_one_line_chinese_message(tmp_path, name, data, out, words):
    """Input that cannot be read exits 1; a file the system refuses to write (no such folder) exits 2."""
    if data is not None:
        (tmp_path / name).write_bytes(data)

    result = export(tmp_path / name, "--out", tmp_path / out)

    assert result.returncode == (2 if "/" in out else 1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and has_cjk(lines[0].replace(str(tmp_path), ""))
    assert not (tmp_path / out).exists()


def test_widow_control_is_off_unless_asked_for(tmp_path, report_text):
    (tmp_path / "draft.txt").write_text(report_text, encoding="utf-8")
    assert export(tmp_path / "draft.txt", "--out", tmp_path / "plain.docx").returncode == 0
    assert export(tmp_path / "draft.txt", "--out", tmp_path / "widows.docx", "--widow-control").returncode == 0

    for name, expected in (("plain.docx", False), ("widows.docx", True)):
        normal = docx.Document(str(tmp_path / name)).styles["Normal"]
        assert normal.paragraph_format.widow_control is expected, name
