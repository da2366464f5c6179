"""The years a draft is about: the title's parts (总结 of one year, 打算 for the next) and each chapter's year."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.headings import HeadingMatch

YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年)")
REVIEW, PLAN = "review", "plan"
# What a title part or a chapter heading is about; where a heading names both, the last word decides
# (存在问题及下一步打算 → plan, 重点工作完成情况 → review).
_KIND_WORDS = re.compile(
    r"(总结|回顾|成效|成绩|情况|问题|不足|短板|困难)"
    r"|(计划|打算|安排|思路|重点工作|谋划|要点|任务|展望|下一步|政府工作报告)"
)
# A part of a year (上半年, 一季度, 1—6月): its 打算 is for the rest of the same year.
_PART_OF_YEAR = re.compile(r"[上下]半年|半年|[一二三四1-4]季度|前三季度|\d{1,2}\s*[—\-－~～至到]\s*\d{1,2}\s*月")
_NEXT_YEAR = re.compile(r"明年|来年|下一年|下年度|新的一年")
_BOOK_TITLE = re.compile(r"《[^》]*》")


@dataclass(frozen=True)
class TitlePart:
    """One part of a title: what it is about (review, plan or "" for neither) and its year, if known."""

    kind: str
    year: int | None


def title_parts(title: str) -> list[TitlePart]:
    """The parts of a title in order: `2025年工作总结和2026年工作打算` → review 2025, plan 2026."""
    text = _BOOK_TITLE.sub("", title)
    parts: list[TitlePart] = []
    pending: int | None = None
    last_end = 0
    for found in re.finditer(f"{YEAR.pattern}|{_KIND_WORDS.pattern}", text):
        if found.group(1):
            pending = int(found.group(1))
            continue
        kind = REVIEW if found.group(2) else PLAN
        year = pending
        if year is None and parts and parts[-1].year is not None and _NEXT_YEAR.search(text[last_end : found.start()]):
            year = parts[-1].year + 1
        if parts and parts[-1].kind == kind and year in (None, parts[-1].year):
            last_end = found.end()
            continue
        parts.append(TitlePart(kind, year))
        pending, last_end = None, found.end()
    if pending is not None:
        parts.append(TitlePart("", pending))
    if not parts:
        years = [int(y) for y in YEAR.findall(text)]
        parts = [TitlePart("", max(years) if years else None)]
    return parts


@dataclass(frozen=True)
class References:
    """The reviewed and planned year of a draft, and the year of the part its opening lines belong to."""

    review: int | None
    plan: int | None
    first: int | None
    from_title: bool

    def of(self, kind: str) -> int | None:
        """The year a chapter of this kind is about."""
        if kind == REVIEW:
            return self.review
        if kind == PLAN:
            return self.plan
        return self.first

    @property
    def years(self) -> set[int]:
        """Every reference year of the draft."""
        return {y for y in (self.review, self.plan, self.first) if y is not None}


def references(title: str, year: int | None = None) -> References:
    """The draft's reference years from its title; `year`, the year the draft is for, moves them all.

    `year` takes the place of the title's latest year (the planned year of a 总结+打算 draft), the other
    parts keeping their distance from it. A reviewed year without a planned one (or the other way round) is
    completed: the next year, or the same year for a part of a year (上半年工作总结和下半年工作打算).
    """
    parts = title_parts(title)
    known = [p.year for p in parts if p.year is not None]
    if year is not None:
        shift = year - max(known) if known else 0
        parts = [TitlePart(p.kind, p.year + shift if p.year is not None else None) for p in parts]
        if not known:
            parts[-1] = TitlePart(parts[-1].kind, year)
    gap = 0 if _PART_OF_YEAR.search(title) else 1
    review = next((p.year for p in parts if p.kind == REVIEW and p.year is not None), None)
    plan = next((p.year for p in parts if p.kind == PLAN and p.year is not None), None)
    neutral = next((p.year for p in parts if p.year is not None), None)
    if plan is None:
        plan = review + gap if review is not None else neutral
    if review is None:
        review = plan - gap if plan is not None and any(p.kind == PLAN for p in parts) else neutral
    first = next((p.year for p in parts if p.year is not None), None)
    if parts[0].kind:
        first = review if parts[0].kind == REVIEW else plan
    return References(review, plan, first, bool(known) or year is not None)


def heading_kind(text: str) -> str:
    """What a chapter heading is about: review, plan or "" when it does not say."""
    kinds = [REVIEW if m.group(1) else PLAN for m in _KIND_WORDS.finditer(text)]
    return kinds[-1] if kinds else ""


@dataclass(frozen=True)
class LineYear:
    """The chapter a line belongs to (0 before the first), the year that chapter is about, and whether the
    line is a chapter heading whose own year set it (its years are then right by definition)."""

    chapter: int
    year: int | None
    sets_year: bool


def chapter_years(lines: Sequence[str], headings: Sequence[HeadingMatch | None], refs: References) -> list[LineYear]:
    """For each line, its chapter and the year the chapter is about.

    A chapter is the text under a level-1 heading. Its year is the year its heading's words point to (总结 → the
    reviewed year, 打算 → the planned year), else the year in its heading when that is one of the draft's
    reference years, else the year of the chapter before it (存在的问题 after 总结). Without a year from the title
    or the writer, a heading's own year sets its chapter's.
    """
    current = refs.first
    chapter = 0
    out: list[LineYear] = []
    for line, heading in zip(lines, headings):
        sets_year = False
        if heading is not None and heading.level == 1:
            chapter += 1
            own = [int(y) for y in YEAR.findall(_BOOK_TITLE.sub("", line))]
            kind = heading_kind(heading.text)
            expected = {refs.of(kind)} if kind else refs.years
            agreed = [y for y in own if y in expected or not refs.from_title]
            if agreed:
                current, sets_year = agreed[-1], True
            elif kind:
                current = refs.of(kind) or current
        out.append(LineYear(chapter, current, sets_year))
    return out
