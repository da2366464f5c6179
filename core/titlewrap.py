"""Line breaks for a 公文 title too long for one line: at word boundaries, lines balanced (梯形 or 菱形)."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from bigan.core import gbt9704 as gb

# Widths in ems of the title size: Chinese characters and full-width marks take one, Times New Roman digits
# half, Latin letters about as much as their average.
_HALF = re.compile(r"[0-9 .,:;!?()\-+%/]")
_LATIN = re.compile(r"[A-Za-z]")
# A line this much narrower than the text block, or less, is safe in every client (rounding, kerning).
SAFETY_EM = 0.25
AUTOSPACE_EM = 0.2
MAX_LINES = 4
_OPENING = "《“‘（([【〔"
_CLOSING = "》”’）)]】〕，。、；：！？…—"
# Breaking here splits one phrase (进一步加快, 加快推进, 县域经济): adverb or verb before a verb, noun compounds.
_TIGHT_CLASSES = {("d", "v"), ("d", "a"), ("d", "d"), ("v", "v")}
_TIGHT = {("a", "n"), ("b", "n"), ("b", "vn"), ("n", "vn")}
_NOUNS = {"n", "nz", "nt", "ns", "nr", "vn", "j", "x", "l", "r"}
_MODIFIERS = {"m", "t", "b", "a"}
_CONJUNCTIONS = {"和", "及", "与", "暨", "并", "以及", "同"}
_PART_STARTS = ("明年", "下半年", "下一步", "今后", "来年", "新一年", "下一年")


@dataclass(frozen=True)
class _Token:
    text: str
    flag: str


def char_width(char: str) -> float:
    """A character's width in ems of its font size, as the title's fonts set it."""
    if _HALF.match(char):
        return 0.5
    if _LATIN.match(char):
        return 0.62 if char.isupper() else 0.48
    return 1.0


def text_width(text: str) -> float:
    """A run of title text's width in ems, with the gap a client may put where Chinese meets digits or Latin.

    The title turns that spacing off (w:autoSpaceDE/DN), which Word and WPS honour; LibreOffice's .docx import
    ignores the setting and adds about a fifth of an em at each such boundary, so it is counted here.
    """
    width = sum(char_width(c) for c in text)
    return width + AUTOSPACE_EM * sum(_is_narrow(a) != _is_narrow(b) for a, b in itertools.pairwise(text))


def _is_narrow(char: str) -> bool:
    return char.isascii() and char.isalnum()


def capacity(layout: gb.PageLayout = gb.A4_REPORT, font: gb.Font = gb.TITLE) -> float:
    """How many ems of the title's size fit across the text block (156 mm at 22 pt: about 20)."""
    return layout.text_width / (font.half_points * 10)


def _tokens(title: str) -> list[_Token]:
    from bigan.core import segment

    segment.load_jieba()
    import jieba.posseg

    return [_Token(word, flag) for word, flag in jieba.posseg.cut(title, HMM=False)]


def _break_cost(before: _Token, after: _Token, then: _Token | None) -> float | None:
    """How much a line break between two words hurts the reading (`then` follows `after`); None if not allowed."""
    if before.text[-1:] in _OPENING or after.text[:1] in _CLOSING:
        return None
    if before.text[-1:].isdigit() and (after.text[:1].isdigit() or after.flag in ("m", "q")):
        return None  # 2025 / 年
    if after.flag.startswith("u") or after.text in ("的", "之"):
        return None  # a line never starts with 的
    if after.text in _CONJUNCTIONS:
        # Before the part a title joins on (2025年工作总结 / 和2026年工作计划) rather than inside a phrase
        # (国民经济和社会发展).
        joins_part = then is not None and (then.text[:1].isdigit() or then.text.startswith(_PART_STARTS))
        return 0.0 if joins_part else 1.0
    if after.text == "关于" or before.flag.startswith("u"):
        return 0.5  # 某县人民政府 / 关于…  ·  …改革的 / 实施意见
    if before.text in _CONJUNCTIONS or before.flag == "p":
        return 3.0  # 和 / 全面…, 关于 / …: a line that ends on a joining word
    if (before.flag[:1], after.flag[:1]) in _TIGHT_CLASSES or (before.flag, after.flag) in _TIGHT:
        return 4.0
    if before.flag in _NOUNS and after.flag in _NOUNS:
        return 2.5
    if before.flag[:1] in _MODIFIERS and after.flag in _NOUNS:
        return 2.0  # 2025年上半年 / 工作总结: a time or quality word torn from its noun
    return 1.5  # verb / object and the rest


