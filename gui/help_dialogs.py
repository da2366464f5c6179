"""帮助: the shortcut list (read from the window's own menus, so it never goes stale) and 关于笔杆."""

from __future__ import annotations

import platform
import re

from PySide6 import __version__ as pyside_version
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bigan.core.program import __version__

# Keys that work without a menu entry of their own.
EXTRA_KEYS = [
    ("编辑区", "跳到下一个 / 上一个待填项", "Tab / Shift+Tab"),
    ("素材栏", "插入第 1…9 条素材", "Ctrl+1 … Ctrl+9"),
    ("素材栏", "插入所选卡片", "Enter 或双击"),
    ("查找栏", "关闭查找栏", "Esc"),
    ("对话框", "按下按钮上带下划线的字母", "Alt+字母"),
]


def _plain(text: str) -> str:
    """A menu text without its accelerator mark, tab-separated hint or ellipsis."""
    return re.sub(r"\(&\w\)|&", "", text.split("\t")[0]).rstrip("…").strip()


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every menu command that has a shortcut, then the keys without a menu entry."""
    rows = []
    for menu_action in menu_bar.actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            rows += _rows_of(_plain(menu_action.text()), action)
    return rows + EXTRA_KEYS


def _rows_of(menu: str, action: QAction) -> list[tuple[str, str, str]]:
    keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
    hint = action.text().split("\t")[1] if "\t" in action.text() else ""
    if not keys and not hint:
        return []
    return [(menu, _plain(action.text()), " / ".join(dict.fromkeys(keys)) or hint)]


class ShortcutsDialog(QDialog):
    """帮助 › 快捷键: a table of menus, commands and keys."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("快捷键")
        self.resize(620, 560)
        rows = shortcut_rows(menu_bar)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["菜单", "命令", "快捷键"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭(&C)")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


def about_text(bank_path: str) -> str:
    """The 关于笔杆 text: what it is, that it stays offline, where the bank lives, versions."""
    return (
        f"<h3>笔杆 {__version__}</h3>"
        "<p>离线的公文写作助手：把往年材料导入本地素材库，写作时列出同类标题下的往年段落，"
        "检查后保存为符合 GB/T 9704-2012 的 Word 文件。</p>"
        "<p>全程不联网，文稿和素材库只保存在本机。</p>"
        f"<p>素材库：{bank_path}</p>"
        f"<p><small>Python {platform.python_version()} · PySide6 {pyside_version}</small></p>"
    )
