"""What Word and WPS writers expect: menus that save without errors, Ctrl+Y, Alt keys on buttons, recent files,
help, the conflict asked first, the right title on the warning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QPushButton

from bigan.core import draft as drafts
from bigan.core.placeholders import FIELD
from bigan.gui.bank_manager import BankManager
from bigan.gui.import_dialog import ImportDialog
from bigan.gui.new_dialog import NewDialog
from bigan.gui.questions import OVERWRITE_CHOICES, UNSAVED_CHOICES, Questions, question_box
from bigan.gui.recovery_dialog import RecoveryDialog
from bigan.gui.settings import Settings
from tests.gui.test_drafts import CLEAN, opening, saving

# The real questions, kept before the window fixture replaces them with ones that fail the test.
ASK_UNSAVED = Questions.ask_unsaved
ASK_EXPORT = Questions.ask_export


@pytest.fixture
def settings_for_dialogs(tmp_path) -> Settings:
    """Settings in a temp file for dialogs made on their own."""
    return Settings(tmp_path / "dialogs.ini")


def test_saving_from_the_menu_and_with_ctrl_s_raises_nothing(qtbot, make_window, tmp_path, monkeypatch, no_slot_errors):
    window = make_window(CLEAN)
    monkeypatch.setattr(Questions, "ask_save_path", lambda self, *a, **k: str(tmp_path / "稿.docx"))
    with qtbot.waitSignal(window.files.saved, timeout=20000):
        window.save_action.trigger()  # the real menu action, as a click on 文件 › 保存 sends it
    window.editor.appendPlainText("再写一句。")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.files.saved, timeout=20000):
        qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.isWindowModified()
    assert drafts.load(tmp_path / "稿.docx").draft.to_text().endswith("再写一句。\n")


def test_ctrl_y_redoes_what_ctrl_z_undid(qtbot, make_window, type_text):
    window = make_window(CLEAN)
    editor = window.editor
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.setFocus()
    type_text(editor, "新增")
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not editor.toPlainText().endswith("新增")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText().endswith("新增")


def _press_when_shown(qtbot, key: Qt.Key, seen: list[str]) -> None:
    def press() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not box.isActiveWindow():
            if box is not None:
                box.activateWindow()
            QTimer.singleShot(20, press)
            return
        seen.extend(b.text() for b in box.findChildren(QPushButton))
        qtbot.keyClick(box, key, Qt.KeyboardModifier.AltModifier)

    QTimer.singleShot(0, press)


def test_the_unsaved_question_answers_to_alt_keys(qtbot, make_window, monkeypatch):
    window = make_window(CLEAN)
    monkeypatch.setattr(Questions, "ask_unsaved", ASK_UNSAVED)
    seen: list[str] = []
    _press_when_shown(qtbot, Qt.Key.Key_N, seen)
    assert window.questions.ask_unsaved("草稿.docx") == "discard"  # Alt+N: 不保存
    assert seen == ["保存(&S)", "不保存(&N)", "取消(&C)"]
    _press_when_shown(qtbot, Qt.Key.Key_C, seen)
    assert window.questions.ask_unsaved("草稿.docx") == "cancel"


def test_every_dialog_button_has_an_alt_key(make_window, settings_for_dialogs):
    window = make_window(CLEAN)
    dialogs = [
        question_box(window, "笔杆", "？", UNSAVED_CHOICES),
        question_box(window, "保存", "？", OVERWRITE_CHOICES),
        RecoveryDialog([], window),
        NewDialog(window),
        ImportDialog(settings_for_dialogs, window),
        BankManager(window),
        window.questions.show_info("提示", "内容"),
    ]
    buttons = [(d.windowTitle(), b.text()) for d in dialogs for b in d.findChildren(QPushButton)]
    buttons += [("检查", b.text()) for b in window.check_panel.findChildren(QPushButton)]
    assert buttons and [b for b in buttons if "&" not in b[1]] == []
    for dialog in dialogs:
        dialog.close()


def test_recent_files_list_the_last_drafts_and_open_them(qtbot, make_window, tmp_path):
    paths = []
    for n in range(12):
        path = tmp_path / f"稿{n:02d}.txt"
        path.write_text(f"第{n}稿\n一、甲", encoding="utf-8")
        paths.append(path)
    window = make_window()
    for path in paths:
        opening(qtbot, window, path)
    window._fill_recent()
    labels = [a.text() for a in window.recent_menu.actions() if a.text() and not a.isSeparator()]
    assert labels[0] == "&1 稿11.txt" and len([lab for lab in labels if lab.startswith("&")]) == 10
    assert "&0 稿02.txt" in labels and not any("稿01" in lab for lab in labels)
    first = window.recent_menu.actions()[3]  # 稿08.txt
    with qtbot.waitSignal(window.files.opened, timeout=20000):
        first.trigger()
    assert window.editor.toPlainText().startswith("第8稿")


def test_help_lists_the_shortcuts_from_the_menus(make_window):
    window = make_window(CLEAN)
    dialog = window.show_shortcuts()
    rows = {
        dialog.table.item(row, 1).text(): dialog.table.item(row, 2).text() for row in range(dialog.table.rowCount())
    }
    assert rows["保存"] == "Ctrl+S" and "Ctrl+Y" in rows["重做"]
    # Shown as the menus show it: Qt's Chinese translation names the arrow keys once it is installed.
    assert rows["升级"] == QKeySequence("Alt+Shift+Left").toString(QKeySequence.SequenceFormat.NativeText)
    assert rows["检查文稿"] == "F7"
    assert "插入第 1…9 条素材" in rows
    dialog.close()
    about = window.show_about()
    assert "不联网" in about.text()
    about.close()


def test_a_conflict_is_asked_before_the_unfilled_fields_warning(qtbot, make_window, tmp_path, monkeypatch):
    path = tmp_path / "报告.docx"
    drafts.save(drafts.Draft.from_text(CLEAN), path)
    window = make_window()
    opening(qtbot, window, path)
    drafts.save(drafts.Draft.from_text(CLEAN + "\n同事加的一段。"), path)  # changed by someone else
    window.editor.appendPlainText(f"新增企业{FIELD}家。")
    asked: list[str] = []
    monkeypatch.setattr(Questions, "ask_overwrite", lambda self, message: asked.append("conflict") or "overwrite")
    monkeypatch.setattr(
        Questions, "ask_export", lambda self, faults, path, export=False: asked.append("fields") or True
    )
    saving(qtbot, window)
    assert asked == ["conflict", "fields"]
    assert drafts.load(path).draft.to_text().endswith(f"新增企业{FIELD}家。\n")


def test_the_warning_before_saving_is_titled_save_not_export(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window(CLEAN.replace("15个", f"{FIELD}个"))
    monkeypatch.setattr(Questions, "ask_save_path", lambda self, *a, **k: str(tmp_path / "稿.docx"))
    asked: list[tuple[str, list[str]]] = []

    def ask(self, title, text, choices):
        asked.append((title, [label for label, _, _ in choices]))
        return "back"

    monkeypatch.setattr(Questions, "ask_export", ASK_EXPORT)
    monkeypatch.setattr(Questions, "_ask", ask)
    window.files.save()
    qtbot.waitUntil(lambda: bool(asked), timeout=20000)
    window.files.export_word()
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=20000)
    assert asked[0] == ("保存", ["返回修改(&B)", "仍然保存(&W)"])
    assert asked[1] == ("导出 Word", ["返回修改(&B)", "仍然导出(&W)"])
    assert not (tmp_path / "稿.docx").exists()


def test_qt_file_dialogs_speak_chinese(qapp):
    from PySide6.QtWidgets import QFileDialog, QLabel

    from bigan.gui.app import prepare_app, translations

    assert (Path(translations()) / "qtbase_zh_CN.qm").exists()  # shipped in the PySide6-Essentials wheel
    prepare_app()
    dialog = QFileDialog(None, "打开")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    texts += [button.text() for button in dialog.findChildren(QPushButton) if button.text()]
    english = [t for t in texts if re.search("[A-Za-z]", re.sub(r"\(&\w\)", "", t))]
    assert texts and english == []
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts  # the two Qt's catalogue lacks
    dialog.deleteLater()


def test_the_compiled_gap_translations_match_their_source(tmp_path):
    import subprocess
    import sys

    from bigan.gui.app import QT_GAPS

    out = tmp_path / "gaps.qm"
    run = "import sys; from PySide6.scripts.pyside_tool import lrelease; sys.argv[0] = 'lrelease'; lrelease()"
    source = str(QT_GAPS.with_suffix(".ts"))
    subprocess.run([sys.executable, "-c", run, source, "-qm", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == QT_GAPS.read_bytes()  # the shipped .qm is the .ts as written
