"""The 检查 panel's model: a review's findings grouped by kind, each with its line and message."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from core.checks import KIND_NAMES, KINDS, Finding

FindingRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
_GROUP = 0xFFFFFFFF

Index = QModelIndex | QPersistentModelIndex


def finding_label(finding: Finding) -> str:
    """A finding as the panel lists it: which paragraph (as the status bar counts them), what, and the fix."""
    label = f"第 {finding.line} 段　{finding.message}"
    if finding.fix == "":
        label += "　→ 删去"
    elif finding.fix is not None and finding.kind != "numbering":
        label += f"　→ 改为“{finding.fix}”"
    return label


class FindingsModel(QAbstractItemModel):
    """Two levels: one row per kind found (in the order of core.checks.KINDS), its findings beneath it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.groups: list[tuple[str, list[Finding]]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_findings(self, findings: list[Finding]) -> None:
        """Show these findings, grouped by kind."""
        self.beginResetModel()
        by_kind = {kind: [f for f in findings if f.kind == kind] for kind in KINDS}
        self.groups = [(kind, items) for kind, items in by_kind.items() if items]
        self.endResetModel()

    def findings(self, kind: str | None = None) -> list[Finding]:
        """The findings shown (of one kind, if given), in order."""
        return [f for k, items in self.groups if kind in (None, k) for f in items]

    def finding(self, index: Index) -> Finding | None:
        """The finding at an index (None for a kind's row)."""
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self.groups[index.internalId()][1][index.row()]

    def kind(self, index: Index) -> str | None:
        """The kind of the row at an index, finding or group."""
        if not index.isValid():
            return None
        group = index.row() if index.internalId() == _GROUP else index.internalId()
        return self.groups[group][0]

    def group_index(self, kind: str) -> QModelIndex:
        """The row of a kind, or an invalid index when nothing of that kind was found."""
        rows = [k for k, _ in self.groups]
        return self.index(rows.index(kind), 0) if kind in rows else QModelIndex()

    # -- QAbstractItemModel

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """The index of a kind's row (under the root) or of a finding (under its kind)."""
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _GROUP) if row < len(self.groups) else QModelIndex()
        if parent.internalId() != _GROUP or row >= len(self.groups[parent.row()][1]):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row())

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """A finding's kind row; nothing for a kind's row."""
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId(), 0, _GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Kinds under the root, findings under a kind."""
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == _GROUP:
            return len(self.groups[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One column."""
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Labels, tool tips, bold kind rows, and the finding or kind under the custom roles."""
        if not index.isValid():
            return None
        finding = self.finding(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if finding is None:
                kind, items = self.groups[index.row()]
                return f"{KIND_NAMES[kind]}（{len(items)}）"
            return finding_label(finding)
        if role == Qt.ItemDataRole.ToolTipRole and finding is not None:
            return finding.message + ("\n可“修正”" if finding.fix is not None else "")
        if role == Qt.ItemDataRole.FontRole and finding is None:
            return self._bold
        if role == FindingRole:
            return finding
        if role == KindRole:
            return self.kind(index)
        return None
