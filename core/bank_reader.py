"""The read side of the phrase bank: typed rows and the few searches the matcher, suggestions and 查重 need.

One reader holds one read-only SQLite connection, so one per thread. Everything that touches the bank's tables
when answering a heading goes through here, which is what lets the ranking be tested against a small fake.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from bigan.core import bank_guard, search_index
from bigan.core.bank_errors import BankError
from bigan.core.structure import passage_heading
from bigan.core.topics import decode as decode_topics
from bigan.core.wordids import WordSet, unpack


@dataclass(frozen=True)
class EntryStats:
    """What ranking reads of an entry before it needs the text."""

    id: int
    kind: str
    freq: int
    chars: int
    truncated: bool
    section: int | None
    document: int | None
    topics: dict[str, float]


@dataclass(frozen=True)
class EntryText:
    """An entry's wording and its indexed words (body and small heading); an empty template is the text's own,
    computed when a result is shown (core.placeholders.to_template)."""

    id: int
    kind: str
    text: str
    template: str
    heading: str
    freq: int
    tokens: Container[str]
    heading_tokens: Container[str]


@dataclass(frozen=True)
class Placement:
    """Where an entry's passage stands: the entry, its section and its document."""

    entry: int
    section: int | None
    document: int | None


@dataclass(frozen=True)
class SectionRow:
    """A heading of a corpus document, with its words, topics, role and level."""

    id: int
    document: int
    parent: int | None
    level: int
    number: str
    heading: str
    path: str
    position: int
    tokens: frozenset[str]
    topics: dict[str, float]
    role: str


@dataclass(frozen=True)
class DocumentRow:
    """A corpus document as a source: title, file and year."""

    id: int
    title: str
    file: str
    year: int | None


TEXT_CACHE = 50_000


