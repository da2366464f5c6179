"""The main window: outline, matched snippets and editor side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QPlainTextEdit, QSplitter


class MainWindow(QMainWindow):
    """Three panes in a splitter: the draft's outline, snippets for the current heading, the editor."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("笔杆")
        self.resize(1280, 800)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.outline = QLabel("提纲", splitter)
        self.snippets = QLabel("素材", splitter)
        self.editor = QPlainTextEdit(splitter)
        self.editor.setPlaceholderText("在这里写作。以“一、”“（一）”“1.”“（1）”开头的行是标题。")
        splitter.setSizes([240, 360, 680])
        self.setCentralWidget(splitter)
