"""Editor highlighting: the title line, headings by level (一、 黑体 bold, （一） 楷体), unfilled fields marked."""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from bigan.core.fields import field_spans
from bigan.core.outline import OutlineParser
from bigan.gui import theme

_HEADING_END = "。！？：:"
TITLE_SCALE = 22 / 16  # 二号 title over 三号 body
_INDENT = " \t\u3000"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def doc_position(text: str, index: int) -> int:
    """A Python string index as a QTextDocument position (UTF-16 units: characters beyond the BMP count twice)."""
    return index + len(_ASTRAL.findall(text, 0, index)) if _ASTRAL.search(text) else index


def text_index(text: str, position: int) -> int:
    """A QTextDocument position as a Python string index."""
    if not _ASTRAL.search(text):
        return position
    units = 0
    for index, char in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _has_family(names: list[str]) -> bool:
    available = set(QFontDatabase.families())
    return any(name in available for name in names)


class DraftHighlighter(QSyntaxHighlighter):
    """Formats each line of the draft: heading part by level, numbers in the accent colour, fields shaded."""

    def __init__(self, document: QTextDocument, palette: QPalette, body_size: float = 14.0) -> None:
        super().__init__(document)
        self.parser = OutlineParser()
        self.body_size = body_size
        self.set_palette(palette, rehighlight=False)

    def set_body_size(self, size: float) -> None:
        """Follow the editor's font size (the title is set larger, as 二号 is to 三号)."""
        if size != self.body_size:
            self.body_size = size
            self.title.setFontPointSize(size * TITLE_SCALE)
            self.rehighlight()

    def set_palette(self, palette: QPalette, rehighlight: bool = True) -> None:
        """Derive every colour from the palette (light or dark), then redraw."""
        number = QTextCharFormat()
        number.setForeground(theme.accent(palette))
        level1 = QTextCharFormat()
        level1.setFontFamilies(theme.HEI_FAMILIES)
        level1.setFontWeight(QFont.Weight.Bold)
        level2 = QTextCharFormat()
        level2.setFontFamilies(theme.KAI_FAMILIES)
        if not _has_family(theme.KAITI):
            # Without a real 楷体 the serif fallback alone is too close to the body; a little weight tells them apart.
            level2.setFontWeight(QFont.Weight.DemiBold)
        level3 = QTextCharFormat()
        level3.setFontWeight(QFont.Weight.Medium)
        self.title = QTextCharFormat()
        self.title.setFontFamilies(theme.TITLE_FAMILIES)
        if not _has_family(theme.XIAOBIAOSONG):
            self.title.setFontWeight(QFont.Weight.Bold)  # a plain 宋体 fallback needs weight to read as 小标宋
        self.title.setFontPointSize(self.body_size * TITLE_SCALE)
        self.levels = {1: level1, 2: level2, 3: level3, 4: QTextCharFormat()}
        self.number = number
        self.field = QTextCharFormat()
        self.field.setBackground(theme.field_background(palette))
        self.missing = QTextCharFormat()
        self.missing.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.missing.setUnderlineColor(theme.accent(palette))
        if rehighlight:
            self.rehighlight()

    def _span(self, text: str, start: int, end: int, style: QTextCharFormat, merge: bool = False) -> None:
        first, last = doc_position(text, start), doc_position(text, end)
        if merge:
            merged = QTextCharFormat(self.format(first))
            merged.merge(style)
            style = merged
        self.setFormat(first, last - first, style)

    def highlightBlock(self, text: str) -> None:
        """Format one line."""
        found = self.parser.read_line(text)
        if found is not None and self.currentBlock().blockNumber() in self.parser.item_lines:
            found = None  # a numbered item is body text with a number
        if found is None and self.currentBlock().blockNumber() == 0:
            self._span(text, 0, len(text), self.title)
        elif found is not None:
            indent = len(text) - len(text.lstrip(_INDENT))
            at = text.find(found.text, found.numeral[1])
            heading_end = at + len(found.text) if at >= 0 else len(text)
            if heading_end < len(text) and text[heading_end] in _HEADING_END:
                heading_end += 1
            self._span(text, 0, heading_end, self.levels[found.level])
            self._span(text, indent, indent + len(found.number), self.number, merge=True)
        for start, end in field_spans(text):
            if start < end:
                self._span(text, start, end, self.field, merge=True)
            elif start < len(text):
                self._span(text, start, start + 1, self.missing, merge=True)
