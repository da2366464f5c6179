"""Heading → ranked, explained passages from the phrase bank: the engine behind the snippets pane."""

from __future__ import annotations

import math
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from core import bank
from core.headings import match_heading, split_heading_text
from core.segment import ensure_loaded, words
from core.textnorm import normalize_line
from core.topics import decode as decode_topics
from core.topics import term_topics, thesaurus, topic_weights

MAX_QUERY_CHARS = 400
BODY_WEIGHT = 0.4
ROW_BUDGET = 600
FTS_TERMS = 8
FTS_LIMIT = 80
SECTION_LIMIT = 10
TOPIC_SECTIONS = 10
PER_SECTION = 15
PER_DOCUMENT = 4
SECOND_PASS = 50
# How much each signal counts; tuned on tests/data/match_dev.json (see bench/match_quality.py).
WEIGHTS = {
    "lex": 0.25,
    "head_lex": 0.15,
    "expansion": 0.1,
    "section_lex": 3.0,
    "passage_topic": 1.5,
    "section_topic": 3.0,
    "fts": 0.9,
    "section": 0.9,
    "freq": 0.1,
    "truncated": 0.25,
    "short": 0.1,
    "same_document": 0.12,
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")


@dataclass(frozen=True)
class Source:
    """Where a passage was found: document title, heading path and file."""

    title: str
    heading: str
    file: str


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

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return {
            "text": self.text,
            "template": self.template,
            "kind": self.kind,
            "score": round(self.score, 4),
            "terms": self.terms,
            "freq": self.freq,
            "source": {"title": self.source.title, "heading": self.source.heading, "file": self.source.file},
        }


@dataclass
class Query:
    """A heading as the engine reads it: weighted words and the topics they point to."""

    text: str
    weights: dict[str, float] = field(default_factory=dict)
    head: set[str] = field(default_factory=set)
    topics: dict[str, float] = field(default_factory=dict)
    expansion: dict[str, float] = field(default_factory=dict)


def _fts_phrase(terms: list[str]) -> str:
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


@dataclass(frozen=True)
class _SectionInfo:
    heading: str
    path: str
    number: str
    tokens: frozenset[str]
    topics: dict[str, float]


@dataclass
class _Candidate:
    entry: int
    section: int | None
    document: int | None
    section_score: float = 0.0
    fts_score: float = 0.0


class Matcher:
    """Answers headings from one bank; holds a read-only connection, so one Matcher per thread."""

    def __init__(self, db_path: str | Path) -> None:
        ensure_loaded()
        self.db_path = Path(db_path)
        db = bank.open_bank(self.db_path)
        self.conn: sqlite3.Connection = db.conn
        self.conn.execute("pragma mmap_size = 268435456")
        self.conn.execute("pragma cache_size = -65536")
        self.conn.execute("create virtual table if not exists temp.vocab using fts5vocab(main, entries_fts, 'row')")
        self.conn.execute(
            "create virtual table if not exists temp.section_vocab using fts5vocab(main, sections_fts, 'row')"
        )
        self.df: dict[str, int] = dict(self.conn.execute("select term, doc from temp.vocab"))
        self.section_df: dict[str, int] = dict(self.conn.execute("select term, doc from temp.section_vocab"))
        self.rows = self.conn.execute("select count(*) from entries").fetchone()[0] or 1
        self._section_cache: dict[int, _SectionInfo] = {}
        self._documents: dict[int, tuple[str, str]] = {}

    def close(self) -> None:
        """Release the database connection."""
        self.conn.close()

    def idf(self, term: str) -> float:
        """Inverse document frequency of a word over the bank's entries; 0 for unknown words."""
        df = self.df.get(term, 0)
        if not df:
            return 0.0
        return math.log(1 + (self.rows - df + 0.5) / (df + 0.5))

    def query(self, heading: str) -> Query:
        """Read a heading as typed (number, run-in body and all) into weighted words and topics."""
        text = normalize_line(_CONTROL.sub(" ", heading or "")[:MAX_QUERY_CHARS])
        found = match_heading(text)
        head, body = (found.text, found.body) if found else split_heading_text(text)
        q = Query(text)
        for word in words(head):
            if self.idf(word):
                q.weights[word] = self.idf(word)
                q.head.add(word)
        for word in words(body)[:40]:
            if word not in q.weights and self.idf(word):
                q.weights[word] = BODY_WEIGHT * self.idf(word)
        pairs = list(q.weights.items())
        pairs += [(term, 1.0) for term in _substring_terms(head) if term not in q.weights]
        q.topics = topic_weights(pairs)
        for name, share in q.topics.items():
            options = [t for t in thesaurus()[name] if t not in q.weights and self.df.get(t, 0)]
            options.sort(key=lambda t: -self.df[t])
            for term in options[:6]:
                q.expansion[term] = 0.3 * share * self.idf(term)
        return q

    def match(self, heading: str, limit: int = 10) -> list[Match]:
        """Ranked passages for a heading; an unusable heading gives an empty list, never an error."""
        q = self.query(heading)
        if not q.weights and not q.topics:
            return []
        candidates = self._candidates(q)
        if not candidates:
            return []
        return self._rank(q, candidates, max(1, min(limit, 100)))

    def _best(self, table: str, rank: str, terms: list[str], limit: int) -> dict[int, float]:
        """The best-ranked rows of a full-text table for the terms (OR-ed), scored 0–1 relative to the top row."""
        rows = self.conn.execute(
            f"select rowid, -{rank} from {table} where {table} match ? order by {rank} limit ?",
            [_fts_phrase(terms), limit],
        ).fetchall()
        top = max((r[1] for r in rows), default=1.0) or 1.0
        return {rowid: score / top for rowid, score in rows}

    def _candidates(self, q: Query) -> dict[tuple[int, int | None], _Candidate]:
        found: dict[tuple[int, int | None], _Candidate] = {}
        ranked = sorted(q.weights, key=lambda t: -q.weights[t])
        fts_terms = _within_budget(ranked, self.df, ROW_BUDGET)
        extra = sorted(q.expansion, key=lambda t: -q.expansion[t])
        fts_terms += _within_budget(extra, self.df, ROW_BUDGET // 3)
        if fts_terms:
            scores = self._best("entries_fts", "bm25(entries_fts, 2.0, 1.0)", fts_terms, FTS_LIMIT)
            marks = ",".join("?" * len(scores))
            for entry, section, document in self.conn.execute(
                f"select id, section_id, document_id from entries where id in ({marks})",
                list(scores),
            ):
                found[(entry, section)] = _Candidate(entry, section, document, fts_score=scores[entry])
        sections: dict[int, float] = {}
        head_terms = _within_budget([t for t in ranked if t in q.head], self.section_df, ROW_BUDGET)
        if head_terms:
            sections.update(self._best("sections_fts", "bm25(sections_fts)", head_terms, SECTION_LIMIT))
        for name, share in sorted(q.topics.items(), key=lambda kv: -kv[1])[:2]:
            for section, weight in self.conn.execute(
                "select section_id, weight from section_topics where topic = ? order by weight desc limit ?",
                [name, TOPIC_SECTIONS],
            ):
                sections[section] = max(sections.get(section, 0.0), 0.5 * share * weight)
        if sections:
            marks = ",".join("?" * len(sections))
            children = self.conn.execute(
                f"select id, parent_id from sections where parent_id in ({marks})", list(sections)
            ).fetchall()
            for child, parent in children:
                sections.setdefault(child, 0.8 * sections[parent])
            marks = ",".join("?" * len(sections))
            rows = self.conn.execute(
                f"select entry_id, section_id, document_id from passages where section_id in ({marks})",
                list(sections),
            ).fetchall()
            per_section: dict[int, int] = defaultdict(int)
            for entry, section, document in rows:
                per_section[section] += 1
                if per_section[section] > PER_SECTION:
                    continue
                candidate = found.get((entry, section))
                if candidate is None:
                    candidate = found[(entry, section)] = _Candidate(entry, section, document)
                candidate.section_score = max(candidate.section_score, sections[section])
        return found

    def _sections(self, ids: set[int]) -> dict[int, _SectionInfo]:
        missing = [i for i in ids if i not in self._section_cache]
        if missing:
            marks = ",".join("?" * len(missing))
            for sid, heading, path, tokens, topics, number in self.conn.execute(
                f"select id, heading, path, tokens, topics, number from sections where id in ({marks})", missing
            ):
                self._section_cache[sid] = _SectionInfo(
                    heading, path, number, frozenset(tokens.split()), decode_topics(topics)
                )
        return {i: self._section_cache[i] for i in ids if i in self._section_cache}

    def _rank(self, q: Query, found: dict[tuple[int, int | None], _Candidate], limit: int) -> list[Match]:
        w = WEIGHTS
        entries = list({c.entry for c in found.values()})
        marks = ",".join("?" * len(entries))
        light = {
            row[0]: row
            for row in self.conn.execute(
                f"select id, freq, topics, truncated, chars from entries where id in ({marks})", entries
            )
        }
        sections = self._sections({c.section for c in found.values() if c.section is not None})
        head_total = sum(w_ for t, w_ in q.weights.items() if t in q.head) or 1.0
        # First pass: everything that needs no passage text, to keep only the promising candidates.
        first: list[tuple[float, _Candidate]] = []
        for candidate in found.values():
            row = light.get(candidate.entry)
            if row is None:
                continue
            score = (
                w["passage_topic"] * _dot(q.topics, decode_topics(row[2]))
                + w["fts"] * candidate.fts_score
                + w["section"] * candidate.section_score
                + w["freq"] * math.log2(row[1] or 1)
                - (w["truncated"] if row[3] else 0.0)
                - (w["short"] if row[4] < 20 else 0.0)
            )
            section = sections.get(candidate.section) if candidate.section is not None else None
            if section is not None:
                slex = sum(q.weights[t] for t in q.head if t in section.tokens) / head_total
                score += w["section_lex"] * slex + w["section_topic"] * _dot(q.topics, section.topics)
            first.append((score, candidate))
        first.sort(key=lambda item: -item[0])
        first = first[:SECOND_PASS]
        keep = list({c.entry for _, c in first})
        marks = ",".join("?" * len(keep))
        info = {
            row[0]: row
            for row in self.conn.execute(
                "select e.id, e.kind, e.text, e.template, e.heading, e.freq, p.tokens, p.heading_tokens"
                f" from entries e join passages p on p.id = e.passage_id where e.id in ({marks})",
                keep,
            )
        }
        total = sum(q.weights.values()) or 1.0
        scored: list[tuple[float, _Candidate, set[str]]] = []
        for score, candidate in first:
            row = info[candidate.entry]
            tokens = set(row[6].split())
            hits = {t for t in q.weights if t in tokens}
            lex = sum(q.weights[t] for t in hits) / total
            hlex = sum(q.weights[t] for t in q.head if t in row[7].split()) / head_total
            exp = sum(v for t, v in q.expansion.items() if t in tokens)
            score += w["lex"] * lex + w["head_lex"] * hlex + w["expansion"] * min(exp, 1.0)
            scored.append((score, candidate, hits | {t for t in q.expansion if t in tokens}))
        scored.sort(key=lambda item: -item[0])
        return self._diverse(scored, info, sections, limit)

    def _diverse(
        self,
        scored: list[tuple[float, _Candidate, set[str]]],
        info: dict[int, tuple],
        sections: dict[int, _SectionInfo],
        limit: int,
    ) -> list[Match]:
        chosen: list[Match] = []
        seen_entries: set[int] = set()
        per_doc: dict[int | None, int] = defaultdict(int)
        texts: list[str] = []
        pool = scored[: limit * 6]
        while pool and len(chosen) < limit:
            # Each passage already taken from a document lowers that document's next ones a little.
            best = max(
                range(len(pool)),
                key=lambda i: pool[i][0] - WEIGHTS["same_document"] * per_doc[pool[i][1].document],
            )
            score, candidate, hits = pool.pop(best)
            if candidate.entry in seen_entries or per_doc[candidate.document] >= PER_DOCUMENT:
                continue
            row = info[candidate.entry]
            text = row[2]
            if any(text in other or other in text for other in texts):
                continue
            seen_entries.add(candidate.entry)
            per_doc[candidate.document] += 1
            texts.append(text)
            chosen.append(
                Match(
                    text=text,
                    template=row[3],
                    kind=row[1],
                    score=score,
                    terms=sorted((t for t in hits if t in text), key=lambda t: (-len(t), t)),
                    freq=row[5],
                    source=self._source(candidate, sections),
                    entry_id=candidate.entry,
                    heading=row[4] or "",
                )
            )
        return chosen

    def _source(self, candidate: _Candidate, sections: dict[int, _SectionInfo]) -> Source:
        if candidate.document not in self._documents:
            found = self.conn.execute(
                "select title, source_file from documents where id = ?", [candidate.document]
            ).fetchone()
            self._documents[candidate.document] = found or ("", "")
        title, file = self._documents[candidate.document]
        section = sections.get(candidate.section) if candidate.section is not None else None
        heading = " › ".join(p for p in (section.path, section.number + section.heading) if p) if section else ""
        return Source(title, heading, file)


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


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _substring_terms(text: str) -> list[str]:
    """Thesaurus terms written inside the heading even where segmentation split them differently."""
    return [term for term in term_topics() if len(term) >= 2 and term in text]
