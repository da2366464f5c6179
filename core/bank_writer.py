"""Writing a bank: its schema, the writer that stores parsed files as documents, passages and grouped entries, and
the finishing touches (counts, compaction); used by builds, removals and package merges."""

from __future__ import annotations

import time
from collections.abc import Iterator

import sqlite_utils

from bigan.core import associations, fsnames, search_index
from bigan.core.dedup import DEDUP_SCHEMA, StoredGrouper, fingerprint
from bigan.core.ingest import IndexedPassage, ParsedFile, numbers, passage_topics, passage_words
from bigan.core.models import Document
from bigan.core.placeholders import to_template
from bigan.core.roles import plan_year, section_role
from bigan.core.structure import passage_heading
from bigan.core.topics import decode as decode_topics
from bigan.core.wordids import SCHEMA as WORDS_SCHEMA
from bigan.core.wordids import Vocabulary


def create_schema(db: sqlite_utils.Database) -> None:
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
    # The matcher's generic headings (重点工作) read a role's sections at a level document by document, newest first.
    db.table("sections").create_index(["role", "level", "document_id"], if_not_exists=True)
    db.table("passages").create_index(["document_id"], if_not_exists=True)
    db.table("passages").create_index(["section_id", "entry_id", "document_id"], if_not_exists=True)
    db.table("passages").create_index(["entry_id"], if_not_exists=True)


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    counts = {name: db[name].count for name in ("files", "documents", "sections", "passages", "entries")}
    counts["items"] = db.execute("select count(*) from passages where kind = 'item'").fetchone()[0]
    counts["shared_entries"] = db.execute("select count(*) from entries where freq > 1").fetchone()[0]
    return counts


def now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


def _next_id(db: sqlite_utils.Database, table: str) -> int:
    return (db.execute(f"select max(id) from {table}").fetchone()[0] or 0) + 1


_MOVES_BATCH = 2000
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


class Writer:
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
        db.execute(
            "create table scratch.mining_sections (section_id integer primary key, document_id integer, heads blob,"
            " body blob)"
        )
        self.mining_words = associations.Words()
        if regroup:
            self._regroup()
        self.grouper = StoredGrouper(db.conn)

    def _entry_rows(self, created: list[tuple]) -> list[tuple]:
        """Entry rows (…, topics) with their words as numbers, from (row, (entry, head, tokens)) pairs."""
        vocabulary = self.vocabulary
        packs = vocabulary.pack_all(text for _, (_, head, tokens) in created for text in (tokens, head))
        vocabulary.forget()
        return [(*row, packs[2 * i], packs[2 * i + 1]) for i, (row, _) in enumerate(created)]

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
        mining = list(map(self.mining_words.__getitem__, parsed.words))
        n_passages = 0
        for doc, indexed, section_tokens, section_topics in zip(
            parsed.documents, parsed.passages, parsed.section_tokens, parsed.section_topics
        ):
            self._add_document(
                doc, indexed, section_tokens, section_topics, file_id, shown, parsed.checksum, now, parsed.words, mining
            )
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
        words: list[str],
        mining: list[int],
    ) -> None:
        """Insert one document; its passages' words are numbers into `words`, which `mining` numbers for the
        associations."""
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
                section_role(s.heading, s.path, plan_year(doc.title, doc.year), doc.title),
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
        own: dict[int, set[int]] = {}
        paragraph: tuple[int, str] | None = None
        searched = 0
        for p, ix in zip(doc.passages, indexed):
            pid = self.ids["passages"]
            self.ids["passages"] += 1
            section = first_section + p.section if p.section is not None else None
            text, within, start = p.text, None, None
            if p.kind == "paragraph":
                paragraph, searched = (pid, p.text), 0
                if p.section is not None:
                    own.setdefault(p.section, set()).update(map(mining.__getitem__, numbers(ix.words)))
            elif paragraph is not None and (found := paragraph[1].find(p.text, searched)) >= 0:
                text, within, start = None, paragraph[0], found
                searched = found + len(p.text)
            else:
                paragraph = None
            fresh = self.ids["entries"]
            entry = self.grouper.add(p.kind, ix.fingerprint, fresh)
            if entry == fresh:
                self.ids["entries"] += 1
                created.append(((entry, p.kind, p.chars, int(p.truncated), pid, section, doc_id, ix.topics), ix))
            length = len(p.text) if within is not None else None
            rows.append((pid, doc_id, section, p.kind, text, within, start, length, int(p.truncated),
                         p.chars, p.position, entry))  # fmt: skip
        self.db.conn.executemany(
            "insert into passages (id, document_id, section_id, kind, text, within, start, length,"
            " truncated, chars, position, entry_id) values (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        packs = self.vocabulary.pack_numbered(
            words, [(numbers(ix.words), numbers(ix.heading_words)) for _, ix in created]
        )
        self.vocabulary.forget()
        self.db.conn.executemany(_ENTRY_INSERT, [(*row, *pack) for (row, _), pack in zip(created, packs)])
        self.db.conn.executemany(_FTS_INSERT, [(row[0], ix.heading_tokens, ix.tokens) for row, ix in created])
        mined = associations.document_sections([s.parent for s in doc.sections], section_tokens, own, self.mining_words)
        self.db.conn.executemany(
            "insert into scratch.mining_sections (section_id, document_id, heads, body) values (?, ?, ?, ?)",
            [(first_section + i, doc_id, heads, body) for i, heads, body in mined],
        )
        self.added_sections += len(sections)

    def _moves(self) -> Iterator[tuple[int, int, int | None]]:
        """(entry, its wording's passage, the passage that should word it) of each shared entry, read a batch at a
        time so memory does not grow with the bank."""
        last = 0
        while True:
            batch = self.db.execute(
                "select e.id, e.passage_id, (select p.id from passages p join documents d on d.id = p.document_id"
                " join files f on f.id = d.file_id where p.entry_id = e.id order by p.truncated, f.path, p.id limit 1)"
                " from entries e where e.occurrences > 1 and e.id > ? order by e.id limit ?",
                [last, _MOVES_BATCH],
            ).fetchall()
            if not batch:
                return
            last = batch[-1][0]
            yield from batch

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
        for entry, old, new in self._moves():
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
        associations.refresh(db.conn, self.added_sections, self.first_document, self.mining_words)
        # Any index rebuilt from the old entries (core.search_index) no longer matches them.
        stamp = [search_index.STAMP_KEY, search_index.new_stamp()]
        db.execute("insert or replace into meta (key, value) values (?, ?)", stamp)


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


def delete_file(db: sqlite_utils.Database, file_id: int) -> None:
    """Delete a file's documents and everything in them; a Writer(regroup=True) then settles the entries."""
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
