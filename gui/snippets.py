"""The snippets pane: cards of corpus passages for the current heading, a filter box, insert by key, click or drag."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from bigan.gui.cards import PERSONAL, CardColours, CardLayout, CardText, card_text
from bigan.gui.editor import SNIPPET_MIME

if TYPE_CHECKING:
    from bigan.core.match import Match

MatchRole = Qt.ItemDataRole.UserRole + 1
UsedRole = Qt.ItemDataRole.UserRole + 2
# Whether the cards come from both banks (each then names its own).
MixedRole = Qt.ItemDataRole.UserRole + 3
_MARGIN = 8
_SEARCH_DELAY_MS = 250

Index = QModelIndex | QPersistentModelIndex


class SnippetModel(QAbstractListModel):
    """The passages shown as cards; drags carry the passage text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matches: list[Match] = []
        self.used: set[int] = set()
        self._cards: dict[int, CardText] = {}

    def set_matches(self, matches: list, used: list[bool] | None = None) -> None:
        """Show these passages (those the draft already holds marked 已用)."""
        self.beginResetModel()
        self.matches = list(matches)
        self.used = {row for row, flag in enumerate(used or []) if flag}
        self._cards.clear()
        self.endResetModel()

    def card(self, row: int) -> CardText:
        """What the card at row says (its number, badges, passage and source)."""
        card = self._cards.get(row)
        if card is None:
            mixed = len({getattr(m, "bank", PERSONAL) for m in self.matches}) > 1
            card = self._cards[row] = card_text(self.matches[row], row + 1, row in self.used, mixed)
        return card

    def mark_used(self, row: int) -> None:
        """Mark a card 已用 (it was just inserted)."""
        if 0 <= row < len(self.matches) and row not in self.used:
            self.used.add(row)
            self._cards.pop(row, None)
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of cards."""
        return 0 if parent.isValid() else len(self.matches)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Passage text, the Match itself, and a tooltip with the full passage and its source."""
        if not index.isValid() or not 0 <= index.row() < len(self.matches):
            return None
        match = self.matches[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return match.text
        if role == MatchRole:
            return match
        if role == UsedRole:
            return index.row() in self.used
        if role == MixedRole:
            return len({getattr(m, "bank", PERSONAL) for m in self.matches}) > 1
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{match.text}\n——《{match.source.title}》{match.source.heading}\n{match.source.file}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Cards can be selected and dragged into the editor."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        """Snippets travel as their own type (inserted as a passage) and as plain text."""
        return [SNIPPET_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged passage."""
        data = QMimeData()
        rows = [i.row() for i in indexes if i.isValid()]
        if rows:
            text = self.matches[rows[0]].text
            data.setData(SNIPPET_MIME, text.encode("utf-8"))
            data.setText(text)
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        """Dragging a card copies its passage."""
        return Qt.DropAction.CopyAction


class CardDelegate(QStyledItemDelegate):
    """Draws a card as text that wraps to the pane's width; a card laid out once is kept until its text changes."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        self.width: int | None = None
        self._layouts: dict[tuple[CardText, int], CardLayout] = {}
        self._colours: dict[tuple[int, bool], CardColours] = {}

    def clear(self) -> None:
        """Forget laid-out cards and their width (after a resize or a font or palette change)."""
        self.width = None
        self._layouts.clear()
        self._colours.clear()

    def _colours_for(self, selected: bool) -> CardColours:
        palette = self.view.palette()
        key = (palette.cacheKey(), selected)
        colours = self._colours.get(key)
        if colours is None:
            colours = self._colours[key] = CardColours.of(palette, selected)
        return colours

    def card(self, index: Index) -> CardText:
        """What the card at index says."""
        model = index.model()
        if isinstance(model, SnippetModel):
            return model.card(index.row())
        return card_text(index.data(MatchRole), index.row() + 1, bool(index.data(UsedRole)))

    def _layout(self, index: Index) -> CardLayout:
        card, width = self.card(index), self._width()
        layout = self._layouts.get((card, width))
        if layout is None:
            if len(self._layouts) > 100:
                self._layouts.clear()
            colours = self._colours_for(False)
            layout = self._layouts[(card, width)] = CardLayout(card, self.view.font(), width, colours)
        return layout

    def _width(self) -> int:
        if self.width is None:
            # Room for the scroll bar is kept even while it is hidden: when it appears, no card needs a new layout.
            view = self.view
            extent = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view.verticalScrollBar())
            room = min(view.viewport().width(), view.contentsRect().width() - extent)
            self.width = max(120, room - 2 * _MARGIN)
        return self.width

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """The card's height at the pane's current width."""
        return QSize(self._width() + 2 * _MARGIN, self._layout(index).height + 2 * _MARGIN + 1)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Selection background, the card text, and a thin rule below."""
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        style = self.view.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, self.view)
        painter.save()
        self._layout(index).draw(
            painter, QPointF(option.rect.left() + _MARGIN, option.rect.top() + _MARGIN), self._colours_for(selected)
        )
        painter.setPen(self.view.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()


class SnippetList(QListView):
    """The cards; Enter or double-click inserts the current one; the context menu can show a card's origin."""

    activatedRow = Signal(int)
    sourceRow = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.delegate = CardDelegate(self)
        self.setItemDelegate(self.delegate)
        self.doubleClicked.connect(lambda index: self.activatedRow.emit(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter inserts the current card."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activatedRow.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """插入 or 查看出处 for the card under the mouse."""
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.addAction("插入到文稿(&I)").triggered.connect(lambda _=False: self.activatedRow.emit(index.row()))
        menu.addAction("查看出处(&S)…").triggered.connect(lambda _=False: self.sourceRow.emit(index.row()))
        menu.exec(event.globalPos())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Cards re-wrap to the new width."""
        self.delegate.width = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """Cards are redrawn in the new palette's colours."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.delegate.clear()
            self.scheduleDelayedItemsLayout()
        super().changeEvent(event)


class SnippetsPane(QWidget):
    """Header, filter box, insert-as-fields toggle and the cards."""

    insertRequested = Signal(str)
    searchRequested = Signal(str)
    searchCleared = Signal()
    resultsShown = Signal(str)
    fieldsToggled = Signal(bool)
    sourceRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("素材")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("搜索素材库（Ctrl+K）")
        self.filter.setClearButtonEnabled(True)
        self.fields = QCheckBox("数字变为待填项(&D)")
        self.fields.setToolTip("插入时把原文中的数字、日期变成待填项（＿＿），避免把别的单位的数字带进来")
        self.fields.setChecked(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.model = SnippetModel(self)
        self.list = SnippetList(self)
        self.list.setModel(self.model)
        row = QHBoxLayout()
        row.addWidget(self.filter, 1)
        row.addWidget(self.fields)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        self.query = ""
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(_SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search)
        self.filter.textChanged.connect(lambda _: self._search_timer.start())
        self.filter.returnPressed.connect(self._search_now)
        self.list.activatedRow.connect(self.request_insert)
        self.list.sourceRow.connect(self._source)
        self.fields.toggled.connect(self.fieldsToggled)
        self.show_message("素材", "把光标放到标题所在的一节，这里会列出往年材料中同类标题下的段落。")

    def searching(self) -> bool:
        """Whether the filter box holds a search."""
        return bool(self.filter.text().strip())

    def _search(self) -> None:
        text = self.filter.text().strip()
        if text:
            self.searchRequested.emit(text)
        else:
            self.searchCleared.emit()

    def _search_now(self) -> None:
        self._search_timer.stop()
        self._search()
        if self.model.rowCount():
            self.list.setFocus()
            self.list.setCurrentIndex(self.model.index(0, 0))

    def focus_filter(self) -> None:
        """Put the cursor in the filter box, its text selected."""
        self.filter.setFocus()
        self.filter.selectAll()

    def show_results(self, title: str, matches: list, query: str = "", used: list[bool] | None = None) -> None:
        """Show cards for a heading or a search; those the draft already holds are marked 已用."""
        self.query = query
        self.title.setText(f"{title}（{len(matches)} 条）" if matches else title)
        self.model.set_matches(matches, used)
        if matches:
            self.message.hide()
            self.list.scrollToTop()
        else:
            self.message.setText("素材库里没有找到相关的段落。可以换个说法，或在上方搜索。")
            self.message.show()
        self.resultsShown.emit(query)

    def show_message(self, title: str, text: str) -> None:
        """Show a note instead of cards (no heading yet, bank being built, an error)."""
        self.query = ""
        self.title.setText(title)
        self.model.set_matches([])
        self.message.setText(text)
        self.message.show()

    def request_insert(self, row: int) -> bool:
        """Insert the card at row (0-based); False when there is no such card."""
        if not 0 <= row < len(self.model.matches):
            return False
        self.list.setCurrentIndex(self.model.index(row, 0))
        self.insertRequested.emit(self.model.matches[row].text)
        self.model.mark_used(row)
        return True

    def _source(self, row: int) -> None:
        if 0 <= row < len(self.model.matches):
            self.sourceRequested.emit(self.model.matches[row].entry_id)
