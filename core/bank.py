"""The phrase bank: a SQLite file of documents, sections, passages and deduplicated, indexed entries."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from bigan.core import associations, atomic, bank_guard, bank_lock, failures, fsnames
from bigan.core.bank_errors import BankError, BuildCancelled
from bigan.core.bank_guard import SCHEMA_VERSION
from bigan.core.bank_lock import LockHolder
from bigan.core.convert import OFFICE_SUFFIXES, Converter
from bigan.core.decode import MAX_BYTES, collect_files
from bigan.core.dedup import DEDUP_SCHEMA, StoredGrouper, fingerprint
from bigan.core.ingest import IndexedPassage, ParsedFile, passage_topics, passage_words
from bigan.core.models import Document, Skipped
from bigan.core.netpath import refuse_network
from bigan.core.parse_pool import parse_files, time_limit
from bigan.core.placeholders import to_template
from bigan.core.regular import NotRegularFile, open_regular
from bigan.core.roles import plan_year, section_role
from bigan.core.segment import signature
from bigan.core.structure import passage_heading
from bigan.core.topics import decode as decode_topics
from bigan.core.wordids import SCHEMA as WORDS_SCHEMA
from bigan.core.wordids import Vocabulary

__all__ = ["SCHEMA_VERSION", "BankError", "BuildCancelled", "BuildReport", "build", "open_bank", "stats"]

PARALLEL_BYTES = 256 * 1024
# Source bytes of parsed files held back to write them in the order given (core.bank._InputOrder).
REORDER_BYTES = 4 * 1024 * 1024

Progress = Callable[[int, int, str], None]


@dataclass
class BuildReport:
    """What a build did, for the summary line and the import dialog."""

    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    documents: int = 0
    passages: int = 0
    seconds: float = 0.0
    changed: bool = False
    totals: dict[str, int] = field(default_factory=dict)
    # A rebuild (damaged, older or newer bank, new word list, 重建素材库): why, the sources it imported again from
    # the old bank's records, those it could no longer read, and where the old file was kept.
    rebuilt: str = ""
    recovered: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    set_aside: str = ""
    fallback: bool = False  # nothing given and nothing recorded: the fallback sources were imported


def _create_schema(db: sqlite_utils.Database) -> None:
    # Two bytes a Chinese character instead of UTF-8's three; takes effect only in a new, empty file.
    db.execute("pragma encoding = 'UTF-16le'")
    db.table("meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db.table("files").create(
        {"id": int, "path": str, "checksum": str, "size": int, "encoding": str, "imported_at": str},
        pk="id",
        if_not_exists=True,
    )
    # The real bytes of a file name that is not valid UTF-8; files.path holds its readable form (core.fsnames).
    db.table("raw_paths").create({"file_id": int, "path": bytes}, pk="file_id", if_not_exists=True)
    db.table("documents").create(
        {
            "id": int,
            "file_id": int,
            "title": str,
            "source_file": str,
            "checksum": str,
            "imported_at": str,
            "position": int,
            "chars": int,
            "date": str,
            "year": int,
            "converted": int,
        },
        pk="id",
        foreign_keys=[("file_id", "files", "id")],
        if_not_exists=True,
    )
    # Text kept with its document that is never a passage: salutations, the opening, glossaries, appendices.
    db.table("asides").create(
        {"id": int, "document_id": int, "kind": str, "position": int, "text": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
        if_not_exists=True,
    )
    db.table("sections").create(
        {
            "id": int,
            "document_id": int,
            "parent_id": int,
            "level": int,
            "number": str,
            "heading": str,
            "path": str,
            "position": int,
            "tokens": str,
            "topics": str,
            "role": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
        if_not_exists=True,
    )
    # Heading word → body words the corpus writes under it (core.associations), rebuilt after every import.
    db.table("associations").create({"term": str, "word": str, "weight": float}, if_not_exists=True)
    db.table("associations").create_index(["term"], if_not_exists=True)
    # A passage's text is stored once: an item cut from its paragraph keeps only where it stands in it (within,
    # start, length in characters; text is null). Its template and small heading are computed from the text.
    db.table("passages").create(
        {
            "id": int,
            "document_id": int,
            "section_id": int,
            "kind": str,
            "text": str,
            "within": int,
            "start": int,
            "length": int,
            "truncated": int,
            "chars": int,
            "position": int,
            "entry_id": int,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("section_id", "sections", "id")],
        if_not_exists=True,
    )
    db.execute(
        "create view if not exists passage_texts (id, text) as select p.id,"
        " coalesce(p.text, substr(w.text, p.start + 1, p.length))"
        " from passages p left join passages w on w.id = p.within"
    )
    # One row per group of near-identical passages; its wording is its representative passage's.
    db.table("entries").create(
        {
            "id": int,
            "kind": str,
            "freq": int,
            "occurrences": int,
            "chars": int,
            "truncated": int,
            "passage_id": int,
            "section_id": int,
            "document_id": int,
            "topics": str,
            "words": bytes,
            "heading_words": bytes,
        },
        pk="id",
        if_not_exists=True,
    )
    # The numbers of entries' words (core.wordids): which of a heading's words an entry holds, without its text.
    db.execute(WORDS_SCHEMA)
    # Full-text indexes over segmented words; rowid is the entry or section id. The entries' index keeps no copy
    # of its words (contentless): the reader segments an entry's text again when it needs them.
    db.execute(
        "create virtual table if not exists entries_fts using fts5(heading, body, content='', tokenize='unicode61')"
    )
    db.execute("create virtual table if not exists sections_fts using fts5(heading, tokenize='unicode61')")
    for statement in DEDUP_SCHEMA:
        db.execute(statement)
    db.table("section_topics").create(
        {"section_id": int, "topic": str, "weight": float},
        foreign_keys=[("section_id", "sections", "id")],
        if_not_exists=True,
    )
    db.table("section_topics").create_index(["topic", "weight"], if_not_exists=True)
    db.table("section_topics").create_index(["section_id"], if_not_exists=True)
    db.table("files").create_index(["path"], unique=True, if_not_exists=True)
    db.table("files").create_index(["checksum"], if_not_exists=True)
    db.table("documents").create_index(["file_id"], if_not_exists=True)
    db.table("asides").create_index(["document_id"], if_not_exists=True)
    db.table("sections").create_index(["document_id"], if_not_exists=True)
    db.table("sections").create_index(["parent_id"], if_not_exists=True)
    db.table("passages").create_index(["document_id"], if_not_exists=True)
    db.table("passages").create_index(["section_id", "entry_id", "document_id"], if_not_exists=True)
    db.table("passages").create_index(["entry_id"], if_not_exists=True)


def open_bank(path: str | Path, readonly: bool = True) -> sqlite_utils.Database:
    """Open an existing bank (read-only by default), or raise BankError saying what is wrong and what to do."""
    return sqlite_utils.Database(bank_guard.open_checked(path, readonly))


def stats(path: str | Path) -> dict[str, int]:
    """Counts of what the bank holds."""
    db = open_bank(path)
    try:
        return _counts(db)
    except sqlite3.Error as exc:
        raise BankError(bank_guard.explain(exc, path)) from None
    finally:
        db.conn.close()


def _counts(db: sqlite_utils.Database) -> dict[str, int]:
    counts = {name: db[name].count for name in ("files", "documents", "sections", "passages", "entries")}
    counts["items"] = db.execute("select count(*) from passages where kind = 'item'").fetchone()[0]
    counts["shared_entries"] = db.execute("select count(*) from entries where freq > 1").fetchone()[0]
    return counts


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


def _checksum(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with open_regular(path) as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except (OSError, NotRegularFile):
        return None


def _convert_office_files(
    todo: list[str],
    office: Converter,
    report: BuildReport,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> tuple[list[str], dict[str, str]]:
    """Turn the build's .doc/.wps/.rtf/.odt files into .docx in batches, before parsing starts.

    Returns the files still to parse and, for each converted one, the .docx to read; the failures go to
    the report as skipped, with their reasons.
    """
    wanted = [p for p in todo if Path(p).suffix.lower() in OFFICE_SUFFIXES]
    if not wanted:
        return todo, {}

    def converted_one(done: int, path: str) -> None:
        if progress is not None:
            progress(done, len(wanted), path)

    outcomes = office.convert(wanted, converted_one, cancelled)
    if cancelled is not None and cancelled():
        raise BuildCancelled()
    converted: dict[str, str] = {}
    for path in wanted:
        outcome = outcomes[path]
        if outcome.docx is not None:
            converted[path] = str(outcome.docx)
        else:
            report.skipped.append(Skipped(path, outcome.reason))
    failed = set(wanted) - set(converted)
    return [p for p in todo if p not in failed], converted


def _next_id(db: sqlite_utils.Database, table: str) -> int:
    return (db.execute(f"select max(id) from {table}").fetchone()[0] or 0) + 1


_FTS_INSERT = "insert into entries_fts (rowid, heading, body) values (?, ?, ?)"
_FTS_DELETE = "insert into entries_fts (entries_fts, rowid, heading, body) values ('delete', ?, ?, ?)"
_ENTRY_INSERT = (
    "insert into entries (id, kind, freq, occurrences, chars, truncated, passage_id, section_id, document_id, topics,"
    " words, heading_words) values (?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_PASSAGE_ROW = (
    "select p.id, p.kind, t.text, null, p.truncated, p.chars, p.section_id, p.document_id"
    " from passages p join passage_texts t on t.id = p.id"
)


def _stored_words(db: sqlite_utils.Database, passage: int) -> tuple[str, str, str] | None:
    """(words, heading words, topics) of a stored passage, segmented again from its text."""
    row = db.execute(f"{_PASSAGE_ROW} where p.id = ?", [passage]).fetchone()
    if row is None:
        return None
    tokens, head = passage_words(row[1], row[2] or "", passage_heading(row[1], row[2] or ""))
    return tokens, head, passage_topics(tokens, head)


class _Writer:
    """Inserts parsed files into an open bank, assigning each passage to its entry as it arrives.

    Grouping state lives in the bank's dedup tables, so memory holds one file at a time. regroup=True (after files
    or documents were deleted) groups every remaining passage afresh, its entries and index rebuilt from the text.
    """

    def __init__(self, db: sqlite_utils.Database, regroup: bool) -> None:
        self.db = db
        self.ids = {t: _next_id(db, t) for t in ("files", "documents", "sections", "passages", "entries")}
        self.added_sections = 0
        self.vocabulary = Vocabulary(db.conn)
        self.first_document = self.ids["documents"]
        # This build's sections' own paragraph words, for the associations: a temporary file, not the bank.
        if db.conn.in_transaction:
            db.conn.commit()  # SQLite attaches only between transactions; the build file is not the bank yet
        db.execute("attach database '' as scratch")
        db.execute("create table scratch.section_words (section_id integer primary key, words text)")
        if regroup:
            self._regroup()
        self.grouper = StoredGrouper(db.conn)

    def _entry_rows(self, created: list[tuple]) -> list[tuple]:
        """Entry rows (…, topics) with their words as numbers, from (row, (entry, head, tokens)) pairs."""
        vocabulary = self.vocabulary
        vocabulary.number(w for _, (_, head, tokens) in created for w in f"{head} {tokens}".split())
        rows = [(*row, vocabulary.pack(tokens), vocabulary.pack(head)) for row, (_, head, tokens) in created]
        vocabulary.forget()
        return rows

    def _regroup(self) -> None:
        db = self.db
        for table in ("entries", "words", "dedup_keys", "dedup_owners", "dedup_clauses", "dedup_common"):
            db.execute(f"delete from {table}")
        db.execute("insert into entries_fts (entries_fts) values ('delete-all')")
        self.ids["entries"] = 1
        grouper = StoredGrouper(db.conn)
        last = 0
        while True:
            rows = db.execute(f"{_PASSAGE_ROW} where p.id > ? order by p.id limit 2000", [last]).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            prints = [fingerprint(kind, to_template(text or "")) for _, kind, text, *_ in rows]
            grouper.prefetch(prints)
            updates, created = [], []
            for (pid, kind, text, _, truncated, chars, section, document), fp in zip(rows, prints):
                fresh = self.ids["entries"]
                entry = grouper.add(kind, fp, fresh)
                if entry == fresh:
                    self.ids["entries"] += 1
                    tokens, head = passage_words(kind, text or "", passage_heading(kind, text or ""))
                    created.append(
                        ((entry, kind, chars, truncated, pid, section, document, passage_topics(tokens, head)),
                         (entry, head, tokens))
                    )  # fmt: skip
                updates.append((entry, pid))
            grouper.flush()
            db.conn.executemany("update passages set entry_id = ? where id = ?", updates)
            db.conn.executemany(_ENTRY_INSERT, self._entry_rows(created))
            db.conn.executemany(_FTS_INSERT, [c[1] for c in created])

    def add_file(self, parsed: ParsedFile, now: str) -> tuple[int, int]:
        """Insert one file's documents, sections and passages; return (documents, passages)."""
        file_id = self.ids["files"]
        self.ids["files"] += 1
        shown = fsnames.display(parsed.path)
        self.db.execute(
            "insert into files (id, path, checksum, size, encoding, imported_at) values (?,?,?,?,?,?)",
            [file_id, shown, parsed.checksum, parsed.size, parsed.encoding, now],
        )
        raw = fsnames.raw_bytes(parsed.path)
        if raw is not None:
            self.db.execute("insert into raw_paths (file_id, path) values (?, ?)", [file_id, raw])
        self.grouper.prefetch([ix.fingerprint for indexed in parsed.passages for ix in indexed])
        n_passages = 0
        for doc, indexed, section_tokens, section_topics in zip(
            parsed.documents, parsed.passages, parsed.section_tokens, parsed.section_topics
        ):
            self._add_document(doc, indexed, section_tokens, section_topics, file_id, shown, parsed.checksum, now)
            n_passages += len(doc.passages)
        self.grouper.flush()
        return len(parsed.documents), n_passages

    def _add_document(
        self,
        doc: Document,
        indexed: list[IndexedPassage],
        section_tokens: list[str],
        section_topics: list[str],
        file_id: int,
        shown: str,
        checksum: str,
        now: str,
    ) -> None:
        doc_id = self.ids["documents"]
        self.ids["documents"] += 1
        chars = sum(p.chars for p in doc.passages if p.kind == "paragraph")
        self.db.execute(
            "insert into documents (id, file_id, title, source_file, checksum, imported_at, position, chars,"
            " date, year, converted) values (?,?,?,?,?,?,?,?,?,?,?)",
            [doc_id, file_id, doc.title, shown, checksum, now, doc.index, chars, doc.date, doc.year,
             int(doc.converted)],
        )  # fmt: skip
        self.db.conn.executemany(
            "insert into asides (document_id, kind, position, text) values (?,?,?,?)",
            [(doc_id, a.kind, a.position, a.text) for a in doc.asides],
        )
        first_section = self.ids["sections"]
        self.ids["sections"] += len(doc.sections)
        sections = [
            (
                first_section + i,
                doc_id,
                first_section + s.parent if s.parent is not None else None,
                s.level,
                s.number,
                s.heading,
                " › ".join(s.path),
                s.position,
                tokens,
                topics,
                section_role(s.heading, [doc.title, *s.path], plan_year(doc.title, doc.year)),
            )
            for i, (s, tokens, topics) in enumerate(zip(doc.sections, section_tokens, section_topics))
        ]
        self.db.conn.executemany(
            "insert into sections (id, document_id, parent_id, level, number, heading, path, position, tokens,"
            " topics, role) values (?,?,?,?,?,?,?,?,?,?,?)",
            sections,
        )
        self.db.conn.executemany(
            "insert into section_topics (section_id, topic, weight) values (?,?,?)",
            [(r[0], name, weight) for r in sections for name, weight in decode_topics(r[9]).items()],
        )
        self.db.conn.executemany(
            "insert into sections_fts (rowid, heading) values (?, ?)", [(r[0], r[8]) for r in sections]
        )
        rows, created = [], []
        own: dict[int, set[str]] = {}
        paragraph: tuple[int, str] | None = None
        searched = 0
        for p, ix in zip(doc.passages, indexed):
            pid = self.ids["passages"]
            self.ids["passages"] += 1
            section = first_section + p.section if p.section is not None else None
            text, within, start = p.text, None, None
            if p.kind == "paragraph":
                paragraph, searched = (pid, p.text), 0
                if section is not None:
                    own.setdefault(section, set()).update(ix.tokens.split())
            elif paragraph is not None and (found := paragraph[1].find(p.text, searched)) >= 0:
                text, within, start = None, paragraph[0], found
                searched = found + len(p.text)
            else:
                paragraph = None
            fresh = self.ids["entries"]
            entry = self.grouper.add(p.kind, ix.fingerprint, fresh)
            if entry == fresh:
                self.ids["entries"] += 1
                created.append(
                    ((entry, p.kind, p.chars, int(p.truncated), pid, section, doc_id, ix.topics),
                     (entry, ix.heading_tokens, ix.tokens))
                )  # fmt: skip
            length = len(p.text) if within is not None else None
            rows.append((pid, doc_id, section, p.kind, text, within, start, length, int(p.truncated),
                         p.chars, p.position, entry))  # fmt: skip
        self.db.conn.executemany(
            "insert into passages (id, document_id, section_id, kind, text, within, start, length,"
            " truncated, chars, position, entry_id) values (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self.db.conn.executemany(_ENTRY_INSERT, self._entry_rows(created))
        self.db.conn.executemany(_FTS_INSERT, [c[1] for c in created])
        self.db.conn.executemany(
            "insert into scratch.section_words (section_id, words) values (?, ?)",
            [(sid, " ".join(words)) for sid, words in own.items()],
        )
        self.added_sections += len(sections)

    def finish(self) -> None:
        """Settle entry counts, give each entry its representative wording, and mine associations if due.

        An entry's wording is its first complete passage in source-file order (a cut-off one only when all are),
        whatever order the parse workers finished in.
        """
        db = self.db
        db.execute(
            "update entries set (freq, occurrences) = (select count(distinct document_id), count(*)"
            " from passages where passages.entry_id = entries.id)"
        )
        for entry, old in db.execute("select id, passage_id from entries where occurrences = 0").fetchall():
            words = _stored_words(db, old)
            if words is not None:
                db.execute(_FTS_DELETE, [entry, words[1], words[0]])
            db.execute("delete from entries where id = ?", [entry])
        moves = db.execute(
            "select e.id, e.passage_id, (select p.id from passages p join documents d on d.id = p.document_id"
            " join files f on f.id = d.file_id where p.entry_id = e.id order by p.truncated, f.path, p.id limit 1)"
            " from entries e where e.occurrences > 1"
        ).fetchall()
        for entry, old, new in moves:
            if new is None or new == old:
                continue
            before, after = _stored_words(db, old), _stored_words(db, new)
            if after is None:
                continue
            if before is not None:
                db.execute(_FTS_DELETE, [entry, before[1], before[0]])
            db.execute(_FTS_INSERT, [entry, after[1], after[0]])
            self.vocabulary.number(f"{after[0]} {after[1]}".split())
            body, head = self.vocabulary.pack(after[0]), self.vocabulary.pack(after[1])
            db.execute(
                "update entries set (kind, chars, truncated, passage_id, section_id, document_id, topics, words,"
                " heading_words) = (select kind, chars, truncated, id, section_id, document_id, ?, ?, ? from passages"
                " where id = ?) where id = ?",
                [after[2], body, head, new, entry],
            )
        self.vocabulary.forget()
        associations.refresh(db.conn, self.added_sections, self.first_document)


class _InputOrder:
    """Hands parse results on in the order the files were given, whatever order the workers finish them in, so a
    bank's ids (and with them every tie in ranking) are the same from build to build. Results waiting for an earlier
    file hold at most REORDER_BYTES of source; past that they go on as they came."""

    def __init__(self, paths: list[str]) -> None:
        self.index = {path: i for i, path in enumerate(paths)}
        self.waiting: dict[int, ParsedFile | Skipped] = {}
        self.written: set[int] = set()
        self.next = 0
        self.held = 0

    def arrived(self, outcome: ParsedFile | Skipped) -> list[ParsedFile | Skipped]:
        """The results that can be written now, in order."""
        i = self.index.get(outcome.path)
        if i is None:
            return [outcome]
        self.waiting[i] = outcome
        self.held += outcome.size if isinstance(outcome, ParsedFile) else 0
        ready = []
        while self.next in self.waiting or self.next in self.written:
            if self.next in self.waiting:
                ready.append(self.waiting.pop(self.next))
                self.written.add(self.next)
            self.next += 1
        if self.held > REORDER_BYTES or (self.waiting and len(self.written) + len(self.waiting) == len(self.index)):
            for j in sorted(self.waiting):
                ready.append(self.waiting.pop(j))
                self.written.add(j)
        if not self.waiting:
            self.held = 0
        else:
            self.held = sum(o.size for o in self.waiting.values() if isinstance(o, ParsedFile))
        return ready


def compact(db: sqlite_utils.Database) -> None:
    """Merge each full-text index into one b-tree, refresh the planner's statistics and drop free pages: a built
    bank is read far more than written, and some 10 % smaller so."""
    if db.conn.in_transaction:
        db.conn.commit()
    db.execute("insert into entries_fts (entries_fts) values ('optimize')")
    db.execute("insert into sections_fts (sections_fts) values ('optimize')")
    db.conn.commit()
    db.execute("analyze")
    db.execute("vacuum")


def _delete_file(db: sqlite_utils.Database, file_id: int) -> None:
    """Delete a file's documents and everything in them; a _Writer(regroup=True) then settles the entries."""
    docs = "select id from documents where file_id = ?"
    db.execute(
        f"delete from sections_fts where rowid in (select id from sections where document_id in ({docs}))", [file_id]
    )
    db.execute(
        f"delete from section_topics where section_id in (select id from sections where document_id in ({docs}))",
        [file_id],
    )
    db.execute(f"delete from passages where document_id in ({docs})", [file_id])
    db.execute(f"delete from asides where document_id in ({docs})", [file_id])
    db.execute(f"delete from sections where document_id in ({docs})", [file_id])
    db.execute("delete from documents where file_id = ?", [file_id])
    db.execute("delete from raw_paths where file_id = ?", [file_id])
    db.execute("delete from files where id = ?", [file_id])


def _swap(tmp: Path, target: Path, attempts: int = 30) -> None:
    """Replace the bank with the new build; Windows refuses while another connection has it open, so retry."""
    for attempt in range(attempts):
        try:
            atomic.replace(tmp, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise BankError(
                    f"素材库正被占用，无法替换：{fsnames.display(target)}（可能在另一个窗口或程序中打开）。"
                    "本次导入未生效，原素材库不受影响，关闭占用后重新导入即可。"
                ) from None
            time.sleep(0.1)


@dataclass(frozen=True)
class _Plan:
    """How a build treats the bank it finds: start afresh, import the old bank's recorded sources again, move the
    old file aside first (under this label), and why, for the report."""

    fresh: bool = False
    recover: bool = False
    aside: str = ""
    reason: str = ""


class _Damaged(Exception):
    """The old bank turned out damaged while an incremental build read it."""


def _plan(target: Path, state: bank_guard.BankState, fresh: bool, force: bool, rebuild: bool) -> _Plan:
    kind = state.kind
    if kind == bank_guard.UNREADABLE:
        raise BankError(state.detail)
    if kind in (bank_guard.NEWER, bank_guard.FOREIGN):
        if not force:
            raise BankError(bank_guard.state_message(target, state, SCHEMA_VERSION))
        reason = "素材库由更新版本建立，已按 --force 重建" if kind == bank_guard.NEWER else "原文件不是素材库，已另建"
        return _Plan(True, kind == bank_guard.NEWER and not fresh, kind, reason)
    if kind == bank_guard.CORRUPT:
        return _Plan(True, not fresh, "corrupt", f"素材库文件已损坏（{state.detail}），已重建")
    if kind == bank_guard.OLDER:
        return _Plan(True, not fresh, "", f"素材库由旧版本（版本 {state.version}）建立，已升级重建")
    if kind == bank_guard.OK and not fresh:
        if rebuild:
            return _Plan(True, True, "", "已按记录的原文件重建素材库")
        if state.signature != signature():
            return _Plan(True, True, "", "分词词表已更新，已按新词表重建素材库")
    return _Plan(fresh and kind == bank_guard.OK)


def build(
    paths: Iterable[str | Path],
    db_path: str | Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
    fresh: bool = False,
    *,
    force: bool = False,
    rebuild: bool = False,
    wait: bool = True,
    on_wait: Callable[[LockHolder | None], None] | None = None,
    fallback: Sequence[str | Path] = (),
    file_seconds: Callable[[int], float] = time_limit,
) -> BuildReport:
    """Import files and folders into the bank at db_path, building a new file and swapping it in.

    One build at a time per bank: a second one waits (telling on_wait once; cancelled() stops the wait) or, with
    wait=False, raises bank_lock.BankBusy. A damaged bank is moved aside (never deleted) and rebuilt from the sources
    it recorded, an older one upgraded the same way, a newer or foreign one left alone unless force. `rebuild`
    imports every recorded source again. With no paths, `fallback` is imported, unless a rebuild has recorded
    sources to import. Every OS and SQLite failure comes out as BankError in Chinese.
    """
    started = time.perf_counter()
    target = Path(db_path)
    refuse_network(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BankError(bank_guard.explain(exc, target)) from None
    with bank_lock.hold(target, wait, on_wait, cancelled):
        bank_guard.clean_leftovers(target)
        args = (list(paths), target, fresh, force, rebuild, fallback, progress, cancelled, workers, file_seconds)
        try:
            try:
                report = _build_locked(bank_guard.inspect(target, SCHEMA_VERSION), *args)
            except _Damaged as damage:
                report = _build_locked(bank_guard.BankState(bank_guard.CORRUPT, detail=str(damage)), *args)
        except (sqlite3.Error, OSError, MemoryError) as exc:
            raise BankError(bank_guard.explain(exc, target)) from None
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def _reading_old_bank() -> Iterator[None]:
    """Turn damage found while reading the old bank into _Damaged, so the build starts again as a rebuild."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if failures.sqlite_kind(exc) in (failures.CORRUPT, failures.INCOMPLETE):
            raise _Damaged(str(exc)) from None
        raise


def _build_locked(
    state: bank_guard.BankState,
    paths: list[str | Path],
    target: Path,
    fresh: bool,
    force: bool,
    rebuild: bool,
    fallback: Sequence[str | Path],
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    workers: int | None,
    file_seconds: Callable[[int], float],
) -> BuildReport:
    plan = _plan(target, state, fresh, force, rebuild)
    report = BuildReport(rebuilt=plan.reason)
    recorded = bank_guard.recorded_sources(target) if plan.recover else []
    if plan.aside:
        report.set_aside = fsnames.display(bank_guard.set_aside(target, plan.aside))
    available = [p for p in recorded if p.exists()]
    report.recovered = [fsnames.display(p) for p in available]
    report.lost = [fsnames.display(p) for p in recorded if not p.exists()]
    sources = [*paths, *available]
    if not sources:
        sources = list(fallback)
        report.fallback = bool(plan.recover and sources)
    files, rejects = collect_files(sources)
    report.skipped.extend(Skipped(p, r) for p, r in rejects)

    known: dict[str, tuple[int, str]] = {}
    by_checksum: dict[str, str] = {}
    if target.exists() and not plan.fresh:
        with _reading_old_bank():
            old = open_bank(target)
            try:
                for fid, fpath, checksum in old.execute("select id, path, checksum from files"):
                    known[fpath] = (fid, checksum)
                    by_checksum[checksum] = fpath
            finally:
                old.conn.close()

    todo: list[str] = []
    replace_ids: list[int] = []
    for f in files:
        if cancelled is not None and cancelled():
            raise BuildCancelled()  # reading every file for its checksum takes a minute for thousands of them
        path = str(f.resolve())
        shown = fsnames.display(path)
        checksum = _checksum(f)
        if checksum is not None and known.get(shown, (0, None))[1] == checksum:
            report.unchanged.append(shown)
        elif checksum is not None and checksum in by_checksum and by_checksum[checksum] != shown:
            report.duplicates.append((shown, by_checksum[checksum]))
        else:
            if shown in known:
                replace_ids.append(known[shown][0])
            if checksum is not None:
                by_checksum[checksum] = shown
            todo.append(path)

    if not todo and not plan.fresh:
        if target.exists():
            report.totals = stats(target)
        return report

    tmp = Path(f"{target}.building-{os.getpid()}")
    office = Converter(max_bytes=MAX_BYTES)
    conn = None
    try:
        todo, converted = _convert_office_files(todo, office, report, progress, cancelled)
        conn = sqlite3.connect(tmp)
        db = sqlite_utils.Database(conn)
        with _reading_old_bank():
            if target.exists() and not plan.fresh:
                problem = bank_guard.page_problem(target)
                if problem:
                    raise _Damaged(problem)
                source = sqlite3.connect(bank_guard.read_only_uri(target), uri=True)
                try:
                    source.backup(conn)
                finally:
                    source.close()
            db.execute("pragma journal_mode = off")
            db.execute("pragma synchronous = off")
            _create_schema(db)
            with db.conn:
                for file_id in replace_ids:
                    _delete_file(db, file_id)
                writer = _Writer(db, regroup=bool(replace_ids))
        now = _now()
        total_bytes = sum(os.path.getsize(p) for p in todo if os.path.exists(p))
        if workers is None:
            workers = min(2, os.cpu_count() or 1) if total_bytes > PARALLEL_BYTES else 0
        order = _InputOrder(todo)
        for done, parsed in enumerate(parse_files(todo, converted, workers, cancelled, file_seconds), start=1):
            if cancelled is not None and cancelled():
                raise BuildCancelled()
            if progress is not None:
                progress(done, len(todo), fsnames.display(parsed.path))
            for outcome in order.arrived(parsed):
                shown = fsnames.display(outcome.path)
                if isinstance(outcome, Skipped):
                    report.skipped.append(Skipped(shown, outcome.reason))
                    continue
                with db.conn:
                    docs, passages = writer.add_file(outcome, now)
                report.imported.append(shown)
                report.notes.extend((shown, note) for note in outcome.notes)
                report.documents += docs
                report.passages += passages
        with db.conn:
            writer.finish()
            db.table("meta").upsert_all(
                [
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "signature", "value": signature()},
                    {"key": "built_at", "value": now},
                ],
                pk="key",
            )
        compact(db)
        report.totals = _counts(db)
        conn.close()
        kept = None
        if report.lost and not report.set_aside and target.exists():
            # Some recorded sources are gone: the old bank is the only copy of what they held.
            kept = bank_guard.set_aside(target, "old")
            report.set_aside = fsnames.display(kept)
        try:
            _swap(tmp, target)
        except BaseException:
            if kept is not None:
                os.rename(kept, target)
            raise
    finally:
        office.close()
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()
        with contextlib.suppress(OSError):
            tmp.unlink()
    report.changed = True
    return report
