"""新建: start from a blank draft or from a document skeleton mined from the bank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.outline import draft_from_outline

if TYPE_CHECKING:
    from core.suggest import Skeleton

BLANK = "空白文稿"


def skeleton_draft(skeleton: Skeleton) -> str:
    """The text of a new draft that follows a skeleton: a title with fields for the year, then its headings."""
    title = skeleton.titles[0] if skeleton.titles else f"××××年{skeleton.kind}"
    return draft_from_outline(title, skeleton.outline)


class NewDialog(QDialog):
    """Lists a blank draft and the bank's common skeletons with a preview; emits the chosen draft text."""

    draftChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建")
        self.resize(860, 480)
        self.choices = QListWidget()
        self.choices.setWordWrap(True)
        self.choices.setSpacing(2)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.note = QLabel("正在从素材库里归纳常见的文档结构…")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("新建(&N)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消(&C)")
        panes = QHBoxLayout()
        panes.addWidget(self.choices, 1)
        panes.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("选择一种结构开始写作（可在提纲里随时调整）："))
        layout.addLayout(panes, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.choices.currentItemChanged.connect(self._show_preview)
        self.choices.itemDoubleClicked.connect(lambda _: self.accept())
        self._add(BLANK, "")
        self.choices.setCurrentRow(0)

    def _add(self, label: str, text: str) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, text)
        self.choices.addItem(item)

    def _show_preview(self, item: QListWidgetItem | None) -> None:
        text = item.data(Qt.ItemDataRole.UserRole) if item is not None else ""
        self.preview.setPlainText(text or "（空白文稿）")

    def set_skeletons(self, skeletons: list[Skeleton]) -> None:
        """Offer the skeletons mined from the bank after the blank draft."""
        for skeleton in skeletons:
            self._add(
                f"{skeleton.name or skeleton.kind}\n　{skeleton.documents} 篇中 {skeleton.following} 篇按此结构",
                skeleton_draft(skeleton),
            )
        self.note.setText(
            "结构取自素材库中的往年材料，年份、单位名称已换成 ××××、×× 待填。"
            if skeletons
            else "素材库里暂时没有可参考的结构。"
        )

    def set_error(self, message: str) -> None:
        """The skeletons could not be read; only the blank draft is offered."""
        self.note.setText(f"无法读取素材库中的结构：{message}")

    def chosen_text(self) -> str:
        """The draft text of the selected choice."""
        item = self.choices.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def accept(self) -> None:
        """Start the chosen draft."""
        self.draftChosen.emit(self.chosen_text())
        super().accept()
