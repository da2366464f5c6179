"""Heading → ranked, explained passages from the phrase bank: the engine behind the snippets pane.

A heading is read with what the writer's draft says about it (its parent headings, level, the draft's kind and
year). Candidates come from the full-text index, from corpus headings like it and from sections of its topics or,
for a generic heading such as 重点工作, of its role; they are ranked by words, topics, role, level, recency and
the passage's own quality, then diversified.
"""

from __future__ import annotations

import contextlib
import gc
import math
import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bigan.core.bank_reader import BankReader, DocumentRow, EntryStats, EntryText, SectionRow
from bigan.core.headings import match_heading, split_heading_text
from bigan.core.placeholders import to_template
from bigan.core.roles import NAMES as ROLE_NAMES
from bigan.core.roles import agreement, heading_role, passage_role, section_role
from bigan.core.segment import ensure_loaded, words
from bigan.core.textnorm import normalize_line
from bigan.core.topics import term_topics, thesaurus, topic_weights
from bigan.core.weights import WEIGHTS
from bigan.core.wordids import WordSet

MAX_QUERY_CHARS = 400
BODY_WEIGHT = 0.4
ROW_BUDGET = 600
FTS_TERMS = 8
FTS_LIMIT = 80
SECTION_LIMIT = 10
TOPIC_SECTIONS = 10
ROLE_SECTIONS = 12
PER_SECTION = 15
PER_DOCUMENT = 4
SECOND_PASS = 50
ASSOCIATED = 6
# A thesaurus word's topic counts at least this much, and is judged only when the heading's other words have this
# many associations in the corpus.
SENSE_FLOOR = 0.3
SENSE_EVIDENCE = 6
YEAR_SCALE = 8.0
# Which bank a result came from: the writer's own, or an office bank attached beside it.
PERSONAL = "本人"
OFFICE = "单位"
# A passage found in more than this share of the bank's documents is boilerplate (at least in this many documents).
COMMON_SHARE = 0.3
COMMON_MIN = 4
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")
_YEAR = re.compile(r"(?:19|20)\d{2}")
# Words of a heading that only say which part of a report it is (三、2026年重点工作): no subject of its own.
_GENERIC = frozenset(
    "工作 重点 重点工作 主要 情况 有关 关于 方面 几点 今年 明年 去年 年度 全年 上半年 下半年 政府 全市 全县 全区 "
    "全省 我们 一年 五年 时期 今后 下一步 打算 计划 安排 思路 任务 主要任务 问题 存在 不足 回顾 总结 成效 "
    "成绩 要求 总体 总体要求 目标 建议 谋划 举措 部署 要点".split()
)
# A passage that only announces what follows (围绕上述目标，着力抓好以下几个方面工作：).
_ANNOUNCES = re.compile(
    r"(?:以下|如下|下列)(?:几|[一二三四五六七八九十])?(?:个)?(?:方面|项|点|件)?(?:工作|重点|任务|措施)?[：:。]?$"
)


@dataclass(frozen=True)
class Context:
    """What the draft says about the heading under the cursor: headings above it, its level, kind and year."""

    path: tuple[str, ...] = ()
    level: int | None = None
    kind: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Source:
    """Where a passage was found: document title, heading path, file and the document's year."""

    title: str
    heading: str
    file: str
    year: int | None = None


@dataclass
class Match:
    """One ranked passage for a heading, with what is needed to explain and insert it."""

    text: str
    template: str
    kind: str
    score: float
    terms: list[str]
    freq: int
    source: Source
    entry_id: int = 0
    heading: str = ""
    role: str = ""
    bank: str = PERSONAL

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return {
            "text": self.text,
            "template": self.template,
            "kind": self.kind,
            "score": round(self.score, 4),
            "terms": self.terms,
            "freq": self.freq,
            "role": self.role,
            "bank": self.bank,
            "entry_id": self.entry_id,
            "source": {
                "title": self.source.title,
                "heading": self.source.heading,
                "file": self.source.file,
                "year": self.source.year,
            },
        }


