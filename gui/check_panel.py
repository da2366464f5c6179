"""The 检查 dock: what a reviewer would circle in the draft, grouped by kind, with the 查重 share and fixes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.checks import Finding
from gui.findings_model import KIND_NAMES, FindingsModel

if TYPE_CHECKING:
    from core.review import Review


class CheckPanel(QDockWidget):
    """Lists a review's findings; a click asks to select one in the editor, the buttons ask for fixes."""

    checkRequested = Signal()
    findingActivated = Signal(object, bool)
    fixRequested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("检查", parent)
        self.setObjectName("checkPanel")
        self.review: Review | None = None
        self.checked_text = ""
        self.running = False
        self.model = FindingsModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setWordWrap(False)
        self.summary = QLabel("按 F7 检查文稿：待填项、编号、标点、雷同、年份、重复用语。")
        self.summary.setWordWrap(True)
        self.share = QLabel()
        self.run_button = QPushButton("重新检查(&K)")
        self.run_button.setToolTip("重新检查全文（F7）")
        self.fix_button = QPushButton("修正(&X)")
        self.fix_button.setToolTip("按建议改正所选的一处（可撤销）")
        self.fix_all_button = QPushButton("全部修正此类(&A)")
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.share)
        bar.addWidget(self.run_button)
        bar.addWidget(self.fix_button)
        bar.addWidget(self.fix_all_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.setWidget(body)
        self.run_button.clicked.connect(self.checkRequested)
        self.fix_button.clicked.connect(self.fix_current)
        self.fix_all_button.clicked.connect(self.fix_all_current)
        self.view.clicked.connect(lambda index: self._activate(index, False))
        self.view.activated.connect(lambda index: self._activate(index, True))
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self._update_buttons()

    # -- results

    def set_running(self, running: bool) -> None:
        """Show that a check is under way (the old findings stay listed meanwhile)."""
        self.running = running
        if running:
            self.summary.setText("正在检查…")
            if self.share.text():
                self.share.setText("与素材库雷同 …")

    def show_review(self, review: Review, text: str) -> None:
        """List a finished review of `text`, keeping the selected kind open."""
        kind = self.current_kind()
        self.running = False
        self.review, self.checked_text = review, text
        self.model.set_findings(review.findings)
        self.view.expandAll()
        counts = "，".join(f"{KIND_NAMES[k]} {len(items)}" for k, items in self.model.groups)
        summary = f"共 {len(review.findings)} 处：{counts}" if review.findings else "没有发现问题"
        self.summary.setText("；".join([summary, *review.notes]))
        self.share.setText("" if review.notes else f"与素材库雷同 {review.copied_share:.1%}")
        if kind is not None:
            index = self.model.group_index(kind)
            if index.isValid():
                self.view.setCurrentIndex(index)
        self._update_buttons()

    def show_error(self, message: str) -> None:
        """The check failed; say why."""
        self.running = False
        self.summary.setText(f"检查失败：{message}")

    # -- selection and fixes

    def current_finding(self) -> Finding | None:
        """The finding selected in the list."""
        return self.model.finding(self.view.currentIndex())

    def current_kind(self) -> str | None:
        """The kind of the selected row (a finding's or a kind's)."""
        return self.model.kind(self.view.currentIndex())

    def fixable(self, kind: str | None) -> list[Finding]:
        """The findings of a kind that have a mechanical fix."""
        return [f for f in self.model.findings(kind) if f.fix is not None] if kind else []

    def select(self, finding: Finding) -> None:
        """Make a finding the selected row."""
        for row, (kind, items) in enumerate(self.model.groups):
            if kind == finding.kind and finding in items:
                group = self.model.index(row, 0)
                self.view.setCurrentIndex(self.model.index(items.index(finding), 0, group))
                return

    def fix_current(self) -> None:
        """修正: ask to fix the selected finding."""
        finding = self.current_finding()
        if finding is not None and finding.fix is not None:
            self.fixRequested.emit([finding])

    def fix_all_current(self) -> None:
        """全部修正此类: ask to fix every fixable finding of the selected kind."""
        items = self.fixable(self.current_kind())
        if items:
            self.fixRequested.emit(items)

    def _activate(self, index: QModelIndex, focus: bool) -> None:
        finding = self.model.finding(index)
        if finding is not None:
            self.findingActivated.emit(finding, focus)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._update_buttons()
        if current.isValid() and self.view.hasFocus():
            self._activate(current, False)

    def _update_buttons(self) -> None:
        finding = self.current_finding()
        self.fix_button.setEnabled(finding is not None and finding.fix is not None)
        kind = self.current_kind()
        self.fix_all_button.setEnabled(bool(self.fixable(kind)))
        self.fix_all_button.setToolTip(
            f"改正全部可自动改正的“{KIND_NAMES[kind]}”问题（一次撤销即可还原）" if kind else "先在列表中选一类问题"
        )
