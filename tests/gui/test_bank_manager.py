"""素材 › 管理素材库: the bank's documents listed, searched, sorted, their passages shown, removed (undoable until the
dialog closes, done in the background), re-imported; and the status line when a build ends."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from core import bank
from core.bank_admin import list_documents
from gui.bank_manager import COLUMNS, DocumentRole


def opened_manager(qtbot, window):
    manager = window.bank.manage()
    qtbot.waitUntil(lambda: bool(manager.model.documents), timeout=15000)
    return manager


def titles(manager) -> list[str]:
    return [manager.proxy.index(r, 0).data(DocumentRole).title for r in range(manager.proxy.rowCount())]


def test_the_manager_lists_searches_and_sorts_the_documents(qtbot, window):
    manager = opened_manager(qtbot, window)
    assert manager.proxy.rowCount() == 23 and manager.model.columnCount() == len(COLUMNS)
    headers = [manager.model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert headers == ["标题", "年份", "类别", "来源文件", "素材", "导入时间"]
    assert "共 23 篇文档" in manager.status.text()
    manager.search.setText("汇报")
    assert manager.proxy.rowCount() == 9 and all("汇报" in t for t in titles(manager))
    manager.search.clear()
    manager.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # most passages first
    counts = [manager.proxy.index(r, 0).data(DocumentRole).passages for r in range(manager.proxy.rowCount())]
    assert counts == sorted(counts, reverse=True)
    manager.close()


def test_a_documents_passages_are_shown_with_their_headings(qtbot, window):
    manager = opened_manager(qtbot, window)
    manager.table.selectRow(0)
    manager.view_button.click()
    qtbot.waitUntil(lambda: manager.passages.count() > 0, timeout=15000)
    first = manager.proxy.index(0, 0).data(DocumentRole)
    assert manager.passages.count() == first.passages
    assert "›" in "".join(manager.passages.item(i).text() for i in range(manager.passages.count()))
    manager.close()


def test_removal_can_be_undone_until_the_dialog_closes_then_runs_in_the_background(
    qtbot, make_window, report_text, tmp_path, bundled_bank
):
    db = tmp_path / "bank.db"
    shutil.copy(bundled_bank[1], db)
    window = make_window(report_text, db=db)
    manager = opened_manager(qtbot, window)
    manager.search.setText("汇报")
    manager.table.selectRow(0)
    manager.folder_button.click()  # every document from that file's folder: the whole bundled corpus
    assert "23 篇待删除" in manager.status.text()
    manager.undo_button.click()
    assert not manager.model.removing
    manager.table.selectAll()
    manager.remove_button.click()
    manager.search.clear()
    assert len(manager.model.removing) == 9
    assert bank.stats(db)["documents"] == 23  # nothing removed while the dialog is open
    with qtbot.waitSignal(window.builder.finished, timeout=60000):
        manager.close()
        assert window.builder.busy  # removed in the background
    assert bank.stats(db)["documents"] == 14
    assert "已从素材库删除 9 篇文档" in window.statusBar().currentMessage()
    assert not any("汇报" in d.title for d in list_documents(db))


def test_a_snippet_shows_where_it_came_from(qtbot, window, put_cursor, line_of, wait_for_snippets):
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    matches = wait_for_snippets(window, "（二）优化营商环境")
    window.snippets.list.sourceRow.emit(0)  # 查看出处 in the card's menu
    manager = window.bank.manager
    qtbot.waitUntil(lambda: manager is not None and manager.passages.currentItem() is not None, timeout=15000)
    assert matches[0].source.title in {d.title for d in manager.selected()}
    assert manager.passages.currentItem().data(Qt.ItemDataRole.UserRole) == matches[0].entry_id
    manager.close()


def test_reimporting_a_changed_file_updates_the_bank(qtbot, make_window, report_text, tmp_path):
    source = tmp_path / "材料" / "本局.txt"
    source.parent.mkdir()
    source.write_text(report_text, encoding="utf-8")
    db = tmp_path / "bank.db"
    bank.build([source], db)
    window = make_window(report_text, db=db)
    manager = opened_manager(qtbot, window)
    source.write_text(report_text + "四、其他\n新增的一段，讲述本局的其他工作安排和具体措施。\n", encoding="utf-8")
    before = manager.model.documents[0].passages
    manager.table.selectRow(0)
    with qtbot.waitSignal(window.builder.finished, timeout=60000):
        manager.reimport_button.click()
    qtbot.waitUntil(lambda: manager.model.documents and manager.model.documents[0].passages > before, timeout=15000)
    assert "素材库已更新" in window.statusBar().currentMessage()
    manager.close()


def test_the_end_of_the_first_build_is_told_in_the_status_bar(qtbot, make_window, report_text, tmp_path):
    window = make_window(report_text, db=tmp_path / "fresh" / "bank.db")
    with qtbot.waitSignal(window.builder.finished, timeout=180_000):
        pass
    message = window.statusBar().currentMessage()
    assert message.startswith("素材库已建好：23 篇文档、") and message.endswith("条素材")
