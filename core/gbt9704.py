"""The page layout GB/T 9704-2012 sets for a 公文 report: paper, margins, fonts, sizes and the 22 × 28 grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20


def mm_to_twips(mm: float) -> int:
    """Millimetres to twentieths of a point, the unit Word stores page geometry in."""
    return round(mm * TWIPS_PER_MM)


@dataclass(frozen=True)
class Font:
    """A font and size for one kind of paragraph: East Asian face, Latin face, size in half-points."""

    east_asian: str
    latin: str
    half_points: int


@dataclass(frozen=True)
class PageLayout:
    """Paper, margins (mm), lines per page and characters per line; the grid figures are derived from them."""

    width_mm: float = 210
    height_mm: float = 297
    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26
    lines: int = 22
    chars: int = 28
    body_half_points: int = 32
    # Off by design: every page keeps its 22 lines, at the price of a paragraph's last line (even a lone
    # “％。”) sometimes opening a page. On, Word and WPS move a line over and such pages hold 21.
    widow_control: bool = False

    @property
    def width(self) -> int:
        """Paper width in twips (A4: 11906)."""
        return mm_to_twips(self.width_mm)

    @property
    def height(self) -> int:
        """Paper height in twips (A4: 16838)."""
        return mm_to_twips(self.height_mm)

    @property
    def margins(self) -> tuple[int, int, int, int]:
        """Top, bottom, left and right margins in twips."""
        top, bottom = mm_to_twips(self.top_mm), mm_to_twips(self.bottom_mm)
        return top, bottom, mm_to_twips(self.left_mm), mm_to_twips(self.right_mm)

    @property
    def text_height(self) -> int:
        """Height of the text block (版心) in twips: 225 mm."""
        top, bottom, _, _ = self.margins
        return self.height - top - bottom

    @property
    def text_width(self) -> int:
        """Width of the text block (版心) in twips: 156 mm."""
        _, _, left, right = self.margins
        return self.width - left - right

    @property
    def line_pitch(self) -> int:
        """Fixed line spacing in twips that fits exactly `lines` lines in the text block (579 = 28.95 pt)."""
        return self.text_height // self.lines

    @property
    def char_spacing(self) -> int:
        """Character spacing in twips (negative: condensed) so `chars` body characters fill a line: -5 = -0.25 pt."""
        excess = self.body_half_points * 10 * self.chars - self.text_width
        return -math.ceil(excess / self.chars) if excess > 0 else 0

    @property
    def char_pitch(self) -> int:
        """Width of one body character with the condensed spacing, in twips (315 = 15.75 pt)."""
        return self.body_half_points * 10 + self.char_spacing

    @property
    def indent_2_chars(self) -> int:
        """First-line indent of two body characters, in twips."""
        return 2 * self.char_pitch


A4_REPORT = PageLayout()
LATIN = "Times New Roman"
TITLE = Font("方正小标宋简体", LATIN, 44)
HEADING = {
    1: Font("黑体", LATIN, 32),
    2: Font("楷体_GB2312", LATIN, 32),
    3: Font("仿宋_GB2312", LATIN, 32),
    4: Font("仿宋_GB2312", LATIN, 32),
}
BODY = Font("仿宋_GB2312", LATIN, 32)
PAGE_NUMBER = Font("宋体", "宋体", 28)
# Fonts a reader's machine may have instead of the GB fonts (Windows ships 仿宋/楷体, not the _GB2312 faces).
ALTERNATES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
# Distance from the paper's bottom edge to the page number line, in mm: its dash sits 7 mm under the text block.
FOOTER_MM = 25
