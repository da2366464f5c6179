"""Outline suggestions mined from the bank: the headings that usually come next, and whole skeletons."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from core.headings import match_heading
from core.match import Matcher
from core.topics import topic_weights

_YEAR = re.compile(r"(?:19|20)\d{2}|[xX×*]{2,4}(?=年)")
_CHAPTER_SLOTS = {"总体情况": "工作总结", "存在问题": "存在问题", "下一步打算": "工作计划"}
_NUMERALS = "一二三四五六七八九十"


@dataclass
class HeadingSuggestion:
    """A heading the corpus often uses at a position, with how many documents use it."""

    level: int
    text: str
    count: int
    examples: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return {"level": self.level, "text": self.text, "documents": self.count, "examples": self.examples}


@dataclass
class Skeleton:
    """A whole-document outline that several documents of one kind follow."""

    kind: str
    documents: int
    following: int
    slots: list[str]
    outline: list[tuple[int, str]]
    titles: list[str]

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return {
            "kind": self.kind,
            "documents": self.documents,
            "following": self.following,
            "slots": self.slots,
            "outline": [{"level": lv, "text": t} for lv, t in self.outline],
            "titles": self.titles,
        }


def generic_heading(text: str) -> str:
    """A heading with its years made fill-in fields (××××), as a suggestion should show it."""
    return _YEAR.sub("××××", text)


def slot(matcher: Matcher, heading: str) -> str:
    """What a level-1 heading is for: 工作总结 / 存在问题 / 工作计划, else its wording without years."""
    weights = [(w, 1.0) for w in matcher.query(heading).weights]
    topics = topic_weights(weights)
    if topics:
        best = max(topics, key=lambda k: topics[k])
        if best in _CHAPTER_SLOTS and topics[best] >= 0.5:
            return _CHAPTER_SLOTS[best]
    return generic_heading(heading)


def document_kind(title: str) -> str:
    """The kind of report a title names."""
    if "政府" in title and ("报告" in title or "汇报" in title):
        return "政府工作报告"
    if "上半年" in title:
        return "上半年工作总结"
    if "总结" in title and re.search("计划|思路|安排|打算|谋划", title):
        return "工作总结及工作计划"
    if "总结" in title:
        return "工作总结"
    if "计划" in title or "要点" in title:
        return "工作计划"
    return "其他材料"


def _similar_sections(matcher: Matcher, heading: str, level: int | None, limit: int = 40) -> list[int]:
    q = matcher.query(heading)
    df = matcher.reader.section_df
    terms = [t for t in sorted(q.head, key=lambda t: df.get(t, 1 << 30)) if df.get(t)]
    rows = matcher.reader.similar_sections(terms[:8], limit * 3)
    return [sid for sid, lv in rows if level is None or lv == level][:limit]


def _group(matcher: Matcher, rows: list[tuple[int, str, int]], limit: int) -> list[HeadingSuggestion]:
    """Group (level, heading, document) rows by what the heading is for; count documents per group."""
    docs: dict[tuple[int, str], set[int]] = defaultdict(set)
    wording: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for level, heading, document in rows:
        key = (level, slot(matcher, heading) if level == 1 else generic_heading(heading))
        docs[key].add(document)
        wording[key][generic_heading(heading)] += 1
    ranked = sorted(docs, key=lambda k: (-len(docs[k]), k[1]))[:limit]
    return [
        HeadingSuggestion(
            k[0], wording[k].most_common(1)[0][0], len(docs[k]), [w for w, _ in wording[k].most_common(3)]
        )
        for k in ranked
    ]


def next_headings(matcher: Matcher, after: str, limit: int = 8) -> list[HeadingSuggestion]:
    """Headings that follow headings like `after` in the corpus (empty `after`: how documents begin)."""
    found = match_heading(after.strip()) if after.strip() else None
    level = found.level if found else None
    if not after.strip():
        return _group(matcher, matcher.reader.first_chapters(), limit)
    similar = _similar_sections(matcher, after, level)
    return _group(matcher, matcher.reader.next_siblings(similar), limit) if similar else []


def child_headings(matcher: Matcher, under: str, limit: int = 8) -> list[HeadingSuggestion]:
    """Headings written directly under headings like `under` in the corpus."""
    found = match_heading(under.strip())
    similar = _similar_sections(matcher, under, found.level if found else None)
    return _group(matcher, matcher.reader.child_headings(similar), limit) if similar else []


def _number(level: int, n: int) -> str:
    numeral = _NUMERALS[n - 1] if n <= 10 else str(n)
    return f"{numeral}、" if level == 1 else f"（{numeral}）"


def skeletons(matcher: Matcher, limit: int = 8) -> list[Skeleton]:
    """Document skeletons by kind of report, each with how many documents of that kind follow it."""
    docs = matcher.reader.document_titles()
    level1 = matcher.reader.chapters_by_document()
    by_kind: dict[str, list[tuple[int, str, tuple[str, ...]]]] = defaultdict(list)
    for document, title in docs:
        if not level1.get(document):
            continue
        slots: list[str] = []
        for heading in level1[document]:
            name = slot(matcher, heading)
            if not slots or slots[-1] != name:
                slots.append(name)
        by_kind[document_kind(title)].append((document, title, tuple(slots)))
    result = []
    for kind, members in by_kind.items():
        shapes = Counter(m[2] for m in members).most_common(2)
        for rank, (common, following) in enumerate(shapes):
            if rank and following < 2:
                continue
            example = next(m for m in members if m[2] == common)
            outline = [(1, _number(1, n) + generic_heading(h)) for n, h in enumerate(level1[example[0]], start=1)]
            titles = [generic_heading(m[1]) for m in members if m[2] == common][:3]
            result.append(Skeleton(kind, len(members), following, list(common), outline, titles))
    result.sort(key=lambda s: (-s.documents, s.kind, -s.following))
    return result[:limit]