def fts_phrase(terms: Iterable[str]) -> str:
    """Terms as an FTS5 query: each quoted (quotes doubled), joined with OR; never a syntax error."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def sqlite_uri(path: str | Path, query: str) -> str:
    """A file: URI for SQLite (spaces, %, ? and # escaped; Windows drives and UNC paths kept) with a query string."""
    text = os.path.abspath(path).replace("\\", "/")
    if not text.startswith("/"):
        text = "/" + text
    return f"file://{quote(text, safe='/:')}?{query}"


def open_immutable(path: str | Path) -> sqlite3.Connection:
    """Open a bank nobody writes (a published or cached office bank) read-only and immutable: no locks, no journal."""
    path = Path(path)
    if not path.is_file():
        raise BankError(f"素材库不存在：{path}")
    conn = sqlite3.connect(sqlite_uri(path, "mode=ro&immutable=1"), uri=True)
    try:
        version = conn.execute("select value from meta where key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise BankError(f"素材库文件已损坏或不是素材库：{path}（{exc}）") from None
    if version is None or str(version[0]) != str(bank_guard.SCHEMA_VERSION):
        conn.close()
        raise BankError(f"素材库版本不符：{path}（请用新版程序重新发布）")
    return conn


class TextSearch(Protocol):
    """Where the matcher's full-text candidates come from: the bank's FTS5 tables, or an index rebuilt from them."""

    name: str

    def search_entries(self, terms: list[str], limit: int) -> dict[int, float]:
        """The best entries for the terms (OR-ed, the small heading counting double), scored 0–1 against the top."""
        ...

    def search_sections(self, terms: list[str], limit: int) -> dict[int, float]:
        """The best corpus headings for the terms, scored 0–1 against the top."""
        ...


class Fts5Search:
    """The searches inside the bank file: bm25() over entries_fts and sections_fts."""

    name = "fts5"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def search_entries(self, terms: list[str], limit: int) -> dict[int, float]:
        """The best entries for the terms (OR-ed, the small heading counting double), scored 0–1 against the top."""
        return _best(self.conn, "entries_fts", "bm25(entries_fts, 2.0, 1.0)", terms, limit)

    def search_sections(self, terms: list[str], limit: int) -> dict[int, float]:
        """The best corpus headings for the terms, scored 0–1 against the top."""
        return _best(self.conn, "sections_fts", "bm25(sections_fts)", terms, limit)


def _best(conn: sqlite3.Connection, table: str, rank: str, terms: list[str], limit: int) -> dict[int, float]:
    rows = conn.execute(
        f"select rowid, -{rank} from {table} where {table} match ? order by {rank} limit ?",
        [fts_phrase(terms), limit],
    ).fetchall()
    top = max((r[1] for r in rows), default=1.0) or 1.0
    return {rowid: score / top for rowid, score in rows}


# Which entry search a reader uses: the index beside the bank when it is current (else FTS5), or FTS5 always.
AUTO, FTS5 = "auto", "fts5"


def _marks(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


class BankReader:
    """Read-only access to one bank file; immutable=True for a file nobody writes (an office bank or its copy).
    search=AUTO takes the entry search from a current index beside the bank (core.search_index), FTS5 otherwise."""

    def __init__(self, db_path: str | Path, immutable: bool = False, search: str = AUTO) -> None:
        self.db_path = Path(db_path)
        self.conn: sqlite3.Connection = (
            open_immutable(self.db_path) if immutable else bank_guard.open_checked(self.db_path)
        )
        self.conn.execute("pragma mmap_size = 268435456")
        self.conn.execute("pragma cache_size = -65536")
        self.conn.execute("create virtual table if not exists temp.vocab using fts5vocab(main, entries_fts, 'row')")
        self.conn.execute(
            "create virtual table if not exists temp.section_vocab using fts5vocab(main, sections_fts, 'row')"
        )
        self.entry_df: dict[str, int] = dict(self.conn.execute("select term, doc from temp.vocab"))
        self.section_df: dict[str, int] = dict(self.conn.execute("select term, doc from temp.section_vocab"))
        self.entries = self.conn.execute("select count(*) from entries").fetchone()[0] or 1
        self.search: TextSearch = Fts5Search(self.conn)
        if search == AUTO:
            self.search = search_index.open_current(self.db_path, self.conn) or self.search
        self.documents = self.conn.execute("select count(*) from documents").fetchone()[0] or 1
        self.newest_year: int | None = self.conn.execute("select max(year) from documents").fetchone()[0]
        self._sections: dict[int, SectionRow] = {}
        self._documents: dict[int, DocumentRow] = {}
        self._associations: dict[str, dict[str, float]] = {}
        self._texts: dict[int, EntryText] = {}
        self._stats: dict[int, EntryStats] = {}
        self._numbers: dict[str, int | None] = {}
        self._roles: dict[tuple[str, int, int], list[int]] = {}
        self._years: list[list[int]] | None = None

    def close(self) -> None:
        """Release the connection."""
        self.conn.close()

    def abort_when(self, stale: Callable[[], bool] | None, steps: int = 1000) -> None:
        """Make queries stop (sqlite3.OperationalError) once stale() turns true; None removes the check."""
        if stale is None:
            self.conn.set_progress_handler(None, 0)
        else:
            self.conn.set_progress_handler(lambda: int(stale()), steps)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a word over the bank's entries; 0 for unknown words."""
        df = self.entry_df.get(term, 0)
        return math.log(1 + (self.entries - df + 0.5) / (df + 0.5)) if df else 0.0

    def search_entries(self, terms: list[str], limit: int) -> dict[int, float]:
        """The best entries for the terms (OR-ed, the small heading counting double), scored 0–1 against the top."""
        return self._search("search_entries", terms, limit)

    def search_sections(self, terms: list[str], limit: int) -> dict[int, float]:
        """The best corpus headings for the terms, scored 0–1 against the top."""
        return self._search("search_sections", terms, limit)

    def _search(self, which: str, terms: list[str], limit: int) -> dict[int, float]:
        if not terms:
            return {}
        if self.search.name != FTS5:
            try:
                return getattr(self.search, which)(terms, limit)
            except Exception as exc:  # an index damaged while open: the bank's own index answers from now on
                search_index.log.warning("search index of %s failed, FTS5 used: %s", self.db_path, exc)
                self.search = Fts5Search(self.conn)
        return getattr(self.search, which)(terms, limit)

    def ranked_entries(self, terms: list[str], limit: int) -> list[int]:
        """Entry ids best first for the terms (OR-ed)."""
        if not terms:
            return []
        rows = self.conn.execute(
            "select rowid from entries_fts where entries_fts match ? order by bm25(entries_fts) limit ?",
            [fts_phrase(terms), limit],
        ).fetchall()
        return [r[0] for r in rows]

    def topic_sections(self, topic: str, limit: int) -> list[tuple[int, float]]:
        """Sections most about a thesaurus topic, with the topic's weight in each."""
        return self.conn.execute(
            "select section_id, weight from section_topics where topic = ? order by weight desc limit ?",
            [topic, limit],
        ).fetchall()

    def role_sections(self, role: str, level: int, limit: int) -> list[int]:
        """Sections of a role at a level, newest documents first (by id within a year; cached)."""
        key = (role, level, limit)
        if key not in self._roles:
            # A year's documents at a time, so the sections of one role (tens of thousands in a large bank) are
            # not all read and sorted to find the newest few.
            found: list[int] = []
            for documents in self._documents_by_year():
                year: list[int] = []
                for start in range(0, len(documents), 500):
                    chunk = documents[start : start + 500]
                    year += [r[0] for r in self.conn.execute(
                        f"select id from sections where role = ? and level = ? and document_id in ({_marks(chunk)})",
                        [role, level, *chunk],
                    )]  # fmt: skip
                found += sorted(year)
                if len(found) >= limit:
                    break
            self._roles[key] = found[:limit]
        return self._roles[key]

    def _documents_by_year(self) -> list[list[int]]:
        """Document ids a year at a time, newest first, those without a year last."""
        if self._years is None:
            groups: dict[int | None, list[int]] = {}
            for document, year in self.conn.execute("select id, year from documents"):
                groups.setdefault(year, []).append(document)
            years = sorted((y for y in groups if y is not None), reverse=True)
            self._years = [groups[y] for y in years] + ([groups[None]] if None in groups else [])
        return self._years

    def children(self, sections: list[int]) -> list[tuple[int, int]]:
        """(child, parent) for the sections directly under the given ones."""
        if not sections:
            return []
        return self.conn.execute(
            f"select id, parent_id from sections where parent_id in ({_marks(sections)})", sections
        ).fetchall()

    def placements_in(self, sections: list[int]) -> list[Placement]:
        """Every passage written directly under the given sections, in order."""
        if not sections:
            return []
        rows = self.conn.execute(
            f"select entry_id, section_id, document_id from passages where section_id in ({_marks(sections)})"
            " and entry_id is not null order by id",
            sections,
        ).fetchall()
        return [Placement(*row) for row in rows]

    def placements_of(self, entries: list[int]) -> list[Placement]:
        """Where each entry's representative passage stands."""
        if not entries:
            return []
        rows = self.conn.execute(
            f"select id, section_id, document_id from entries where id in ({_marks(entries)})", entries
        ).fetchall()
        return [Placement(*row) for row in rows]

    def entry_stats(self, entries: list[int]) -> dict[int, EntryStats]:
        """Ranking figures of entries, without their text (cached like the texts)."""
        missing = [e for e in entries if e not in self._stats]
        if missing:
            if len(self._stats) > TEXT_CACHE:
                self._stats.clear()
            for r in self.conn.execute(
                "select id, kind, freq, chars, truncated, section_id, document_id, topics from entries"
                f" where id in ({_marks(missing)})",
                missing,
            ):
                self._stats[r[0]] = EntryStats(
                    r[0], r[1], r[2] or 1, r[3] or 0, bool(r[4]), r[5], r[6], decode_topics(r[7])
                )
        return {e: self._stats[e] for e in entries if e in self._stats}

    def entry_texts(self, entries: list[int]) -> dict[int, EntryText]:
        """Wording, template and indexed words of entries (cached: the bank does not change while it is open)."""
        missing = [e for e in entries if e not in self._texts]
        if missing:
            if len(self._texts) > TEXT_CACHE:
                self._texts.clear()
            for r in self.conn.execute(
                "select e.id, e.kind, t.text, null, e.freq, e.words, e.heading_words from entries e"
                " join passages p on p.id = e.passage_id join passage_texts t on t.id = p.id"
                f" where e.id in ({_marks(missing)})",
                missing,
            ):
                text = r[2] or ""
                self._texts[r[0]] = EntryText(
                    r[0], r[1], text, "", passage_heading(r[1], text), r[4] or 1,
                    WordSet(unpack(r[5]), self.word_number),
                    WordSet(unpack(r[6]), self.word_number),
                )  # fmt: skip
        return {e: self._texts[e] for e in entries if e in self._texts}

    def numbered(self, words: Iterable[str]) -> dict[int, str]:
        """The words the bank's entries hold, keyed by their numbers (for WordSet.present)."""
        return {n: w for w in words if (n := self.word_number(w)) is not None}

    def word_number(self, word: str) -> int | None:
        """A word's number in the bank's words table (None when no entry holds it)."""
        if word not in self._numbers:
            if len(self._numbers) > TEXT_CACHE:
                self._numbers.clear()
            row = self.conn.execute("select id from words where word = ?", [word]).fetchone()
            self._numbers[word] = row[0] if row else None
        return self._numbers[word]

    def sections(self, ids: Iterable[int]) -> dict[int, SectionRow]:
        """Sections by id (cached: they never change while the reader is open)."""
        wanted = set(ids)
        missing = [i for i in wanted if i not in self._sections]
        if missing:
            for r in self.conn.execute(
                "select id, document_id, parent_id, level, number, heading, path, position, tokens, topics, role"
                f" from sections where id in ({_marks(missing)})",
                missing,
            ):
                self._sections[r[0]] = SectionRow(
                    r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], frozenset(r[8].split()), decode_topics(r[9]),
                    r[10] or "",
                )  # fmt: skip
        return {i: self._sections[i] for i in wanted if i in self._sections}

    def document(self, document: int | None) -> DocumentRow:
        """A document by id (an empty row for None or a missing id)."""
        if document is None:
            return DocumentRow(0, "", "", None)
        if document not in self._documents:
            row = self.conn.execute(
                "select id, title, source_file, year from documents where id = ?", [document]
            ).fetchone()
            self._documents[document] = DocumentRow(*row) if row else DocumentRow(document, "", "", None)
        return self._documents[document]

    def associations(self, term: str) -> dict[str, float]:
        """Body words the corpus writes under headings with this word, with their strength (PMI, 0–1)."""
        if term not in self._associations:
            self._associations[term] = dict(
                self.conn.execute("select word, weight from associations where term = ?", [term])
            )
        return self._associations[term]

    # -- for suggestions

    def similar_sections(self, terms: list[str], limit: int) -> list[tuple[int, int]]:
        """(section, level) of corpus headings best matching the terms."""
        if not terms:
            return []
        return self.conn.execute(
            "select s.id, s.level from sections_fts f join sections s on s.id = f.rowid"
            " where sections_fts match ? order by bm25(sections_fts) limit ?",
            [fts_phrase(terms), limit],
        ).fetchall()

    def next_siblings(self, sections: list[int]) -> list[tuple[int, str, int]]:
        """(level, heading, document) of the heading after each given one at its level under its parent."""
        if not sections:
            return []
        return self.conn.execute(
            "select n.level, n.heading, n.document_id from sections s join sections n"
            " on n.document_id = s.document_id and n.level = s.level and n.parent_id is s.parent_id"
            " and n.position = (select min(position) from sections m where m.document_id = s.document_id"
            " and m.level = s.level and m.parent_id is s.parent_id and m.position > s.position)"
            f" where s.id in ({_marks(sections)})",
            sections,
        ).fetchall()

    def child_headings(self, sections: list[int]) -> list[tuple[int, str, int]]:
        """(level, heading, document) of the headings directly under the given ones."""
        if not sections:
            return []
        return self.conn.execute(
            f"select level, heading, document_id from sections where parent_id in ({_marks(sections)})", sections
        ).fetchall()

    def first_chapters(self) -> list[tuple[int, str, int]]:
        """(level, heading, document) of each document's first level-1 heading."""
        return self.conn.execute(
            "select s.level, s.heading, s.document_id from sections s where s.level = 1 and s.id ="
            " (select min(id) from sections t where t.document_id = s.document_id and t.level = 1)"
        ).fetchall()

    def document_titles(self) -> list[tuple[int, str]]:
        """(id, title) of every document."""
        return self.conn.execute("select id, title from documents order by id").fetchall()

    def outline_rows(self) -> list[tuple[int, int, str]]:
        """(document, level, heading) of every level-1 and level-2 heading, in document order."""
        return self.conn.execute(
            "select document_id, level, heading from sections where level <= 2 order by document_id, id"
        ).fetchall()

    # -- for 查重

    def entry_source(self, entry: int) -> tuple[str, str, int]:
        """(text, source title, documents carrying it) of an entry."""
        row = self.conn.execute(
            "select t.text, d.title, e.freq from entries e join passage_texts t on t.id = e.passage_id"
            " join documents d on d.id = e.document_id where e.id = ?",
            [entry],
        ).fetchone()
        return (row[0], row[1], row[2]) if row else ("", "", 0)
