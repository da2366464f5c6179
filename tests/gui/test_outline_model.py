"""Outline pane: headings as a tree, drag and drop that moves a whole section and renumbers, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from core.outline import parse
from gui.outline_model import OutlineModel


def labels_of(model: OutlineModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def drop(model: OutlineModel, source: QModelIndex, row: int, parent: QModelIndex) -> bool:
    """Drop the heading at source at row under parent, as the view does at the end of a drag."""
    data = model.mimeData([source])
    if not model.canDropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent):
        return False
    return model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent)


def test_outline_is_a_tree_by_level(window):
    model = window.outline_model
    assert labels_of(model) == ["一、主要工作成效", "二、存在的问题", "三、2024年工作安排"]
    first = model.index(0, 0)
    assert labels_of(model, first) == ["（一）狠抓项目建设，增强发展后劲", "（二）优化营商环境"]
    assert labels_of(model, model.index(1, 0)) == []  # 1. and 2. under 存在的问题 are sentences: items
    assert model.parent(model.index(0, 0, first)) == first
    assert model.data(first, Qt.ItemDataRole.FontRole).bold()


def test_drag_a_section_before_its_sibling_renumbers_and_undo_restores(qtbot, window, report_text):
    model = window.outline_model
    first = model.index(0, 0)
    second_child = model.index(1, 0, first)  # （二）优化营商环境
    assert drop(model, second_child, 0, first)
    qtbot.waitUntil(lambda: labels_of(model, model.index(0, 0))[0] == "（一）优化营商环境", timeout=2000)
    assert labels_of(model, model.index(0, 0)) == ["（一）优化营商环境", "（二）狠抓项目建设，增强发展后劲"]
    lines = window.editor.toPlainText().split("\n")
    moved = lines.index("（一）优化营商环境")
    assert lines[moved + 1].startswith("深化“放管服”改革")  # the body moved with its heading
    assert lines[moved + 2].startswith("（二）狠抓项目建设，增强发展后劲。一是加快项目开工")
    window.editor.undo()  # one step undoes both the move and the renumbering
    assert window.editor.toPlainText() == report_text
    qtbot.waitUntil(lambda: labels_of(model, model.index(0, 0))[0] == "（一）狠抓项目建设，增强发展后劲", timeout=2000)
    window.editor.redo()
    assert "（一）优化营商环境" in window.editor.toPlainText()


def test_drag_a_chapter_to_the_end_takes_its_sub_headings(qtbot, window):
    model = window.outline_model
    assert drop(model, model.index(0, 0), model.rowCount(), QModelIndex())
    qtbot.waitUntil(lambda: labels_of(model)[-1] == "三、主要工作成效", timeout=2000)
    assert labels_of(model) == ["一、存在的问题", "二、2024年工作安排", "三、主要工作成效"]
    assert labels_of(model, model.index(2, 0)) == ["（一）狠抓项目建设，增强发展后劲", "（二）优化营商环境"]
    headings = parse(window.editor.toPlainText())
    assert [h.label for h in headings][-3:] == [
        "三、主要工作成效",
        "（一）狠抓项目建设，增强发展后劲",
        "（二）优化营商环境",
    ]


def test_a_section_can_move_to_another_chapter_at_its_own_level(qtbot, window):
    model = window.outline_model
    source = model.index(1, 0, model.index(0, 0))  # （二）优化营商环境 under 一、
    third = model.index(2, 0)  # 三、2024年工作安排, which has （一）聚焦重点任务
    assert drop(model, source, 1, third)
    qtbot.waitUntil(lambda: len(labels_of(model, model.index(2, 0))) == 2, timeout=2000)
    assert labels_of(model, model.index(0, 0)) == ["（一）狠抓项目建设，增强发展后劲"]
    assert labels_of(model, model.index(2, 0)) == ["（一）聚焦重点任务", "（二）优化营商环境"]


def test_drops_that_would_break_the_levels_are_refused(window, report_text):
    model = window.outline_model
    chapter = model.index(0, 0)
    section = model.index(0, 0, chapter)
    assert not drop(model, chapter, 0, model.index(1, 0))  # a chapter under a chapter
    assert not drop(model, section, 0, QModelIndex())  # a section among chapters
    assert not drop(model, chapter, 0, section)  # into its own child
    assert not drop(model, section, 0, chapter)  # where it already is
    assert window.editor.toPlainText() == report_text


def test_alt_down_moves_the_current_section_below_its_sibling(qtbot, window, put_cursor, line_of):
    put_cursor(window, line_of(window, "（一）狠抓项目建设"))
    qtbot.keyClick(window.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    lines = window.editor.toPlainText().split("\n")
    assert lines.index("（一）优化营商环境") < lines.index("二、存在的问题")
    assert window.editor.textCursor().block().text().startswith("（二）狠抓项目建设，增强发展后劲。")


def test_collapsed_sections_stay_collapsed_when_the_outline_changes(qtbot, window, type_text):
    view, model = window.outline, window.outline_model
    view.collapse(model.index(0, 0))
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    type_text(window.editor, "四、新的一章")
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=2000)
    assert not view.isExpanded(model.index(0, 0))
    assert view.isExpanded(model.index(1, 0))


def _drag_to(view, data, point) -> None:
    """Send the drag-enter and drag-move events a real drag over the outline pane sends."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent
    from PySide6.QtWidgets import QApplication

    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    viewport = view.viewport()
    QApplication.sendEvent(viewport, QDragEnterEvent(point, Qt.DropAction.MoveAction, data, buttons, mods))
    QApplication.sendEvent(
        viewport, QDragMoveEvent(point, Qt.DropAction.MoveAction, data, buttons, mods, QEvent.Type.DragMove)
    )


