"""The outline pane: a tree of the draft's headings; click to jump, drag to move a section (a line shows where)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from gui import theme
from gui.outline_model import HEADING_MIME, HeadingRole, OutlineModel

Place = tuple[int, QModelIndex]


class OutlineView(QTreeView):
    """Shows the outline, follows the editor's cursor, and keeps collapsed sections collapsed across refreshes.

    A dragged heading can be dropped only between headings, where it keeps its level; the accent line drawn
    during the drag shows the gap and the depth it will land at.
    """

    headingActivated = Signal(int)

    def __init__(self, model: OutlineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)  # our own line, drawn where the section will really go
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setToolTip("")
        self._collapsed: set[str] = set()
        self._following = False
        self._drop: tuple[int, int] | None = None
        self._drop_line: tuple[int, int] | None = None
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

    # -- dropping between headings

    def _gap(self, point: QPoint) -> tuple[QModelIndex, QModelIndex, int]:
        """The visible rows above and below the gap nearest the point, and the gap's y."""
        index = self.indexAt(point)
        if not index.isValid():
            last = self._last_visible()
            rect = self.visualRect(last)
            return last, QModelIndex(), rect.bottom() if last.isValid() else 0
        rect = self.visualRect(index)
        if point.y() < rect.center().y():
            return self.indexAbove(index), index, rect.top()
        return index, self.indexBelow(index), rect.bottom()

    def _last_visible(self) -> QModelIndex:
        model = self.outline_model()
        index = model.index(model.rowCount() - 1, 0) if model.rowCount() else QModelIndex()
        while index.isValid() and self.isExpanded(index) and model.rowCount(index):
            index = model.index(model.rowCount(index) - 1, 0, index)
        return index

    def places(self, above: QModelIndex, below: QModelIndex) -> list[Place]:
        """Where a section dropped in the gap between two rows could go, as (row, parent) of the model."""
        found: list[Place] = []
        if below.isValid():
            found.append((below.row(), below.parent()))
        if above.isValid():
            if not (self.isExpanded(above) and self.outline_model().rowCount(above)):
                found.append((self.outline_model().rowCount(above), above))
            walk, stop = above, below.parent() if below.isValid() else QModelIndex()
            while walk.isValid() and walk != stop:
                found.append((walk.row() + 1, walk.parent()))
                walk = walk.parent()
        if not above.isValid() and not below.isValid():
            found.append((0, QModelIndex()))
        return found

    def drop_target(self, event: QDragMoveEvent | QDropEvent) -> tuple[tuple[int, int], Place, int] | None:
        """The move a drop at the event's point asks for: ((source, dest) lines, model place, gap y)."""
        data = event.mimeData()
        if not data.hasFormat(HEADING_MIME):
            return None
        above, below, y = self._gap(event.position().toPoint())
        model = self.outline_model()
        for row, parent in self.places(above, below):
            move = model.drop_destination(data, row, parent)
            if move is not None:
                return move, (row, parent), y
        return None

    def _depth(self, parent: QModelIndex) -> int:
        depth = 0
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        return depth

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Only headings of this outline can be dropped here."""
        if event.mimeData().hasFormat(HEADING_MIME):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Show the line where the section would land, or refuse the spot."""
        super().dragMoveEvent(event)  # scrolls near the edges
        target = self.drop_target(event)
        if target is None:
            self._set_line(None)
            event.ignore()
            return
        move, (_, parent), y = target
        self._drop = move
        self._set_line((y, (self._depth(parent) + int(self.rootIsDecorated())) * self.indentation()))
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        """No line once the drag leaves the pane."""
        self._set_line(None)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Ask for the section to move; the draft changes and the outline follows."""
        target = self.drop_target(event)
        self._set_line(None)
        if target is None:
            event.ignore()
            return
        # Copy, not move, for Qt: the rows are rebuilt from the draft, never removed by the view.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.outline_model().moveRequested.emit(*target[0])

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        """Drag the current heading with a small label beside the pointer, so the drop line stays in sight."""
        index = self.currentIndex()
        if not index.isValid():
            return
        drag = QDrag(self)
        drag.setMimeData(self.outline_model().mimeData([index]))
        metrics = self.fontMetrics()
        text = metrics.elidedText(str(index.data()), Qt.TextElideMode.ElideRight, 240)
        label = QPixmap(metrics.horizontalAdvance(text) + 12, metrics.height() + 6)
        label.fill(Qt.GlobalColor.transparent)
        painter = QPainter(label)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.mix(self.palette().color(QPalette.ColorRole.Base), theme.accent(self.palette()), 0.3))
        painter.drawRoundedRect(label.rect(), 4, 4)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        painter.drawText(label.rect(), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        drag.setPixmap(label)
        drag.setHotSpot(QPoint(-16, label.height() + 6))  # the label floats above right of the pointer
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)

    def _set_line(self, line: tuple[int, int] | None) -> None:
        if line != self._drop_line:
            self._drop_line = line
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The tree, and during a drag the accent line of the drop place."""
        super().paintEvent(event)
        if self._drop_line is None:
            return
        y, x = self._drop_line
        painter = QPainter(self.viewport())
        pen = QPen(theme.accent(self.palette()), 2)
        painter.setPen(pen)
        painter.drawLine(x + 6, y, self.viewport().width() - 4, y)
        painter.setBrush(theme.accent(self.palette()))
        painter.drawEllipse(QRect(x, y - 3, 6, 6))
        painter.end()
