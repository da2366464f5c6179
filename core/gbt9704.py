"""The page layout GB/T 9704-2012 sets for a 公文 report: paper, margins, fonts, sizes and the 22 × 28 grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

TWIPS_PER_MM = 1440 / 25.4


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


@dataclass(frozen=True)
class Face:
    """What a Word font table says of a face, so a machine without it picks the nearest face it has.

    `alternates` are the names to try instead (w:altName, nearest first); the PANOSE number, Windows character
    set (86 = GB2312), family, pitch and Unicode/code-page signature are the face's own, as Windows reports
    them, except where a note says otherwise.
    """

    alternates: tuple[str, ...]
    panose: str
    family: str
    pitch: str
    signature: tuple[str, str, str, str, str, str] | None = None
    charset: str = "86"


# Unicode ranges and code pages (usb0–usb3, csb0–csb1) of the GB2312-only faces and of Windows's GBK faces.
_GB2312_ONLY = ("00000001", "080E0000", "00000000", "00000000", "00040000", "00000000")
_WINDOWS_GBK = ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")
_SIMSUN = ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000")
# A stock Windows has 仿宋, 楷体, 黑体 and 宋体 (FangSong, KaiTi, SimHei, SimSun) but not the _GB2312 or 方正
# faces; Kylin and UOS machines often carry the 方正 *_GBK faces instead.
FACES = {
    "仿宋_GB2312": Face(("仿宋", "FangSong", "方正仿宋_GBK"), "02010609030101010101", "modern", "fixed", _GB2312_ONLY),
    "楷体_GB2312": Face(("楷体", "KaiTi", "方正楷体_GBK"), "02010609030101010101", "modern", "fixed", _GB2312_ONLY),
    # 方正小标宋's own PANOSE is not published; SimSun's stands in, steering a PANOSE match to the Song face.
    "方正小标宋简体": Face(
        ("方正小标宋_GBK", "华文中宋", "STZhongsong", "宋体", "SimSun"), "02010600030101010101", "auto", "variable"
    ),
    "黑体": Face(("SimHei", "方正黑体_GBK"), "02010609060101010101", "modern", "fixed", _WINDOWS_GBK),
    "宋体": Face(("SimSun",), "02010600030101010101", "auto", "variable", _SIMSUN),
}
LATIN_FACE = Face(
    (),
    "02020603050405020304",
    "roman",
    "variable",
    ("E0002AFF", "C0007841", "00000009", "00000000", "000001FF", "00000000"),
    "00",
)
# The first face a reader's machine may have instead of each GB font.
ALTERNATES = {name: face.alternates[0] for name, face in FACES.items() if name != face.alternates[0]}
# Distance from the paper's bottom edge to the page number line, in mm: its dash sits 7 mm under the text block.
FOOTER_MM = 25
