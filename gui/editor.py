"""The draft editor: numbered lines are headings; fields, passage insertion, section moves (page view: paged_edit)."""

from __future__ import annotations

import time
from bisect import bisect_right

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QMenu, QTextEdit, QWidget

from bigan.core import outline
from bigan.core.fields import next_field, previous_field
from bigan.core.outline import Heading, OutlineParser
from bigan.core.placeholders import fieldify_figures
from bigan.core.wordcount import word_count
from bigan.gui import page_view, theme
from bigan.gui.highlighter import DraftHighlighter, doc_position, text_index
from bigan.gui.paged_edit import PagedEdit

SNIPPET_MIME = "application/x-bigan-snippet"
_SLOW_PARSE_MS = 8.0
_MAX_DELAY_MS = 300
_COUNT_DELAY_MS = 150


class Editor(PagedEdit):
    """Edits the draft as plain text; keeps its outline current and signals the heading under the cursor."""

    headingsChanged = Signal(list)
    headingChanged = Signal(object)
    countsChanged = Signal(int, int)
    outlineRefreshed = Signal()
    textEdited = Signal()
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None, font_size: float = 14.0, page: bool = True) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setFont(theme.font(theme.BODY_FAMILIES, font_size))
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setPlaceholderText("在这里写作。以“一、”“（一）”“1.”开头的行是标题。")
        self.parser = OutlineParser()
        self.headings: list[Heading] = []
        self._heading_lines: list[int] = []
        self.total_chars = 0
        self.selected_chars = 0
        self.edits = 0
        self.insert_as_fields = True
        self.auto_renumber = True
        self.last_refresh_ms = 0.0
        self.page = page
        self._baseline = True
        self._restyling = False
        self._undoing = False
        # Clicks beside the page are caught here, not in a viewportEvent override: a Python frame around the
        # page's painting would hold the GIL through it and stall the workers.
        self.installEventFilter(self)
        self._current: tuple[int, str] | None = None
        self.highlighter = DraftHighlighter(self.document(), self.palette(), font_size)
        self.highlighter.parser = self.parser  # one reading of the lines: items need the editor's last parse
        self._items_shown: frozenset[int] = frozenset()
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
        self._apply_page_geometry()

    # -- the draft as a whole

    def set_draft(self, text: str) -> None:
        """Replace the draft (a new or opened file): clears undo history; numbering is left as written."""
        self._baseline = True
        doc = self.document()
        self._restyling = True
        try:
            doc.setUndoRedoEnabled(False)
            doc.clear()
            cursor = QTextCursor(doc)
            cursor.setBlockFormat(page_view.block_format(self._look().body()))
            cursor.insertText(text)
            doc.setUndoRedoEnabled(True)
            page_view.restyle_all(doc, self._look(), self.parser)
        finally:
            self._restyling = False
        self.setTextCursor(QTextCursor(doc))
        doc.setModified(False)
        self.edits += 1
        self.refresh_outline()
        self.count_now()

    def draft_text(self) -> str:
        """The draft as plain text."""
        return self.toPlainText()

    def line_text(self, line: int) -> str:
        """The text of one line (paragraph) of the draft."""
        block = self.document().findBlockByNumber(line)
        return block.text() if block.isValid() else ""

    def appendPlainText(self, text: str) -> None:
        """Add a paragraph at the end of the draft, as one undoable edit."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        cursor.insertBlock()
        cursor.insertText(text)
        cursor.endEditBlock()

    # -- outline tracking

    def _contents_changed(self, position: int, removed: int, added: int) -> None:
        if self._restyling:
            return
        if self.page and not self._undoing:
            self._restyle_around(position, added)
        self.edits += 1
        self.textEdited.emit()
        self._count_timer.start()
        if not self._refresh_timer.isActive():
            delay = 0 if self.last_refresh_ms < _SLOW_PARSE_MS else min(_MAX_DELAY_MS, 3 * self.last_refresh_ms)
            self._refresh_timer.start(int(delay))

    def outline_pending(self) -> bool:
        """Whether the text changed since the headings were last read."""
        return self._refresh_timer.isActive()

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
        self._restyle_items()
        if headings != self.headings:
            self.headings = headings
            self._heading_lines = [h.line for h in headings]
            self.headingsChanged.emit(headings)
        self._update_current()
        self.last_refresh_ms = (time.perf_counter() - started) * 1000
        self.outlineRefreshed.emit()

    def _restyle_items(self) -> None:
        """Re-colour the lines whose reading changed between numbered item and heading (it depends on neighbours)."""
        items = self.parser.item_lines
        changed = items.symmetric_difference(self._items_shown)
        self._items_shown = items
        document = self.document()
        for line in sorted(changed):
            block = document.findBlockByNumber(line)
            if block.isValid():
                self.highlighter.rehighlightBlock(block)

    def count_now(self) -> None:
        """Count the draft's 字数 as WPS and Word do (done shortly after typing pauses, not on every key)."""
        self._count_timer.stop()
        self.total_chars = word_count(self.toPlainText())
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
        count = word_count(self.textCursor().selectedText().replace("\u2029", "\n"))
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

    # -- undo and redo (page formats follow the text, never the other way round)

    def undo(self) -> None:
        """Undo the last edit (with the page formats it brought)."""
        self._undoing = True
        try:
            super().undo()
        finally:
            self._undoing = False

    def redo(self) -> None:
        """Redo the last undone edit."""
        self._undoing = True
        try:
            super().redo()
        finally:
            self._undoing = False

    # -- navigation

    def centerCursor(self) -> None:
        """Scroll so that the cursor's line stands in the middle of the view."""
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect().center().y() - self.viewport().height() // 2)

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
        """Tab and Shift+Tab move between fill-in fields; undo and redo go through the editor's own."""
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.NoModifier:
            self.go_to_field(forward=True)
            return
        if event.key() == Qt.Key.Key_Backtab:
            self.go_to_field(forward=False)
            return
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self.redo()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The usual edit menu, its undo and redo going through the editor's own."""
        menu = QMenu(self)
        doc = self.document()
        has_selection = self.textCursor().hasSelection()
        groups = [
            [("撤销(&U)", self.undo, doc.isUndoAvailable()), ("重做(&R)", self.redo, doc.isRedoAvailable())],
            [
                ("剪切(&T)", self.cut, has_selection and not self.isReadOnly()),
                ("复制(&C)", self.copy, has_selection),
                ("粘贴(&P)", self.paste, self.canPaste()),
            ],
            [("全选(&L)", self.selectAll, not doc.isEmpty())],
        ]
        for group in groups:
            if menu.actions():
                menu.addSeparator()
            for text, slot, enabled in group:
                action = menu.addAction(text)
                action.setEnabled(enabled)
                action.triggered.connect(lambda _=False, run=slot: run())
        menu.exec(event.globalPos())

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
        """Insert a corpus passage as a body paragraph under the current heading; returns its document span.

        Its 一是/二是 items are numbered on from the items the section already has before the insertion point.
        """
        from bigan.core.ordinals import count_items, renumber_items  # loaded on first use: a lighter start

        text = " ".join(part.strip() for part in text.strip().splitlines() if part.strip())
        if self._refresh_timer.isActive():
            self.refresh_outline()  # the sections' lines must be current to count their items
        block = self.textCursor().block()
        if self.parser.read_line(block.text()) is not None:
            # On a heading line: after the heading's own body, before its first sub-heading or the next heading.
            following = block.next()
            while following.isValid() and self.parser.read_line(following.text()) is None:
                block, following = following, following.next()
        index = bisect_right(self._heading_lines, block.blockNumber()) - 1
        first = self._heading_lines[index] if index >= 0 else 0
        before = [self.line_text(n) for n in range(first, block.blockNumber() + 1)]
        text = renumber_items(text, count_items("\n".join(before)))
        if self.insert_as_fields:
            text = fieldify_figures(text)
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
        """A dropped or pasted snippet goes in as a passage; other text as plain text."""
        if source.hasFormat(SNIPPET_MIME):
            self.insert_passage(bytes(source.data(SNIPPET_MIME).data()).decode("utf-8"))
            return
        super().insertFromMimeData(source)

    # -- moving sections and changing their level

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
        from bigan.core.outline_edits import move_section

        lines = self.toPlainText().split("\n")
        try:
            moved = move_section(lines, source, dest, self.parser)
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

    def shift_heading(self, line: int, step: int) -> bool:
        """升级 (step -1) or 降级 (step 1) the heading on a line with its sub-headings, renumbered, as one undo step."""
        from bigan.core.outline_edits import shift_level

        lines = self.toPlainText().split("\n")
        new = shift_level(lines, line, step, self.parser)
        if new is None:
            self.message.emit("一级标题不能再升级" if step < 0 else "已到最低一级（（1））或下级标题无法再降级")
            return False
        at = self.textCursor()
        line_now, column = at.blockNumber(), at.positionInBlock()
        shift = len(new[line_now]) - len(lines[line_now]) if line_now < len(new) else 0
        self.replace_lines(lines, new)
        self.refresh_outline()
        block = self.document().findBlockByNumber(line_now)
        restored = QTextCursor(block)
        restored.setPosition(block.position() + min(max(0, column + shift), block.length() - 1))
        self.setTextCursor(restored)
        return True

    def changeEvent(self, event: QEvent) -> None:
        """Re-derive highlight colours when the system palette changes (light/dark)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())
