"""The outline pane: a tree of the draft's headings; click to jump, drag to move a section."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from gui.outline_model import HeadingRole, OutlineModel


class OutlineView(QTreeView):
    """Shows the outline, follows the editor's cursor, and keeps collapsed sections collapsed across refreshes."""

    headingActivated = Signal(int)

    def __init__(self, model: OutlineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setToolTip("")
        self._collapsed: set[str] = set()
        self._following = False
        model.modelAboutToBeReset.connect(self._remember_collapsed)
        model.modelReset.connect(self._restore_expanded)
        self.clicked.connect(self._activate)
        self.activated.connect(self._activate)
        self.expandAll()

    def outline_model(self) -> OutlineModel:
        """The model shown."""
        return self.model()  # type: ignore[return-value]

    def _remember_collapsed(self) -> None:
        model = self.outline_model()
        self._collapsed = set()
        for position, heading in enumerate(model.headings()):
            index = model.index_for_heading(position)
            if model.rowCount(index) and not self.isExpanded(index):
                self._collapsed.add(heading.label)

    def _restore_expanded(self) -> None:
        self.expandAll()
        model = self.outline_model()
        for position, heading in enumerate(model.headings()):
            if heading.label in self._collapsed:
                self.collapse(model.index_for_heading(position))

    def _activate(self, index: QModelIndex) -> None:
        heading = index.data(HeadingRole)
        if heading is not None and not self._following:
            self.headingActivated.emit(heading.line)

    def follow(self, position: int | None) -> None:
        """Highlight the n-th heading (the one under the editor's cursor) without moving the editor."""
        index = self.outline_model().index_for_heading(position) if position is not None else QModelIndex()
        self._following = True
        try:
            if index.isValid():
                self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.scrollTo(index)
            else:
                self.selectionModel().clearSelection()
        finally:
            self._following = False

    def current_heading_line(self) -> int | None:
        """The line of the heading selected in the pane, if any."""
        heading = self.currentIndex().data(HeadingRole) if self.currentIndex().isValid() else None
        return heading.line if heading is not None else None
