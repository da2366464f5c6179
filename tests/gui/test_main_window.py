"""The writing window as a user meets it: three panes, an outline that follows typing, snippets, fields."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from bigan.core.ordinals import renumber_items
from bigan.core.outline import parse
from bigan.core.placeholders import FIELD, fieldify_figures
from bigan.core.wordcount import word_count
from bigan.gui.snippets import UsedRole


def test_three_panes_side_by_side_with_chinese_menus(window, report_text):
    assert window.splitter.count() == 3
    xs = [w.mapTo(window, w.rect().topLeft()).x() for w in (window.outline, window.snippets, window.editor)]
    assert xs == sorted(xs)
    assert all(w.isVisible() and w.width() > 100 for w in (window.outline, window.snippets, window.editor))
    menus = [a.text() for a in window.menuBar().actions()]
    assert [m.split("(")[0] for m in menus] == ["文件", "编辑", "提纲", "素材", "检查", "视图", "帮助"]
    assert window.count_label.text() == f"全文 {word_count(report_text):,} 字"
    labels = [h.label for h in window.outline_model.headings()]
    assert labels[:2] == ["一、主要工作成效", "（一）狠抓项目建设，增强发展后劲"]


def test_typing_a_heading_adds_it_to_the_outline(qtbot, window, type_text):
    editor = window.editor
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.setFocus()
    type_text(editor, "四、加强自身建设")
    qtbot.waitUntil(lambda: "四、加强自身建设" in [h.label for h in window.outline_model.headings()], timeout=2000)
    top = [window.outline_model.index(r, 0).data() for r in range(window.outline_model.rowCount())]
    assert top[-1] == "四、加强自身建设"
    assert window.outline.currentIndex().data() == "四、加强自身建设"


def test_a_new_heading_renumbers_its_siblings_and_undo_keeps_what_was_typed(
    qtbot, window, put_cursor, line_of, type_text
):
    editor = window.editor
    put_cursor(window, line_of(window, "（二）优化营商环境") - 1)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    type_text(editor, "（一）新增一节")
    qtbot.waitUntil(lambda: "（二）新增一节" in editor.toPlainText(), timeout=2000)
    labels = [h.label for h in parse(editor.toPlainText()) if h.level == 2]
    assert labels[:3] == ["（一）狠抓项目建设，增强发展后劲", "（二）新增一节", "（三）优化营商环境"]
    editor.undo()
    qtbot.waitUntil(lambda: "（一）新增一节" in editor.toPlainText(), timeout=2000)
    assert "（二）优化营商环境" in editor.toPlainText()
    qtbot.wait(50)
    assert "（一）新增一节" in editor.toPlainText()  # undoing the renumber is not undone again


def test_moving_between_headings_changes_the_snippets(qtbot, window, put_cursor, line_of, wait_for_snippets):
    put_cursor(window, line_of(window, "（一）狠抓项目建设"))
    first = wait_for_snippets(window, "（一）狠抓项目建设")
    assert "狠抓项目建设" in window.snippets.title.text()
    put_cursor(window, line_of(window, "二、存在的问题"))
    second = wait_for_snippets(window, "二、存在的问题")
    assert "存在的问题" in window.snippets.title.text()
    assert [m.text for m in first] != [m.text for m in second]
    assert any(m.terms for m in second)


def test_moving_within_a_section_keeps_the_snippets(qtbot, window, put_cursor, line_of, wait_for_snippets):
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    wait_for_snippets(window, "（二）优化营商环境")
    shown = []
    window.snippets.resultsShown.connect(shown.append)
    put_cursor(window, line_of(window, "深化“放管服”改革"))
    qtbot.wait(200)
    assert shown == []


def test_ctrl_1_inserts_the_first_snippet_under_the_heading_with_fields(
    qtbot, window, put_cursor, line_of, wait_for_snippets
):
    heading_line = line_of(window, "（二）优化营商环境")
    put_cursor(window, heading_line)
    matches = wait_for_snippets(window, "（二）优化营商环境")
    qtbot.keyClick(window.editor, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    lines = window.editor.toPlainText().split("\n")
    expected = fieldify_figures(renumber_items(matches[0].text, 0))  # the section had no 一是… items yet
    assert expected in lines
    inserted = lines.index(expected)
    assert lines[inserted - 1].startswith("深化“放管服”改革")  # after the heading's own body
    assert lines[inserted + 1] == "二、存在的问题"
    assert window.editor.textCursor().blockNumber() == inserted


def test_enter_on_a_card_inserts_it_and_returns_to_the_editor(qtbot, window, put_cursor, line_of, wait_for_snippets):
    put_cursor(window, line_of(window, "（一）聚焦重点任务"))
    matches = wait_for_snippets(window, "（一）聚焦重点任务")
    view = window.snippets.list
    view.setFocus()
    view.setCurrentIndex(window.snippets.model.index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert fieldify_figures(matches[1].text) in window.editor.toPlainText().split("\n")
    assert window.editor.hasFocus()


def test_insert_as_written_when_the_toggle_is_off(qtbot, window, put_cursor, line_of, wait_for_snippets):
    window.snippets.fields.setChecked(False)
    assert not window.fields_action.isChecked()
    put_cursor(window, line_of(window, "二、存在的问题"))
    matches = wait_for_snippets(window, "二、存在的问题")
    qtbot.keyClick(window.editor, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert matches[1].text in window.editor.toPlainText().split("\n")


def test_tab_reaches_each_field_anywhere_in_the_draft(qtbot, make_window, put_cursor, type_text):
    text = f"标题\n一、成效\n完成投资{FIELD}亿元。\n二、计划\n新增xx家企业。"
    window = make_window(text)
    editor = window.editor
    put_cursor(window, 0, at_end=False)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.textCursor().selectedText() == FIELD
    assert editor.textCursor().blockNumber() == 2
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.textCursor().selectedText() == "xx"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.textCursor().selectedText() == FIELD
    type_text(editor, "8.6")
    assert "完成投资8.6亿元。" in editor.toPlainText()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.textCursor().selectedText() == "xx"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # the only field left: stays selected, no tab typed
    assert "\t" not in editor.toPlainText()


def test_fields_are_shaded_and_headings_styled_by_level(window, report_text, line_of):
    window.editor.set_draft(report_text.replace("全年新开工项目15个", f"全年新开工项目{FIELD}个"))
    doc = window.editor.document()
    field_line = doc.findBlockByNumber(line_of(window, "（一）狠抓项目建设"))
    ranges = field_line.layout().formats()
    text = field_line.text()
    start = text.index(FIELD)
    assert any(
        r.start <= start < r.start + r.length and r.format.background().style() != Qt.BrushStyle.NoBrush for r in ranges
    )
    level1 = doc.findBlockByNumber(line_of(window, "一、主要工作成效")).layout().formats()
    assert any(r.format.fontWeight() >= 700 for r in level1)


def test_status_bar_counts_the_selection(qtbot, window, put_cursor, line_of):
    put_cursor(window, line_of(window, "二、存在的问题"))
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.StartOfBlock, cursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    assert window.count_label.text().endswith("选中 7 字")  # 二、存在的问题: WPS and Word count the 、 too


def test_stale_snippet_results_are_dropped(qtbot, window, monkeypatch, put_cursor, line_of):
    from bigan.core.match import Matcher

    original = Matcher.match

    def slow_for_problems(self, heading, limit=10, context=None):
        if "存在的问题" in heading:
            time.sleep(0.6)
        return original(self, heading, limit, context)

    monkeypatch.setattr(Matcher, "match", slow_for_problems)
    shown = []
    window.snippets.resultsShown.connect(shown.append)
    put_cursor(window, line_of(window, "二、存在的问题"))
    qtbot.wait(50)
    with qtbot.waitSignal(window.queries.dropped, timeout=5000):
        put_cursor(window, line_of(window, "（一）聚焦重点任务"))
    assert shown == ["（一）聚焦重点任务"]
    assert window.snippets.query == "（一）聚焦重点任务"


def test_search_box_searches_the_bank_and_clearing_returns_to_the_heading(
    qtbot, window, put_cursor, line_of, wait_for_snippets, type_text
):
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    wait_for_snippets(window, "（二）优化营商环境")
    window.snippets.focus_filter()
    type_text(window.snippets.filter, "乡村振兴")
    qtbot.waitUntil(lambda: window.snippets.query == "乡村振兴" and bool(window.snippets.model.matches), timeout=5000)
    assert window.snippets.title.text().startswith("搜索：乡村振兴")
    assert any("乡村" in m.text for m in window.snippets.model.matches)
    put_cursor(window, line_of(window, "二、存在的问题"))
    qtbot.wait(100)
    assert window.snippets.query == "乡村振兴"  # a search stays until cleared
    window.snippets.filter.clear()
    wait_for_snippets(window, "二、存在的问题")


def test_clicking_an_outline_heading_moves_the_editor_there(qtbot, window):
    index = window.outline_model.index(1, 0)  # 二、存在的问题
    rect = window.outline.visualRect(index)
    qtbot.mouseClick(window.outline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor.textCursor().block().text() == "二、存在的问题"
    assert window.editor.hasFocus()


def test_find_and_replace_all_is_one_undo_step(qtbot, window, report_text):
    window.find_bar.open_find(replace=True)
    assert window.find_bar.isVisible()
    window.find_bar.find_edit.setText("项目")
    window.find_bar.replace_edit.setText("工程")
    count = window.find_bar.replace_all()
    assert count == report_text.count("项目")
    assert "项目" not in window.editor.toPlainText()
    window.editor.undo()
    assert window.editor.toPlainText() == report_text.rstrip("\n") or window.editor.toPlainText() == report_text
    assert isinstance(window.find_bar.find_edit, QLineEdit)


def test_zoom_changes_the_editor_font_and_is_remembered(qtbot, make_window, report_text):
    window = make_window(report_text)
    window.resize(1400, 800)
    size = window.editor.font_size()
    assert window.zoom(1)
    assert window.editor.font_size() == size + 1
    window.close()
    again = make_window(report_text)
    assert again.editor.font_size() == size + 1


# Qt 6 marks the QPoint drag-event constructors deprecated but offers no other for Python.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dropping_a_card_into_the_editor_inserts_it_where_dropped(
    qtbot, window, put_cursor, line_of, wait_for_snippets
):
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    put_cursor(window, line_of(window, "二、存在的问题"))
    matches = wait_for_snippets(window, "二、存在的问题")
    data = window.snippets.model.mimeData([window.snippets.model.index(2, 0)])
    editor = window.editor
    target = editor.document().findBlockByNumber(line_of(window, "（一）聚焦重点任务"))
    cursor = editor.textCursor()
    cursor.setPosition(target.position())
    point = QPointF(editor.cursorRect(cursor).center())
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    viewport = editor.viewport()
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, data, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(point.toPoint(), Qt.DropAction.CopyAction, data, buttons, mods, QEvent.Type.DragMove)
    QApplication.sendEvent(viewport, move)
    QApplication.sendEvent(viewport, QDropEvent(point, Qt.DropAction.CopyAction, data, buttons, mods))
    lines = editor.toPlainText().split("\n")
    inserted = lines.index(fieldify_figures(matches[2].text))
    assert lines[inserted - 2] == "（一）聚焦重点任务"  # dropped on the heading: goes in after its body
    assert lines[inserted - 1].startswith("坚持稳中求进")


def test_tab_finds_the_field_after_a_rare_character(qtbot, make_window, put_cursor):
    window = make_window(f"标题\n一、𠮷村工作\n𠮷村完成投资{FIELD}亿元。")  # 𠮷 lies outside the BMP
    put_cursor(window, 0, at_end=False)
    qtbot.keyClick(window.editor, Qt.Key.Key_Tab)
    assert window.editor.textCursor().selectedText() == FIELD


def test_an_inserted_item_is_numbered_for_its_new_place(qtbot, make_window, put_cursor):
    window = make_window("标题\n一、主要工作\n（一）安全生产\n一是开展隐患排查。二是强化应急演练。\n二、下步打算")
    window.editor.insert_as_fields = False
    put_cursor(window, 3)
    window.snippet_flow.insert("三是落实党政同责，压实企业主体责任。四是加强执法检查。")
    lines = window.editor.toPlainText().split("\n")
    assert lines[4] == "三是落实党政同责，压实企业主体责任。四是加强执法检查。"
    put_cursor(window, lines.index("二、下步打算"))
    window.snippet_flow.insert("三是落实党政同责，压实企业主体责任。")
    assert window.editor.toPlainText().split("\n")[-1] == "一是落实党政同责，压实企业主体责任。"  # first item here


def test_cards_already_in_the_draft_are_marked_used(qtbot, window, put_cursor, line_of, wait_for_snippets):
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    wait_for_snippets(window, "（二）优化营商环境")
    assert window.snippets.model.used == set()
    qtbot.keyClick(window.editor, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.snippets.model.used == {1}  # marked at once
    assert window.snippets.model.index(1, 0).data(UsedRole)
    put_cursor(window, line_of(window, "二、存在的问题"))
    wait_for_snippets(window, "二、存在的问题")
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    qtbot.waitUntil(
        lambda: window.snippets.query.startswith("（二）优化营商环境") and window.snippets.model.used == {1}
    )


def test_snippets_are_asked_with_the_headings_above_the_level_and_the_drafts_year(
    qtbot, window, monkeypatch, put_cursor, line_of
):
    from bigan.core.match import Matcher

    original = Matcher.match
    asked = []

    def record(self, heading, limit=10, context=None):
        asked.append((heading, context))
        return original(self, heading, limit, context)

    monkeypatch.setattr(Matcher, "match", record)
    put_cursor(window, line_of(window, "（一）聚焦重点任务"))
    qtbot.waitUntil(lambda: any(h.startswith("（一）聚焦重点任务") for h, _ in asked), timeout=5000)
    context = next(c for h, c in asked if h.startswith("（一）聚焦重点任务"))
    assert context.path == ("三、2024年工作安排",)
    assert context.level == 2
    assert context.year == 2023


def test_numbered_sentence_items_are_not_styled_as_headings(qtbot, window, line_of):
    window.editor.refresh_outline()
    document = window.editor.document()
    item = document.findBlockByNumber(line_of(window, "1.项目储备不足"))
    heading = document.findBlockByNumber(line_of(window, "（一）聚焦重点任务"))
    assert heading.layout().formats()  # a heading is set in its level's face
    assert not item.layout().formats()  # an item reads as body text, number and all


def test_an_error_in_a_worker_is_logged_with_its_traceback(qtbot, window, caplog):
    def broken(matcher):
        raise ValueError("deliberately broken")

    import logging

    logger = logging.getLogger("bigan")  # the program's log may already go to a file only (logs.setup)
    logger.addHandler(caplog.handler)
    try:
        with qtbot.waitSignal(window.queries.failed, timeout=5000):
            window.queries.submit("test", broken)
    finally:
        logger.removeHandler(caplog.handler)
    records = [r for r in caplog.records if r.name == "bigan" and r.exc_info]
    assert records and "deliberately broken" in caplog.text
    assert "Traceback" in caplog.text


def test_passages_for_the_outlines_headings_are_fetched_ahead_and_shown_at_once(
    qtbot, window, monkeypatch, put_cursor, line_of, wait_for_snippets
):
    from bigan.core.match import Matcher

    flow = window.snippet_flow
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    wait_for_snippets(window, "（二）优化营商环境")
    qtbot.waitUntil(lambda: not flow.fetching_ahead(), timeout=15000)
    asked = []
    original = Matcher.match
    monkeypatch.setattr(Matcher, "match", lambda self, *a, **k: asked.append(a[0]) or original(self, *a, **k))

    put_cursor(window, line_of(window, "二、存在的问题"))

    assert window.snippets.query.startswith("二、存在的问题")  # shown before any worker answered
    assert window.snippets.model.matches and asked == []
    window.snippet_flow.refresh()  # the bank changed: what was fetched ahead is fetched again
    qtbot.waitUntil(lambda: len(asked) >= len(window.editor.headings), timeout=15000)
