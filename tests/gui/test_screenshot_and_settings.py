"""`main.py screenshot`, files opened and saved from the window, and what the window remembers."""

from __future__ import annotations

from PySide6.QtGui import QImage

from core.cli import build_parser
from gui.main_window import MainWindow
from gui.screenshot import SAMPLE_DRAFT, take


def test_screenshot_saves_the_whole_window_with_snippets(tmp_path, bundled_bank):
    out = tmp_path / "shot.png"
    assert take(out, bundled_bank[1], size="1200x760") == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 760)
    colours = {image.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 760, 7)}
    assert len(colours) > 20  # text, shading and highlights, not a blank window


def test_screenshot_is_listed_in_the_command_help():
    assert "screenshot" in build_parser().format_help()


def test_sample_draft_has_headings_and_fields():
    text = SAMPLE_DRAFT.read_text(encoding="utf-8")
    assert "一、" in text and "（一）" in text and "＿＿" in text


def test_save_then_open_keeps_the_draft_and_remembers_the_file(qtbot, make_window, report_text, tmp_path, monkeypatch):
    window = make_window(report_text)
    target = tmp_path / "草稿.txt"
    monkeypatch.setattr(MainWindow, "ask_save_path", lambda self, *args, **kwargs: str(target))
    window.editor.appendPlainText("补充一句。")
    assert window.isWindowModified()
    with qtbot.waitSignal(window.fileSaved):
        assert window.save()
    assert target.read_text(encoding="utf-8") == report_text + "\n补充一句。\n"
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("草稿.txt")
    window.resize(780, 560)  # within the offscreen screen, so restoring does not shrink it
    window.splitter.setSizes([150, 250, 370])
    sizes = window.splitter.sizes()
    window.close()
    again = make_window()
    qtbot.waitUntil(lambda: again.path is not None and not again.file_jobs.busy)
    assert again.editor.toPlainText() == report_text + "\n补充一句。"
    assert again.path == target.resolve() or again.path == target
    assert again.size().width() == 780
    assert again.splitter.sizes() == sizes


def test_unsaved_changes_are_offered_for_saving_before_opening(qtbot, make_window, report_text, tmp_path, monkeypatch):
    window = make_window(report_text)
    other = tmp_path / "另一篇.txt"
    other.write_text("另一篇\n一、甲", encoding="utf-8")
    window.editor.appendPlainText("改动。")
    asked = []
    monkeypatch.setattr(MainWindow, "ask_unsaved", lambda self: asked.append(1) or "cancel")
    monkeypatch.setattr(MainWindow, "ask_open_path", lambda self: str(other))
    window.open_draft()
    assert asked and "改动。" in window.editor.toPlainText()
    monkeypatch.setattr(MainWindow, "ask_unsaved", lambda self: "discard")
    with qtbot.waitSignal(window.fileOpened):
        window.open_draft()
    assert window.editor.toPlainText() == "另一篇\n一、甲"
    assert [h.label for h in window.outline_model.headings()] == ["一、甲"]


def test_main_py_opens_the_window_on_an_existing_bank(tmp_path, bundled_bank):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    shutil.copy(bundled_bank[1], tmp_path / "bank.db")
    env = dict(os.environ, BIGAN_HOME=str(tmp_path), BIGAN_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "main.py"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert any(line.startswith("shown ") for line in done.stdout.splitlines())
    assert "Traceback" not in done.stderr


def test_an_open_check_panel_is_open_again_next_time(qtbot, make_window, report_text):
    window = make_window(report_text)
    assert not window.check_panel.isVisible()
    window.run_check()
    qtbot.waitUntil(lambda: not window.check_panel.running, timeout=20000)
    assert window.check_panel.isVisible()
    window.close()
    again = make_window()
    assert again.check_panel.isVisible()
