"""Outline structure of one document: numbered and run-in headings, items, lead sentences."""

from __future__ import annotations

import re

from bigan.core.headings import CLAUSE_END, TERMINAL, HeadingMatch, first_sentence, read_numbered, without_number
from bigan.core.models import Aside, Block, Document, Passage, Section
from bigan.core.placeholders import to_template
from bigan.core.rejoin import rejoin_fragments

_CN = "一二三四五六七八九十"
# An item marker opens the text or follows a sentence's end; group 1 is the marker itself.
_ITEM_MARK = re.compile(rf"(?:^|[。；;！？!?])\s*([{_CN}]{{1,2}}是|首先|其次|再次|最后|第[{_CN}]{{1,2}}(?=[，、是,]))")
_ITEM_PREFIX = re.compile(rf"^(?:[{_CN}]{{1,2}}是|首先|其次|再次|最后|第[{_CN}]{{1,2}})[，、,]?")
_LEAD_STOP = re.compile(
    r"\d|＿|[*xX×]|^(?:今年|去年|明年|同时|此外|但|但是|一年来|近年来|目前|当前|我们|我|各位|现将|为|在)"
)


def _small_heading(text: str) -> str:
    head, _ = first_sentence(_ITEM_PREFIX.sub("", text, count=1))
    if len(head) > 40:
        clause = CLAUSE_END.search(head)
        head = head[: clause.start()] if clause and clause.start() <= 40 else head[:40]
    return head.strip()


def passage_heading(kind: str, text: str) -> str:
    """A passage's small heading, which its text decides: an item's first clause, a paragraph's lead sentence."""
    return _small_heading(text) if kind == "item" else lead_sentence(text)


def item_heading(text: str) -> str:
    """The small heading of an item: its first clause, without the 一是/首先 marker."""
    return _small_heading(text)


def split_items(text: str) -> list[str]:
    """Split a paragraph at 一是/二是/首先/其次 markers; fewer than two markers means no items."""
    starts = [m.start(1) for m in _ITEM_MARK.finditer(text)]
    if len(starts) < 2:
        return []
    bounds = [*starts, len(text)]
    return [text[bounds[i] : bounds[i + 1]].strip() for i in range(len(starts))]


def lead_sentence(text: str) -> str:
    """The short unnumbered lead sentence that opens a paragraph (完善机制，提升招引效率。), if any."""
    head, body = first_sentence(text)
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


_CHAPTER_MARKS = re.compile(r"[。！？!?；;，,、：:]")
_SENTENCE_MARK = re.compile(r"[。！？!?；;：:]")
MAX_CHAPTER = 30
# Shorter than this and without a sentence mark: a fragment of the page, not a reusable passage.
MIN_PASSAGE = 6


def _unnumbered_chapters(texts: list[str], found: list[HeadingMatch | None], items: set[int]) -> set[int]:
    """Short standalone lines that head a chapter without a number.

    Such a line heads a chapter when it carries numbered level-2 headings under it and no 一、 of its own
    (“十四五”时期工作回顾 over （一）（二）), or when body text follows it and the next numbered heading,
    if any, is a 一、 (结束语 after the last chapter).
    """
    candidates = [
        i
        for i, text in enumerate(texts)
        if found[i] is None and i not in items and len(text) <= MAX_CHAPTER and not _SENTENCE_MARK.search(text)
    ]
    chapters = set()
    for n, start in enumerate(candidates):
        stop = candidates[n + 1] if n + 1 < len(candidates) else len(texts)
        levels = [f.level for f in found[start + 1 : stop] if f is not None]
        later = next((f.level for f in found[start + 1 :] if f is not None), None)
        body_next = start + 1 < len(texts) and found[start + 1] is None and start + 1 not in candidates
        carries = 2 in levels and 1 not in levels and len(_CHAPTER_MARKS.findall(texts[start])) <= 1
        if carries or (not _CHAPTER_MARKS.search(texts[start]) and body_next and later in (None, 1)):
            chapters.add(start)
    return chapters


def build_document(title: str, source: str, blocks: list[Block], index: int = 0) -> Document:
    """Turn a document's cleaned paragraphs into sections (headings), passages and asides (salutations…)."""
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

    def add_section(level: int, number: str, heading: str) -> None:
        nonlocal current
        while stack and doc.sections[stack[-1]].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        path = (*doc.sections[parent].path, doc.sections[parent].heading) if parent is not None else ()
        doc.sections.append(Section(level, number, heading, path, parent, len(doc.sections)))
        current = len(doc.sections) - 1
        stack.append(current)

    body = [b for b in rejoin_fragments(blocks) if b.text]
    for block in body:
        if block.role:
            doc.asides.append(Aside(block.role, block.text, len(doc.asides)))
    body = [b for b in body if not b.role]
    texts = [b.text for b in body]
    found, items = read_numbered(texts, [b.style_level for b in body])
    chapters = _unnumbered_chapters(texts, found, items)
    for i, (block, heading) in enumerate(zip(body, found)):
        if i in chapters:
            add_section(1, "", block.text)
        elif i in items:
            text = without_number(block.text)
            cut = block.truncated or _ends_cut(text)
            doc.passages.append(
                Passage("item", text, to_template(text), _small_heading(text), cut, current, len(doc.passages))
            )
        elif heading is None:
            if len(block.text) >= MIN_PASSAGE or _CHAPTER_MARKS.search(block.text):
                add_passages(block.text, block.truncated)
        else:
            add_section(heading.level, heading.number, heading.text)
            add_passages(heading.body, block.truncated)
    return doc
