"""The bank from the window: first-run build in the background, 导入素材 with its report, statistics, 新建."""

from __future__ import annotations

import shutil

from bigan.core import bank
from bigan.gui.questions import Questions


def test_first_run_builds_the_bundled_bank_while_the_window_stays_usable(
    qtbot, make_window, report_text, tmp_path, type_text, put_cursor, line_of, wait_for_snippets
):
    db = tmp_path / "fresh" / "bank.db"
    window = make_window(report_text, db=db)
    assert window.builder.busy
    assert window.build_status.progress.isVisible()
    assert "建立素材库" in window.build_status.label.text()
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    qtbot.waitUntil(lambda: "优化营商环境" in window.snippets.title.text(), timeout=2000)
    assert window.snippets.message.text().startswith("正在建立素材库")
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    type_text(window.editor, "四、加强自身建设")  # writing goes on during the build
    qtbot.waitUntil(lambda: window.outline_model.rowCount() == 4, timeout=2000)
    with qtbot.waitSignal(window.builder.finished, timeout=180_000):
        pass
    assert db.exists()
    assert not window.build_status.progress.isVisible()
    assert bank.stats(db)["documents"] == 23
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    assert wait_for_snippets(window, "（二）优化营商环境")


def test_import_reports_a_broken_file_and_imports_the_rest(
    qtbot, make_window, report_text, tmp_path, bundled_bank, put_cursor, line_of, wait_for_snippets
):
    db = tmp_path / "bank.db"
    shutil.copy(bundled_bank[1], db)
    window = make_window(report_text, db=db)
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    wait_for_snippets(window, "（二）优化营商环境")
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "本局2023年总结.txt").write_text(report_text.replace("某局", "本局"), encoding="utf-8")
    (folder / "坏文件.docx").write_text("这不是一个 Word 文件", encoding="utf-8")
    dialog = window.bank.import_material()
    dialog.add_paths([folder])
    with qtbot.waitSignal(dialog.importEnded, timeout=120_000):
        dialog.start()
        assert dialog.cancel_button.isVisible()
    report = dialog.report.toPlainText()
    assert "坏文件.docx" in report
    skipped_line = next(line for line in report.splitlines() if "坏文件.docx" in line)
    assert skipped_line.split("：", 1)[1].strip()  # a reason follows the name
    assert "跳过 1 个文件" in report
    assert "本局2023年总结.txt" in report
    assert "1 个文件无法读取" in dialog.status.text()
    assert dialog.start_button.isVisible() and dialog.close_button.isEnabled()
    assert bank.stats(db)["documents"] == 24
    dialog.close()


def test_cancelling_an_import_leaves_the_bank_as_it_was(qtbot, make_window, report_text, tmp_path, bundled_bank):
    db = tmp_path / "bank.db"
    shutil.copy(bundled_bank[1], db)
    before = bank.stats(db)
    window = make_window(report_text, db=db)
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(40):
        (folder / f"{n:02d}.txt").write_text(report_text.replace("某局", f"第{n}局"), encoding="utf-8")
    dialog = window.bank.import_material()
    dialog.add_paths([folder])
    with qtbot.waitSignal(dialog.importEnded, timeout=120_000):
        dialog.start()
        dialog.cancel_button.click()
    assert "取消" in dialog.status.text()
    assert bank.stats(db) == before


def test_the_import_dialog_names_the_file_being_read_and_the_index_step(window, tmp_path):
    dialog = window.bank.import_material()
    dialog.on_progress(1, 3, str(tmp_path / "材料" / "本局2023年总结.txt"))
    assert dialog.status.text() == "正在导入：本局2023年总结.txt"
    dialog.on_progress(2000, 6000, bank.INDEXING)
    assert dialog.status.text() == bank.INDEXING
    assert dialog.progress.value() == 2000 and dialog.progress.maximum() == 6000
    dialog.cancel_button.click()  # the files are in: a cancel now only leaves the index for the next import
    assert "新材料已导入" in dialog.status.text()
    dialog.close()


def test_bank_statistics_are_shown_without_blocking(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(Questions, "show_info", lambda self, title, text, icon=None: shown.append((title, text)))
    window.bank.show_stats()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    title, text = shown[0]
    assert title == "素材库统计"
    assert "文档 23 篇" in text


def test_new_offers_a_blank_draft_and_mined_skeletons(qtbot, window):
    dialog = window.new_draft()
    assert dialog is not None and dialog.choices.item(0).text() == "空白文稿"
    qtbot.waitUntil(lambda: dialog.choices.count() > 1, timeout=15_000)
    labels = [dialog.choices.item(n).text() for n in range(1, dialog.choices.count())]
    assert len(set(labels)) == len(labels)  # no two entries share a name
    assert not any(label.startswith("政府工作报告") for label in labels)
    assert all("篇按此结构" in label.split("\n")[1] for label in labels)  # the samples hold department reports
    dialog.choices.setCurrentRow(1)
    preview = dialog.preview.toPlainText()
    assert "一、" in preview and "（一）" in preview  # two levels
    assert preview.split("\n")[0].startswith("××")  # the title carries no unit name of the source
    dialog.accept()
    text = window.editor.toPlainText()
    assert text.split("\n")[2].startswith("一、")
    assert window.windowTitle().startswith("未命名")
    assert window.outline_model.rowCount() >= 2
    assert window.editor.textCursor().blockNumber() == 3  # ready to write under the first heading
    assert window.editor.textCursor().block().text() == ""


def test_the_window_will_not_build_its_bank_on_a_network_share(qtbot, make_window, report_text, tmp_path, monkeypatch):
    from bigan.core import netpath

    share = tmp_path / "share"
    share.mkdir()
    monkeypatch.setattr(netpath.sys, "platform", "linux")
    monkeypatch.setattr(netpath, "_mount_table", lambda: [("/", "ext4"), (str(share), "cifs")])
    db = share / "bank.db"
    window = make_window(report_text, db=db)
    qtbot.waitUntil(lambda: "不能放在网络位置" in window.statusBar().currentMessage(), timeout=30_000)
    assert "cifs" in window.statusBar().currentMessage()
    assert not db.exists()
