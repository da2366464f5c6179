"""The 检查 panel: findings grouped by kind, a click selects one in the editor, fixes are one undoable edit."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from bigan.gui import workers
from bigan.gui.findings_model import KIND_NAMES

# One fault of every kind: xx and 亿元 without a number, a skipped （二）, a half-width comma, a sentence taken
# word for word from the bundled corpus, a year left from an old report, a phrase repeated in one paragraph.
FAULTY = "\n".join(
    [
        "某局2025年工作总结",
        "一、主要工作",
        "（一）抓项目建设",
        "全年新开工项目xx个,完成投资亿元。",
        "（三）抓营商环境",
        "整合资源，建立并完善项目前期工作“绿色通道”，形成协调顺畅、高效务实的工作机制，确保项目早开工、早见效。",
        "2022年完成了既定任务。",
        "二、下步打算",
        "（一）加强自身建设",
        "（三）加强作风建设",
        "加强队伍建设，加强队伍建设的同时，持续加强队伍建设，不断加强队伍建设。",
    ]
)


def checked(qtbot, window) -> None:
    """Run 检查 (F7) and wait for the findings."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # F7 is a window shortcut
    with qtbot.waitSignal(window.checks.finished, timeout=20000):
        qtbot.keyClick(window.editor, Qt.Key.Key_F7)


def group_labels(window) -> list[str]:
    model = window.check_panel.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def finding_index(window, kind: str, row: int = 0):
    model = window.check_panel.model
    return model.index(row, 0, model.group_index(kind))


def test_f7_lists_findings_of_every_kind_with_the_copied_share(qtbot, make_window):
    window = make_window(FAULTY)
    assert not window.check_panel.isVisible()
    checked(qtbot, window)
    panel = window.check_panel
    assert panel.isVisible()
    assert group_labels(window) == ["待填项（2）", "编号（2）", "标点（1）", "雷同（1）", "年份（1）", "重复用语（1）"]
    assert list(KIND_NAMES.values()) == ["待填项", "编号", "标点", "雷同", "年份", "重复用语"]
    first = finding_index(window, "numbering").data()
    assert first.startswith("第 5 段") and "（二）" in first
    assert "出自《" in finding_index(window, "copied").data()
    assert panel.share.text().startswith("与素材库雷同 ") and panel.share.text().endswith("%")
    assert float(panel.share.text().split()[-1].rstrip("%")) > 10
    assert panel.summary.text().startswith("共 8 处")


def test_clicking_a_finding_selects_its_span_in_the_editor(qtbot, make_window):
    window = make_window(FAULTY)
    checked(qtbot, window)
    view = window.check_panel.view
    for kind, expected, line in (("numbering", "（三）", 4), ("placeholder", "xx", 3), ("punctuation", ",", 3)):
        index = finding_index(window, kind)
        view.scrollTo(index)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
        cursor = window.editor.textCursor()
        assert cursor.selectedText() == expected
        assert cursor.blockNumber() == line
        assert window.place_label.text() == f"第 {line + 1} 段"  # the panel and the status bar count alike
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    assert window.editor.hasFocus()


def test_fix_all_numbering_renumbers_in_one_step_and_undo_restores(qtbot, make_window):
    window = make_window(FAULTY)
    checked(qtbot, window)
    panel = window.check_panel
    panel.view.setCurrentIndex(panel.model.group_index("numbering"))
    assert panel.fix_all_button.isEnabled() and not panel.fix_button.isEnabled()
    with qtbot.waitSignal(window.checks.finished, timeout=20000):
        panel.fix_all_button.click()
    lines = window.editor.toPlainText().split("\n")
    assert lines[4] == "（二）抓营商环境" and lines[9] == "（二）加强作风建设"
    assert "编号" not in "".join(group_labels(window))
    assert window.isWindowModified()
    window.editor.undo()
    assert window.editor.toPlainText() == FAULTY


def test_fixing_one_finding_leaves_the_others(qtbot, make_window):
    window = make_window(FAULTY)
    checked(qtbot, window)
    panel = window.check_panel
    panel.view.setCurrentIndex(finding_index(window, "numbering", 1))
    with qtbot.waitSignal(window.checks.finished, timeout=20000):
        panel.fix_button.click()
    lines = window.editor.toPlainText().split("\n")
    assert lines[9] == "（二）加强作风建设" and lines[4] == "（三）抓营商环境"
    assert "编号（1）" in group_labels(window)
    panel.view.setCurrentIndex(finding_index(window, "year"))
    with qtbot.waitSignal(window.checks.finished, timeout=20000):
        panel.fix_button.click()
    assert window.editor.toPlainText().split("\n")[6] == "2025年完成了既定任务。"


