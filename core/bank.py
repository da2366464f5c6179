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

from bigan.core import atomic, bank_guard, bank_lock, bank_writer, failures, fsnames, search_index
from bigan.core.bank_errors import BankError, BuildCancelled
from bigan.core.bank_guard import SCHEMA_VERSION
from bigan.core.bank_lock import LockHolder
from bigan.core.convert import OFFICE_SUFFIXES, Converter
from bigan.core.decode import MAX_BYTES, collect_files
from bigan.core.ingest import ParsedFile
from bigan.core.models import Skipped
from bigan.core.netpath import refuse_network
from bigan.core.parse_pool import parse_files, time_limit
from bigan.core.regular import NotRegularFile, open_regular
from bigan.core.segment import signature

__all__ = ["SCHEMA_VERSION", "BankError", "BuildCancelled", "BuildReport", "build", "open_bank", "stats"]

PARALLEL_BYTES = 256 * 1024
# Source bytes of parsed files held back to write them in the order given (core.bank._InputOrder).
REORDER_BYTES = 4 * 1024 * 1024
BUILD_CACHE_KIB = 16 * 1024

Progress = Callable[[int, int, str], None]
# What progress names while a build refreshes the search index beside the bank (a step, not a file: it ends in …).
INDEXING = "正在更新检索索引…"


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


def open_bank(path: str | Path, readonly: bool = True) -> sqlite_utils.Database:
    """Open an existing bank (read-only by default), or raise BankError saying what is wrong and what to do."""
    return sqlite_utils.Database(bank_guard.open_checked(path, readonly))


def stats(path: str | Path) -> dict[str, int]:
    """Counts of what the bank holds."""
    db = open_bank(path)
    try:
        return bank_writer.counts(db)
    except sqlite3.Error as exc:
        raise BankError(bank_guard.explain(exc, path)) from None
    finally:
        db.conn.close()


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
        if report.changed:
            indexing = None if progress is None else lambda done, total: progress(done, total, INDEXING)
            search_index.after_build(target, cancelled, indexing)
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
    # Into a bank that records no file, nothing is unchanged: copies are told by the checksum the parse takes, as
    # the files are written, which spares reading every file once more before the first one is parsed.
    deferred = not known
    for f in files:
        if cancelled is not None and cancelled():
            raise BuildCancelled()  # reading every file for its checksum takes a minute for thousands of them
        path = str(f.resolve())
        shown = fsnames.display(path)
        if deferred:
            todo.append(path)
            continue
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
            # A fixed page cache (KiB) for the build: the dedup and full-text b-trees take inserts all over.
            db.execute(f"pragma cache_size = -{BUILD_CACHE_KIB}")
            bank_writer.create_schema(db)
            with db.conn:
                for file_id in replace_ids:
                    bank_writer.delete_file(db, file_id)
                writer = bank_writer.Writer(db, regroup=bool(replace_ids))
        now = bank_writer.now()
        total_bytes = sum(os.path.getsize(p) for p in todo if os.path.exists(p))
        if workers is None:
            workers = min(2, os.cpu_count() or 1) if total_bytes > PARALLEL_BYTES else 0
        order = _InputOrder(todo)
        # One transaction for the whole parse: the build file is no bank until it is swapped in, so a commit per
        # file bought nothing but its cost.
        with db.conn:
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
                    if deferred and (first := by_checksum.setdefault(outcome.checksum, shown)) != shown:
                        report.duplicates.append((shown, first))
                        continue
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
        bank_writer.compact(db)
        report.totals = bank_writer.counts(db)
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
