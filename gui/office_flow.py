"""The office's shared bank in the window: 素材 › 单位素材库 (attach, detach, check for a new version) and
素材 › 审核入库 (review writers' packages, then merge them into this bank)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from gui.questions import Questions
from gui.workers import BankBuilder, BankQueries, bank_changed

if TYPE_CHECKING:
    from core.office import OfficeStatus

BANK_FILTER = "素材库文件 (*.db *.sqlite);;所有文件 (*)"
PACKAGE_FILTER = "素材包 (*.db *.bgpkg *.sqlite);;所有文件 (*)"
STATES = {"current": "最新", "updated": "已更新", "offline": "暂时连不上", "corrupt": "文件有问题", "server": "服务器"}


def status_line(status: OfficeStatus) -> str:
    """One attached office bank as the dialog lists it: where, which version, and any notice."""
    copy = status.copy
    version = f"第 {copy.version} 版，{copy.published_at}，{copy.published_by} 发布" if copy else "尚无本机副本"
    notice = f"；{status.notice}" if status.notice else ""
    return f"{status.location}（{STATES.get(status.state, status.state)}；{version}{notice}）"


class OfficeDialog(QDialog):
    """The attached office banks, with 挂上 / 卸下 / 检查更新."""

    attachRequested = Signal()
    detachRequested = Signal(str)
    checkRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("单位素材库")
        self.list = QListWidget()
        self.note = QLabel("挂上单位发布的素材库后，找素材时一并查它；它只读，本机留一份副本，断网时照常可用。")
        self.note.setWordWrap(True)
        self.attach = QPushButton("挂上(&A)…")
        self.detach = QPushButton("卸下(&D)")
        self.check = QPushButton("检查更新(&U)")
        close = QPushButton("关闭(&C)")
        buttons = QHBoxLayout()
        for button in (self.attach, self.detach, self.check):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.attach.clicked.connect(self.attachRequested)
        self.detach.clicked.connect(self._detach)
        self.check.clicked.connect(self.checkRequested)
        close.clicked.connect(self.close)
        self.resize(640, 280)
        self._locations: list[str] = []

    def show_statuses(self, statuses: list[OfficeStatus]) -> None:
        """List the attached banks as they stand."""
        self._locations = [s.location for s in statuses]
        self.list.clear()
        self.list.addItems([status_line(s) for s in statuses] or ["（还没有挂上单位素材库）"])
        self.detach.setEnabled(bool(statuses))

    def _detach(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._locations):
            self.detachRequested.emit(self._locations[row])


class OfficeFlows(QObject):
    """Runs the office-bank work in the background and reports it; owns the 单位素材库 dialog."""

    status = Signal(str, int)
    bankChanged = Signal()

    def __init__(
        self, queries: BankQueries, builder: BankBuilder, db_path: Path, questions: Questions, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.queries = queries
        self.builder = builder
        self.db_path = db_path
        self.questions = questions
        self.dialog_parent = parent
        self.dialog: OfficeDialog | None = None
        self._packages: list[str] = []
        queries.finished.connect(self._query_finished)
        queries.failed.connect(self._query_failed)

    # -- 单位素材库

    def manage(self) -> OfficeDialog:
        """Open the 单位素材库 dialog with what is known locally, then check the shares in the background."""
        from core import office

        if self.dialog is None:
            self.dialog = OfficeDialog(self.dialog_parent)
            self.dialog.attachRequested.connect(self.attach)
            self.dialog.detachRequested.connect(self.detach)
            self.dialog.checkRequested.connect(self.check)
        self.dialog.show_statuses(office.stored())
        self.dialog.show()
        self.check()
        return self.dialog

    def check(self) -> None:
        """Look at every attached share (a slow network share never holds up the window)."""
        from core import office

        self.queries.submit("office", office.statuses, plain=True)

    def attach(self, path: str | None = None) -> None:
        """Attach a published office bank chosen by the user (or `path`), copying it in the background."""
        from core import office

        chosen = [path] if path else self.questions.ask_files("挂上单位素材库", BANK_FILTER)
        if chosen:
            self.queries.submit("office", lambda: (office.attach(chosen[0]), office.statuses())[1], plain=True)

    def detach(self, location: str) -> None:
        """Stop searching an office bank."""
        from core import office

        office.detach(location)
        self._reopen()
        if self.dialog is not None:
            self.dialog.show_statuses(office.stored())

    def _reopen(self) -> None:
        bank_changed()
        self.bankChanged.emit()

    # -- 审核入库

    def review(self, paths: list[str] | None = None) -> None:
        """Ask for packages, show what they would bring, then merge them into this bank if the curator agrees."""
        from core import package

        chosen = paths or self.questions.ask_files("审核入库：选择素材包", PACKAGE_FILTER, many=True)
        if chosen:
            self._packages = chosen
            db = self.db_path
            self.queries.submit("packages", lambda: package.review(chosen, db), plain=True)

    def _merge(self, paths: list[str]) -> None:
        from core import package

        db = self.db_path
        if not self.builder.run_change(lambda progress, cancelled: package.merge(paths, db), db):
            self.status.emit("素材库正在导入或整理，请稍后再合并素材包", 5000)

    def _query_finished(self, kind: str, job: int, result: object) -> None:
        if kind == "office" and isinstance(result, list):
            statuses = [s for s in result if hasattr(s, "location")]
            if any(s.state == "updated" for s in statuses):
                self._reopen()
                self.status.emit("单位素材库有新版本，已换用", 6000)
            notices = [s.notice for s in statuses if s.notice]
            if notices:
                self.status.emit("；".join(notices), 8000)
            if self.dialog is not None:
                self.dialog.show_statuses(statuses)
        elif kind == "packages" and isinstance(result, tuple):
            reviews, skipped = result
            lines = [
                f"《{r.info.path.name}》{r.info.contributor}，{r.info.created_at}：{r.info.passages} 段，"
                f"其中新的 {r.new} 段、与已有素材相同或相近的 {r.grouped} 段"
                + ("（已合并过）" if r.merged_before else "")
                for r in reviews
            ]
            lines += [f"读不了：{Path(s.path).name}：{s.reason}" for s in skipped]
            fresh = [r.info.path for r in reviews if not r.merged_before]
            if not fresh:
                self.questions.show_info("审核入库", "\n".join(lines) or "没有可合并的素材包")
            elif self.questions.ask_confirm("审核入库", "\n".join(lines) + "\n\n合并进本素材库？", "合并(&M)"):
                self._merge([str(p) for p in fresh])

    def _query_failed(self, kind: str, job: int, message: str) -> None:
        if kind in ("office", "packages"):
            self.status.emit(message, 8000)