def test_the_check_reruns_after_typing_stops_while_the_panel_is_shown(qtbot, make_window, type_text):
    window = make_window("某局2025年工作总结\n一、主要工作\n各项工作稳步推进。")
    checked(qtbot, window)
    assert window.check_panel.summary.text().startswith("没有发现问题")
    window.checks.timer.setInterval(100)
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    with qtbot.waitSignal(window.checks.finished, timeout=20000):
        type_text(window.editor, "新增企业xx家")
    assert group_labels(window) == ["待填项（1）"]
    window.check_panel.hide()
    type_text(window.editor, "。")
    qtbot.wait(300)
    assert not window.checks.jobs  # hidden: no checks in the background


def test_a_fix_on_a_line_changed_since_the_check_is_not_applied(qtbot, make_window):
    window = make_window(FAULTY)
    checked(qtbot, window)
    window.editor.replace_lines(FAULTY.split("\n"), FAULTY.replace("（三）抓营商", "（四）抓营商").split("\n"))
    panel = window.check_panel
    panel.view.setCurrentIndex(finding_index(window, "numbering"))
    with qtbot.waitSignal(window.checks.finished, timeout=20000):
        panel.fix_button.click()
    assert "（四）抓营商环境" in window.editor.toPlainText()  # not overwritten with a stale fix
    assert "（二）" in finding_index(window, "numbering").data()


def test_without_a_bank_the_text_checks_still_run(qtbot, make_window, tmp_path):
    window = make_window(FAULTY, db=tmp_path / "none.db", build_if_missing=False)
    checked(qtbot, window)
    assert "雷同" not in "".join(group_labels(window))
    assert "没有素材库" in window.check_panel.summary.text() and window.check_panel.share.text() == ""


def test_each_worker_thread_reopens_its_copy_checker_after_a_rebuild(bundled_bank):
    seen = []

    def in_thread() -> None:
        first = workers.thread_checker(bundled_bank[1])
        again = workers.thread_checker(bundled_bank[1])
        workers.bank_changed()
        seen.extend([first, again, workers.thread_checker(bundled_bank[1])])
        workers.release_thread_matcher()

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert seen[0] is seen[1] and seen[2] is not seen[0]


def test_queries_in_a_row_reuse_each_pool_threads_matcher(qtbot, bundled_bank):
    # Opening a matcher costs more than the query; one per query made every heading change slow.
    from bigan.gui.app import prepare_app

    prepare_app([])
    queries = workers.BankQueries(bundled_bank[1])
    answers = []
    queries.finished.connect(lambda kind, job, result: answers.append(result))
    for n in range(8):
        with qtbot.waitSignal(queries.finished, timeout=20000):
            queries.submit(f"q{n}", lambda matcher: (threading.get_ident(), id(matcher)))
    threads = {thread for thread, _ in answers}
    assert len(answers) == 8
    assert len({matcher for _, matcher in answers}) == len(threads)


def test_the_copied_share_follows_the_draft_after_a_fix(qtbot, make_window):
    window = make_window(FAULTY)
    checked(qtbot, window)
    panel = window.check_panel
    assert float(panel.share.text().split()[-1].rstrip("%")) > 10
    lines = FAULTY.split("\n")
    own = list(lines)
    own[5] = "我们自己写的一句话，与往年材料并不相同，讲的是今年新的做法和打算。"
    window.checks.timer.setInterval(100)
    shown: list[str] = []
    set_text = panel.share.setText
    panel.share.setText = lambda text: (shown.append(text), set_text(text))  # the label's every state, however brief
    with qtbot.waitSignal(window.checks.finished, timeout=20000):
        window.editor.replace_lines(lines, own)  # the writer rewrites the copied sentence
    assert shown == ["与素材库雷同 …", "与素材库雷同 0.0%"]  # the stale share is not left up while it runs
    assert panel.share.text() == "与素材库雷同 0.0%"
    assert "雷同" not in "".join(group_labels(window))
