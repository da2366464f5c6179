"""Word's automatic numbering (numbering.xml): list definitions, running counters, numbers rendered as text."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from bigan.core.docx_package import on, val, w

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --- number formats --------------------------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TW_LEGAL = "零壹貳參肆伍陸柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
_ROMAN += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _group(value: int, digits: str, lead: bool, omit_one: str, zero: bool, units: str = "十百千") -> str:
    """A value below 10 000 in counting numerals: 三千零五, 一百一十, 十二; `omit_one` is "ten", "all" or ""."""
    out: list[str] = []
    gap = False
    for power in (3, 2, 1, 0):
        digit = value // 10**power % 10
        if digit == 0:
            gap = bool(out)
            continue
        if gap and zero:
            out.append(digits[0])
        gap = False
        leading_ten = omit_one == "ten" and power == 1 and lead and not out
        if not (digit == 1 and power and (omit_one == "all" or leading_ten)):
            out.append(digits[digit])
        if power:
            out.append(units[power - 1])
    return "".join(out)


def chinese_counting(value: int, digits: str = _CN_DIGITS, big: str = "万", legal: bool = False) -> str:
    """Chinese counting numerals (一 … 十一 … 一百零一 … 一万零一十); legal forms keep 壹拾; else Arabic digits."""
    if not 0 <= value < 10**8:
        return str(value)
    if value == 0:
        return digits[0]
    units = "拾佰仟" if legal else "十百千"
    omit = "" if legal else "ten"
    high, low = divmod(value, 10_000)
    if not high:
        return _group(low, digits, True, omit, True, units)
    text = _group(high, digits, True, omit, True, units) + big
    if low:
        text += (digits[0] if low < 1000 else "") + _group(low, digits, False, omit, True, units)
    return text


def _japanese_counting(value: int) -> str:
    return _group(value, _CN_DIGITS, True, "all", False) if 0 < value < 10_000 else str(value)


def _digit_by_digit(value: int) -> str:
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(value)) if value >= 0 else str(value)


def _enclosed(value: int, first: int, count: int) -> str:
    return chr(first + value - 1) if 1 <= value <= count else str(value)


def _letters(value: int, upper: bool) -> str:
    if not 1 <= value <= 780:
        return str(value)
    letter = chr((ord("A") if upper else ord("a")) + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if not 1 <= value <= 3999:
        return str(value)
    out = []
    for amount, symbol in _ROMAN:
        count, value = divmod(value, amount)
        out.append(symbol * count)
    return "".join(out)


def _full_width(value: int) -> str:
    return "".join(chr(ord(d) + 0xFEE0) if d.isdigit() else d for d in str(value))


_FORMATS = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda v: f"{v:02d}" if 0 <= v < 10 else str(v),
    "decimalFullWidth": _full_width,
    "decimalFullWidth2": _full_width,
    "decimalEnclosedCircle": lambda v: _enclosed(v, 0x2460, 20),
    "decimalEnclosedCircleChinese": lambda v: _enclosed(v, 0x2460, 20),
    "decimalEnclosedFullstop": lambda v: _enclosed(v, 0x2488, 20),
    "decimalEnclosedParen": lambda v: _enclosed(v, 0x2474, 20),
    "ideographEnclosedCircle": lambda v: _enclosed(v, 0x3280, 10),
    "upperLetter": lambda v: _letters(v, True),
    "lowerLetter": lambda v: _letters(v, False),
    "upperRoman": _roman,
    "lowerRoman": lambda v: _roman(v).lower(),
    "chineseCounting": chinese_counting,
    "chineseCountingThousand": chinese_counting,
    "taiwaneseCounting": chinese_counting,
    "taiwaneseCountingThousand": chinese_counting,
    "japaneseCounting": _japanese_counting,
    "chineseLegalSimplified": lambda v: chinese_counting(v, _CN_LEGAL, "万", True),
    "ideographLegalTraditional": lambda v: chinese_counting(v, _TW_LEGAL, "萬", True),
    "ideographDigital": _digit_by_digit,
    "taiwaneseDigital": _digit_by_digit,
    "japaneseDigitalTenThousand": _digit_by_digit,
    "ideographTraditional": lambda v: _STEMS[(v - 1) % 10] if v > 0 else str(v),
    "ideographZodiac": lambda v: _BRANCHES[(v - 1) % 12] if v > 0 else str(v),
    "ordinal": lambda v: f"{v}{'th' if 10 <= v % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(v % 10, 'th')}",
    "none": lambda v: "",
}


def format_number(value: int, fmt: str) -> str:
    """One counter value in a w:numFmt (decimal, chineseCounting, ideographTraditional …); unknown ones as 1 2 3."""
    return _FORMATS.get(fmt, str)(value)


# --- definitions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One level of a list definition: start value (0 when w:start is absent, as the standard and Word have it),
    format, text with %1…%9, after which level it restarts (None: any higher one; 0: never), what follows it."""

    start: int = 0
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None
    suffix: str = "tab"
    legal: bool = False
    style: str | None = None


@dataclass
class _Num:
    abstract: str
    levels: dict[int, Level] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)


