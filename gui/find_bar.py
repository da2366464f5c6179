"""Find and replace bar under the editor."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Finds text in the editor (wrapping around), replaces one or all occurrences; Esc closes it."""

    message = Signal(str)

    def __init__(self, editor: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("查找")
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText("替换为")
        self.previous_button = QPushButton("上一个")
        self.next_button = QPushButton("下一个")
        self.replace_button = QPushButton("替换")
        self.replace_all_button = QPushButton("全部替换")
        self.status = QLabel()
        close = QToolButton()
        close.setText("×")
        close.setToolTip("关闭（Esc）")
        close.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (self.find_edit, self.previous_button, self.next_button, self.replace_edit):
            layout.addWidget(widget)
        for widget in (self.replace_button, self.replace_all_button, self.status, close):
            layout.addWidget(widget)
        layout.setStretch(0, 2)
        layout.setStretch(3, 2)
        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_edit.returnPressed.connect(self.replace_one)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.close_bar)
        self.hide()

    def open_find(self, replace: bool = False) -> None:
        """Show the bar with the editor's selection as the search text."""
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        for widget in (self.replace_edit, self.replace_button, self.replace_all_button):
            widget.setVisible(replace)
        self.show()
        target = self.replace_edit if replace and self.find_edit.text() else self.find_edit
        target.setFocus()
        target.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and go back to the editor."""
        self.hide()
        self.editor.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes the bar."""
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    def search(self, backward: bool = False) -> bool:
        """Select the next (or previous) occurrence, wrapping around the draft."""
        needle = self.find_edit.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        if self.editor.find(needle, flags):
            self.status.clear()
            return True
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        found = self.editor.document().find(needle, cursor, flags)
        if found.isNull():
            self.status.setText("找不到")
            return False
        self.editor.setTextCursor(found)
        self.status.setText("已从头查找" if not backward else "已从末尾查找")
        return True

    def find_next(self) -> bool:
        """Find forward."""
        return self.search(False)

    def find_previous(self) -> bool:
        """Find backward."""
        return self.search(True)

    def replace_one(self) -> bool:
        """Replace the selected occurrence, then find the next."""
        cursor = self.editor.textCursor()
        if cursor.hasSelection() and cursor.selectedText() == self.find_edit.text():
            cursor.insertText(self.replace_edit.text())
        return self.find_next()

    def replace_all(self) -> int:
        """Replace every occurrence as one undoable edit; returns how many."""
        needle = self.find_edit.text()
        if not needle:
            return 0
        doc = self.editor.document()
        count = 0
        edit = QTextCursor(doc)
        edit.beginEditBlock()
        found = doc.find(needle, 0, QTextDocument.FindFlag.FindCaseSensitively)
        while not found.isNull():
            found.insertText(self.replace_edit.text())
            count += 1
            found = doc.find(needle, found, QTextDocument.FindFlag.FindCaseSensitively)
        edit.endEditBlock()
        self.status.setText(f"替换了 {count} 处")
        self.message.emit(f"替换了 {count} 处")
        return count
