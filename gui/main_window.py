"""The main window: outline, matched snippets and editor side by side; the one place that wires signals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.outline import Heading
from core.paths import BUNDLED_CORPUS, default_bank
from gui.bank_flows import BankFlows
from gui.draft_checks import DraftChecks
from gui.draft_files import DraftFiles
from gui.editor import Editor
from gui.find_bar import FindBar
from gui.new_dialog import NewDialog
from gui.outline_model import OutlineModel
from gui.outline_view import OutlineView
from gui.settings import Settings
from gui.snippets import SnippetsPane
from gui.workers import BankBuilder, BankQueries

SNIPPET_LIMIT = 10
EDIT_DELAY_MS = 300


def _pane(title: str, body: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 0, 0)
    label = QLabel(title)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    layout.addWidget(label)
    layout.addWidget(body, 1)
    return box


class MainWindow(BankFlows, DraftFiles, DraftChecks, QMainWindow):
    """Three panes in a splitter: the draft's outline, snippets for the current heading, the editor; 检查 below."""

    fileOpened = Signal(str)
    fileSaved = Signal(str)
    fileFailed = Signal(str)
    checkFinished = Signal(int)

    def __init__(
        self,
        db_path: str | Path | None = None,
        settings: Settings | None = None,
        draft_path: str | Path | None = None,
        build_if_missing: bool = True,
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path) if db_path else default_bank()
        self.settings = settings or Settings()
        self.queries = BankQueries(self.db_path, self)
        self.builder = BankBuilder(self)
        self._jobs: dict[int, tuple[str, str]] = {}
        self._shown_query: str | None = None
        self._heading_index: int | None = None
        self._import_dialog = None
        self._new_dialog: NewDialog | None = None
        self._boxes: list[QMessageBox] = []
        self._warmed = False

        self.editor = Editor(font_size=self.settings.font_size)
        self.editor.insert_as_fields = self.settings.insert_as_fields
        self.editor.auto_renumber = self.settings.auto_renumber
        self.find_bar = FindBar(self.editor)
        self.outline_model = OutlineModel(self)
        self.outline = OutlineView(self.outline_model)
        self.snippets = SnippetsPane()
        self.snippets.fields.setChecked(self.editor.insert_as_fields)
        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.setSpacing(0)
        editor_layout.addWidget(self.editor, 1)
        editor_layout.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(_pane("提纲", self.outline))
        self.splitter.addWidget(self.snippets)
        self.splitter.addWidget(editor_box)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self._init_files()
        self._init_checks()
        self._snippet_timer = QTimer(self)
        self._snippet_timer.setSingleShot(True)
        self._snippet_timer.timeout.connect(self.request_snippets)

        self._build_status_bar()
        self._build_actions()
        self._wire()
        self._restore()
        self._start_files(draft_path)
        if build_if_missing and not self.db_path.exists():
            self.build_bank([BUNDLED_CORPUS], first_run=True)

    # -- construction

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.build_label = QLabel()
        self.build_progress = QProgressBar()
        self.build_progress.setMaximumWidth(160)
        self.build_progress.setTextVisible(False)
        self.build_cancel = QToolButton()
        self.build_cancel.setText("取消")
        self.build_cancel.setAutoRaise(True)
        for widget in (self.build_label, self.build_progress, self.build_cancel):
            bar.addPermanentWidget(widget)
            widget.hide()
        self.count_label = QLabel("全文 0 字")
        bar.addPermanentWidget(self.count_label)

    def _action(self, menu: object, text: str, slot: object = None, shortcut: object = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(k) for k in keys])
        if tip:
            action.setStatusTip(tip)
        if slot is not None:
            action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self._action(file_menu, "新建(&N)…", self.new_draft, QKeySequence.StandardKey.New, "空白文稿或常见结构")
        self._action(file_menu, "打开(&O)…", self.open_draft, QKeySequence.StandardKey.Open)
        self._action(file_menu, "保存(&S)", self.save, QKeySequence.StandardKey.Save)
        self._action(file_menu, "另存为(&A)…", self.save_as, "Ctrl+Shift+S", "默认保存为 GB/T 9704 排版的 Word 文件")
        self._action(file_menu, "导出 Word(&E)…", self.export_word, "Ctrl+E", "另存一份 .docx，当前文稿仍保存在原文件")
        file_menu.addSeparator()
        self._action(file_menu, "退出(&Q)", self.close, "Ctrl+Q")

        edit = bar.addMenu("编辑(&E)")
        self.undo_action = self._action(edit, "撤销(&U)", self.editor.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(edit, "重做(&R)", self.editor.redo, QKeySequence.StandardKey.Redo)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        edit.addSeparator()
        for text, slot, key in (
            ("剪切(&T)", self.editor.cut, QKeySequence.StandardKey.Cut),
            ("复制(&C)", self.editor.copy, QKeySequence.StandardKey.Copy),
            ("粘贴(&P)", self.editor.paste, QKeySequence.StandardKey.Paste),
            ("全选(&L)", self.editor.selectAll, QKeySequence.StandardKey.SelectAll),
        ):
            action = self._action(edit, text, slot, key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.editor.addAction(action)
        edit.addSeparator()
        self._action(edit, "查找(&F)…", lambda: self.find_bar.open_find(False), QKeySequence.StandardKey.Find)
        self._action(edit, "替换(&H)…", lambda: self.find_bar.open_find(True), "Ctrl+H")
        edit.addSeparator()
        self._action(edit, "下一个待填项\tTab", lambda: self._field(True))
        self._action(edit, "上一个待填项\tShift+Tab", lambda: self._field(False))

        outline_menu = bar.addMenu("提纲(&O)")
        self.renumber_action = self._action(
            outline_menu, "自动编号", self._set_auto_renumber, tip="增删、移动标题后自动重排 一、（一）1.（1）的序号"
        )
        self.renumber_action.setCheckable(True)
        self.renumber_action.setChecked(self.editor.auto_renumber)
        self._action(outline_menu, "立即重新编号", self._renumber_now)
        outline_menu.addSeparator()
        self._action(outline_menu, "本节上移", lambda: self._move_section(-1), "Alt+Up")
        self._action(outline_menu, "本节下移", lambda: self._move_section(1), "Alt+Down")

        bank_menu = bar.addMenu("素材(&M)")
        self.import_action = self._action(bank_menu, "导入素材(&I)…", self.import_material, "Ctrl+I")
        self._action(bank_menu, "素材库统计", self.show_bank_stats)
        self._action(bank_menu, "搜索素材库", self.snippets.focus_filter, "Ctrl+K")
        self.fields_action = self._action(bank_menu, "插入时数字变为待填项")
        self.fields_action.setCheckable(True)
        self.fields_action.setChecked(self.editor.insert_as_fields)
        for n in range(1, 10):
            action = QAction(f"插入第 {n} 条素材", self)
            action.setShortcut(QKeySequence(f"Ctrl+{n}"))
            action.triggered.connect(lambda _=False, row=n - 1: self.snippets.request_insert(row))
            self.addAction(action)

        check_menu = bar.addMenu("检查(&C)")
        self._action(check_menu, "检查文稿", self.run_check, "F7", "待填项、编号、标点、雷同、年份、重复用语")
        self._action(check_menu, "修正所选问题", self.check_panel.fix_current)
        self._action(check_menu, "全部修正此类", self.check_panel.fix_all_current)
        check_menu.addSeparator()
        panel_action = self.check_panel.toggleViewAction()
        panel_action.setText("显示检查结果")
        check_menu.addAction(panel_action)

        view = bar.addMenu("视图(&V)")
        self._action(view, "放大", lambda: self.zoom(1), [QKeySequence.StandardKey.ZoomIn, "Ctrl+="])
        self._action(view, "缩小", lambda: self.zoom(-1), QKeySequence.StandardKey.ZoomOut)
        self._action(view, "默认大小", lambda: self.zoom(0), "Ctrl+0")

    def _wire(self) -> None:
        editor, doc = self.editor, self.editor.document()
        editor.headingsChanged.connect(self._headings_changed)
        editor.headingChanged.connect(self._heading_changed)
        editor.countsChanged.connect(self._show_counts)
        editor.message.connect(lambda text: self.statusBar().showMessage(text, 3000))
        self.find_bar.message.connect(lambda text: self.statusBar().showMessage(text, 3000))
        doc.undoAvailable.connect(self.undo_action.setEnabled)
        doc.redoAvailable.connect(self.redo_action.setEnabled)
        doc.modificationChanged.connect(self._modification_changed)
        doc.contentsChanged.connect(self._note_change)
        doc.contentsChanged.connect(self._schedule_check)
        self.file_jobs.finished.connect(self._file_finished)
        self.file_jobs.failed.connect(self._file_failed)
        self.check_panel.checkRequested.connect(self.start_check)
        self.check_panel.findingActivated.connect(self.select_finding)
        self.check_panel.fixRequested.connect(self.fix_findings)
        self.check_panel.visibilityChanged.connect(self._check_panel_shown)
        self.outline.headingActivated.connect(self._jump_to_heading)
        self.outline_model.moveRequested.connect(self._move_block)
        self.snippets.insertRequested.connect(self.insert_snippet)
        self.snippets.searchRequested.connect(self._search)
        self.snippets.searchCleared.connect(lambda: self.request_snippets(force=True))
        self.snippets.fieldsToggled.connect(self.fields_action.setChecked)
        self.fields_action.toggled.connect(self.snippets.fields.setChecked)
        self.fields_action.toggled.connect(self._set_insert_as_fields)
        self.queries.finished.connect(self._query_finished)
        self.queries.failed.connect(self._query_failed)
        self.builder.progress.connect(self._build_progress)
        self.builder.finished.connect(self._build_finished)
        self.builder.failed.connect(self._build_failed)
        self.builder.cancelled.connect(self._build_cancelled)
        self.builder.busyChanged.connect(self._build_busy)
        self.build_cancel.clicked.connect(self.builder.cancel)

    def _restore(self) -> None:
        geometry = self.settings.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1360, 820)
        splitter = self.settings.splitter
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([230, 400, 730])
        docks = self.settings.docks
        if docks is not None:
            self.restoreState(docks)

    # -- outline and snippets

    def _headings_changed(self, headings: list[Heading]) -> None:
        self.outline_model.set_headings(headings)
        self.outline.follow(self.editor.current_index())

    def _heading_changed(self, heading: Heading | None) -> None:
        index = self.editor.current_index()
        self.outline.follow(index)
        moved = index != self._heading_index
        self._heading_index = index
        self._snippet_timer.start(0 if moved else EDIT_DELAY_MS)

    def _jump_to_heading(self, line: int) -> None:
        self.editor.go_to_line(line)
        self.editor.setFocus()

    def _move_block(self, source: int, dest: int) -> None:
        if self.editor.move_block(source, dest):
            self.statusBar().showMessage("已移动本节并重新编号", 3000)

    def _move_section(self, step: int) -> None:
        line = self.outline.current_heading_line() if self.outline.hasFocus() else None
        if line is None:
            heading = self.editor.current_heading()
            line = heading.line if heading is not None else None
        if line is None:
            self.statusBar().showMessage("光标不在任何一节中", 3000)
            return
        self.editor.move_heading(line, step)

    def request_snippets(self, force: bool = False) -> None:
        """Ask the workers for passages for the heading under the cursor (unless a search is shown)."""
        if self.snippets.searching():
            return
        heading = self.editor.current_heading()
        if heading is None:
            self._shown_query = None
            self.queries.cancel("snippets")
            self.snippets.show_message("素材", "把光标放到标题所在的一节，这里会列出往年材料中同类标题下的段落。")
            return
        query = self.editor.line_text(heading.line).strip()
        if query == self._shown_query and not force:
            return
        self._shown_query = query
        self._submit_snippets(f"相关素材 · {heading.label}", query)

    def _search(self, text: str) -> None:
        self._shown_query = None
        self._submit_snippets(f"搜索：{text}", text)

    def _submit_snippets(self, title: str, query: str) -> None:
        if not self.db_path.exists():
            self.queries.cancel("snippets")
            if self.builder.busy:
                self.snippets.show_message(title, "正在建立素材库，完成后这里会列出相关段落。")
            else:
                self.snippets.show_message(title, "还没有素材库。请用“素材 › 导入素材”导入往年的材料。")
            self._shown_query = None
            return
        job = self.queries.submit("snippets", lambda matcher: matcher.match(query, limit=SNIPPET_LIMIT))
        self._jobs = {job: (title, query)}

    def _query_finished(self, kind: str, job: int, result: object) -> None:
        if kind == "snippets" and job in self._jobs:
            title, query = self._jobs.pop(job)
            self.snippets.show_results(title, result, query)
        elif kind == "check":
            self._check_finished(job, result)
        elif kind == "stats":
            self._show_stats(result)
        elif kind == "skeletons" and self._new_dialog is not None:
            self._new_dialog.set_skeletons(result)

    def _query_failed(self, kind: str, job: int, message: str) -> None:
        if kind == "snippets" and job in self._jobs:
            title, _ = self._jobs.pop(job)
            self._shown_query = None
            self.snippets.show_message(title, f"无法读取素材库：{message}")
        elif kind == "check":
            self._check_failed(job, message)
        elif kind == "stats":
            self.show_info("素材库统计", f"无法读取素材库：{message}", QMessageBox.Icon.Warning)
        elif kind == "skeletons" and self._new_dialog is not None:
            self._new_dialog.set_error(message)

    def insert_snippet(self, text: str) -> None:
        """Insert a passage under the current heading and return to the editor."""
        self.editor.insert_passage(text)
        self.editor.setFocus()
        self.statusBar().showMessage("已插入素材，按 Tab 跳到待填项", 4000)

    def show_info(self, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
        """A message box that does not block the event loop."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _: self._boxes.remove(box) if box in self._boxes else None)
        self._boxes.append(box)
        box.open()
        return box

    # -- new draft

    def new_draft(self) -> NewDialog | None:
        """新建: a blank draft or a skeleton mined from the bank."""
        if not self.maybe_save(self.new_draft):
            return None
        dialog = NewDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.draftChosen.connect(self.start_draft)
        dialog.destroyed.connect(lambda: setattr(self, "_new_dialog", None))
        self._new_dialog = dialog
        if self.db_path.exists():
            from core import suggest

            self.queries.submit("skeletons", lambda matcher: suggest.skeletons(matcher))
        else:
            dialog.set_error("还没有素材库")
        dialog.open()
        return dialog

    def start_draft(self, text: str) -> None:
        """Replace the editor's content with a new, untitled draft."""
        self.editor.set_draft(text)
        self.stamp, self.notes = None, []
        self._set_path(None)
        self.recovery.saved()
        self.recovery.source = None
        self.settings.last_file = ""
        cursor = self.editor.textCursor()
        headings = self.editor.headings
        if headings:
            self.editor.go_to_line(headings[0].line + 1)
        else:
            cursor.movePosition(cursor.MoveOperation.Start)
            self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    # -- small actions

    def _field(self, forward: bool) -> None:
        self.editor.setFocus()
        self.editor.go_to_field(forward)

    def _set_auto_renumber(self, on: bool) -> None:
        self.editor.auto_renumber = on
        self.settings.auto_renumber = on

    def _renumber_now(self) -> None:
        if not self.editor.renumber():
            self.statusBar().showMessage("标题序号已经是连续的", 3000)

    def _set_insert_as_fields(self, on: bool) -> None:
        self.editor.insert_as_fields = on
        self.settings.insert_as_fields = on

    def zoom(self, step: int) -> None:
        """放大 / 缩小 the editor text (0: back to the default size)."""
        from gui.settings import DEFAULT_FONT_SIZE

        size = DEFAULT_FONT_SIZE if step == 0 else self.editor.font_size() + step
        self.editor.set_font_size(size)
        self.settings.font_size = self.editor.font_size()

    def _show_counts(self, total: int, selected: int) -> None:
        text = f"全文 {total:,} 字"
        if selected:
            text += f" · 选中 {selected:,} 字"
        self.count_label.setText(text)

    def showEvent(self, event: object) -> None:
        """Once the window is up, let a worker load the segmenter and open the bank (about a second, once)."""
        super().showEvent(event)
        if not self._warmed:
            self._warmed = True
            QTimer.singleShot(0, self._warm_up)

    def _warm_up(self) -> None:
        if self.db_path.exists() and not self.builder.busy:
            self.queries.submit("warm-up", lambda matcher: None)

    # -- closing

    def save_settings(self) -> None:
        """Remember geometry, pane sizes and the open file."""
        self.settings.geometry = QByteArray(self.saveGeometry())
        self.settings.splitter = QByteArray(self.splitter.saveState())
        self.settings.docks = QByteArray(self.saveState())
        self.settings.last_file = str(self.path.resolve()) if self.path else ""
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Offer to save, remember the layout, stop a running import and remove the recovery copy."""
        if self.file_jobs.busy:
            self.statusBar().showMessage("正在读写文件，完成后再关闭", 4000)
            event.ignore()
            return
        if not self.maybe_save(self.close):
            event.ignore()
            return
        self.save_settings()
        self.builder.cancel()
        self.queries.cancel("snippets")
        self.queries.cancel("check")
        self.close_files()
        event.accept()
