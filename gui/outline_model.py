"""The outline pane's model: the draft's headings as a tree, with drag and drop that moves a heading's block."""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from core.outline import Heading

HEADING_MIME = "application/x-bigan-heading"
END_OF_DRAFT = -1
HeadingRole = Qt.ItemDataRole.UserRole + 1
_LABEL_CHARS = 40

Index = QModelIndex | QPersistentModelIndex


class _Node:
    __slots__ = ("children", "heading", "parent", "row")

    def __init__(self, heading: Heading | None, parent: _Node | None, row: int) -> None:
        self.heading = heading
        self.parent = parent
        self.row = row
        self.children: list[_Node] = []


def _tree(headings: list[Heading]) -> tuple[_Node, list[_Node]]:
    root = _Node(None, None, 0)
    stack: list[_Node] = []
    nodes = []
    for heading in headings:
        while stack and stack[-1].heading is not None and stack[-1].heading.level >= heading.level:
            stack.pop()
        parent = stack[-1] if stack else root
        node = _Node(heading, parent, len(parent.children))
        parent.children.append(node)
        nodes.append(node)
        stack.append(node)
    return root, nodes


class OutlineModel(QAbstractItemModel):
    """Headings nested by level; a drop asks for a block to move: moveRequested(source line, dest line or -1 = end)."""

    moveRequested = Signal(int, int)
    refreshed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root, self._nodes = _tree([])
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content

    def set_headings(self, headings: list[Heading]) -> None:
        """Show these headings; updates rows in place when only texts or lines changed, else rebuilds."""
        old = [n.heading.level for n in self._nodes if n.heading is not None]
        if old == [h.level for h in headings]:
            for node, heading in zip(self._nodes, headings):
                changed = node.heading is not None and node.heading.label != heading.label
                node.heading = heading
                if changed:
                    index = self.createIndex(node.row, 0, node)
                    self.dataChanged.emit(index, index)
        else:
            self.beginResetModel()
            self._root, self._nodes = _tree(headings)
            self.endResetModel()
        self.refreshed.emit()

    def headings(self) -> list[Heading]:
        """The headings shown, in draft order."""
        return [n.heading for n in self._nodes if n.heading is not None]

    def heading(self, index: Index) -> Heading | None:
        """The heading at an index."""
        node = self._node(index)
        return node.heading if node is not self._root else None

    def index_for_line(self, line: int) -> QModelIndex:
        """The index of the heading on a line of the draft (invalid if none)."""
        for node in self._nodes:
            if node.heading is not None and node.heading.line == line:
                return self.createIndex(node.row, 0, node)
        return QModelIndex()

    def index_for_heading(self, position: int) -> QModelIndex:
        """The index of the n-th heading of the draft."""
        if 0 <= position < len(self._nodes):
            node = self._nodes[position]
            return self.createIndex(node.row, 0, node)
        return QModelIndex()

    # -- QAbstractItemModel

    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Index of a child row."""
        node = self._node(parent)
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Index of a heading's parent heading."""
        if not index.isValid():
            return QModelIndex()
        parent = self._node(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of sub-headings."""
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One column: the heading."""
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Label, full text as tooltip, bold first-level headings, and the Heading itself."""
        heading = self.heading(index)
        if heading is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            label = heading.label
            return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            return heading.label
        if role == Qt.ItemDataRole.FontRole and heading.level == 1:
            return self._bold
        if role == HeadingRole:
            return heading
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Headings can be selected, dragged, and dropped onto."""
        flags = Qt.ItemFlag.ItemIsDropEnabled
        if index.isValid():
            flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        return flags

    # -- drag and drop

    def supportedDropActions(self) -> Qt.DropAction:
        """Headings are moved, never copied."""
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        """Headings are moved (the view ends the drag as a copy, so Qt never removes rows: the draft rebuilds them)."""
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        """The outline's own MIME type."""
        return [HEADING_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged heading: its line and label, so a stale drop can be recognised."""
        data = QMimeData()
        headings = [self.heading(i) for i in indexes if i.isValid()]
        headings = [h for h in headings if h is not None]
        if headings:
            payload = {"line": headings[0].line, "label": headings[0].label}
            data.setData(HEADING_MIME, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
            data.setText(headings[0].label)
        return data

    def drop_destination(self, data: QMimeData, row: int, parent: Index) -> tuple[int, int] | None:
        """(source line, destination line) for dropping data at row under parent, or None if not allowed."""
        if not data.hasFormat(HEADING_MIME):
            return None
        try:
            payload = json.loads(bytes(data.data(HEADING_MIME).data()).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        source = next((n for n in self._nodes if n.heading is not None and n.heading.line == payload.get("line")), None)
        if source is None or source.heading is None or source.heading.label != payload.get("label"):
            return None
        target = self._node(parent)
        level = source.heading.level
        # A heading keeps its level, so it may only land among siblings of its own level (or under a shallower one).
        ancestor = target
        while ancestor is not None and ancestor is not self._root:
            if ancestor is source:
                return None
            ancestor = ancestor.parent
        if target.heading is not None and target.heading.level >= level:
            return None
        children = [c.heading for c in target.children if c.heading is not None]
        if 0 <= row < len(children):
            if children[row].level != level:
                return None
            dest = children[row].line
        else:
            if children and children[-1].level != level:
                return None
            dest = self._block_end(target)
        source_line, source_end = source.heading.line, self._block_end(source)
        if source_end == END_OF_DRAFT:
            inside = dest == END_OF_DRAFT or dest >= source_line
        else:
            inside = dest != END_OF_DRAFT and source_line <= dest <= source_end
        if inside:
            return None
        return source.heading.line, dest

    def _block_end(self, node: _Node) -> int:
        if node is self._root or node.heading is None:
            return END_OF_DRAFT
        walk: _Node | None = node
        while walk is not None and walk is not self._root:
            parent = walk.parent
            if parent is not None and walk.row + 1 < len(parent.children):
                following = parent.children[walk.row + 1].heading
                if following is not None:
                    return following.line
            walk = parent
        return END_OF_DRAFT

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        """Whether the drop would be a real move that keeps heading levels consistent."""
        return action == Qt.DropAction.MoveAction and self.drop_destination(data, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        """Ask for the block to move; the draft changes and the outline follows (rows are never removed here)."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        move = self.drop_destination(data, row, parent) if action == Qt.DropAction.MoveAction else None
        if move is None:
            return False
        self.moveRequested.emit(*move)
        return True
