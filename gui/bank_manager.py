"""素材 › 管理素材库: the bank's documents in a table to search and sort, their passages, removal and re-import."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.bank_admin import BankDocument, BankPassage

COLUMNS = ("标题", "年份", "类别", "来源文件", "素材", "导入时间")
DocumentRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
KINDS = {"paragraph": "段落", "item": "条目"}


def _under(folder: str, top: str) -> bool:
    return folder == top or folder.startswith(top.rstrip(os.sep) + os.sep)


Index = QModelIndex | QPersistentModelIndex


class DocumentsModel(QAbstractTableModel):
    """The bank's documents, one row each; rows staged for removal are shown struck through."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.documents: list[BankDocument] = []
        self.removing: set[int] = set()
        self._struck = QFont()
        self._struck.setStrikeOut(True)

    def set_documents(self, documents: list[BankDocument]) -> None:
        """Show these documents (the staged removals that still exist stay staged)."""
        self.beginResetModel()
        self.documents = list(documents)
        self.removing &= {d.id for d in documents}
        self.endResetModel()

    def stage(self, ids: set[int], removing: bool) -> None:
        """Mark documents to be removed when the dialog closes, or unmark them."""
        self.removing = self.removing | ids if removing else self.removing - ids
        if self.documents:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.documents) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per document."""
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Title, year, kind, source file, passages, imported on."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Column names."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell texts, sort keys, struck-through rows staged for removal, the document itself."""
        if not index.isValid():
            return None
        doc = self.documents[index.row()]
        column = index.column()
        if role == DocumentRole:
            return doc
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                doc.title + ("（待删除）" if doc.id in self.removing else ""),
                str(doc.year) if doc.year else "",
                doc.kind,
                Path(doc.source_file).name,
                str(doc.passages),
                doc.imported_at,
            )
            return values[column]
        if role == SortRole:
            return (doc.title, doc.year or 0, doc.kind, doc.source_file, doc.passages, doc.imported_at)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            missing = "" if os.path.exists(doc.source_file) else "\n（来源文件已不存在）"
            return f"《{doc.title}》\n{doc.source_file}{missing}"
        if role == Qt.ItemDataRole.FontRole and doc.id in self.removing:
            return self._struck
        if role == Qt.ItemDataRole.ForegroundRole and doc.id in self.removing:
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _Filter(QSortFilterProxyModel):
    """Rows whose title, kind, year or source file contain the search text."""

    needle = ""

    def set_needle(self, text: str) -> None:
        """Show only documents that contain this text."""
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self.needle = text.strip().lower()
            self.endFilterChange()
        else:
            self.needle = text.strip().lower()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        """Match the search text against the document's words."""
        needle = self.needle
        if not needle:
            return True
        doc = self.sourceModel().documents[row]  # type: ignore[attr-defined]
        return needle in f"{doc.title} {doc.kind} {doc.year or ''} {doc.source_file}".lower()


