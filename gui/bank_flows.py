"""The bank flows: first-run build, 导入素材 with progress and cancel, 素材库统计, 管理素材库 and its removals."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QProgressBar, QToolButton, QWidget

from gui.import_dialog import ImportDialog
from gui.questions import Questions
from gui.settings import Settings
from gui.workers import BankBuilder, BankQueries

if TYPE_CHECKING:
    from core.bank import BuildReport
    from core.bank_admin import RemoveReport
    from gui.bank_manager import BankManager

NO_BANK = "还没有素材库。请用“素材 › 导入素材”导入往年的材料。"
DONE_MS = 15000


class BuildStatus(QWidget):
    """The status bar's build indicator: what is being done, a progress bar and 取消."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.cancel = QToolButton()
        self.cancel.setText("取消")
        self.cancel.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.progress, self.cancel):
            layout.addWidget(widget)
        self.hide()


class BankFlows(QObject):
    """Starts bank builds and removals in the background and reports them; owns the import and manager dialogs."""

    bankChanged = Signal()
    buildStarted = Signal(bool)
    status = Signal(str, int)

    def __init__(
        self,
        builder: BankBuilder,
        queries: BankQueries,
        db_path: Path,
        indicator: BuildStatus,
        questions: Questions,
        settings: Settings,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.builder = builder
        self.queries = queries
        self.db_path = db_path
        self.indicator = indicator
        self.questions = questions
        self.settings = settings
        self.dialog_parent = parent
        self.import_dialog: ImportDialog | None = None
        self._rebuilding = False
        self.manager: BankManager | None = None  # made when first asked for (its module loads on demand)
        self._first_run = False
        self._pending_source: tuple[int, list[int]] | None = None
        builder.progress.connect(self._progress)
        builder.finished.connect(self._finished)
        builder.failed.connect(self._failed)
        builder.cancelled.connect(self._cancelled)
        builder.busyChanged.connect(indicator.setVisible)
        indicator.cancel.clicked.connect(builder.cancel)
        queries.finished.connect(self._query_finished)
        queries.failed.connect(self._query_failed)

    # -- building

    def build(self, paths: Sequence[str | Path], first_run: bool = False) -> bool:
        """Import paths into the bank in the background; False when the bank is already being changed."""
        if not self.builder.start(paths, self.db_path):
            return False
        self._first_run = first_run
        self.indicator.label.setText("首次运行，正在建立素材库…" if first_run else "正在导入素材…")
        self.indicator.progress.setRange(0, 0)
        self.buildStarted.emit(first_run)
        return True

    def rebuild(self, force: bool = False) -> bool:
        """素材 › 重建素材库: import again every source the bank recorded, in the background."""
        from core import bank_guard

        if not force and not self.questions.ask_confirm(
            "重建素材库",
            "按素材库记录的来源文件重新导入一遍。素材库文件损坏时，旧文件改名保留，不会删除。\n重建期间照常写作。",
            "重建(&R)",
        ):
            return False
        db = self.db_path
        self._rebuilding = True
        started = self.builder.run_change(
            lambda progress, cancelled: bank_guard.rebuild(db, progress, cancelled, force=force), db
        )
        if started:
            self.indicator.label.setText("正在重建素材库…")
            self.indicator.progress.setRange(0, 0)
        else:
            self.status.emit("素材库正在导入或整理，请稍后再重建", 5000)
        return started

    def _progress(self, done: int, total: int, path: str) -> None:
        self.indicator.progress.setRange(0, max(total, 1))
        self.indicator.progress.setValue(done)
        if self.import_dialog is not None and self.import_dialog.running():
            self.import_dialog.on_progress(done, total, path)

    def _finished(self, report: BuildReport | RemoveReport) -> None:
        from core.bank import BuildReport  # loaded by the worker that built it
        from core.package import MergeReport

        self._rebuilding = False
        if isinstance(report, MergeReport):
            totals = report.totals
            self.status.emit(
                f"已合并 {len(report.merged)} 个素材包：{report.passages} 段素材，"
                f"其中 {report.grouped} 段与已有的相同或相近；素材库共 {totals.get('entries', 0)} 条素材",
                DONE_MS,
            )
        elif not isinstance(report, BuildReport):  # a removal's RemoveReport
            totals = report.totals
            self.status.emit(
                f"已从素材库删除 {len(report.documents)} 篇文档；现有 {totals.get('documents', 0)} 篇文档、"
                f"{totals.get('entries', 0)} 条素材",
                DONE_MS,
            )
        else:
            totals = report.totals
            done = "素材库已建好" if self._first_run else ("素材库已更新" if report.changed else "素材库没有变化")
            if report.rebuilt:
                done = f"素材库已重建（{report.rebuilt}）" + (
                    f"，旧文件保存为 {report.set_aside}" if report.set_aside else ""
                )
            self.status.emit(f"{done}：{totals.get('documents', 0)} 篇文档、{totals.get('entries', 0)} 条素材", DONE_MS)
            if self.import_dialog is not None and self.import_dialog.running():
                self.import_dialog.on_finished(report)
        self._first_run = False
        self.bankChanged.emit()
        self._refresh_manager()

    def _failed(self, message: str) -> None:
        if self._rebuilding and "更新版本" in message:
            self._rebuilding = False
            if self.questions.ask_confirm("重建素材库", f"{message}\n\n仍然重建？旧文件会改名保留。", "仍然重建(&R)"):
                self.rebuild(force=True)
                return
        self._rebuilding = False
        self.status.emit(f"素材库没有改动：{message}", 10000)
        if self.import_dialog is not None and self.import_dialog.running():
            self.import_dialog.on_failed(message)
        if self.manager is not None and self.manager.isVisible():
            self.manager.set_error(message)
        self._first_run = False
        self.bankChanged.emit()

    def _cancelled(self) -> None:
        self.status.emit("已取消导入，素材库保持原样", 5000)
        if self.import_dialog is not None and self.import_dialog.running():
            self.import_dialog.on_cancelled()
        self._first_run = False
        self.bankChanged.emit()

    # -- 导入素材

    def import_material(self) -> ImportDialog:
        """Open the 导入素材 dialog (not modal: writing can go on during an import)."""
        if self.import_dialog is None:
            dialog = ImportDialog(self.settings, self.dialog_parent)
            dialog.importRequested.connect(self._import_requested)
            dialog.cancelRequested.connect(self.builder.cancel)
            self.import_dialog = dialog
        self.import_dialog.show()
        self.import_dialog.raise_()
        return self.import_dialog

    def _import_requested(self, paths: list[str]) -> None:
        if not self.build(paths) and self.import_dialog is not None:
            self.import_dialog.on_failed("素材库正在建立或整理，请等它完成后再导入。")

    # -- 素材库统计

    def show_stats(self) -> None:
        """Count what the bank holds (in a worker) and show it."""
        from core import bank

        db = self.db_path
        if not db.exists():
            self.questions.show_info("素材库统计", NO_BANK)
            return
        self.queries.submit("stats", lambda: bank.stats(db), plain=True)

    def _show_stats(self, counts: dict[str, int]) -> None:
        self.questions.show_info(
            "素材库统计",
            f"文件 {counts['files']} 个，文档 {counts['documents']} 篇，标题 {counts['sections']} 个；\n"
            f"素材 {counts['passages']} 段（其中条目 {counts['items']} 段），去重后 {counts['entries']} 条，"
            f"多篇共用 {counts['shared_entries']} 条。\n\n素材库文件：{self.db_path}",
        )

    # -- 管理素材库

    def manage(self) -> BankManager | None:
        """Open 管理素材库 (not modal) and list the bank's documents."""
        if not self.db_path.exists():
            self.questions.show_info("管理素材库", NO_BANK)
            return None
        if self.manager is None:
            from gui.bank_manager import BankManager

            manager = BankManager(self.dialog_parent)
            manager.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            manager.passagesRequested.connect(self._load_passages)
            manager.reimportRequested.connect(self._reimport)
            manager.removeRequested.connect(self.remove)
            self.manager = manager
        self.manager.show()
        self.manager.raise_()
        self._refresh_manager()
        return self.manager

    def show_source(self, entry_id: int) -> None:
        """查看出处: open the manager on the documents a snippet was found in."""
        manager = self.manage()
        if manager is None:
            return
        from core.bank_admin import entry_documents

        db = self.db_path
        self.queries.submit("bank-source", lambda: (entry_id, entry_documents(db, entry_id)), plain=True)

    def _refresh_manager(self) -> None:
        if self.manager is None or not self.manager.isVisible() or not self.db_path.exists():
            return
        from core.bank_admin import list_documents

        db = self.db_path
        self.queries.submit("bank-list", lambda: list_documents(db), plain=True)

    def _load_passages(self, document_id: int) -> None:
        from core.bank_admin import document_passages

        db = self.db_path
        self.queries.submit("bank-passages", lambda: (document_id, document_passages(db, document_id)), plain=True)

    def _reimport(self, files: list[str]) -> None:
        if not self.build(files):
            self.status.emit("素材库正在建立或整理，请稍后再重新导入", 5000)

    def remove(self, ids: list[int]) -> bool:
        """Remove documents from the bank in the background (the manager stages them until it closes)."""
        if not ids:
            return False
        if not self.builder.remove(ids, self.db_path):
            self.questions.show_info(
                "管理素材库", "素材库正在建立或整理，这次没有删除。请等它完成后再删除。", QMessageBox.Icon.Warning
            )
            return False
        self.indicator.label.setText(f"正在从素材库删除 {len(ids)} 篇文档…")
        self.indicator.progress.setRange(0, 0)
        return True

    # -- answers from the workers

    def _query_finished(self, kind: str, job: int, result: object) -> None:
        if kind == "stats":
            self._show_stats(result)  # type: ignore[arg-type]
        elif self.manager is None:
            return
        elif kind == "bank-list":
            self.manager.set_documents(result)  # type: ignore[arg-type]
            if self._pending_source is not None:
                entry_id, documents = self._pending_source
                self._pending_source = None
                self.manager.select_documents(documents, entry_id)
        elif kind == "bank-passages":
            self.manager.set_passages(*result)  # type: ignore[misc]
        elif kind == "bank-source":
            entry_id, documents = result  # type: ignore[misc]
            if self.manager.model.documents:
                self.manager.select_documents(documents, entry_id)
            else:
                self._pending_source = (entry_id, documents)

    def _query_failed(self, kind: str, job: int, message: str) -> None:
        if kind == "stats":
            self.questions.show_info("素材库统计", f"无法读取素材库：{message}", QMessageBox.Icon.Warning)
        elif kind.startswith("bank-") and self.manager is not None:
            self.manager.set_error(message)
