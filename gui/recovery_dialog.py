"""The offer, at start, to recover drafts left behind when 笔杆 did not close normally."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.recovery import RecoveryCopy


def describe(copy: RecoveryCopy) -> str:
    """One line about a recovery copy: its title, its file, when it was kept and how long it is."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(copy.saved_at)) if copy.saved_at else "时间不详"
    where = f"（{copy.source.name}）" if copy.source else "（未保存过的新文稿）"
    return f"{copy.title or '无标题'}{where} · {when} · {copy.chars:,} 字"


class RecoveryDialog(QDialog):
    """Lists the left-behind copies; 恢复 takes the selected one, 丢弃 deletes them all, 以后再说 keeps them."""

    restoreChosen = Signal(object)
    discardChosen = Signal(list)
    postponed = Signal()

    def __init__(self, copies: list[RecoveryCopy], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("恢复草稿")
        self.copies = list(copies)
        self.list = QListWidget()
        for copy in self.copies:
            item = QListWidgetItem(describe(copy))
            item.setData(Qt.ItemDataRole.UserRole, copy)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        note = QLabel("笔杆上次没有正常关闭，以下草稿有未保存的内容。要恢复吗？")
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("恢复(&R)")
        self.discard_button = QPushButton("丢弃(&D)")
        self.later_button = QPushButton("以后再说(&L)")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.restore_button.clicked.connect(self.accept)
        self.discard_button.clicked.connect(self._discard)
        self.later_button.clicked.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        self.resize(560, 260)

    def selected(self) -> RecoveryCopy | None:
        """The copy chosen in the list."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def accept(self) -> None:
        """Recover the selected copy."""
        copy = self.selected()
        super().accept()
        if copy is not None:
            self.restoreChosen.emit(copy)

    def reject(self) -> None:
        """Keep the copies for the next start."""
        super().reject()
        self.postponed.emit()

    def _discard(self) -> None:
        super().reject()
        self.discardChosen.emit(self.copies)
