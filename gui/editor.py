"""The draft editor: plain text whose numbered lines are headings, with fields, passage insertion and block moves."""

from __future__ import annotations

import time
from bisect import bisect_right

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from core import outline
from core.fields import next_field, previous_field
from core.outline import Heading, OutlineParser
from core.placeholders import fieldify_figures
from core.textnorm import cjk_count
from gui import theme
from gui.highlighter import DraftHighlighter, doc_position, text_index

SNIPPET_MIME = "application/x-bigan-snippet"
_SLOW_PARSE_MS = 8.0
_MAX_DELAY_MS = 300
_COUNT_DELAY_MS = 150


class Editor(QPlainTextEdit):
    """Edits the draft; keeps its outline current and signals the heading under the cursor."""

    headingsChanged = Signal(list)
    headingChanged = Signal(object)
    countsChanged = Signal(int, int)
    outlineRefreshed = Signal()
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None, font_size: float = 14.0) -> None:
        super().__init__(parent)
        self.setFont(theme.font(theme.BODY_FAMILIES, font_size))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setPlaceholderText("在这里写作。以“一、”“（一）”“1.”“（1）”开头的行是标题，左侧提纲随之更新。")
        self.setCenterOnScroll(True)
        self.parser = OutlineParser()
        self.headings: list[Heading] = []
        self._heading_lines: list[int] = []
        self.total_chars = 0
        self.selected_chars = 0
        self.insert_as_fields = True
        self.auto_renumber = True
        self.last_refresh_ms = 0.0
        self._baseline = True
        self._current: tuple[int, str] | None = None
        self.highlighter = DraftHighlighter(self.document(), self.palette())
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self.refresh_outline)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(_COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self.count_now)
        self.document().contentsChange.connect(self._contents_changed)
        self.cursorPositionChanged.connect(self._update_current)
        self.selectionChanged.connect(self._update_selection)

    # -- the draft as a whole

    def set_draft(self, text: str) -> None:
        """Replace the draft (a new or opened file): clears undo history; numbering is left as written."""
        self._baseline = True
        self.setPlainText(text)
        self.document().setModified(False)
        self.refresh_outline()
        self.count_now()

    def draft_text(self) -> str:
        """The draft as plain text."""
        return self.toPlainText()

    def line_text(self, line: int) -> str:
        """The text of one line of the draft."""
        block = self.document().findBlockByNumber(line)
        return block.text() if block.isValid() else ""

    # -- outline tracking

    def _contents_changed(self, position: int, removed: int, added: int) -> None:
        self._count_timer.start()
        if not self._refresh_timer.isActive():
            delay = 0 if self.last_refresh_ms < _SLOW_PARSE_MS else min(_MAX_DELAY_MS, 3 * self.last_refresh_ms)
            self._refresh_timer.start(int(delay))

    def refresh_outline(self) -> None:
        """Re-read the headings now; renumber when a heading was added or removed (if automatic numbering is on)."""
        self._refresh_timer.stop()
        started = time.perf_counter()
        lines = self.toPlainText().split("\n")
        headings = self.parser.parse_lines(lines)
        if self.auto_renumber and not self._baseline and len(headings) != len(self.headings):
            edits = outline.renumber_edits(lines, self.parser)
            if edits:
                self._apply_number_edits(edits)
                headings = self.parser.parse_lines(outline.apply_edits(lines, edits))
                self._refresh_timer.stop()
        self._baseline = False
        if headings != self.headings:
            self.headings = headings
            self._heading_lines = [h.line for h in headings]
            self.headingsChanged.emit(headings)
        self._update_current()
        self.last_refresh_ms = (time.perf_counter() - started) * 1000
        self.outlineRefreshed.emit()

    def count_now(self) -> None:
        """Count the Chinese characters of the draft (done shortly after typing pauses, not on every key)."""
        self._count_timer.stop()
        self.total_chars = cjk_count(self.toPlainText())
        self.countsChanged.emit(self.total_chars, self.selected_chars)

    def current_index(self) -> int | None:
        """Index in self.headings of the heading whose section holds the cursor."""
        index = bisect_right(self._heading_lines, self.textCursor().blockNumber()) - 1
        return index if index >= 0 else None

    def current_heading(self) -> Heading | None:
        """The heading whose section holds the cursor, or None before the first heading."""
        index = self.current_index()
        return self.headings[index] if index is not None else None

    def _update_current(self) -> None:
        index = self.current_index()
        key = (index, self.headings[index].label) if index is not None else None
        if key != self._current:
            self._current = key
            self.headingChanged.emit(self.headings[index] if index is not None else None)

    def _update_selection(self) -> None:
        count = cjk_count(self.textCursor().selectedText())
        if count != self.selected_chars:
            self.selected_chars = count
            self.countsChanged.emit(self.total_chars, count)

    def _apply_number_edits(self, edits: list[outline.NumberEdit]) -> None:
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for edit in sorted(edits, key=lambda e: (e.line, e.start), reverse=True):
            block = self.document().findBlockByNumber(edit.line)
            cursor.setPosition(block.position() + edit.start)
            cursor.setPosition(block.position() + edit.end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(edit.text)
        cursor.endEditBlock()

    def renumber(self) -> bool:
        """Renumber every heading now, as one undoable edit; False when the numbers were already in order."""
        edits = outline.renumber_edits(self.toPlainText().split("\n"), self.parser)
        if edits:
            self._apply_number_edits(edits)
            self.refresh_outline()
        return bool(edits)

    # -- navigation

    def go_to_line(self, line: int) -> None:
        """Put the cursor at the start of a line and show it."""
        block = self.document().findBlockByNumber(line)
        if not block.isValid():
            return
        self.setTextCursor(QTextCursor(block))
        self.centerCursor()

    def select_span(self, line: int, start: int, end: int) -> bool:
        """Select characters start–end (string indices) of a line, e.g. a check finding, and show them."""
        block = self.document().findBlockByNumber(line)
        if not block.isValid():
            return False
        text = block.text()
        start = min(max(start, 0), len(text))
        end = min(max(end, start), len(text))
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + doc_position(text, start))
        cursor.setPosition(block.position() + doc_position(text, end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Tab and Shift+Tab move between fill-in fields; everything else edits as usual."""
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.NoModifier:
            self.go_to_field(forward=True)
            return
        if event.key() == Qt.Key.Key_Backtab:
            self.go_to_field(forward=False)
            return
        super().keyPressEvent(event)

    def go_to_field(self, forward: bool = True) -> bool:
        """Select the next (or previous) unfilled field anywhere in the draft, wrapping around."""
        text = self.toPlainText()
        cursor = self.textCursor()
        start, end = text_index(text, cursor.selectionStart()), text_index(text, cursor.selectionEnd())
        span, wrapped = next_field(text, start, end) if forward else previous_field(text, start, end)
        if span is None:
            self.message.emit("草稿中没有待填项")
            return False
        cursor.setPosition(doc_position(text, span[0]))
        cursor.setPosition(doc_position(text, span[1]), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        if wrapped:
            self.message.emit("已回到开头的待填项" if forward else "已回到末尾的待填项")
        return True

    # -- inserting passages

    def insert_passage(self, text: str) -> tuple[int, int]:
        """Insert a corpus passage as a body paragraph under the current heading; returns its document span."""
        text = " ".join(part.strip() for part in text.strip().splitlines() if part.strip())
        if self.insert_as_fields:
            text = fieldify_figures(text)
        block = self.textCursor().block()
        if self.parser.read_line(block.text()) is not None:
            # On a heading line: after the heading's own body, before its first sub-heading or the next heading.
            following = block.next()
            while following.isValid() and self.parser.read_line(following.text()) is None:
                block, following = following, following.next()
        cursor = QTextCursor(block)
        cursor.beginEditBlock()
        if block.text().strip():
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            cursor.insertBlock()
        else:
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        start = cursor.selectionStart() if cursor.hasSelection() else cursor.position()
        cursor.insertText(text)
        end = cursor.position()
        cursor.endEditBlock()
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return start, end

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        """Accept snippets dragged from the snippets pane as well as text."""
        return source.hasFormat(SNIPPET_MIME) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """A dropped or pasted snippet goes in as a passage; other text as usual."""
        if source.hasFormat(SNIPPET_MIME):
            self.insert_passage(bytes(source.data(SNIPPET_MIME).data()).decode("utf-8"))
            return
        super().insertFromMimeData(source)

    # -- moving blocks

    def replace_lines(self, old: list[str], new: list[str]) -> None:
        """Turn the draft's lines `old` into `new` by one undoable edit covering only the lines that differ."""
        prefix = 0
        while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
            prefix += 1
        suffix = 0
        while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
            suffix += 1
        middle = new[prefix : len(new) - suffix]
        doc = self.document()
        cursor = QTextCursor(doc)
        if suffix:
            cursor.setPosition(doc.findBlockByNumber(prefix).position())
            cursor.setPosition(doc.findBlockByNumber(len(old) - suffix).position(), QTextCursor.MoveMode.KeepAnchor)
            replacement = "".join(line + "\n" for line in middle)
        elif prefix:
            last = doc.findBlockByNumber(prefix - 1)
            cursor.setPosition(last.position() + last.length() - 1)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            replacement = "".join("\n" + line for line in middle)
        else:
            cursor.select(QTextCursor.SelectionType.Document)
            replacement = "\n".join(middle)
        cursor.beginEditBlock()
        cursor.insertText(replacement)
        cursor.endEditBlock()

    def move_block(self, source: int, dest: int) -> bool:
        """Move the heading on line `source` with its body and sub-headings before line `dest` (-1: to the end)."""
        lines = self.toPlainText().split("\n")
        if dest < 0:
            dest = len(lines)
        try:
            moved = outline.move_to_line(lines, source, dest, self.parser)
        except ValueError:
            return False
        new = moved.lines
        if self.auto_renumber:
            new = outline.apply_edits(new, outline.renumber_edits(new, self.parser))
        if new == lines:
            return False
        self.replace_lines(lines, new)
        self.go_to_line(moved.line)
        self.refresh_outline()
        return True

    def move_heading(self, line: int, step: int) -> bool:
        """Move the heading on a line above its previous sibling (step -1) or below its next one (step 1)."""
        self.refresh_outline()
        index = next((i for i, h in enumerate(self.headings) if h.line == line), None)
        if index is None:
            return False
        other = outline.sibling(self.headings, index, step)
        if other is None:
            self.message.emit("已是同级的第一个标题" if step < 0 else "已是同级的最后一个标题")
            return False
        line_count = self.document().blockCount()
        dest = self.headings[other].line if step < 0 else outline.block_end(self.headings, other, line_count)
        return self.move_block(line, dest)

    # -- appearance

    def set_font_size(self, size: float) -> None:
        """Set the editor's font size in points (headings follow)."""
        font = self.font()
        font.setPointSizeF(min(max(size, 8.0), 48.0))
        self.setFont(font)

    def font_size(self) -> float:
        """The editor's font size in points."""
        return self.font().pointSizeF()

    def changeEvent(self, event: QEvent) -> None:
        """Re-derive highlight colours when the system palette changes (light/dark)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())
