"""The editor as a page (title centred, first lines indented, 28 characters a line) and layouts for office screens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from bigan.gui import page_view
from bigan.gui.panes import PaneLayout

LONG = "全面推进乡村振兴战略实施" * 12  # one paragraph of pure Chinese, several lines long
DRAFT = f"某县2024年工作总结\n一、主要成效\n{LONG}\n（一）招商引资\n　　已自行缩进的一段。"


def line_lengths(editor, line: int) -> list[int]:
    """Characters on each screen line of a paragraph, as laid out now."""
    layout = editor.document().findBlockByNumber(line).layout()
    return [layout.lineAt(n).textLength() for n in range(layout.lineCount())]


def test_the_page_view_centres_the_title_and_indents_first_lines(make_window):
    window = make_window(DRAFT)
    editor = window.editor
    assert editor.page and window.page_action.isChecked()
    doc = editor.document()
    title, body = doc.findBlockByNumber(0).blockFormat(), doc.findBlockByNumber(2).blockFormat()
    assert title.alignment() & Qt.AlignmentFlag.AlignHCenter
    two = 2 * page_view.char_width(editor.font())
    assert body.textIndent() == pytest.approx(two, abs=0.01)
    assert doc.findBlockByNumber(1).blockFormat().textIndent() == pytest.approx(two, abs=0.01)  # headings too
    assert doc.findBlockByNumber(4).blockFormat().textIndent() == 0  # typed its own 　　 indent
    lengths = line_lengths(editor, 2)
    assert lengths[0] == 26 and set(lengths[1:-1]) == {28}  # 2 characters of indent, then full 28-character lines


def test_a_line_typed_after_the_title_is_a_body_line_and_one_undo_takes_it_back(qtbot, make_window, put_cursor):
    window = make_window(DRAFT)
    editor = window.editor
    put_cursor(window, 0)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    doc = editor.document()
    assert not doc.findBlockByNumber(1).blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter
    assert doc.findBlockByNumber(1).blockFormat().textIndent() > 0
    editor.undo()
    assert editor.toPlainText() == DRAFT
    assert doc.findBlockByNumber(1).blockFormat().textIndent() > 0  # 一、主要成效 kept its indent
    editor.redo()
    assert editor.toPlainText().split("\n")[1] == ""


def test_page_view_off_shows_plain_full_width_lines(qtbot, make_window):
    window = make_window(DRAFT)
    window.resize(1700, 800)
    qtbot.waitUntil(lambda: window.editor.chars_per_line() == 28)
    window.page_action.trigger()
    editor = window.editor
    assert not editor.page and not window.settings.page_view
    assert editor.document().findBlockByNumber(2).blockFormat().textIndent() == 0
    qtbot.waitUntil(lambda: editor.chars_per_line() > 40)
    assert not editor.document().isModified()  # how the draft is shown is no edit of it
    window.page_action.trigger()
    qtbot.waitUntil(lambda: editor.chars_per_line() == 28)


def test_zooming_keeps_28_characters_a_line(qtbot, make_window):
    window = make_window(DRAFT)
    window.resize(1700, 900)
    before = window.editor.width()
    assert window.zoom(2)
    assert line_lengths(window.editor, 2)[1] == 28
    assert window.editor.minimumWidth() > before / 2 and window.editor.chars_per_line() == 28


@pytest.mark.parametrize(("width", "height"), [(1024, 700), (1366, 768), (1920, 1080)])
def test_office_screen_sizes_give_the_editor_the_most_room(qtbot, make_window, width, height):
    window = make_window(DRAFT)
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size().toTuple() == (width, height))
    outline, snippets, editor = window.splitter.sizes()
    assert editor > snippets > outline >= 130
    assert window.editor.chars_per_line() == 28
    window.checks.run()
    qtbot.waitUntil(lambda: window.check_panel.isVisible())
    qtbot.waitUntil(lambda: window.check_panel.height() <= 0.3 * height)  # not the 40 % it used to take
    assert window.check_panel.height() >= 100 and window.editor.height() > 2 * window.check_panel.height()


def test_panes_rebalance_when_the_window_shrinks(qtbot, make_window):
    window = make_window(DRAFT)
    window.resize(1920, 1000)
    qtbot.waitUntil(lambda: window.width() == 1920)
    wide = window.splitter.sizes()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    narrow = window.splitter.sizes()
    assert narrow[0] < wide[0] and narrow[1] < wide[1]
    assert window.editor.chars_per_line() == 28  # never narrower than a page line


def test_hidden_panes_are_remembered_per_screen_size(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(PaneLayout, "screen_key", lambda self: "1366x768")
    window = make_window(DRAFT)
    before = window.splitter.sizes()[2]
    window.outline_action.trigger()  # 视图 › 提纲栏 off
    assert not window.panes.is_visible("outline") and window.splitter.sizes()[2] > before
    window.close()
    again = make_window(DRAFT)
    assert not again.outline_action.isChecked() and not again.outline.isVisible()
    again.close()
    monkeypatch.setattr(PaneLayout, "screen_key", lambda self: "1920x1080")
    other = make_window(DRAFT)
    assert other.outline_action.isChecked() and other.outline.isVisible()


def test_zooming_beyond_what_fits_is_refused_with_a_hint(qtbot, make_window):
    window = make_window(DRAFT)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    steps = [window.zoom(1) for _ in range(12)]
    assert False in steps
    assert "隐藏提纲栏或素材栏" in window.statusBar().currentMessage()
    assert window.editor.chars_per_line() == 28 and window.width() == 1024


def test_a_click_beside_the_page_puts_the_cursor_on_the_nearest_line(qtbot, make_window):
    from PySide6.QtCore import QPoint

    window = make_window(DRAFT)
    editor = window.editor
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: editor.viewportMargins().left() > 20)
    heading = editor.document().findBlockByNumber(3)
    y = editor.viewport().geometry().top() + int(editor.cursorRect(QTextCursor(heading)).center().y())
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=QPoint(5, y))
    assert editor.textCursor().blockNumber() == 3 and editor.textCursor().positionInBlock() == 0
    right = editor.width() - 5
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=QPoint(right, y))
    assert editor.textCursor().blockNumber() == 3 and editor.textCursor().atBlockEnd()
