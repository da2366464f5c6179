"""A bank reader over a handful of documents held in memory, for testing how the matcher ranks."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bigan.core.bank_reader import DocumentRow, EntryStats, EntryText, Placement, SectionRow
from bigan.core.roles import plan_year, section_role
from bigan.core.segment import words


@dataclass
class FakeSection:
    """A heading with the passages written under it."""

    level: int
    number: str
    heading: str
    passages: list[str]
    freq: int = 1


@dataclass
class FakeDocument:
    """A document: title, year and its sections in order (a section's parent is the last higher one before it)."""

    title: str
    year: int
    sections: list[FakeSection]


@dataclass
class FakeReader:
    """Implements the part of core.bank_reader.BankReader that the matcher uses."""

    documents_in: list[FakeDocument]
    links: dict[str, dict[str, float]] = field(default_factory=dict)
    db_path: Path = Path("fake.db")

    def __post_init__(self) -> None:
        self._sections: dict[int, SectionRow] = {}
        self._docs: dict[int, DocumentRow] = {}
        self._stats: dict[int, EntryStats] = {}
        self._texts: dict[int, EntryText] = {}
        self._in_section: dict[int, list[int]] = {}
        for d, doc in enumerate(self.documents_in, start=1):
            self._docs[d] = DocumentRow(d, doc.title, f"{doc.title}.txt", doc.year)
            stack: list[int] = []
            for s in doc.sections:
                while stack and self._sections[stack[-1]].level >= s.level:
                    stack.pop()
                sid = len(self._sections) + 1
                path = [self._sections[p].number + self._sections[p].heading for p in stack]
                role = section_role(s.heading, path, plan_year(doc.title, doc.year), doc.title)
                self._sections[sid] = SectionRow(
                    sid, d, stack[-1] if stack else None, s.level, s.number, s.heading, " › ".join(path), sid,
                    frozenset(words(s.heading)), {}, role,
                )  # fmt: skip
                stack.append(sid)
                self._in_section[sid] = []
                for text in s.passages:
                    eid = len(self._texts) + 1
                    tokens = frozenset(words(text))
                    self._texts[eid] = EntryText(eid, "paragraph", text, text, "", s.freq, tokens, frozenset())
                    self._stats[eid] = EntryStats(eid, "paragraph", s.freq, len(text), False, sid, d, {})
                    self._in_section[sid].append(eid)
        self.entries = len(self._texts)
        self.documents = len(self._docs)
        self.newest_year = max(doc.year for doc in self.documents_in)
        self.entry_df = Counter(t for e in self._texts.values() for t in e.tokens)
        self.section_df = Counter(t for s in self._sections.values() for t in s.tokens)

    def close(self) -> None:
        """Nothing to release."""

    def abort_when(self, stale, steps: int = 1000) -> None:
        """Queries here never run long enough to abort."""

    def idf(self, term: str) -> float:
        """Inverse document frequency over the entries."""
        df = self.entry_df.get(term, 0)
        return math.log(1 + (self.entries - df + 0.5) / (df + 0.5)) if df else 0.0

    def _best(self, items: dict[int, frozenset[str]], terms: list[str], limit: int) -> dict[int, float]:
        scores = {i: sum(self.idf(t) for t in terms if t in tokens) for i, tokens in items.items()}
        ranked = sorted((i for i in scores if scores[i] > 0), key=lambda i: -scores[i])[:limit]
        top = scores[ranked[0]] if ranked else 1.0
        return {i: scores[i] / top for i in ranked}

    def search_entries(self, terms: list[str], limit: int) -> dict[int, float]:
        """Entries scored by the idf of the terms they hold."""
        return self._best({i: e.tokens for i, e in self._texts.items()}, terms, limit)

    def search_sections(self, terms: list[str], limit: int) -> dict[int, float]:
        """Sections scored by the idf of the terms their headings hold."""
        return self._best({i: s.tokens for i, s in self._sections.items()}, terms, limit)

    def topic_sections(self, topic: str, limit: int) -> list[tuple[int, float]]:
        """No thesaurus topics in the fake."""
        return []

    def role_sections(self, role: str, level: int, limit: int) -> list[int]:
        """Sections of a role at a level, newest documents first."""
        found = [s for s in self._sections.values() if s.role == role and s.level == level]
        found.sort(key=lambda s: (-(self._docs[s.document].year or 0), s.id))
        return [s.id for s in found[:limit]]

    def children(self, sections: list[int]) -> list[tuple[int, int]]:
        """(child, parent) pairs."""
        return [(s.id, s.parent) for s in self._sections.values() if s.parent in sections]

    def placements_in(self, sections: list[int]) -> list[Placement]:
        """Passages written directly under the sections."""
        return [Placement(e, s, self._sections[s].document) for s in sections for e in self._in_section.get(s, [])]

    def placements_of(self, entries: list[int]) -> list[Placement]:
        """Where each entry stands."""
        return [Placement(e, self._stats[e].section, self._stats[e].document) for e in entries]

    def entry_stats(self, entries: list[int]) -> dict[int, EntryStats]:
        """Ranking figures of entries."""
        return {e: self._stats[e] for e in entries if e in self._stats}

    def entry_texts(self, entries: list[int]) -> dict[int, EntryText]:
        """Wording of entries."""
        return {e: self._texts[e] for e in entries if e in self._texts}

    def sections(self, ids) -> dict[int, SectionRow]:
        """Sections by id."""
        return {i: self._sections[i] for i in ids if i in self._sections}

    def document(self, document: int | None) -> DocumentRow:
        """A document by id."""
        return self._docs.get(document or 0, DocumentRow(0, "", "", None))

    def associations(self, term: str) -> dict[str, float]:
        """The associations given to the fake."""
        return self.links.get(term, {})