@dataclass
class Query:
    """A heading as the engine reads it: weighted words, topics, role, level and the year it is written for."""

    text: str
    weights: dict[str, float] = field(default_factory=dict)
    head: set[str] = field(default_factory=set)
    topics: dict[str, float] = field(default_factory=dict)
    expansion: dict[str, float] = field(default_factory=dict)
    role: str = ""
    level: int | None = None
    year: int | None = None
    generic: bool = False
    head_grams: frozenset[str] = frozenset()
    path_grams: frozenset[str] = frozenset()
    total: float = 1.0
    head_total: float = 1.0


@dataclass
class _Candidate:
    entry: int
    section: int | None
    document: int | None
    section_score: float = 0.0
    fts_score: float = 0.0


@dataclass
class _Scored:
    score: float
    candidate: _Candidate
    hits: set[str] = field(default_factory=set)


class Matcher:
    """Answers headings from one bank; holds a read-only connection, so one Matcher per thread."""

    def __init__(self, db_path: str | Path | None = None, reader: BankReader | None = None) -> None:
        ensure_loaded()
        if reader is None:
            if db_path is None:
                raise ValueError("a bank path or a reader is needed")
            reader = BankReader(db_path)
        self.reader = reader
        self.db_path = reader.db_path
        self._shapes: dict[int, tuple[str, bool]] = {}

    def close(self) -> None:
        """Release the bank."""
        self.reader.close()

    def abort_when(self, stale: Callable[[], bool] | None, steps: int = 1000) -> None:
        """Stop queries (sqlite3.OperationalError) once stale() turns true; None removes the check."""
        self.reader.abort_when(stale, steps)

    def query(self, heading: str, context: Context | None = None) -> Query:
        """Read a heading as typed (number, run-in body and all) with its context into a query."""
        context = context or Context()
        r = self.reader
        text = normalize_line(_CONTROL.sub(" ", heading or "")[:MAX_QUERY_CHARS])
        found = match_heading(text)
        head, body = (found.text, found.body) if found else split_heading_text(text)
        q = Query(text, level=context.level or (found.level if found else None))
        q.head_grams = _bigrams(head)
        q.path_grams = _bigrams("".join(context.path))
        q.year = context.year or _first_year(context.path) or r.newest_year
        plan_from = context.year or (r.newest_year + 1 if r.newest_year else None)
        q.role = section_role(head, context.path, plan_from) or heading_role(context.kind)
        head_words = words(head)
        for word in head_words:
            if r.idf(word):
                q.weights[word] = r.idf(word)
                q.head.add(word)
        for word in words(body)[:40]:
            if word not in q.weights and r.idf(word):
                q.weights[word] = BODY_WEIGHT * r.idf(word)
        q.total = sum(q.weights.values()) or 1.0
        q.head_total = sum(v for t, v in q.weights.items() if t in q.head) or 1.0
        q.generic = bool(q.role) and _generic(q.head)
        pairs = list(q.weights.items())
        pairs += [(term, 1.0) for term in _substring_terms(head) if term not in q.weights]
        q.topics = topic_weights(pairs, lambda word, topic: self._sense(word, topic, q.head))
        for name, share in q.topics.items():
            options = [t for t in thesaurus()[name] if t not in q.weights and r.entry_df.get(t, 0)]
            options.sort(key=lambda t: -r.entry_df[t])
            for term in options[:6]:
                q.expansion[term] = WEIGHTS["thesaurus"] * share * r.idf(term)
        for word in dict.fromkeys(head_words):
            if word in _GENERIC or _YEAR.fullmatch(word):
                continue  # what the corpus writes under 任务 or 2004年 is any subject at all
            for term, strength in list(r.associations(word).items())[:ASSOCIATED]:
                if term not in q.weights:
                    gain = WEIGHTS["associated"] * strength * r.idf(term)
                    q.expansion[term] = max(q.expansion.get(term, 0.0), gain)
        return q

    def _sense(self, word: str, topic: str, head: set[str]) -> float:
        """How surely a thesaurus word means its topic beside the heading's other words, judged by the corpus.

        A word the corpus writes under headings full of the topic's other words counts fully; where the heading's
        other words lead to another topic's vocabulary (稳定 beside 经济 and 增长), it counts less.
        """
        others = [w for w in head if w != word]
        if not others:
            return 1.0
        terms = set(thesaurus()[topic])
        linked = [t for w in others for t in self.reader.associations(w)]
        if len(linked) < SENSE_EVIDENCE:
            return 1.0
        return SENSE_FLOOR + (1 - SENSE_FLOOR) * min(1.0, 3 * sum(t in terms for t in linked) / len(linked))

    def match(self, heading: str, limit: int = 10, context: Context | None = None) -> list[Match]:
        """Ranked passages for a heading; an unusable heading gives an empty list, never an error."""
        with _collector_paused():
            return self._match(heading, limit, context)

    def _match(self, heading: str, limit: int, context: Context | None) -> list[Match]:
        q = self.query(heading, context)
        if not q.weights and not q.topics and not q.role and not q.expansion:
            return []
        candidates = self._candidates(q)
        if not candidates:
            return []
        return self._rank(q, candidates, max(1, min(limit, 100)))

    def _candidates(self, q: Query) -> dict[tuple[int, int | None], _Candidate]:
        r = self.reader
        found: dict[tuple[int, int | None], _Candidate] = {}
        ranked = sorted(q.weights, key=lambda t: -q.weights[t])
        fts_terms = [] if q.generic else _within_budget(ranked, r.entry_df, ROW_BUDGET)
        extra = sorted(q.expansion, key=lambda t: -q.expansion[t])
        fts_terms += _within_budget(extra, r.entry_df, ROW_BUDGET // 3)
        scores = r.search_entries(fts_terms, FTS_LIMIT)
        for p in r.placements_of(list(scores)):
            found[(p.entry, p.section)] = _Candidate(p.entry, p.section, p.document, fts_score=scores[p.entry])
        sections: dict[int, float] = {}
        head_terms = _within_budget([t for t in ranked if t in q.head], r.section_df, ROW_BUDGET)
        if not q.generic:
            sections.update(r.search_sections(head_terms, SECTION_LIMIT))
        for name, share in sorted(q.topics.items(), key=lambda kv: -kv[1])[:2]:
            for section, weight in r.topic_sections(name, TOPIC_SECTIONS):
                sections[section] = max(sections.get(section, 0.0), 0.5 * share * weight)
        if sections:
            for child, parent in r.children(list(sections)):
                sections.setdefault(child, 0.8 * sections[parent])
        if q.role and (q.generic or len(found) + len(sections) < 5):
            # A generic heading (重点工作, 存在的问题) is answered from its role's own sections at its level.
            pool = r.role_sections(q.role, q.level or 1, 3 * ROLE_SECTIONS)
            rows = r.sections(pool)
            # A chapter named only by its part of the report (2016年重点工作) answers a generic heading best.
            pool.sort(key=lambda sid: not (sid in rows and _generic(rows[sid].tokens)))
            for section in pool[:ROLE_SECTIONS]:
                sections.setdefault(section, 0.5)
        if sections:
            per_section: dict[int, int] = defaultdict(int)
            for p in r.placements_in(list(sections)):
                if p.section is None:
                    continue
                per_section[p.section] += 1
                if per_section[p.section] > PER_SECTION:
                    continue
                candidate = found.get((p.entry, p.section))
                if candidate is None:
                    candidate = found[(p.entry, p.section)] = _Candidate(p.entry, p.section, p.document)
                candidate.section_score = max(candidate.section_score, sections[p.section])
        return found

    def _section_features(self, q: Query, section: SectionRow) -> dict[str, float]:
        """Signals of the section a passage stands in: its heading's words, topics, likeness, role and level."""
        f = {
            "section_lex": sum(q.weights[t] for t in q.head if t in section.tokens) / q.head_total,
            "section_topic": _dot(q.topics, section.topics),
            "role": float(agreement(q.role, section.role)),
            "heading_sim": _jaccard(q.head_grams, _bigrams(section.heading)),
            "level": float(max(0, (q.level or 0) - section.level)),
        }
        if q.path_grams:
            f["path_sim"] = _jaccard(q.path_grams, _bigrams(section.path))
        return f

    def _first_features(
        self, q: Query, candidate: _Candidate, stats: EntryStats, section: dict[str, float], document: DocumentRow
    ) -> dict[str, float]:
        """Signals known before the passage's text is read: retrieval, topics, quality, its section's and year."""
        share = stats.freq / self.reader.documents
        f = {
            "fts": candidate.fts_score,
            "section": candidate.section_score,
            "passage_topic": _dot(q.topics, stats.topics),
            "freq": math.log2(stats.freq),
            "truncated": float(stats.truncated),
            "short": float(stats.chars < 20),
            "length": min(stats.chars, 300) / 300,
            "item": float(stats.kind == "item"),
            "common": share if stats.freq >= COMMON_MIN and share > COMMON_SHARE else 0.0,
            **section,
        }
        if q.year and document.year:
            f["recent"] = 1 / (1 + abs(q.year - document.year) / YEAR_SCALE)
        return f

    def _shape(self, row: EntryText) -> tuple[str, bool]:
        """What a passage's wording shows whatever the heading: its role, and whether it only announces a list."""
        shape = self._shapes.get(row.id)
        if shape is None:
            announces = bool(_ANNOUNCES.search(row.text)) or (row.text.endswith(("：", ":")) and len(row.text) < 100)
            shape = self._shapes[row.id] = (passage_role(row.text), announces)
        return shape

    # The signals _text_features adds; the others are known before the text is read (the second pass's cut).
    TEXT_SIGNALS = frozenset({"lex", "head_lex", "expansion", "announces", "passage_role"})

    def _text_features(
        self, q: Query, row: EntryText, numbered: tuple[dict[int, str], dict[int, str]] | None = None
    ) -> tuple[dict[str, float], set[str]]:
        """Signals read from the passage's words: coverage of the heading, of its small heading, of expansions.

        `numbered` holds the query's (body, head) words by their bank numbers, so a passage's words are matched
        against them at once instead of one by one."""
        body: Container[str] = row.tokens
        head: Container[str] = row.heading_tokens
        if numbered is not None and isinstance(body, WordSet) and isinstance(head, WordSet):
            body, head = body.present(numbered[0]), head.present(numbered[1])
        hits = {t for t in q.weights if t in body}
        f = {
            "lex": sum(q.weights[t] for t in hits) / q.total,
            "head_lex": sum(q.weights[t] for t in q.head if t in head) / q.head_total,
            "expansion": min(sum(v for t, v in q.expansion.items() if t in body), 1.0),
            "announces": float(self._shape(row)[1]),
            "passage_role": float(agreement(q.role, self._shape(row)[0])),
        }
        return f, hits | {t for t in q.expansion if t in body}

    def features(
        self, q: Query, found: dict[tuple[int, int | None], _Candidate], second_pass: int | None = SECOND_PASS
    ) -> tuple[list[tuple[_Candidate, dict[str, float], set[str]]], dict[int, EntryText], dict[int, SectionRow]]:
        """Every candidate's signals, best first by the weights (only the best `second_pass` get text signals),
        with the texts and sections read for them."""
        r = self.reader
        stats = r.entry_stats(list({c.entry for c in found.values()}))
        sections = r.sections(c.section for c in found.values() if c.section is not None)
        by_section = {sid: self._section_features(q, row) for sid, row in sections.items()}
        first = []
        for candidate in found.values():
            row = stats.get(candidate.entry)
            if row is None:
                continue
            section = by_section.get(candidate.section, {}) if candidate.section is not None else {}
            f = self._first_features(q, candidate, row, section, r.document(candidate.document))
            first.append((weighted(f), candidate, f))
        first.sort(key=lambda item: -item[0])
        if second_pass is not None:
            first = first[:second_pass]
        texts = r.entry_texts(list({c.entry for _, c, _ in first}))
        numbering = getattr(r, "numbered", None)
        numbered = (numbering([*q.weights, *q.expansion]), numbering(list(q.head))) if numbering else None
        out = []
        for _, candidate, f in first:
            extra, hits = self._text_features(q, texts[candidate.entry], numbered)
            out.append((candidate, f | extra, hits))
        return out, texts, sections

    def _rank(self, q: Query, found: dict[tuple[int, int | None], _Candidate], limit: int) -> list[Match]:
        featured, texts, sections = self.features(q, found)
        scored = [_Scored(weighted(f), c, hits) for c, f, hits in featured]
        scored.sort(key=lambda s: -s.score)
        return self._diverse(scored, texts, sections, limit)

    def _diverse(
        self, scored: list[_Scored], texts: dict[int, EntryText], sections: dict[int, SectionRow], limit: int
    ) -> list[Match]:
        chosen: list[Match] = []
        seen_entries: set[int] = set()
        per_doc: dict[int | None, int] = defaultdict(int)
        kept: list[str] = []
        pool = scored[: limit * 6]
        while pool and len(chosen) < limit:
            # Each passage already taken from a document lowers that document's next ones a little.
            best = max(
                range(len(pool)),
                key=lambda i: pool[i].score - WEIGHTS["same_document"] * per_doc[pool[i].candidate.document],
            )
            s = pool.pop(best)
            candidate = s.candidate
            if candidate.entry in seen_entries or per_doc[candidate.document] >= PER_DOCUMENT:
                continue
            row = texts[candidate.entry]
            if any(row.text in other or other in row.text for other in kept):
                continue
            seen_entries.add(candidate.entry)
            per_doc[candidate.document] += 1
            kept.append(row.text)
            section = sections.get(candidate.section) if candidate.section is not None else None
            chosen.append(
                Match(
                    text=row.text,
                    template=row.template or to_template(row.text),
                    kind=row.kind,
                    score=s.score,
                    terms=sorted((t for t in s.hits if t in row.text), key=lambda t: (-len(t), t)),
                    freq=row.freq,
                    source=self._source(candidate.document, section),
                    entry_id=candidate.entry,
                    heading=row.heading,
                    role=section.role if section else "",
                )
            )
        chosen.sort(key=lambda m: -m.score)
        return chosen

    def _source(self, document: int | None, section: SectionRow | None) -> Source:
        doc = self.reader.document(document)
        heading = " › ".join(p for p in (section.path, section.number + section.heading) if p) if section else ""
        return Source(doc.title, heading, doc.file, doc.year)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector while one heading is answered: a query makes thousands of short-lived objects,
    and a full collection over a large bank's caches in the middle of it doubled the slowest answers. It runs
    again, as before, once the answer is out."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def weighted(features: dict[str, float]) -> float:
    """A candidate's score: its signals times their weights."""
    get = WEIGHTS.get
    total = 0.0
    for name, value in features.items():
        if value:
            total += get(name, 0.0) * value
    return total


def role_name(role: str) -> str:
    """The Chinese name of a section role, as the CLI and the window show it."""
    return ROLE_NAMES.get(role, "")


def _generic(tokens: Iterable[str]) -> bool:
    """Whether a heading's words only name a part of a report (2016年重点工作, 对今年政府工作的建议)."""
    return all(w in _GENERIC or _YEAR.fullmatch(w) or len(w) == 1 for w in tokens)


def _first_year(path: tuple[str, ...]) -> int | None:
    for heading in path:
        found = _YEAR.search(heading)
        if found:
            return int(found.group())
    return None


def _within_budget(terms: list[str], df: dict[str, int], budget: int) -> list[str]:
    """The most telling terms whose postings together stay under budget rows, so bm25() stays cheap."""
    chosen: list[str] = []
    spent = 0
    for term in sorted(terms, key=lambda t: df.get(t, 0)):
        count = df.get(term, 0)
        if not count:
            continue
        if chosen and (spent + count > budget or len(chosen) >= FTS_TERMS):
            break
        chosen.append(term)
        spent += count
    return chosen


_NOT_HAN = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]+")


@lru_cache(maxsize=20_000)
def _bigrams(text: str) -> frozenset[str]:
    """The character pairs of a heading's words: how headings resemble each other whatever the segmentation."""
    text = _NOT_HAN.sub(" ", _YEAR.sub(" ", text))
    return frozenset(text[i : i + 2] for i in range(len(text) - 1) if " " not in text[i : i + 2])


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _substring_terms(text: str) -> list[str]:
    """Thesaurus terms written inside the heading even where segmentation split them differently."""
    return [term for term in term_topics() if len(term) >= 2 and term in text]