def _num_format(element: ET.Element) -> str:
    fmt = val(element.find(w("numFmt")))
    if fmt is None:
        # Word 2010 writes custom formats as a Choice with a plain Fallback.
        fallback = element.find(f"{{{_MC}}}AlternateContent/{{{_MC}}}Fallback/{w('numFmt')}")
        fmt = val(fallback)
    if element.find(w("lvlPicBulletId")) is not None:
        return "bullet"
    return fmt or "decimal"


def _read_level(element: ET.Element) -> Level:
    return Level(
        start=_int(val(element.find(w("start"))), 0) or 0,
        fmt=_num_format(element),
        text=val(element.find(w("lvlText"))) or "",
        restart=_int(val(element.find(w("lvlRestart"))), None),
        suffix=val(element.find(w("suff"))) or "tab",
        legal=on(element.find(w("isLgl"))),
        style=val(element.find(w("pStyle"))),
    )


def _levels(element: ET.Element) -> dict[int, Level]:
    levels = {}
    for lvl in element.findall(w("lvl")):
        ilvl = _int(lvl.get(w("ilvl")), None)
        if ilvl is not None and 0 <= ilvl < LEVELS:
            levels[ilvl] = _read_level(lvl)
    return levels


class Numbering:
    """A document's list definitions and their counters, advanced as paragraphs are read in order."""

    def __init__(self, root: ET.Element | None, style_nums: dict[str, str] | None = None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._links: dict[str, str] = {}
        self._nums: dict[str, _Num] = {}
        self._values: dict[str, list[int | None]] = {}
        self._used: set[str] = set()
        if root is None:
            return
        for abstract in root.findall(w("abstractNum")):
            key = abstract.get(w("abstractNumId")) or ""
            self._abstract[key] = _levels(abstract)
            link = val(abstract.find(w("numStyleLink")))
            if link:
                self._links[key] = link
        for num in root.findall(w("num")):
            entry = _Num(val(num.find(w("abstractNumId"))) or "")
            for override in num.findall(w("lvlOverride")):
                ilvl = _int(override.get(w("ilvl")), None)
                if ilvl is None or not 0 <= ilvl < LEVELS:
                    continue
                start = _int(val(override.find(w("startOverride"))), None)
                if start is not None:
                    entry.starts[ilvl] = start
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    entry.levels[ilvl] = _read_level(lvl)
            self._nums[num.get(w("numId")) or ""] = entry
        self._resolve_links(style_nums or {})

    def _resolve_links(self, style_nums: dict[str, str]) -> None:
        """An abstractNum that only names a numbering style takes the levels of the list that style uses."""
        for key, style in self._links.items():
            target = self._nums.get(style_nums.get(style, ""))
            if target is not None and target.abstract != key and self._abstract.get(target.abstract):
                for num in self._nums.values():
                    if num.abstract == key:
                        num.abstract = target.abstract

    def level_of_style(self, num_id: str, style_id: str) -> int | None:
        """The level of list `num_id` that names paragraph style `style_id` (w:lvl/w:pStyle), if any."""
        num = self._nums.get(num_id)
        if num is None:
            return None
        for ilvl, level in self._abstract.get(num.abstract, {}).items():
            if level.style == style_id:
                return ilvl
        return None

    def _level(self, num: _Num, ilvl: int) -> Level:
        return num.levels.get(ilvl) or self._abstract.get(num.abstract, {}).get(ilvl) or Level(fmt="none")

    def _start(self, num: _Num, ilvl: int) -> int:
        return num.starts.get(ilvl, self._level(num, ilvl).start)

    def advance(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """Count one paragraph of list `num_id` at level `ilvl`: its number as Word shows it, and the separator."""
        num = self._nums.get(num_id)
        if num is None or num.abstract not in self._abstract or not 0 <= ilvl < LEVELS:
            return "", ""
        values = self._values.setdefault(num.abstract, [None] * LEVELS)
        if num_id not in self._used:
            self._used.add(num_id)
            for overridden in num.starts:
                values[overridden] = None
        current = values[ilvl]
        values[ilvl] = self._start(num, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, LEVELS):
            restart = self._level(num, deeper).restart
            if restart is None or ilvl < restart:
                values[deeper] = None
        level = self._level(num, ilvl)
        if level.fmt == "bullet":
            return "", ""

        def render(found: re.Match[str]) -> str:
            index = int(found.group(1)) - 1
            value = values[index]
            shown = self._start(num, index) if value is None else value
            fmt = self._level(num, index).fmt
            if level.legal and fmt != "none":
                fmt = "decimal"
            return "" if fmt == "bullet" else format_number(shown, fmt)

        number = _PLACEHOLDER.sub(render, level.text)
        return number, _separator(number, level.suffix)


def _separator(number: str, suffix: str) -> str:
    """What stands for the tab or space after a number: nothing after punctuation (一、 （一） 1. ①), else a space."""
    if not number or suffix == "nothing":
        return ""
    category = unicodedata.category(number[-1])
    return " " if category[0] == "L" or category == "Nd" else ""