class BankManager(QDialog):
    """Lists the documents; asks the window to load passages, re-import files, and remove what was staged."""

    passagesRequested = Signal(int)
    reimportRequested = Signal(list)
    removeRequested = Signal(list)
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("管理素材库")
        self.resize(900, 600)
        self.model = DocumentsModel(self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索标题、类别、年份或来源文件")
        self.search.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.passages = QListWidget()
        self.passages.setWordWrap(True)
        self.passages.setAlternatingRowColors(True)
        self.passages_label = QLabel("选中一篇文档后点“查看素材”，这里列出它的每段素材及所在标题。")
        self.passages_label.setWordWrap(True)
        self.status = QLabel("正在读取素材库…")
        self.view_button = QPushButton("查看素材(&V)")
        self.remove_button = QPushButton("删除(&D)")
        self.folder_button = QPushButton("删除整个文件夹(&F)")
        self.undo_button = QPushButton("撤销删除(&U)")
        self.reimport_button = QPushButton("重新导入(&R)")
        self.close_button = QPushButton("关闭(&C)")
        self.remove_button.setToolTip("标记删除所选文档；关闭窗口时才在后台从素材库删除，关闭前可撤销")
        self.folder_button.setToolTip("标记删除与所选文档同一文件夹导入的全部文档")
        self.reimport_button.setToolTip("来源文件改过时重新导入，未改动的文件保持原样")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.passages_label)
        lower_layout.addWidget(self.passages, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        buttons = QHBoxLayout()
        for button in (self.view_button, self.remove_button, self.folder_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reimport_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self._filter)
        self.view_button.clicked.connect(self.view_passages)
        self.table.doubleClicked.connect(lambda _: self.view_passages())
        self.remove_button.clicked.connect(self.stage_selected)
        self.folder_button.clicked.connect(self.stage_folder)
        self.undo_button.clicked.connect(self.unstage)
        self.reimport_button.clicked.connect(self._reimport)
        self.close_button.clicked.connect(self.close)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._highlight_entry = 0
        self._staged: list[set[int]] = []
        self._update_buttons()

    # -- content

    def set_documents(self, documents: list[BankDocument]) -> None:
        """Show the bank's documents."""
        self.model.set_documents(documents)
        self._update_status()
        self._update_buttons()

    def set_error(self, message: str) -> None:
        """The bank could not be read."""
        self.status.setText(f"无法读取素材库：{message}")

    def _update_status(self) -> None:
        documents = self.model.documents
        text = f"共 {len(documents)} 篇文档、{sum(d.passages for d in documents)} 段素材"
        if self.model.removing:
            text += f"；{len(self.model.removing)} 篇待删除（关闭时执行）"
        self.status.setText(text)

    def _filter(self, text: str) -> None:
        self.proxy.set_needle(text)

    def selected(self) -> list[BankDocument]:
        """The documents selected in the table."""
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return [self.proxy.index(row, 0).data(DocumentRole) for row in sorted(rows)]

    def select_documents(self, ids: list[int], entry_id: int = 0) -> None:
        """Select documents (those a snippet came from) and show the first one's passages, the snippet marked."""
        self._highlight_entry = entry_id
        self.search.clear()
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        rows = [row for row in range(self.proxy.rowCount()) if self.proxy.index(row, 0).data(DocumentRole).id in ids]
        for row in rows:
            selection.select(self.proxy.index(row, 0), flags)
        if rows:
            self.table.scrollTo(self.proxy.index(rows[0], 0))
            self.passagesRequested.emit(self.proxy.index(rows[0], 0).data(DocumentRole).id)

    def view_passages(self) -> None:
        """查看素材: ask for the selected document's passages."""
        chosen = self.selected()
        if chosen:
            self.passagesRequested.emit(chosen[0].id)

    def set_passages(self, document_id: int, passages: list[BankPassage]) -> None:
        """List a document's passages with the heading each stands under (a looked-up snippet is selected)."""
        doc = next((d for d in self.model.documents if d.id == document_id), None)
        title = doc.title if doc else ""
        self.passages_label.setText(f"《{title}》的 {len(passages)} 段素材：")
        self.passages.clear()
        for passage in passages:
            where = passage.heading or "（正文开头）"
            item = QListWidgetItem(f"{where} · {KINDS.get(passage.kind, passage.kind)}\n{passage.text}")
            item.setData(Qt.ItemDataRole.UserRole, passage.entry_id)
            self.passages.addItem(item)
            if self._highlight_entry and passage.entry_id == self._highlight_entry:
                self.passages.setCurrentItem(item)
        if self.passages.currentItem() is not None:
            self.passages.scrollToItem(self.passages.currentItem())

    # -- staged removals

    def _stage(self, ids: set[int]) -> None:
        added = ids - self.model.removing
        if added:
            self._staged.append(added)
            self.model.stage(added, True)
        self._update_status()
        self._update_buttons()

    def stage_selected(self) -> None:
        """删除: mark the selected documents for removal (done when the dialog closes)."""
        self._stage({d.id for d in self.selected()})

    def stage_folder(self) -> None:
        """删除整个文件夹: mark every document imported from the selected documents' folders (and below)."""
        folders = {str(Path(d.source_file).parent) for d in self.selected()}
        self._stage(
            {d.id for d in self.model.documents if any(_under(str(Path(d.source_file).parent), f) for f in folders)}
        )

    def unstage(self) -> None:
        """撤销删除: take back the last 删除 (step by step, back to the first)."""
        if self._staged:
            self.model.stage(self._staged.pop(), False)
        self._update_status()
        self._update_buttons()

    def _reimport(self) -> None:
        files = sorted({d.source_file for d in self.selected() if os.path.exists(d.source_file)})
        if files:
            self.reimportRequested.emit(files)
            self.status.setText(f"正在重新导入 {len(files)} 个文件…")

    def _update_buttons(self) -> None:
        chosen = self.selected()
        for button in (self.view_button, self.remove_button, self.folder_button, self.reimport_button):
            button.setEnabled(bool(chosen))
        self.undo_button.setEnabled(bool(self.model.removing))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing carries out the staged removals (in the background)."""
        self._apply()
        super().closeEvent(event)

    def reject(self) -> None:
        """Esc closes the dialog like 关闭, carrying out the staged removals."""
        self._apply()
        super().reject()

    def _apply(self) -> None:
        if self.model.removing:
            ids = sorted(self.model.removing)
            self.model.removing = set()
            self._staged.clear()
            self.removeRequested.emit(ids)
