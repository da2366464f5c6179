"""Drafts from the window: Word by default, conflicts and failures told, export warnings, autosave and recovery."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtWidgets import QFileDialog

from core import draft as drafts
from core.placeholders import FIELD
from core.wordcount import word_count
from gui import files
from gui.main_window import MainWindow
from gui.questions import Questions, documents_folder

# The real questions, kept before the window fixture replaces them with ones that fail the test.
ASK_SAVE_PATH = Questions.ask_save_path
ASK_OPEN_PATH = Questions.ask_open_path

ROOT = Path(__file__).resolve().parents[2]

# A draft without unfilled fields or numbering faults, so saving it as .docx asks nothing.
CLEAN = """某局2024年工作总结
今年以来，我局扎实推进各项工作，取得了明显成效。
一、主要工作成效
（一）狠抓项目建设。全年新开工项目15个，完成投资8.6亿元。
（二）优化营商环境
企业办事时间平均缩短一半以上。
二、2025年工作安排
坚持稳中求进工作总基调。"""


def boxes(window: MainWindow) -> list[str]:
    """The texts of the message boxes the window has open."""
    return [box.text() for box in window.questions.boxes if box.isVisible()]


def saving(qtbot, window: MainWindow, action=None):
    """Run a save action and wait until it is written."""
    with qtbot.waitSignal(window.files.saved, timeout=20000):
        assert (action or window.files.save)()


def opening(qtbot, window: MainWindow, path: Path) -> None:
    """Open a file in the window and wait until it shows."""
    with qtbot.waitSignal(window.files.opened, timeout=20000):
        assert window.files.open_file(path)


def test_save_as_writes_word_by_default_and_reopens_exactly(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(CLEAN)
    monkeypatch.setattr(Questions, "ask_save_path", lambda self, *a, **k: str(tmp_path / "年度总结"))
    saving(qtbot, window)
    target = tmp_path / "年度总结.docx"
    assert zipfile.is_zipfile(target)
    assert window.windowTitle() == "年度总结.docx[*] — 笔杆" and not window.isWindowModified()
    window.editor.set_draft("别的内容")
    opening(qtbot, window, target)
    assert window.editor.toPlainText() == CLEAN
    assert [h.label for h in window.outline_model.headings()][:2] == ["一、主要工作成效", "（一）狠抓项目建设"]
    assert window.editor.document().isModified() is False


def test_file_dialogs_start_in_documents_then_where_the_writer_last_was(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(CLEAN)
    asked = []

    def save_dialog(parent, title, start, filters, selected):
        asked.append({"start": start, "filters": filters, "selected": selected})
        return (str(tmp_path / "年度总结") if len(asked) > 1 else ""), selected

    def open_dialog(parent, title, start, filters):
        asked.append({"start": start})
        return "", ""

    monkeypatch.setattr(Questions, "ask_save_path", ASK_SAVE_PATH)
    monkeypatch.setattr(Questions, "ask_open_path", ASK_OPEN_PATH)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_dialog)
    assert not window.files.save_as()
    first = asked[0]
    assert Path(first["start"]).name == "某局2024年工作总结.docx"  # named after the title line
    assert Path(first["start"]).parent == Path(documents_folder())  # not the program's working folder
    assert first["selected"] == files.WORD_FILTER and first["filters"].startswith(files.WORD_FILTER)
    assert ".txt" in first["filters"] and ".md" in first["filters"]
    saving(qtbot, window, window.files.save_as)
    assert (tmp_path / "年度总结.docx").exists()
    window.files.open_draft()
    assert Path(asked[-1]["start"]) == tmp_path  # the folder last saved to
    assert files.with_suffix("报告", "文本文件 (*.txt)") == Path("报告.txt")
    assert files.with_suffix("报告.md") == Path("报告.md")


def test_a_file_changed_on_disk_is_not_overwritten_without_asking(qtbot, make_window, tmp_path, monkeypatch):
    path = tmp_path / "草稿.txt"
    path.write_text(CLEAN, encoding="utf-8")
    window = make_window()
    opening(qtbot, window, path)
    other = CLEAN.replace("15个", "16个（同事改的）")
    path.write_text(other, encoding="utf-8")
    window.editor.appendPlainText("我补充的一句。")
    questions = []
    monkeypatch.setattr(Questions, "ask_overwrite", lambda self, message: questions.append(message) or "cancel")
    window.files.save()
    qtbot.waitUntil(lambda: bool(questions))
    assert "已被其他程序修改" in questions[0] and "草稿.txt" in questions[0]
    assert path.read_text(encoding="utf-8") == other  # the colleague's change survives
    assert window.isWindowModified() and "我补充的一句。" in window.editor.toPlainText()
    monkeypatch.setattr(Questions, "ask_overwrite", lambda self, message: "save_as")
    monkeypatch.setattr(Questions, "ask_save_path", lambda self, *a, **k: str(tmp_path / "我的版本.txt"))
    with qtbot.waitSignal(window.files.saved, timeout=20000):
        window.files.save()
    assert path.read_text(encoding="utf-8") == other
    assert (tmp_path / "我的版本.txt").read_text(encoding="utf-8").endswith("我补充的一句。\n")
    assert window.files.path == tmp_path / "我的版本.txt"


def test_overwrite_after_the_question_replaces_the_changed_file(qtbot, make_window, tmp_path, monkeypatch):
    path = tmp_path / "草稿.md"
    path.write_text("# 旧题目\n\n旧的一段\n", encoding="utf-8")
    window = make_window()
    opening(qtbot, window, path)
    path.write_text("# 旧题目\n\n别人改过的一段\n", encoding="utf-8")
    window.editor.appendPlainText("新的一段")
    monkeypatch.setattr(Questions, "ask_overwrite", lambda self, message: "overwrite")
    saving(qtbot, window)
    assert drafts.load(path).draft.to_text() == "旧题目\n旧的一段\n新的一段\n"
    assert not window.isWindowModified()


def test_a_failing_save_says_why_and_keeps_the_draft(qtbot, make_window, tmp_path, monkeypatch):
    path = tmp_path / "草稿.txt"
    path.write_text(CLEAN, encoding="utf-8")
    window = make_window()
    opening(qtbot, window, path)
    window.editor.appendPlainText("下午写的一大段。")

    def disk_full(target, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    # The draft's disk (a USB stick, say) is full; the user data directory is elsewhere.
    monkeypatch.setattr(drafts, "atomic", SimpleNamespace(write_bytes=disk_full))
    with qtbot.waitSignal(window.files.failed, timeout=20000):
        window.files.save()
    (message,) = boxes(window)
    assert "磁盘空间不足" in message and "草稿.txt" in message and "没有丢失" in message
    assert window.editor.toPlainText().endswith("下午写的一大段。")
    assert window.isWindowModified()
    assert path.read_text(encoding="utf-8") == CLEAN
    kept = json.loads(window.files.recovery.path.read_text(encoding="utf-8"))
    assert kept["text"].endswith("下午写的一大段。")  # also in the recovery copy, in case the app dies next


def test_a_word_file_with_a_table_is_noted_and_overwriting_it_asks_first(qtbot, make_window, tmp_path, monkeypatch):
    from docx import Document

    path = tmp_path / "别人的.docx"
    document = Document()
    document.add_paragraph("某局工作总结", style="Title")
    document.add_paragraph("一、主要成效", style="Heading 1")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "数值"
    document.save(str(path))
    window = make_window()
    opening(qtbot, window, path)
    assert any("表格" in text for text in boxes(window))
    window.editor.appendPlainText("补充一段。")
    questions = []
    monkeypatch.setattr(Questions, "ask_overwrite", lambda self, message: questions.append(message) or "cancel")
    window.files.save()
    qtbot.waitUntil(lambda: bool(questions))
    assert "表格" in questions[0]
    assert zipfile.ZipFile(path).read("word/document.xml").count(b"<w:tbl>") == 1  # untouched
    monkeypatch.setattr(Questions, "ask_overwrite", lambda self, message: "overwrite")
    saving(qtbot, window)
    assert drafts.load(path).draft.to_text().endswith("补充一段。\n")


def test_exporting_with_unfilled_fields_warns_and_back_writes_nothing(qtbot, make_window, tmp_path, monkeypatch):
    text = CLEAN.replace("15个", f"{FIELD}个").replace("8.6亿元", "xx亿元").replace("（二）优化", "（三）优化")
    window = make_window(text)
    target = tmp_path / "报告.docx"
    monkeypatch.setattr(Questions, "ask_save_path", lambda self, *a, **k: str(target))
    warned = []
    monkeypatch.setattr(
        Questions, "ask_export", lambda self, faults, path, export=False: warned.append(faults) or False
    )
    window.files.save()
    qtbot.waitUntil(lambda: bool(warned))
    assert (warned[0].placeholders, warned[0].numbering) == (2, 1)
    assert "2 处待填项" in warned[0].describe() and "1 处编号问题" in warned[0].describe()
    qtbot.wait(100)
    assert not target.exists() and window.files.path is None
    monkeypatch.setattr(Questions, "ask_export", lambda self, faults, path, export=False: warned.append(faults) or True)
    saving(qtbot, window)
    assert len(warned) == 2 and zipfile.is_zipfile(target)
    assert not window.isWindowModified()
    saving(qtbot, window)  # the same faults again: not asked a second time
    assert len(warned) == 2


def test_export_word_writes_a_copy_and_keeps_the_draft_file(qtbot, make_window, tmp_path, monkeypatch):
    path = tmp_path / "草稿.txt"
    path.write_text(CLEAN, encoding="utf-8")
    window = make_window()
    opening(qtbot, window, path)
    monkeypatch.setattr(Questions, "ask_save_path", lambda self, *a, **k: str(tmp_path / "上报稿"))
    saving(qtbot, window, window.files.export_word)
    assert drafts.load(tmp_path / "上报稿.docx").draft.to_text() == CLEAN + "\n"
    assert window.files.path == path and window.windowTitle().startswith("草稿.txt")


def test_a_5_mb_draft_opens_and_saves_in_the_background(qtbot, make_window, tmp_path):
    paragraph = "今年以来，我局扎实推进各项工作，取得了明显成效，群众满意度持续提升。"
    text = CLEAN + ("\n" + paragraph) * (5 * 1024 * 1024 // len(paragraph.encode()))
    path = tmp_path / "长稿.docx"
    drafts.save(drafts.Draft.from_text(text), path)
    window = make_window()
    started = time.perf_counter()
    with qtbot.waitSignal(window.files.opened, timeout=60000):
        assert window.files.open_file(path)
        assert time.perf_counter() - started < 0.1  # reading happens on a worker
        assert window.editor.isReadOnly()  # no typing into the draft about to be replaced
    assert window.editor.toPlainText() == text and not window.editor.isReadOnly()
    window.editor.appendPlainText("结尾。")
    started = time.perf_counter()
    with qtbot.waitSignal(window.files.saved, timeout=60000):
        assert window.files.save()
        assert time.perf_counter() - started < 0.2  # writing too
    assert drafts.load(path).draft.to_text() == text + "\n结尾。\n"


def test_closing_with_unsaved_changes_asks_save_discard_or_cancel(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(CLEAN)
    window.editor.appendPlainText("没保存的一句。")
    assert window.windowTitle() == "未命名[*] — 笔杆" and window.isWindowModified()
    monkeypatch.setattr(Questions, "ask_unsaved", lambda self, name: "cancel")
    window.close()
    assert window.isVisible()
    monkeypatch.setattr(Questions, "ask_unsaved", lambda self, name: "save")
    monkeypatch.setattr(Questions, "ask_save_path", lambda self, *a, **k: str(tmp_path / "关闭前.txt"))
    with qtbot.waitSignal(window.files.saved, timeout=20000):
        window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert (tmp_path / "关闭前.txt").read_text(encoding="utf-8").endswith("没保存的一句。\n")


def _crash_leaving_a_copy(text: str, source: Path | None = None) -> None:
    """A child process edits a draft, keeps a recovery copy and dies without closing."""
    code = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from core.recovery import Recovery\n"
        f"r = Recovery({str(source) if source else None!r})\n"
        f"r.update({text!r})\n"
        "assert r.flush()\n"
        "os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=dict(os.environ), timeout=60)
    assert done.returncode == 9


def test_after_a_crash_the_draft_is_offered_and_restored(qtbot, make_window, tmp_path, monkeypatch):
    source = tmp_path / "崩溃前.txt"
    source.write_text("某局2024年工作总结\n旧的正文", encoding="utf-8")
    lost = "某局2024年工作总结\n旧的正文\n崩溃前写的一段，还没来得及保存。"
    _crash_leaving_a_copy(lost, source)
    window = make_window()
    qtbot.waitUntil(lambda: window.files.recovery_dialog is not None and window.files.recovery_dialog.isVisible())
    dialog = window.files.recovery_dialog
    assert dialog.list.count() == 1 and "某局2024年工作总结" in dialog.list.item(0).text()
    assert "崩溃前.txt" in dialog.list.item(0).text()
    dialog.restore_button.click()
    assert window.editor.toPlainText() == lost
    # The dialog and the status bar count 字数 the same way (as WPS and Word do).
    assert f"{word_count(lost):,} 字" in dialog.list.item(0).text()
    qtbot.waitUntil(lambda: window.count_label.text() == f"全文 {word_count(lost):,} 字")
    assert window.isWindowModified() and window.windowTitle().startswith("崩溃前.txt")
    qtbot.waitUntil(lambda: window.files.stamp is not None)
    saving(qtbot, window)
    assert source.read_text(encoding="utf-8") == lost + "\n"
    assert not list(window.files.recovery.directory.glob("*.json"))  # saved: the copy is gone


def test_discarding_the_offered_copies_deletes_them(qtbot, make_window):
    _crash_leaving_a_copy("没用的草稿\n一、甲")
    window = make_window(CLEAN)
    qtbot.waitUntil(lambda: window.files.recovery_dialog is not None and window.files.recovery_dialog.isVisible())
    window.files.recovery_dialog.discard_button.click()
    assert not list(window.files.recovery.directory.glob("*.json"))
    assert window.editor.toPlainText() == CLEAN


def test_typing_keeps_a_recovery_copy_that_a_clean_close_removes(qtbot, make_window, monkeypatch):
    window = make_window(CLEAN)
    window.files.recovery.idle = 0.05
    window.editor.appendPlainText("刚写的一句。")
    qtbot.waitUntil(lambda: window.files.recovery.path.exists(), timeout=5000)
    kept = json.loads(window.files.recovery.path.read_text(encoding="utf-8"))
    assert kept["text"].endswith("刚写的一句。")
    monkeypatch.setattr(Questions, "ask_unsaved", lambda self, name: "discard")
    window.close()
    assert not list(window.files.recovery.directory.glob("*.json"))


def test_an_unreadable_file_is_reported_and_the_draft_stays(qtbot, make_window, tmp_path):
    broken = tmp_path / "坏的.docx"
    broken.write_bytes(b"not a zip")
    window = make_window(CLEAN)
    with qtbot.waitSignal(window.files.failed, timeout=20000):
        window.files.open_file(broken)
    assert any("坏的.docx" in text for text in boxes(window))
    assert window.editor.toPlainText() == CLEAN and not window.editor.isReadOnly()
