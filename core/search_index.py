"""The optional tantivy index beside a bank (`<bank>.tantivy/`): the words of its entries and corpus headings again,
for the matcher's two full-text searches on a large bank.

The bank stays the one file that matters: the index is rebuilt from it, carries the bank's content stamp, and a
reader uses it only when tantivy is installed and the stamp still matches; anything else (missing, stale, broken)
is logged and the reader keeps to FTS5. Scoring mirrors the bank's bm25(entries_fts, 2.0, 1.0) and
bm25(sections_fts): the same words, the small heading's counting double.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import json
import logging
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bigan.core import bank_guard
from bigan.core.bank_errors import BankError, BuildCancelled
from bigan.core.procs import leave_with_parent, pid_alive

log = logging.getLogger("bigan.search_index")

# Bump when the index's fields or tokens change: an index of another format is rebuilt, never read.
FORMAT = 3
MANIFEST = "bigan-index.json"
# The two indexes inside the folder: the entries' words and the corpus headings' words, with rowids of the bank's.
ENTRIES, SECTIONS = "entries", "sections"
# The bank's meta key that changes with every write to its entries (core.bank_writer.Writer.finish).
STAMP_KEY = "content_stamp"
SUFFIX = ".tantivy"
# A bank build makes the index itself when the bank has at least this many entries (FTS5 is quick below it), or
# refreshes one that is already there.
AUTO_ENTRIES = 100_000
HEADING_WEIGHT = 2.0
_BATCH = 2000
_POLL_SECONDS = 0.2
_CANCEL = "cancel"
_HEAP = 15_000_000  # tantivy's least for one thread: a larger budget made no faster build, only a bigger one
# What the index's tokenizer ("default": split on what is not a letter or digit, lower case) keeps of a word.
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class IndexReport:
    """A rebuilt index: where, how many entries, how long it took and its size on disk."""

    path: Path
    entries: int
    seconds: float
    bytes: int


@functools.cache
def available() -> bool:
    """Whether the tantivy package can be imported (installed with the program where it has a wheel)."""
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def index_dir(bank_path: str | Path) -> Path:
    """The index folder beside a bank file."""
    return Path(f"{bank_path}{SUFFIX}")


def new_stamp() -> str:
    """A fresh content stamp for a bank whose entries just changed."""
    return uuid.uuid4().hex


def bank_stamp(conn: sqlite3.Connection) -> str:
    """What ties an index to the bank's content: the stamp its last write left, or for a bank built before stamps
    its build time with its entry count and highest entry id."""
    rows = dict(conn.execute("select key, value from meta where key in (?, 'built_at')", [STAMP_KEY]).fetchall())
    if rows.get(STAMP_KEY):
        return str(rows[STAMP_KEY])
    count, top = conn.execute("select count(*), max(id) from entries").fetchone()
    return f"legacy:{rows.get('built_at', '')}:{count}:{top}"


def _schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=False, fast=True)
    builder.add_text_field("words", stored=False, tokenizer_name="default", index_option="freq")
    return builder.build()


def _writer(folder: Path) -> Any:
    import tantivy

    folder.mkdir()
    return tantivy.Index(_schema(), str(folder)).writer(_HEAP, 1)


def _words(body: str, heading: str) -> str:
    """One field for both columns: FTS5's bm25 sums a word's weighted count over the columns and measures the row
    as a whole, so the small heading's words, written HEADING_WEIGHT more times, count as they do there."""
    return " ".join([body, *[heading] * int(HEADING_WEIGHT)])


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _clear_leftovers(target: Path) -> None:
    """Remove half-built or set-aside index folders of processes that are gone."""
    for leftover in target.parent.glob(f"{glob.escape(target.name)}.*-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(built: Path, target: Path) -> None:
    """Put the new index where the old one was; a reader between the two renames finds none and uses FTS5."""
    old = target.parent / f"{target.name}.old-{os.getpid()}"
    for attempt in range(30):
        try:
            if target.exists():
                os.replace(target, old)
            os.replace(built, target)
            break
        except PermissionError:
            if attempt == 29:
                raise
            time.sleep(0.1)  # Windows refuses while a reader has the old index's files open
    shutil.rmtree(old, ignore_errors=True)


def rebuild(
    bank_path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> IndexReport:
    """Build the index of a bank's entries into a new folder and swap it in; progress(done, total) after each batch,
    cancel() stops it (BuildCancelled) with the old index untouched. Raises BankError (Chinese) when it cannot."""
    import tantivy

    from bigan.core.ingest import passage_words
    from bigan.core.segment import ensure_loaded
    from bigan.core.structure import passage_heading

    started = time.perf_counter()
    bank = Path(bank_path)
    target = index_dir(bank)
    ensure_loaded()
    conn = bank_guard.open_checked(bank)
    built = target.parent / f"{target.name}.building-{os.getpid()}"
    writer = headings = None
    try:
        _clear_leftovers(target)
        shutil.rmtree(built, ignore_errors=True)
        built.mkdir(parents=True)
        conn.execute("begin")  # one snapshot: the stamp and the entries read below belong together
        stamp = bank_stamp(conn)
        total = conn.execute("select count(*) from entries").fetchone()[0]
        writer, done, last = _writer(built / ENTRIES), 0, 0
        while True:
            if cancel is not None and cancel():
                raise BuildCancelled()
            rows = conn.execute(
                "select e.id, e.kind, t.text from entries e join passage_texts t on t.id = e.passage_id"
                " where e.id > ? order by e.id limit ?",
                [last, _BATCH],
            ).fetchall()
            if not rows:
                break
            items: dict[tuple[str, str], tuple[str, str]] = {}
            for entry, kind, text in rows:
                text = text or ""
                body, heading = passage_words(kind, text, passage_heading(kind, text), items)
                writer.add_document(tantivy.Document(id=entry, words=_words(body, heading)))
            last = rows[-1][0]
            done += len(rows)
            if progress is not None:
                progress(done, total)
        writer.commit()
        writer.wait_merging_threads()
        headings = _writer(built / SECTIONS)
        sections = 0
        for section, tokens in conn.execute("select id, tokens from sections"):
            headings.add_document(tantivy.Document(id=section, words=tokens or ""))
            sections += 1
        headings.commit()
        headings.wait_merging_threads()
        manifest = {"format": FORMAT, "stamp": stamp, "entries": done, "sections": sections}
        (built / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        writer = headings = None  # tantivy lets go of the folder when its writers are dropped
        _swap_in(built, target)
    except (OSError, ValueError, RuntimeError, sqlite3.Error) as exc:
        raise BankError(f"无法建立快速检索索引：{target}（{exc}）") from None
    finally:
        writer = headings = None  # a writer still alive keeps writing files into the folder being removed
        conn.close()
        shutil.rmtree(built, ignore_errors=True)
    return IndexReport(target, done, time.perf_counter() - started, _size(target))


def rebuild_apart(
    bank_path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> IndexReport:
    """rebuild() in a process of its own, which takes the segmenter's dictionary and tantivy's heap with it when it
    ends, so a build's memory does not grow by them; progress and cancel pass through a pipe, errors as rebuild's."""
    import multiprocessing

    context = multiprocessing.get_context()  # as the parse workers: fork on Linux, spawn on Windows and macOS
    ours, theirs = context.Pipe()
    child = context.Process(
        target=_rebuild_child, args=(str(bank_path), theirs, os.getpid()), daemon=True, name="bigan-index"
    )
    child.start()
    theirs.close()
    asked = False
    try:
        while True:
            if not asked and cancel is not None and cancel():
                ours.send(_CANCEL)
                asked = True
            if not ours.poll(_POLL_SECONDS):
                if child.is_alive():
                    continue
                if not ours.poll():
                    raise EOFError
            kind, *value = ours.recv()
            if kind == "progress":
                if progress is not None:
                    progress(*value)
            elif kind == "done":
                return value[0]
            elif kind == _CANCEL:
                raise BuildCancelled()
            else:
                raise BankError(value[0])
    except (EOFError, OSError):
        raise BankError(f"无法建立快速检索索引：{index_dir(bank_path)}（建索引的进程意外退出）") from None
    finally:
        ours.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()


def _rebuild_child(bank_path: str, pipe: Any, parent: int) -> None:
    """rebuild_apart's process: rebuild, and answer through the pipe."""
    leave_with_parent(parent)
    asked: list[object] = []

    def cancel() -> bool:
        while not asked and pipe.poll():
            asked.append(pipe.recv())
        return bool(asked)

    def progress(done: int, total: int) -> None:
        pipe.send(("progress", done, total))

    answer: tuple[object, ...]
    try:
        answer = ("done", rebuild(bank_path, progress, cancel))
    except BuildCancelled:
        answer = (_CANCEL,)
    except BankError as exc:
        answer = ("error", str(exc))
    except Exception as exc:  # the edge of a process: what went wrong goes back as a message, not a traceback
        answer = ("error", f"无法建立快速检索索引：{index_dir(bank_path)}（{type(exc).__name__}：{exc}）")
    with contextlib.suppress(OSError):  # the build has stopped listening
        pipe.send(answer)
        pipe.close()


def after_build(
    bank_path: str | Path,
    cancel: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IndexReport | None:
    """After a bank changed: rebuild its index (rebuild_apart) when tantivy is installed and an index is already
    there or the bank is large, progress(done, total) as it goes; a failure is logged, never raised (the bank itself
    is fine and FTS5 answers)."""
    if not available():
        return None
    bank = Path(bank_path)
    try:
        if not index_dir(bank).exists():
            conn = bank_guard.open_checked(bank)
            try:
                if conn.execute("select count(*) from entries").fetchone()[0] < AUTO_ENTRIES:
                    return None
            finally:
                conn.close()
        return rebuild_apart(bank, progress, cancel)
    except BuildCancelled:
        log.info("search index of %s not rebuilt: cancelled (FTS5 answers until it is)", bank)
    except (BankError, sqlite3.Error, OSError) as exc:
        log.warning("search index not rebuilt for %s: %s", bank, exc)
    return None


def problem(bank_path: str | Path, conn: sqlite3.Connection) -> str:
    """Why the index beside the bank cannot be used ('' when it is current)."""
    folder = index_dir(bank_path)
    if not available():
        return "tantivy 未安装"
    if not folder.is_dir():
        return "没有索引"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"索引说明文件读不出（{exc}）"
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return "索引格式不符"
    if manifest.get("stamp") != bank_stamp(conn):
        return "索引已过期（素材库在建立索引后改动过）"
    return ""


@dataclass(frozen=True)
class IndexStatus:
    """Whether the index beside a bank is used, and if not why; its entries and size when there is one."""

    path: Path
    current: bool
    reason: str
    entries: int
    bytes: int

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return {"path": str(self.path), "current": self.current, "reason": self.reason, "entries": self.entries,
                "bytes": self.bytes}  # fmt: skip


def status(bank_path: str | Path) -> IndexStatus:
    """The state of the index beside a bank, as a reader opening the bank now would find it."""
    folder = index_dir(bank_path)
    conn = bank_guard.open_checked(bank_path)
    try:
        reason = problem(bank_path, conn)
        found = None
        if not reason:
            try:
                found = TantivySearch(folder, conn)
            except Exception as exc:  # see open_current
                reason = f"索引打不开（{exc}）"
    finally:
        conn.close()
    size = _size(folder) if folder.is_dir() else 0
    return IndexStatus(folder, not reason, reason, found.entries if found else 0, size)


class _Words:
    """One of the two indexes: documents of space-separated words, each with the bank row's id."""

    def __init__(self, tantivy: Any, folder: Path, rows: int) -> None:
        self.tantivy = tantivy
        self.schema = _schema()
        self.searcher = tantivy.Index.open(str(folder)).searcher()
        if self.searcher.num_docs != rows:
            raise ValueError(f"{folder.name} 有 {self.searcher.num_docs} 条，素材库有 {rows} 条")

    def _word(self, word: str) -> Any:
        t = self.tantivy
        tokens = _TOKEN.findall(word.lower())
        if len(tokens) == 1:
            return t.Query.term_query(self.schema, "words", tokens[0])
        # FTS5 reads such a word (5G-A, 3.5) as a phrase of its parts; every part present is close enough.
        return t.Query.boolean_query([(t.Occur.Must, t.Query.term_query(self.schema, "words", p)) for p in tokens])

    def best(self, terms: list[str], limit: int) -> dict[int, float]:
        """The best rows for the terms (OR-ed) by BM25, scored 0–1 against the top."""
        t = self.tantivy
        clauses = [(t.Occur.Should, self._word(w)) for w in dict.fromkeys(terms) if _TOKEN.search(w)]
        if not clauses:
            return {}
        hits = self.searcher.search(t.Query.boolean_query(clauses), limit, count=False).hits
        if not hits:
            return {}
        addresses = [address for _, address in hits]
        if hasattr(self.searcher, "fast_field_values"):
            ids = self.searcher.fast_field_values("id", addresses)
        else:  # tantivy before 0.25 (the wheels for Python 3.10) reads the stored id
            ids = [self.searcher.doc(a).get_first("id") for a in addresses]
        top = hits[0][0] or 1.0
        return {int(row): score / top for (score, _), row in zip(hits, ids) if row is not None}


class TantivySearch:
    """The matcher's two full-text searches over the index, answering as the bank's FTS5 tables do."""

    name = "tantivy"

    def __init__(self, folder: Path, conn: sqlite3.Connection) -> None:
        import tantivy

        self.entries = conn.execute("select count(*) from entries").fetchone()[0]
        sections = conn.execute("select count(*) from sections").fetchone()[0]
        self._entries = _Words(tantivy, folder / ENTRIES, self.entries)
        self._sections = _Words(tantivy, folder / SECTIONS, sections)

    def search_entries(self, terms: list[str], limit: int) -> dict[int, float]:
        """The best entries for the terms (OR-ed, the small heading counting double), scored 0–1 against the top."""
        return self._entries.best(terms, limit)

    def search_sections(self, terms: list[str], limit: int) -> dict[int, float]:
        """The best corpus headings for the terms, scored 0–1 against the top."""
        return self._sections.best(terms, limit)


def open_current(bank_path: str | Path, conn: sqlite3.Connection) -> TantivySearch | None:
    """The index beside the bank when it is current and opens; otherwise None, with the reason logged."""
    reason = problem(bank_path, conn)
    if not reason:
        try:
            return TantivySearch(index_dir(bank_path), conn)
        except Exception as exc:  # whatever a damaged index makes tantivy raise, the bank answers without it
            reason = f"索引打不开（{exc}）"
    if reason != "没有索引" and reason != "tantivy 未安装":
        log.warning("search index beside %s not used: %s", bank_path, reason)
    return None


def remove(bank_path: str | Path) -> bool:
    """Delete the index beside a bank (it is only ever a copy); whether there was one."""
    folder = index_dir(bank_path)
    if not folder.exists():
        return False
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(folder)
    return True
