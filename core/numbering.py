"""Heading numbers as values: reading 一/十二/3 and writing the number a level expects."""

from __future__ import annotations

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def chinese_value(text: str) -> int | None:
    """The value of a Chinese numeral up to 99 (一 1, 十 10, 十二 12, 二十三 23), or None."""
    if not text or any(c not in _DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    value = (_DIGITS.get(tens, 0) if tens else 1) * 10
    return value + (_DIGITS.get(ones, 0) if ones else 0)


def chinese_numeral(value: int) -> str:
    """The Chinese numeral for 1–99 (other values as Arabic digits, like core.outline)."""
    names = "零一二三四五六七八九"
    if not 0 <= value <= 99:
        return str(value)
    if value < 10:
        return names[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else names[tens]) + "十" + (names[ones] if ones else "")


def number_value(number: str) -> int | None:
    """The value of a heading number as written: 一、 （二） 3. （4） → 1 2 3 4."""
    core = number.strip().strip("、，,．.（）() ")
    if core.isdigit():
        return int(core)
    return chinese_value(core)


def format_number(level: int, value: int, like: str = "") -> str:
    """The number a heading at `level` should carry, keeping the punctuation style of `like` where it has one."""
    if level == 1:
        return f"{chinese_numeral(value)}、"
    if level == 2:
        return f"（{chinese_numeral(value)}）"
    if level == 3:
        mark = next((c for c in like if c in ".．、"), ".")
        return f"{value}{mark}"
    return f"（{value}）"


def number_style(number: str) -> str:
    """The punctuation style of a number (e.g. 1. versus 1、), to spot mixed styles at one level."""
    return "".join(c for c in number if not c.isdigit() and c not in "一二三四五六七八九十零")
