"""The editor's page view: block formats (title centred, first lines indented) and the width of a 28-character line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextBlock, QTextBlockFormat, QTextCursor, QTextDocument

from bigan.core.outline import OutlineParser

PAGE_CHARS = 28
INDENT_CHARS = 2
LINE_HEIGHT = 150  # per cent of the font's line height: the page's airy fixed spacing, on screen
_SLACK_PX = 3
_INDENT_MARKS = " \t\u3000"
_LEFT = int(Qt.AlignmentFlag.AlignLeft)
_CENTRE = int(Qt.AlignmentFlag.AlignHCenter)
_JUSTIFY = int(Qt.AlignmentFlag.AlignJustify)

Wanted = tuple[int, float, int]


def char_width(font: QFont) -> float:
    """The advance of one Chinese character in a font: the unit of the 28-character page line."""
    return QFontMetricsF(font).horizontalAdvance("国")


def text_width(font: QFont, chars: int = PAGE_CHARS) -> int:
    """Pixels a line of `chars` Chinese characters needs (with a little slack for rounding)."""
    return int(chars * char_width(font)) + _SLACK_PX


@dataclass(frozen=True)
class Look:
    """How blocks are formatted: page view on or off, and the indent that two characters take."""

    page: bool
    indent: float

    def body(self) -> Wanted:
        """(alignment, first-line indent, line height) of a body or heading paragraph."""
        return (_JUSTIFY, round(self.indent, 2), LINE_HEIGHT) if self.page else (_LEFT, 0.0, 100)

    def wanted(self, block: QTextBlock, parser: OutlineParser) -> Wanted:
        """What a block should have: the title centred, a self-indented line without the extra indent."""
        if not self.page:
            return self.body()
        text = block.text()
        if block.blockNumber() == 0 and parser.read_line(text) is None:
            return _CENTRE, 0.0, LINE_HEIGHT
        if text[:1] and text[0] in _INDENT_MARKS:
            return _JUSTIFY, 0.0, LINE_HEIGHT
        return self.body()


def block_format(wanted: Wanted) -> QTextBlockFormat:
    """The block format for a wanted look."""
    alignment, indent, height = wanted
    fmt = QTextBlockFormat()
    fmt.setAlignment(Qt.AlignmentFlag(alignment))
    fmt.setTextIndent(indent)
    fmt.setLineHeight(height, int(QTextBlockFormat.LineHeightTypes.ProportionalHeight.value))
    return fmt


def current(block: QTextBlock) -> Wanted:
    """(alignment, first-line indent, line height) a block has now."""
    fmt = block.blockFormat()
    proportional = fmt.lineHeightType() == QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
    height = int(fmt.lineHeight()) if proportional else 100
    alignment = int(fmt.alignment()) & int(Qt.AlignmentFlag.AlignHorizontal_Mask)
    return alignment or _LEFT, round(fmt.textIndent(), 2), height


@contextlib.contextmanager
def _in_last_step(document: QTextDocument) -> Iterator[QTextCursor]:
    """A cursor whose format changes join the last undo step (so one undo takes both), else stay out of history."""
    modified = document.isModified()
    cursor = QTextCursor(document)
    joined = document.isUndoAvailable()
    if joined:
        cursor.joinPreviousEditBlock()
    else:
        document.setUndoRedoEnabled(False)
    try:
        yield cursor
    finally:
        if joined:
            cursor.endEditBlock()
        else:
            document.setUndoRedoEnabled(True)
        document.setModified(modified)


def restyle(document: QTextDocument, blocks: list[QTextBlock], look: Look, parser: OutlineParser) -> int:
    """Give the blocks the look they lack; returns how many changed."""
    changes = []
    for block in blocks:
        wanted = look.wanted(block, parser)
        if current(block) != wanted:
            changes.append((block.position(), wanted))
    if changes:
        with _in_last_step(document) as cursor:
            for position, wanted in changes:
                cursor.setPosition(position)
                cursor.setBlockFormat(block_format(wanted))
    return len(changes)


def restyle_all(document: QTextDocument, look: Look, parser: OutlineParser) -> None:
    """Give every block its look: one format for the whole body, then the title and self-indented lines."""
    with _in_last_step(document) as cursor:
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setBlockFormat(block_format(look.body()))
    special = [document.firstBlock()]
    block = document.firstBlock().next()
    while block.isValid():
        if block.text()[:1] in _INDENT_MARKS and block.text():
            special.append(block)
        block = block.next()
    restyle(document, special, look, parser)
