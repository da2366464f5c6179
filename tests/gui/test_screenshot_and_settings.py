"""`main.py screenshot`, files opened and saved from the window, and what the window remembers."""

from __future__ import annotations

import re

from PySide6.QtGui import QImage

from bigan.core.cli import build_parser
from bigan.gui.questions import Questions
from bigan.gui.screenshot import SAMPLE_DRAFT, take


def test_screenshot_at_1024x700_keeps_a_28_character_editor_wider_than_the_other_panes(tmp_path, bundled_bank, capsys):
    out = tmp_path / "shot.png"
    assert take(out, bundled_bank[1], size="1024x700") == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 700)
    colours = {image.pixel(x, y) for x in range(0, 1024, 7) for y in range(0, 700, 7)}
    assert len(colours) > 20  # text, shading and highlights, not a blank window
    said = capsys.readouterr().out
    outline, snippets, editor = (int(n) for n in re.search(r"提纲 (\d+)、素材 (\d+)、编辑区 (\d+)", said).groups())
    assert editor > snippets > outline > 100
    assert int(re.search(r"每行 (\d+) 字", said).group(1)) >= 28


def test_screenshot_refuses_a_size_it_cannot_read(tmp_path, capsys):
    assert take(tmp_path / "x.png", size="大屏") == 2
    assert "宽x高" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_screenshot_is_listed_in_the_command_help():
    assert "screenshot" in build_parser().format_help()


def test_sample_draft_has_headings_and_fields():
    text = SAMPLE_DRAFT.read_text(encoding="utf-8")
    assert "一、" in text and "（一）" in text and "＿＿" in text


def test_save_then_open_keeps_the_draft_and_remembers_the_file(qtbot, make_window, report_text, tmp_path, monkeypatch):
    window = make_window(report_text)
    target = tmp_path / "草稿.txt"
    monkeypatch.setattr(Questions, "ask_save_path", lambda self, *args, **kwargs: str(target))
    window.editor.appendPlainText("补充一句。")
    assert window.isWindowModified()
    with qtbot.waitSignal(window.files.saved):
        assert window.files.save()
    assert target.read_text(encoding="utf-8") == report_text + "\n补充一句。\n"
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("草稿.txt")
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.toPlainText().index("二、存在的问题"))
    window.editor.setTextCursor(cursor)
    window.splitter.moveSplitter(180, 1)  # the writer drags the outline pane wider
    sizes = window.splitter.sizes()
    size = window.size()
    window.close()
    again = make_window()
    qtbot.waitUntil(lambda: again.files.path is not None and not again.files.jobs.busy)
    assert again.editor.toPlainText() == report_text + "\n补充一句。"
    assert again.files.path == target.resolve() or again.files.path == target
    assert again.size() == size
    assert [abs(a - b) <= 2 for a, b in zip(again.splitter.sizes(), sizes)] == [True, True, True]
    assert again.editor.textCursor().block().text() == "二、存在的问题"  # the cursor is back where it was
    qtbot.waitUntil(lambda: again.snippets.query == "二、存在的问题" and bool(again.snippets.model.matches))


def test_unsaved_changes_are_offered_for_saving_before_opening(qtbot, make_window, report_text, tmp_path, monkeypatch):
    window = make_window(report_text)
    other = tmp_path / "另一篇.txt"
    other.write_text("另一篇\n一、甲", encoding="utf-8")
    window.editor.appendPlainText("改动。")
    asked = []
    monkeypatch.setattr(Questions, "ask_unsaved", lambda self, name: asked.append(1) or "cancel")
    monkeypatch.setattr(Questions, "ask_open_path", lambda self: str(other))
    window.files.open_draft()
    assert asked and "改动。" in window.editor.toPlainText()
    monkeypatch.setattr(Questions, "ask_unsaved", lambda self, name: "discard")
    with qtbot.waitSignal(window.files.opened):
        window.files.open_draft()
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


def test_main_py_with_a_draft_file_opens_the_window_on_it(tmp_path, bundled_bank):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from bigan.gui.settings import Settings

    shutil.copy(bundled_bank[1], tmp_path / "bank.db")
    draft = tmp_path / "明年计划.txt"
    draft.write_text("某局2026年工作计划\n一、总体思路\n", encoding="utf-8")
    env = dict(os.environ, BIGAN_HOME=str(tmp_path), BIGAN_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen")
    root = Path(__file__).resolve().parents[2]
    run = [sys.executable, "main.py"]
    done = subprocess.run([*run, draft], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert Settings(tmp_path / "settings.ini").last_file == str(draft.resolve())
    missing = subprocess.run([*run, tmp_path / "没有.docx"], cwd=root, env=env, capture_output=True, text=True)
    assert missing.returncode == 2 and "找不到文稿" in missing.stderr and "没有.docx" in missing.stderr


def test_an_open_check_panel_is_open_again_next_time(qtbot, make_window, report_text):
    window = make_window(report_text)
    assert not window.check_panel.isVisible()
    window.checks.run()
    qtbot.waitUntil(lambda: not window.check_panel.running, timeout=20000)
    assert window.check_panel.isVisible()
    window.close()
    again = make_window()
    assert again.check_panel.isVisible()


def test_the_window_starts_without_the_build_and_word_modules_or_jieba(tmp_path, bundled_bank):
    # What the window needs to show a draft and its first snippets; the rest costs a second and 100 MB at start.
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from bigan.gui.settings import Settings

    shutil.copy(bundled_bank[1], tmp_path / "bank.db")
    draft = tmp_path / "总结.txt"
    text = "某县商务局2025年工作总结和2026年工作打算\n一、2025年工作回顾\n（一）招商引资\n"
    draft.write_text(text, encoding="utf-8")
    settings = Settings(tmp_path / "settings.ini")
    settings.set_place(str(draft.resolve()), text.index("（一）"), 0)  # reopened in a section: snippets at once
    settings.store.sync()
    heavy = ("jieba", "sqlite_utils", "numpy", "bigan.core.bank", "bigan.core.wordio", "bigan.core.docx_reader")
    code = (
        "import sys, main; main.use_checkout(); status = main.run(sys.argv[1:]);"
        f" print('loaded', [m for m in {heavy!r} if m in sys.modules]); sys.exit(status)"
    )
    env = dict(os.environ, BIGAN_HOME=str(tmp_path), BIGAN_STARTUP_PROBE="snippets", QT_QPA_PLATFORM="offscreen")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code, draft], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "snippets " in done.stdout and "loaded []" in done.stdout, done.stdout
