"""Numbered headings at the start of a paragraph (一、 （一） 1. （1）), and which numbered paragraphs are items."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_CN = "一二三四五六七八九十"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{_CN}]{{1,3}})\s*[、，,．.]\s*")),
    (2, re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[）)]\s*[、，,．.]?\s*")),
    (3, re.compile(r"^(\d{1,2})\s*(?:[.．、，]|\s)(?!\d)\s*")),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、，,．.]?\s*")),
)
SENTENCE_END = "。！？!?"
TERMINAL = "。！？!?；;：:”’）)…」』"
CLAUSE_END = re.compile(r"[，,；;：:]")

MAX_HEADING = 60


@dataclass(frozen=True)
class HeadingMatch:
    """A heading found at the start of a paragraph: level, number as written, heading text and body."""

    level: int
    number: str
    text: str
    body: str


_SENTENCE_END = re.compile(f"[{SENTENCE_END}]")


def first_sentence(text: str) -> tuple[str, str]:
    """The first sentence of text (a full stop inside quotes or brackets does not end it) and the rest."""
    for end in _SENTENCE_END.finditer(text):
        before = text[: end.start()]
        # A full stop inside quotes or brackets does not end the sentence.
        if before.count("“") <= before.count("”") and before.count("（") + before.count("(") <= before.count(
            "）"
        ) + before.count(")"):
            return before, text[end.end() :].strip()
    return text, ""


def split_heading_text(rest: str) -> tuple[str, str]:
    """Split text after a number into the heading (first sentence, run-in style) and the body."""
    head, body = first_sentence(rest.strip())
    if not body and len(head) > MAX_HEADING:
        clause = CLAUSE_END.search(head)
        if clause and clause.start() <= MAX_HEADING // 2:
            head, body = head[: clause.start()], head[clause.end() :].strip()
    if len(head) > MAX_HEADING:
        clause = CLAUSE_END.search(head)
        if clause and clause.start() <= MAX_HEADING:
            body = (head[clause.end() :] + "。" + body).strip("。") if body else head[clause.end() :]
            head = head[: clause.start()]
    return head.strip().rstrip("：:；;，,。"), body


def match_heading(text: str, style_level: int | None = None) -> HeadingMatch | None:
    """Recognise a numbered heading (一、 （一） 1. （1）) or a styled one at the start of a paragraph."""
    for level, pattern in HEADING_PATTERNS:
        found = pattern.match(text)
        if found:
            rest = text[found.end() :]
            if not rest or (level == 3 and not rest[0].strip()):
                return None
            number = _canonical_number(level, found.group(1))
            head, body = split_heading_text(rest)
            if not head:
                return None
            return HeadingMatch(style_level or level, number, head, body)
    if style_level:
        head, body = split_heading_text(text)
        return HeadingMatch(style_level, "", head, body) if head else None
    return None


_SENTENCE_CLOSE = "。！？!?；;"
_LIST_CLOSE = "；;"
_INNER_MARKS = re.compile(r"[，,、；;：:]")
# A numbered sentence longer than this reads as a statement, not as a heading with a stray full stop.
SHORT_HEADING = 15


def _is_sentence(text: str) -> bool:
    """Whether the paragraph after its number is one complete sentence (however long, however it was split)."""
    return not first_sentence(without_number(text).strip())[1] and text.rstrip()[-1:] in _SENTENCE_CLOSE


def numbered_items(texts: Sequence[str], found: Sequence[HeadingMatch | None]) -> set[int]:
    """Indexes of numbered paragraphs that are items, not headings: full sentences listed under a heading.

    `found` holds each paragraph's numbered heading match (None for body text, blank lines and headings
    given by a style). A numbered paragraph that is one complete sentence with nothing under it is an item
    (`1.项目储备不足，大项目、好项目偏少。`) when it ends a list clause (；), or reads as a statement (clause
    marks inside, or long) and is followed by a sibling, a higher heading or the end; its siblings in the same
    unbroken run of numbered sentences are items too. A short one followed by body text stays a heading that
    merely ends in 。 (`（五）推进财税体制改革。`), as do run-in headings (`（一）狠抓项目建设。一是……`).
    """
    lines = [i for i, text in enumerate(texts) if text.strip()]
    items: set[int] = set()
    run: list[int] = []
    clear = False
    for pos, i in enumerate(lines):
        here = found[i]
        if here is None:
            continue
        after = found[lines[pos + 1]] if pos + 1 < len(lines) else None
        has_next = pos + 1 < len(lines)
        body_follows = has_next and (after is None or after.level > here.level)
        sentence = _is_sentence(texts[i])
        if sentence:
            statement = _INNER_MARKS.search(here.text) is not None or len(here.text) > SHORT_HEADING
            ends_list = texts[i].rstrip()[-1:] in _LIST_CLOSE
            clear = clear or ends_list or (statement and not body_follows)
            run.append(i)
        if not (has_next and after is not None and after.level == here.level and not body_follows):
            if clear:
                items.update(run)
            run, clear = [], False
    return items


def read_numbered(
    texts: Sequence[str], style_levels: Sequence[int | None] | None = None
) -> tuple[list[HeadingMatch | None], set[int]]:
    """Each paragraph's heading (None for body text and items), and the indexes of the numbered items."""
    levels = style_levels or [None] * len(texts)
    found = [match_heading(t, lv) if t.strip() else None for t, lv in zip(texts, levels)]
    items = numbered_items(texts, [None if lv else f for f, lv in zip(found, levels)])
    for i in items:
        found[i] = None
    return found, items


def classify(texts: Sequence[str], style_levels: Sequence[int | None] | None = None) -> list[HeadingMatch | None]:
    """Each paragraph's heading, or None for body text and for numbered items (see numbered_items)."""
    return read_numbered(texts, style_levels)[0]


def without_number(text: str) -> str:
    """The paragraph's text after its heading number (一、 （一） 1. （1）), or all of it."""
    for _, pattern in HEADING_PATTERNS:
        found = pattern.match(text)
        if found:
            return text[found.end() :]
    return text


def _canonical_number(level: int, value: str) -> str:
    return {1: f"{value}、", 2: f"（{value}）", 3: f"{value}.", 4: f"（{value}）"}[level]
