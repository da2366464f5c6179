"""Fonts and colours of the window: CJK font families by role, highlight colours derived from the palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette

# Preferred families first; the CJK fonts of Windows, Kylin/UOS and common Linux packages follow as fallbacks.
BODY_FAMILIES = [
    "FangSong",
    "仿宋",
    "仿宋_GB2312",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "思源黑体",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "微软雅黑",
    "PingFang SC",
]
HEI_FAMILIES = ["SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei"]
KAI_FAMILIES = ["KaiTi", "楷体", "楷体_GB2312", "AR PL UKai CN", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun"]
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
