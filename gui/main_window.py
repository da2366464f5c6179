"""The main window: outline, snippets and editor side by side, 检查 below; the one place that wires the controllers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QMessageBox, QVBoxLayout, QWidget

from bigan.core.paths import BUNDLED_CORPUS, default_bank
from bigan.gui.bank_flows import BankFlows, BuildStatus
from bigan.gui.check_panel import CheckPanel
from bigan.gui.draft_checks import DraftChecks
from bigan.gui.draft_files import DraftFiles
from bigan.gui.editor import Editor
from bigan.gui.find_bar import FindBar
from bigan.gui.new_dialog import NewDialog
from bigan.gui.office_flow import OfficeFlows
from bigan.gui.outline_flow import OutlineFlow
from bigan.gui.outline_model import OutlineModel
from bigan.gui.outline_view import OutlineView
from bigan.gui.panes import BalancedSplitter, PaneLayout
from bigan.gui.questions import Questions
from bigan.gui.settings import DEFAULT_FONT_SIZE, Settings
from bigan.gui.snippet_flow import SnippetFlow
from bigan.gui.snippets import SnippetsPane
from bigan.gui.workers import BankBuilder, BankQueries

Slot = Callable[..., object]
Keys = QKeySequence.StandardKey | str | list[QKeySequence.StandardKey | str] | None


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


class MainWindow(QMainWindow):
    """Builds the widgets and the controllers (files, checks, bank, snippets, outline, layout) and wires them."""

    def __init__(
        self,
        db_path: str | Path | None = None,
        settings: Settings | None = None,
        draft_path: str | Path | None = None,
        build_if_missing: bool = True,
    ) -> None:
        super().__init__()
        self.setWindowTitle("未命名[*] — 笔杆")
        self.db_path = Path(db_path) if db_path else default_bank()
        self.settings = settings or Settings()
        self.questions = Questions(self, self.settings)
        self.queries = BankQueries(self.db_path, self)
        self.builder = BankBuilder(self)
        self._new_dialog: NewDialog | None = None
        self._warmed = False

        # -- widgets
        self.editor = Editor(font_size=self.settings.font_size, page=self.settings.page_view)
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
        outline_box = _pane("提纲", self.outline)
        self.splitter = BalancedSplitter(Qt.Orientation.Horizontal, self)
        for pane in (outline_box, self.snippets, editor_box):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(2, 1)
        self.setCentralWidget(self.splitter)
        self.check_panel = CheckPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.check_panel)
        self.check_panel.hide()
        self.build_status = BuildStatus()
        self.place_label = QLabel()
        self.count_label = QLabel("全文 0 字")
        for widget in (self.build_status, self.place_label, self.count_label):
            self.statusBar().addPermanentWidget(widget)

        # -- controllers
        self.files = DraftFiles(self.editor, self.settings, self.questions, self)
        self.checks = DraftChecks(self.editor, self.check_panel, self.queries, self.builder, self.db_path, self)
        self.bank = BankFlows(
            self.builder, self.queries, self.db_path, self.build_status, self.questions, self.settings, self
        )
        self.snippet_flow = SnippetFlow(self.editor, self.snippets, self.queries, self.builder, self.db_path, self)
        self.office = OfficeFlows(self.queries, self.builder, self.db_path, self.questions, self)
        self.outline_flow = OutlineFlow(self.editor, self.outline_model, self.outline, self)
        self.panes = PaneLayout(
            self,
            self.splitter,
            {"outline": outline_box, "snippets": self.snippets, "editor": editor_box},
            self.check_panel,
            self.settings,
        )

        self._build_menus()
        self._wire()
        self.panes.restore()
        self.outline_action.setChecked(self.panes.is_visible("outline"))
        self.snippets_action.setChecked(self.panes.is_visible("snippets"))
        self.files.start(draft_path)
        if build_if_missing and not self.db_path.exists():
            self.bank.build([BUNDLED_CORPUS], first_run=True)

    # -- menus

    def _action(self, menu: QMenu | None, text: str, slot: Slot | None = None, keys: Keys = None, tip: str = "",
                checkable: bool = False) -> QAction:  # fmt: skip
        action = QAction(text, self)
        if keys is not None:
            action.setShortcuts([QKeySequence(k) for k in (keys if isinstance(keys, list) else [keys])])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        if slot is not None:
            if checkable:
                action.toggled.connect(slot)
            else:
                # QAction passes `checked` to its slot; our slots take no such argument (it would land in theirs).
                action.triggered.connect(lambda _checked=False, run=slot: run())
        (menu if menu is not None else self).addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        files = bar.addMenu("文件(&F)")
        self._action(files, "新建(&N)…", self.new_draft, QKeySequence.StandardKey.New, "空白文稿或常见结构")
        self._action(files, "打开(&O)…", self.files.open_draft, QKeySequence.StandardKey.Open)
        self.recent_menu = files.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        files.addSeparator()
        self.save_action = self._action(files, "保存(&S)", self.files.save, QKeySequence.StandardKey.Save)
        self._action(files, "另存为(&A)…", self.files.save_as, "Ctrl+Shift+S", "默认保存为 GB/T 9704 排版的 Word 文件")
        self._action(files, "导出 Word(&E)…", self.files.export_word, "Ctrl+E", "另存一份 .docx，文稿仍保存在原文件")
        files.addSeparator()
        self._action(files, "退出(&Q)", self.close, "Ctrl+Q")

        edit = bar.addMenu("编辑(&E)")
        self.undo_action = self._action(edit, "撤销(&U)", self.editor.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(
            edit, "重做(&R)", self.editor.redo, ["Ctrl+Y", QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z"]
        )
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

        outline = bar.addMenu("提纲(&O)")
        self.renumber_action = self._action(
            outline,
            "自动编号(&A)",
            self._set_auto_renumber,
            None,
            "增删、移动标题后自动重排 一、（一）1.（1）的序号",
            True,
        )
        self.renumber_action.setChecked(self.editor.auto_renumber)
        self._action(outline, "立即重新编号(&N)", self._renumber_now)
        outline.addSeparator()
        self._action(outline, "本节上移(&U)", lambda: self.outline_flow.move_section(-1), "Alt+Up")
        self._action(outline, "本节下移(&D)", lambda: self.outline_flow.move_section(1), "Alt+Down")
        self._action(
            outline, "升级(&P)", lambda: self.outline_flow.shift(-1), "Alt+Shift+Left", "（一）→ 一、，下级标题随之升级"
        )
        self._action(
            outline, "降级(&M)", lambda: self.outline_flow.shift(1), "Alt+Shift+Right", "一、→（一），下级标题随之降级"
        )

        bank = bar.addMenu("素材(&M)")
        self._action(bank, "导入素材(&I)…", self.bank.import_material, "Ctrl+I")
        self._action(bank, "管理素材库(&G)…", self.bank.manage, None, "列出、搜索、删除已导入的文档，查看它们的素材")
        self._action(bank, "素材库统计(&T)", self.bank.show_stats)
        self._action(
            bank, "重建素材库(&R)…", self.bank.rebuild, None, "按素材库记录的来源重新导入；损坏的旧文件改名保留"
        )
        bank.addSeparator()
        self._action(bank, "单位素材库(&U)…", self.office.manage, None, "挂上单位发布的素材库，找素材时一并查它")
        self._action(bank, "审核入库(&V)…", self.office.review, None, "查看同事交来的素材包，合并进本素材库")
        bank.addSeparator()
        self._action(bank, "搜索素材库(&S)", self.snippets.focus_filter, "Ctrl+K")
        self.fields_action = self._action(bank, "插入时数字变为待填项(&D)", self._set_insert_as_fields, None, "", True)
        self.fields_action.setChecked(self.editor.insert_as_fields)
        for n in range(1, 10):
            self._action(None, f"插入第 {n} 条素材", lambda row=n - 1: self.snippets.request_insert(row), f"Ctrl+{n}")

        check = bar.addMenu("检查(&C)")
        self._action(check, "检查文稿(&C)", self.checks.run, "F7", "待填项、编号、标点、雷同、年份、重复用语")
        self._action(check, "修正所选问题(&X)", self.check_panel.fix_current)
        self._action(check, "全部修正此类(&A)", self.check_panel.fix_all_current)

        view = bar.addMenu("视图(&V)")
        self.page_action = self._action(
            view, "页面视图(&P)", self._set_page_view, "Ctrl+Alt+P", "标题居中、首行缩进两字、每行约 28 字", True
        )
        self.page_action.setChecked(self.editor.page)
        view.addSeparator()
        self.outline_action = self._action(
            view, "提纲栏(&O)", lambda on: self.panes.set_visible("outline", on), "Ctrl+Shift+O", "", True
        )
        self.snippets_action = self._action(
            view, "素材栏(&M)", lambda on: self.panes.set_visible("snippets", on), "Ctrl+Shift+M", "", True
        )
        panel = self.check_panel.toggleViewAction()
        panel.setText("检查结果(&C)")
        panel.setShortcut(QKeySequence("Ctrl+Shift+C"))
        view.addAction(panel)
        check.addSeparator()
        check.addAction(panel)
        view.addSeparator()
        self._action(view, "放大(&I)", lambda: self.zoom(1), [QKeySequence.StandardKey.ZoomIn, "Ctrl+="])
        self._action(view, "缩小(&D)", lambda: self.zoom(-1), QKeySequence.StandardKey.ZoomOut)
        self._action(view, "默认大小(&R)", lambda: self.zoom(0), "Ctrl+0")

        helps = bar.addMenu("帮助(&H)")
        self._action(helps, "快捷键(&K)", self.show_shortcuts, "F1")
        self._action(
            helps, "打开日志文件夹(&L)", self.open_log_folder, None, "出了问题时，日志里记着哪个文件、什么原因"
        )
        self._action(helps, "关于笔杆(&A)", self.show_about)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files
        for n, path in enumerate(recent, start=1):
            label = f"&{n % 10} {Path(path).name}"
            action = self.recent_menu.addAction(label)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, chosen=path: self.files.open_recent(chosen))
        if not recent:
            self.recent_menu.addAction("（没有最近打开的文稿）").setEnabled(False)
            return
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("清除列表(&C)").triggered.connect(lambda _=False: self.settings.clear_recent())

    # -- wiring: every signal between controllers and widgets is connected here

    def _wire(self) -> None:
        status = self.statusBar().showMessage
        doc = self.editor.document()
        for source in (self.files, self.checks, self.bank, self.snippet_flow, self.outline_flow, self.office):
            source.status.connect(status)
        self.editor.message.connect(lambda text: status(text, 3000))
        self.find_bar.message.connect(lambda text: status(text, 3000))
        self.editor.countsChanged.connect(self._show_counts)
        self.editor.cursorPositionChanged.connect(self._show_place)
        self.editor.minimumChanged.connect(lambda _: self.panes.rebalance())
        doc.undoAvailable.connect(self.undo_action.setEnabled)
        doc.redoAvailable.connect(self.redo_action.setEnabled)
        doc.modificationChanged.connect(self.setWindowModified)
        self.files.pathChanged.connect(self._show_path)
        self.bank.bankChanged.connect(self.snippet_flow.refresh)
        self.office.bankChanged.connect(self.snippet_flow.refresh)
        self.bank.bankChanged.connect(self.checks.recheck_if_shown)
        self.bank.buildStarted.connect(self._build_started)
        self.snippets.sourceRequested.connect(self.bank.show_source)
        self.snippets.fieldsToggled.connect(self.fields_action.setChecked)
        self.fields_action.toggled.connect(self.snippets.fields.setChecked)
        self.queries.finished.connect(self._query_finished)
        self.queries.failed.connect(self._query_failed)

    def _show_path(self, path: Path | None) -> None:
        self.setWindowTitle(f"{path.name if path else '未命名'}[*] — 笔杆")
        self.setWindowModified(self.editor.document().isModified())

    def _build_started(self, first_run: bool) -> None:
        if first_run:
            self.snippets.show_message("素材", "首次运行，正在用自带范文建立素材库，完成后这里会列出相关段落。")

    def _show_counts(self, total: int, selected: int) -> None:
        text = f"全文 {total:,} 字"
        if selected:
            text += f" · 选中 {selected:,} 字"
        self.count_label.setText(text)

    def _show_place(self) -> None:
        self.place_label.setText(f"第 {self.editor.textCursor().blockNumber() + 1} 段")

    def _query_finished(self, kind: str, job: int, result: object) -> None:
        if kind == "skeletons" and self._new_dialog is not None:
            self._new_dialog.set_skeletons(result)  # type: ignore[arg-type]

    def _query_failed(self, kind: str, job: int, message: str) -> None:
        if kind == "skeletons" and self._new_dialog is not None:
            self._new_dialog.set_error(message)

    # -- window-level commands

    def new_draft(self) -> NewDialog | None:
        """新建: a blank draft or a skeleton mined from the bank."""
        if not self.files.maybe_save(self.new_draft):
            return None
        dialog = NewDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.draftChosen.connect(self.start_draft)
        dialog.destroyed.connect(lambda: setattr(self, "_new_dialog", None))
        self._new_dialog = dialog
        if self.db_path.exists():
            from bigan.core import suggest

            self.queries.submit("skeletons", lambda matcher: suggest.skeletons(matcher))
        else:
            dialog.set_error("还没有素材库")
        dialog.open()
        return dialog

    def start_draft(self, text: str) -> None:
        """Start a new, untitled draft with this text and write under its first heading."""
        self.files.start_new(text)
        self.editor.setFocus()

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

    def _set_page_view(self, on: bool) -> None:
        self.editor.set_page_view(on)
        self.settings.page_view = on

    def zoom(self, step: int) -> bool:
        """放大 / 缩小 the editor text (0: back to the default size); refused when 28 characters would not fit."""
        size = DEFAULT_FONT_SIZE if step == 0 else self.editor.font_size() + step
        if size > self.editor.font_size() and self.editor.page_width_at(size) > self.panes.editor_room():
            self.statusBar().showMessage("窗口不够宽，放大后一行放不下 28 个字；可先在“视图”里隐藏提纲栏或素材栏", 5000)
            return False
        self.editor.set_font_size(size)
        self.settings.font_size = self.editor.font_size()
        return True

    def show_shortcuts(self) -> QWidget:
        """帮助 › 快捷键."""
        from bigan.gui.help_dialogs import ShortcutsDialog

        dialog = ShortcutsDialog(self.menuBar(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_log_folder(self) -> bool:
        """帮助 › 打开日志文件夹: show the folder of the log files in the system's file manager."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from bigan.core.logs import log_dir

        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def show_about(self) -> QMessageBox:
        """帮助 › 关于笔杆."""
        from bigan.gui.help_dialogs import about_text

        return self.questions.show_info("关于笔杆", about_text(str(self.db_path)))

    def showEvent(self, event: QShowEvent) -> None:
        """Once the window is up, let a worker load the segmenter and open the bank (about a second, once)."""
        super().showEvent(event)
        if not self._warmed:
            self._warmed = True
            QTimer.singleShot(0, self._warm_up)

    def _warm_up(self) -> None:
        if self.db_path.exists() and not self.builder.busy:
            self.queries.submit("warm-up", lambda matcher: _clean_leftovers(self.db_path))

    # -- closing

    def save_settings(self) -> None:
        """Remember the layout for this screen size, the open file and where the cursor stood."""
        self.panes.save()
        self.settings.last_file = str(self.files.path.resolve()) if self.files.path else ""
        self.files.remember_place()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Offer to save, remember the layout, stop a running import and remove the recovery copy."""
        if self.files.busy:
            self.statusBar().showMessage("正在读写文件，完成后再关闭", 4000)
            event.ignore()
            return
        if not self.files.maybe_save(self.close):
            event.ignore()
            return
        if self.bank.manager is not None and self.bank.manager.isVisible():
            self.bank.manager.close()  # its staged removals run now
        self.save_settings()
        self.builder.cancel()
        self.queries.cancel("snippets")
        self.queries.cancel("check")
        self.files.close()
        event.accept()


def _clean_leftovers(db_path: Path) -> None:
    """Remove what builds killed since the last start left beside the bank (on the worker that opens the bank)."""
    from bigan.core import bank_guard
    from bigan.core.logs import log

    for leftover in bank_guard.clean_leftovers(db_path):
        log.info("removed the leftover of a killed build: %s", leftover.name)
