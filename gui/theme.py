"""Fonts and colours of the window: CJK font families by role, highlight colours derived from the palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette

# The GB/T 9704 faces under their Windows, WPS and Kylin/UOS names.
FANGSONG = [
    "仿宋_GB2312",
    "FangSong_GB2312",
    "仿宋",
    "FangSong",
    "方正仿宋_GBK",
    "方正仿宋简体",
    "华文仿宋",
    "STFangsong",
]
HEITI = ["黑体", "SimHei", "方正黑体_GBK", "方正黑体简体", "华文黑体", "STHeiti"]
KAITI = ["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "方正楷体_GBK", "方正楷体简体", "华文楷体", "STKaiti"]
XIAOBIAOSONG = ["方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong"]
# Where they are missing, the CJK fonts common on Linux, Windows and macOS, closest in look first.
_SERIF = ["Noto Serif CJK SC", "Source Han Serif SC", "思源宋体", "AR PL UMing CN", "宋体", "SimSun"]
_SANS = ["Noto Sans CJK SC", "Source Han Sans SC", "思源黑体", "WenQuanYi Micro Hei", "Microsoft YaHei", "微软雅黑"]
BODY_FAMILIES = [*FANGSONG, *_SERIF, *_SANS, "PingFang SC"]
HEI_FAMILIES = [*HEITI, *_SANS, "WenQuanYi Zen Hei"]
KAI_FAMILIES = [*KAITI, "AR PL UKai CN", *_SERIF]
TITLE_FAMILIES = [*XIAOBIAOSONG, *_SERIF, *_SANS]
UI_FAMILIES = ["Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"]


def font(families: list[str], point_size: float | None = None) -> QFont:
    """A font that tries the families in order, character by character."""
    result = QFont()
    result.setFamilies(families)
    if point_size:
        result.setPointSizeF(point_size)
    return result


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """The colour `amount` of the way from a to b."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def is_dark(palette: QPalette) -> bool:
    """Whether the palette has light text on a dark base."""
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def field_background(palette: QPalette) -> QColor:
    """Background of an unfilled field: the palette's highlight, softened into the base colour."""
    return mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight), 0.28)


def term_background(palette: QPalette) -> QColor:
    """Background of a matched term in a snippet card."""
    warm = QColor(255, 200, 0) if not is_dark(palette) else QColor(200, 150, 0)
    return mix(palette.color(QPalette.ColorRole.Base), warm, 0.45)


def muted_text(palette: QPalette) -> QColor:
    """Secondary text (sources, counts): the text colour faded towards the base."""
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.4)


def accent(palette: QPalette) -> QColor:
    """Heading numbers and badges: the highlight colour, moved towards the text colour for contrast."""
    return mix(palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Text), 0.25)


def used_background(palette: QPalette) -> QColor:
    """Background of the 已用 badge on a card the draft already holds: a quiet green."""
    green = QColor(60, 170, 90) if not is_dark(palette) else QColor(40, 130, 70)
    return mix(palette.color(QPalette.ColorRole.Base), green, 0.35)
