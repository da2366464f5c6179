"""A snippet card: what it says (facts and badges, the passage with its matched terms, the source) and its layout."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QTextCharFormat, QTextLayout, QTextOption

from bigan.gui import theme

if TYPE_CHECKING:
    from bigan.core.match import Match

KINDS = {"paragraph": "段落", "item": "条目"}
PERSONAL = "本人"
CARD_CHARS = 240
# The header and source lines are set this much smaller than the passage.
SMALL = 0.8
# Pixels between the header, the passage and the source.
GAP = 3
_PAD = "\u00a0"  # inside a badge: a space the line is never broken at


@dataclass(frozen=True)
class CardText:
    """What one card says: a header of facts with badges, the passage with its matched terms, and its source."""

    header: str
    badges: tuple[tuple[int, int, str], ...]  # (start, end, "badge" or "used") in header
    body: str
    terms: tuple[tuple[int, int], ...]  # (start, end) of each matched term in body
    source: str


@dataclass(frozen=True)
class CardColours:
    """The colours a card is drawn in, worked out once per palette and selection state."""

    text: str
    muted: str
    badge: str
    term: str
    used: str
    plain: str

    @classmethod
    def of(cls, palette: QPalette, selected: bool = False) -> CardColours:
        """The colours for cards drawn with palette, selected or not."""
        fg = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        behind = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
        return cls(
            text=fg.name(),
            muted=theme.mix(fg, behind, 0.35).name(),
            badge=theme.mix(palette.color(QPalette.ColorRole.Base), theme.accent(palette), 0.3).name(),
            term=theme.term_background(palette).name(),
            used=theme.used_background(palette).name(),
            plain=palette.text().color().name(),
        )


def term_spans(text: str, terms: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """Where the terms occur in text, read left to right, the longest term first where several start at a place
    (a scan, not a regular expression: each card has its own terms, and compiling them cost more than the layout)."""
    starting: dict[str, list[str]] = {}
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        starting.setdefault(term[0], []).append(term)
    spans, at = [], 0
    while at < len(text):
        found = next((t for t in starting.get(text[at], ()) if text.startswith(t, at)), None)
        if found is None:
            at += 1
        else:
            spans.append((at, at + len(found)))
            at += len(found)
    return tuple(spans)


def card_text(match: Match, number: int, used: bool = False, mixed: bool = False) -> CardText:
    """The card for a match shown at position number: shortcut, kind, year, bank, frequency and 已用 badges, the
    passage (cut at CARD_CHARS) with matched terms, the source. Among results from both banks (mixed) every card
    names its bank, 本人 or 单位; otherwise only an office one."""
    body = match.text if len(match.text) <= CARD_CHARS else match.text[: CARD_CHARS - 1] + "…"
    spans = term_spans(body, match.terms)
    facts = [KINDS.get(match.kind, match.kind)]
    if match.source.year:
        facts.append(f"{match.source.year}年")
    bank = getattr(match, "bank", "")
    if bank and (mixed or bank != PERSONAL):
        facts.append(bank)
    header = (f"Ctrl+{number}  " if number <= 9 else "") + " · ".join(facts) + "  "
    badges = []
    for label, role in [(f"{match.freq} 篇", "badge")] + ([("已用", "used")] if used else []):
        if role == "used":
            header += "  "
        badges.append((len(header), len(header) + len(label) + 2, role))
        header += f"{_PAD}{label}{_PAD}"
    source = f"《{match.source.title}》" + (f" › {match.source.heading}" if match.source.heading else "")
    return CardText(header, tuple(badges), body, spans, source)


def _laid_out(
    text: str, font: QFont, width: int, top: float, formats: list[QTextLayout.FormatRange] | None = None
) -> tuple[QTextLayout, float]:
    """text (with formats) wrapped to width from top; returns the layout and the y below its last line."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    if formats:
        layout.setFormats(formats)
    layout.setCacheEnabled(True)
    y = top
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, y))
        y += math.ceil(line.height())
    layout.endLayout()
    return layout, y


def _ranges(spans: Iterable[tuple[int, int]], background: str, foreground: str) -> list[QTextLayout.FormatRange]:
    char = QTextCharFormat()
    char.setBackground(QBrush(QColor(background)))
    char.setForeground(QBrush(QColor(foreground)))
    ranges = []
    for start, end in spans:
        span = QTextLayout.FormatRange()
        span.start, span.length, span.format = start, end - start, char
        ranges.append(span)
    return ranges


class CardLayout:
    """A card's header, passage and source wrapped to a width, its badges and terms marked: height and painting."""

    def __init__(self, card: CardText, font: QFont, width: int, colours: CardColours) -> None:
        small = QFont(font)
        if font.pointSizeF() > 0:
            small.setPointSizeF(font.pointSizeF() * SMALL)
        else:
            small.setPixelSize(max(1, round(font.pixelSize() * SMALL)))
        badges = [
            *_ranges((s[:2] for s in card.badges if s[2] == "badge"), colours.badge, colours.plain),
            *_ranges((s[:2] for s in card.badges if s[2] == "used"), colours.used, colours.plain),
        ]
        self.header, below = _laid_out(card.header, small, width, 0, badges)
        terms = _ranges(card.terms, colours.term, colours.plain)
        self.body, below = _laid_out(card.body, font, width, below + GAP, terms)
        self.source, below = _laid_out(card.source, small, width, below + GAP)
        self.height = int(below)

    def draw(self, painter: QPainter, origin: QPointF, colours: CardColours) -> None:
        """Paint the card with its top left at origin, its text in colours (badges and terms keep theirs)."""
        muted = QColor(colours.muted)
        painter.setPen(muted)
        self.header.draw(painter, origin)
        painter.setPen(QColor(colours.text))
        self.body.draw(painter, origin)
        painter.setPen(muted)
        self.source.draw(painter, origin)
