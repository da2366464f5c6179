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
# A government's own work report: the title ends in 政府工作报告 (a date or session line may follow).
_GOVERNMENT_REPORT = re.compile(
    r"^(?!.*(?:落实|贯彻|分工|解读|学习|部门)).*政府工作报告(?:[（(][^）)]*[）)])?(?:——.*)?$"
)
_PART_NUMBER = re.compile(r"(?:[（(]\s*[0-9一二三四五六七八九十]{1,3}\s*[）)]|篇\d+)$")
_KIND_WORD = re.compile("工作|总结|计划|报告|汇报|要点|述职|情况")
_YEAR_PIECE = re.compile(r"((?:(?:19|20)\d{2}|[xX×*]{2,4})年(?:上半年|下半年|度)?|上半年|下半年|关于)")
# Unit names: a name of up to 8 characters ending in what a unit is (县, 局, 中心 …); 人民政府 and 管委会 stay.
_UNIT_SUFFIXES = (
    "人民政府|管委会|委员会|办公室|管理区|开发区|园区|中心|公司|集团|街道|社区|部(?!门)|局|委|办|厅|院|所|站|队|处|科"
    "|省|市|州|盟|县|区|旗|镇|乡|村"
)
_UNIT = re.compile(rf"([^\d年，、（）()]{{0,8}}?)({_UNIT_SUFFIXES})")
_LEVEL2_PER_CHAPTER = 8


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
    name: str = ""

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return {
            "name": self.name or self.kind,
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
    """The kind of report a title names; 政府工作报告 only for a government's own report, not a department's."""
    title = re.sub(r"\s+", "", title)
    if _GOVERNMENT_REPORT.search(title):
        return "政府工作报告"
    if "述职" in title:
        return "述职报告"
    if "上半年" in title:
        return "上半年工作总结"
    if "总结" in title and re.search("计划|思路|安排|打算|谋划|要点", title):
        return "工作总结及工作计划"
    if "总结" in title:
        return "工作总结"
    if "计划" in title or "要点" in title:
        return "工作计划"
    if "汇报" in title:
        return "工作汇报"
    return "其他材料"


def generic_title(title: str) -> str:
    """A title without the source's specifics: years as ××××, unit names as ××县/××局, no part number （2）."""
    title = _PART_NUMBER.sub("", re.sub(r"\s+", "", title))
    cut = _KIND_WORD.search(title)
    head, tail = (title[: cut.start()], title[cut.start() :]) if cut else (title, "")
    parts = []
    for piece in _YEAR_PIECE.split(head):
        if _YEAR_PIECE.fullmatch(piece) or not piece:
            parts.append(piece)
            continue
        units, last = [], 0
        for unit in _UNIT.finditer(piece):
            if unit.start() != last:
                break
            name, suffix = unit.group(1), unit.group(2)
            units.append(suffix if not name and units else f"××{suffix}")
            last = unit.end()
        parts.append("".join(units) + piece[last:] if units else piece)
    return generic_heading("".join(parts) + tail)


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
    """Document skeletons by kind of report (two levels), each with how many documents of that kind follow it."""
    docs = matcher.reader.document_titles()
    level1: dict[int, list[str]] = defaultdict(list)
    level2: dict[int, list[list[str]]] = defaultdict(list)
    for document, level, heading in matcher.reader.outline_rows():
        if level == 1:
            level1[document].append(heading)
            level2[document].append([])
        elif level2[document]:
            level2[document][-1].append(heading)
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
            same = [m for m in members if m[2] == common]
            # A typical example: as many level-2 headings as the median member, preferring the fuller on ties.
            sizes = sorted(sum(map(len, level2[m[0]])) for m in same)
            median = sizes[len(sizes) // 2]
            example = min(same, key=lambda m: (abs(sum(map(len, level2[m[0]])) - median), -len(level2[m[0]]), m[0]))[0]
            outline: list[tuple[int, str]] = []
            for n, (heading, children) in enumerate(zip(level1[example], level2[example]), start=1):
                outline.append((1, _number(1, n) + generic_heading(heading)))
                outline += [
                    (2, _number(2, k) + generic_heading(child))
                    for k, child in enumerate(children[:_LEVEL2_PER_CHAPTER], start=1)
                ]
            titles = list(dict.fromkeys(generic_title(m[1]) for m in same))[:3]
            result.append(Skeleton(kind, len(members), following, list(common), outline, titles))
    result.sort(key=lambda s: (-s.documents, s.kind, -s.following))
    result = result[:limit]
    _name(result)
    return result


def _name(found: list[Skeleton]) -> None:
    """Name each skeleton by its kind; skeletons of one kind are told apart by their chapters."""
    by_kind = Counter(s.kind for s in found)
    for skeleton in found:
        if by_kind[skeleton.kind] == 1:
            skeleton.name = skeleton.kind
            continue
        chapters = [text.split("、", 1)[-1].replace("××××年", "") for level, text in skeleton.outline if level == 1]
        skeleton.name = f"{skeleton.kind}（{'、'.join(chapters[:4])}）"
    seen: Counter[str] = Counter()
    for skeleton in found:
        seen[skeleton.name] += 1
        if seen[skeleton.name] > 1:
            skeleton.name += f" · 其{_NUMERALS[min(seen[skeleton.name], 10) - 1]}"
