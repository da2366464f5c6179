"""The editor's page view: the 28-character column centred in the pane, its width limits, restyling and font size."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QTextEdit

from bigan.core.outline import OutlineParser
from bigan.gui import page_view
from bigan.gui.highlighter import DraftHighlighter

_MOUSE_EVENTS = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
)
MIN_FONT, MAX_FONT = 8.0, 48.0


class PagedEdit(QTextEdit):
    """A plain-text edit that can show its text as a page (Editor sets page, parser and highlighter)."""

    minimumChanged = Signal(int)
    page: bool
    parser: OutlineParser
    highlighter: DraftHighlighter
    _restyling: bool

    def _look(self) -> page_view.Look:
        return page_view.Look(self.page, page_view.INDENT_CHARS * page_view.char_width(self.font()))

    def _restyle_around(self, position: int, added: int) -> None:
        doc = self.document()
        first = doc.findBlock(position)
        last = doc.findBlock(position + added)
        blocks = [doc.firstBlock()] if first.blockNumber() > 0 else []
        block = first
        while block.isValid():
            blocks.append(block)
            if block == last:
                break
            block = block.next()
        self._restyling = True
        try:
            page_view.restyle(doc, blocks, self._look(), self.parser)
        finally:
            self._restyling = False

    def _restyle_all(self) -> None:
        self._restyling = True
        try:
            page_view.restyle_all(self.document(), self._look(), self.parser)
        finally:
            self._restyling = False

    def set_page_view(self, on: bool) -> None:
        """页面视图: title centred, first lines indented two characters, lines of about 28 characters."""
        if on == self.page:
            return
        self.page = on
        self._restyle_all()
        self._apply_page_geometry()

    def page_width(self) -> int:
        """The editor width that holds 28 characters a line at the current size (the narrowest it may get)."""
        return self.page_width_at(self.font_size())

    def page_width_at(self, size: float) -> int:
        """The editor width that holds 28 characters a line at a font size in points."""
        font = self.font()
        font.setPointSizeF(min(max(size, MIN_FONT), MAX_FONT))
        frame = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        margin = 2 * int(self.document().documentMargin())
        return page_view.text_width(font) + margin + frame

    def chars_per_line(self) -> int:
        """How many Chinese characters a full line of body text holds now."""
        usable = self.viewport().width() - 2 * self.document().documentMargin()
        return int(usable // page_view.char_width(self.font()))

    def _apply_page_geometry(self) -> None:
        """Width limits for the page view; each Qt setter only when its value changes (each one re-lays out)."""
        width = self.page_width()
        if width != self.minimumWidth():
            self.setMinimumWidth(width)
            self.minimumChanged.emit(width)
        on, off = Qt.ScrollBarPolicy.ScrollBarAlwaysOn, Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        needed = Qt.ScrollBarPolicy.ScrollBarAsNeeded
        vertical, horizontal = (on, off) if self.page else (needed, needed)
        if self.verticalScrollBarPolicy() != vertical:
            self.setVerticalScrollBarPolicy(vertical)
        if self.horizontalScrollBarPolicy() != horizontal:
            self.setHorizontalScrollBarPolicy(horizontal)
        if not self.page:
            margins = (0, 0)
            if self.lineWrapMode() != QTextEdit.LineWrapMode.WidgetWidth:
                self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        else:
            column = page_view.text_width(self.font()) + 2 * int(self.document().documentMargin())
            if self.lineWrapMode() != QTextEdit.LineWrapMode.FixedPixelWidth:
                self.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
            if self.lineWrapColumnOrWidth() != column:
                self.setLineWrapColumnOrWidth(column)
            spare = max(0, self.width() - width)
            margins = (spare // 2, spare - spare // 2)
        current = self.viewportMargins()
        if (current.left(), current.right()) != margins:
            self.setViewportMargins(margins[0], 0, margins[1], 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the page column centred at its 28-character width."""
        super().resizeEvent(event)
        if self.page:
            self._apply_page_geometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A click or drag beside the page (on the editor, not its viewport) acts on the nearest point of the page."""
        if watched is self and self.page and event.type() in _MOUSE_EVENTS and isinstance(event, QMouseEvent):
            rect = self.viewport().geometry()
            point = event.position().toPoint()
            inside = QPoint(
                min(max(point.x(), rect.left()), rect.right()), min(max(point.y(), rect.top()), rect.bottom())
            )
            forwarded = QMouseEvent(
                event.type(),
                inside - rect.topLeft(),
                event.globalPosition(),
                event.button(),
                event.buttons(),
                event.modifiers(),
            )
            QApplication.sendEvent(self.viewport(), forwarded)
            return True
        return super().eventFilter(watched, event)

    def set_font_size(self, size: float) -> None:
        """Set the editor's font size in points (headings, title and the page width follow)."""
        font = self.font()
        font.setPointSizeF(min(max(size, MIN_FONT), MAX_FONT))
        self.setFont(font)
        self.highlighter.set_body_size(font.pointSizeF())
        self._restyle_all()
        self._apply_page_geometry()

    def font_size(self) -> float:
        """The editor's font size in points."""
        return self.font().pointSizeF()