def _shape_cost(widths: list[float]) -> float:
    """GB/T 9704 asks for 梯形 or 菱形: lines that grow downwards, or a middle line longest; not 倒梯形 or 沙漏."""
    if len(widths) == 2:
        return 0.5 if widths[0] > widths[1] + 0.01 else 0.0
    cost = 0.0
    for a, b, c in zip(widths, widths[1:], widths[2:]):
        if b + 0.01 < a and b + 0.01 < c:
            cost += 2.0  # 沙漏: a narrow waist
    if all(a > b + 0.01 for a, b in itertools.pairwise(widths)):
        cost += 1.0  # 倒梯形
    return cost


def title_lines(title: str, layout: gb.PageLayout = gb.A4_REPORT, font: gb.Font = gb.TITLE) -> list[str]:
    """The title's lines: itself when it fits one line, else lines broken between words, as equal as possible.

    Every line fits the text block, none is shorter than half the longest or holds a single character, and a
    break never splits a word or a tight phrase (进一步加快推进) when another choice exists. A title too long
    for four lines is filled line by line at word boundaries.
    """
    title = title.strip()
    room = capacity(layout, font) - SAFETY_EM
    total = text_width(title)
    if total <= room or len(title) < 4:
        return [title] if title else []
    tokens = _tokens(title)
    costs = [
        _break_cost(a, b, tokens[i + 2] if i + 2 < len(tokens) else None)
        for i, (a, b) in enumerate(itertools.pairwise(tokens))
    ]
    allowed = [i + 1 for i, cost in enumerate(costs) if cost is not None]
    starts = list(itertools.accumulate((len(t.text) for t in tokens), initial=0))
    width = _Widths(title)
    best: tuple[float, tuple[int, ...]] | None = None
    fewest = max(2, math.ceil(total / room))
    for count in range(fewest, min(MAX_LINES, fewest + 1) + 1):
        for cuts in itertools.combinations(allowed, count - 1):
            bounds = [starts[b] for b in (0, *cuts, len(tokens))]
            widths = [width(a, b) for a, b in itertools.pairwise(bounds)]
            longest = max(widths)
            if longest > room or min(widths) < longest / 2 or min(b - a for a, b in itertools.pairwise(bounds)) < 2:
                continue
            score = (longest - min(widths)) + _shape_cost(widths) + sum(costs[c - 1] or 0.0 for c in cuts)
            score += 3.0 * (count - fewest)
            if best is None or score < best[0]:
                best = (score, cuts)
        if best is not None:
            break
    cuts = best[1] if best is not None else _filled(allowed, starts, width, room)
    bounds = [starts[b] for b in (0, *cuts, len(tokens))]
    return [title[a:b] for a, b in itertools.pairwise(bounds)]


class _Widths:
    """Widths of slices of one title in constant time (text_width of title[a:b])."""

    def __init__(self, title: str) -> None:
        self._chars = list(itertools.accumulate((char_width(c) for c in title), initial=0.0))
        turns = [0, *(int(_is_narrow(a) != _is_narrow(b)) for a, b in itertools.pairwise(title))]
        self._turns = list(itertools.accumulate(turns, initial=0))

    def __call__(self, start: int, end: int) -> float:
        gaps = self._turns[end] - self._turns[start + 1] if end > start else 0
        return self._chars[end] - self._chars[start] + AUTOSPACE_EM * gaps


def _filled(allowed: list[int], starts: list[int], width: _Widths, room: float) -> tuple[int, ...]:
    """Breaks that fill each line as far as it goes, for titles beyond the balanced search."""
    cuts: list[int] = []
    line_start = 0
    for previous, cut in itertools.pairwise([0, *allowed, len(starts) - 1]):
        if width(starts[line_start], starts[cut]) > room and previous > line_start:
            cuts.append(previous)
            line_start = previous
    return tuple(cuts)