# Qt 6 marks the QPoint drag-event constructors deprecated but offers no other for Python.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dragging_in_the_pane_shows_where_the_section_lands_and_the_first_drop_moves_it(qtbot, window):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent
    from PySide6.QtWidgets import QApplication

    view, model = window.outline, window.outline_model
    source = model.index(1, 0, model.index(0, 0))  # （二）优化营商环境
    data = model.mimeData([source])
    target = model.index(0, 0, model.index(2, 0))  # （一）聚焦重点任务 under 三、
    rect = view.visualRect(target)
    below = rect.center() + type(rect.center())(0, rect.height() // 4)
    _drag_to(view, data, below)
    assert view._drop_line is not None and view._drop_line[0] == rect.bottom()  # the line under that section
    assert view._drop_line[1] > view.indentation()  # drawn at the depth of a section, not of a chapter
    on_chapter = view.visualRect(model.index(2, 0))  # right on 三、2024年工作安排
    _drag_to(view, data, on_chapter.center())
    assert view._drop_line == (on_chapter.bottom(), view._drop_line[1])  # goes first under that chapter
    _drag_to(view, data, below)
    drop = QDropEvent(
        QPointF(below), Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(view.viewport(), drop)
    assert view._drop_line is None
    qtbot.waitUntil(
        lambda: labels_of(model, model.index(2, 0)) == ["（一）聚焦重点任务", "（二）优化营商环境"], timeout=2000
    )


def test_moving_the_last_section_up_leaves_no_empty_line_behind(qtbot, make_window):
    window = make_window("标题\n一、甲\n甲的正文\n二、乙\n乙的正文\n")
    model = window.outline_model
    assert drop(model, model.index(1, 0), 0, QModelIndex())
    assert window.editor.toPlainText() == "标题\n一、乙\n乙的正文\n二、甲\n甲的正文\n"


def test_promote_and_demote_from_the_keyboard_renumber_and_undo_in_one_step(
    qtbot, window, put_cursor, line_of, report_text
):
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.editor, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    labels = [h.label for h in parse(window.editor.toPlainText()) if h.level == 1]
    assert labels == ["一、主要工作成效", "二、优化营商环境", "三、存在的问题", "四、2024年工作安排"]
    assert window.editor.textCursor().block().text() == "二、优化营商环境"
    qtbot.keyClick(window.editor, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.editor.toPlainText() == report_text.rstrip("\n") or window.editor.toPlainText() == report_text
    window.outline_flow.shift(-1)
    window.editor.undo()
    assert window.editor.toPlainText() in (report_text, report_text.rstrip("\n"))
