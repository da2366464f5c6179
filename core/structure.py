"""Outline structure of one document: numbered and run-in headings, items, lead sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.models import Block, Document, Passage, Section
from core.placeholders import to_template

_CN = "一二三四五六七八九十"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{_CN}]{{1,3}})\s*[、，,．.]\s*")),
    (2, re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[）)]\s*[、，,．.]?\s*")),
    (3, re.compile(r"^(\d{1,2})\s*(?:[.．、，]|\s)(?!\d)\s*")),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、，,．.]?\s*")),
)
SENTENCE_END = "。！？!?"
TERMINAL = "。！？!?；;：:”’）)…」』"
_CLAUSE_END = re.compile(r"[，,；;：:]")
_ITEM_MARK = re.compile(
    rf"(?:^|(?<=[。；;！？!?]))\s*(?:[{_CN}]{{1,2}}是|首先|其次|再次|最后|第[{_CN}]{{1,2}}(?=[，、是,]))"
)
_ITEM_PREFIX = re.compile(rf"^(?:[{_CN}]{{1,2}}是|首先|其次|再次|最后|第[{_CN}]{{1,2}})[，、,]?")
_LEAD_STOP = re.compile(
    r"\d|＿|[*xX×]|^(?:今年|去年|明年|同时|此外|但|但是|一年来|近年来|目前|当前|我们|我|各位|现将|为|在)"
)
MAX_HEADING = 60


@dataclass(frozen=True)
class HeadingMatch:
    """A heading found at the start of a paragraph: level, number as written, heading text and body."""

    level: int
    number: str
    text: str
    body: str


_SENTENCE_END = re.compile(f"[{SENTENCE_END}]")


def _first_sentence(text: str) -> tuple[str, str]:
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
    head, body = _first_sentence(rest.strip())
    if not body and len(head) > MAX_HEADING:
        clause = _CLAUSE_END.search(head)
        if clause and clause.start() <= MAX_HEADING // 2:
            head, body = head[: clause.start()], head[clause.end() :].strip()
    if len(head) > MAX_HEADING:
        clause = _CLAUSE_END.search(head)
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


def _is_sentence(found: HeadingMatch, text: str) -> bool:
    return not found.body and text.rstrip()[-1:] in _SENTENCE_CLOSE


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
        sentence = _is_sentence(here, texts[i])
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


def classify(texts: Sequence[str], style_levels: Sequence[int | None] | None = None) -> list[HeadingMatch | None]:
    """Each paragraph's heading, or None for body text and for numbered items (see numbered_items)."""
    levels = style_levels or [None] * len(texts)
    found = [match_heading(t, lv) if t.strip() else None for t, lv in zip(texts, levels)]
    numbered = [None if lv else f for f, lv in zip(found, levels)]
    for i in numbered_items(texts, numbered):
        found[i] = None
    return found


def _canonical_number(level: int, value: str) -> str:
    return {1: f"{value}、", 2: f"（{value}）", 3: f"{value}.", 4: f"（{value}）"}[level]


def _small_heading(text: str) -> str:
    head, _ = _first_sentence(_ITEM_PREFIX.sub("", text, count=1))
    if len(head) > 40:
        clause = _CLAUSE_END.search(head)
        head = head[: clause.start()] if clause and clause.start() <= 40 else head[:40]
    return head.strip()


def split_items(text: str) -> list[str]:
    """Split a paragraph at 一是/二是/首先/其次 markers; fewer than two markers means no items."""
    starts = [m.start() + len(m.group()) - len(m.group().lstrip()) for m in _ITEM_MARK.finditer(text)]
    if len(starts) < 2:
        return []
    bounds = [*starts, len(text)]
    return [text[bounds[i] : bounds[i + 1]].strip() for i in range(len(starts))]


def lead_sentence(text: str) -> str:
    """The short unnumbered lead sentence that opens a paragraph (完善机制，提升招引效率。), if any."""
    head, body = _first_sentence(text)
    if not body:
        colon = text.find("：")
        if 2 <= colon <= 16 and len(text) > colon * 3:
            head, body = text[:colon], text[colon + 1 :]
        else:
            return ""
    if not 4 <= len(head) <= 24 or len(body) < len(head) or _LEAD_STOP.search(head):
        return ""
    return head


def _ends_cut(text: str) -> bool:
    return len(text) > 40 and text[-1] not in TERMINAL


def merge_broken_lines(blocks: list[Block]) -> list[Block]:
    """Join a body paragraph that a scraper broke mid-sentence with the paragraph that continues it."""
    merged: list[Block] = []
    for block in blocks:
        if not block.text:
            continue
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and _ends_cut(prev.text)
            and match_heading(prev.text, prev.style_level) is None
            and match_heading(block.text, block.style_level) is None
            and block.text[0] not in "“《（(0123456789"
            and not block.is_title
        ):
            merged[-1] = Block(prev.text + block.text, None, False, prev.truncated or block.truncated)
        else:
            merged.append(block)
    return merged


def build_document(title: str, source: str, blocks: list[Block], index: int = 0) -> Document:
    """Turn a document's cleaned paragraphs into sections (headings) and passages."""
    doc = Document(title=title, source=source, index=index)
    stack: list[int] = []
    current: int | None = None

    def add_passages(text: str, truncated: bool) -> None:
        if not text:
            return
        pos = len(doc.passages)
        cut = truncated or _ends_cut(text)
        doc.passages.append(Passage("paragraph", text, to_template(text), lead_sentence(text), cut, current, pos))
        items = split_items(text)
        for i, item in enumerate(items):
            last_cut = cut and i == len(items) - 1
            doc.passages.append(
                Passage("item", item, to_template(item), _small_heading(item), last_cut, current, len(doc.passages))
            )

    merged = merge_broken_lines(blocks)
    texts = [b.text for b in merged]
    headings = classify(texts, [b.style_level for b in merged])
    for block, heading in zip(merged, headings):
        if heading is None:
            add_passages(block.text, block.truncated)
            continue
        while stack and doc.sections[stack[-1]].level >= heading.level:
            stack.pop()
        parent = stack[-1] if stack else None
        path = (*doc.sections[parent].path, doc.sections[parent].heading) if parent is not None else ()
        doc.sections.append(Section(heading.level, heading.number, heading.text, path, parent, len(doc.sections)))
        current = len(doc.sections) - 1
        stack.append(current)
        add_passages(heading.body, block.truncated)
    return doc
