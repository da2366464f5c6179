"""Background work in the global QThreadPool: bank queries and checks by job id, bank builds, draft file jobs."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from bigan.core.draft import DraftError
from bigan.core.logs import build_summary, log, worker_error

# Bumped after every build that changed the bank: each worker thread then reopens its Matcher.
_generation = itertools.count(1)
_current_generation = 0
# Per worker thread: name -> ((bank path, generation), object). Keyed by the thread's id, not threading.local:
# Python forgets a pool thread's locals whenever a job ends (Qt's threads get a fresh thread state per job).
_per_thread: dict[tuple[int, str], tuple[tuple[str, int], Any]] = {}
# Shown as the file being read while another program holds the bank's lock.
WAITING = "另一个导入正在进行，等它完成后开始…"
# A change of the bank run by BankBuilder: called with (progress(done, total, path), cancelled()), returns a report.
Change = Callable[[Callable[[int, int, str], None], Callable[[], bool]], object]
# Checked by SQLite every this many virtual-machine steps, so a stale query stops early.
_PROGRESS_STEPS = 20_000
# Query kinds run one after another on the one long-lived snippet thread, which keeps its Matcher: no second
# Matcher is opened for the first heading while the warm-up is still opening one, and no thread is started per heading.
SNIPPET_KINDS = frozenset({"snippets", "warm-up", "ahead"})
_lane: list[QThreadPool] = []
# The query job the snippet thread is running, if any: a newer one goes to the pool instead of waiting behind it
# once it is stale (the Python part of a query cannot be stopped half way).
_lane_job: list[QueryJob | None] = [None]


def bank_changed() -> None:
    """Tell every worker thread that the bank file was replaced."""
    global _current_generation
    _current_generation = next(_generation)


def _thread_cached(name: str, db_path: Path, factory: Callable[[Path], Any]) -> Any:
    """This thread's object `name` over db_path, closed and made anew after a build replaced the bank."""
    key = (str(db_path), _current_generation)
    slot = (threading.get_ident(), name)
    cached = _per_thread.get(slot)
    if cached is not None and cached[0] == key:
        return cached[1]
    if cached is not None:
        del _per_thread[slot]
        cached[1].close()
    made = factory(db_path)
    _per_thread[slot] = (key, made)
    return made


def thread_matcher(db_path: Path) -> Any:
    """This thread's matcher for db_path and the attached office banks, reopened after a build replaced the bank."""
    from bigan.core.office_match import OfficeMatcher

    return _thread_cached("matcher", db_path, lambda db: OfficeMatcher(db, check=False))


def thread_checker(db_path: Path) -> Any:
    """This thread's CopyChecker (the 查重 lookup) for db_path, reopened after a build replaced the bank."""
    from bigan.core.copycheck import CopyChecker

    return _thread_cached("checker", db_path, CopyChecker)


def release_thread_matcher() -> None:
    """Close this thread's Matcher and CopyChecker, if it has them."""
    for name in ("matcher", "checker"):
        cached = _per_thread.pop((threading.get_ident(), name), None)
        if cached is not None:
            cached[1].close()


def snippet_lane() -> QThreadPool:
    """The pool of one thread, never expiring, that runs the snippet queries."""
    if not _lane:
        lane = QThreadPool()
        lane.setMaxThreadCount(1)
        lane.setExpiryTimeout(-1)
        _lane.append(lane)
    return _lane[0]


def drop_queued_work() -> None:
    """Forget the jobs that have not started yet, on the snippet thread and in the pool."""
    for pool in (*_lane, QThreadPool.globalInstance()):
        pool.clear()


def wait_for_workers() -> None:
    """Wait until every worker, the snippet thread's and the pool's, has finished."""
    for pool in (*_lane, QThreadPool.globalInstance()):
        pool.waitForDone()


def _emit(signal: Any, *args: Any) -> None:
    # RuntimeError: the window that asked is gone (the application is shutting down); nobody wants the answer.
    with contextlib.suppress(RuntimeError):
        signal.emit(*args)


class _Relay(QObject):
    finished = Signal(str, int, object)
    failed = Signal(str, int, str)
    skipped = Signal(str, int)


class QueryJob(QRunnable):
    """Runs fn(matcher) (or fn() for a plain job) on a worker thread; reports the result under its kind and job id."""

    def __init__(
        self,
        service: BankQueries,
        kind: str,
        job: int,
        fn: Callable[..., Any],
        plain: bool = False,
        opener: Callable[[Path], Any] = thread_matcher,
    ) -> None:
        super().__init__()
        self.service = service
        self.kind = kind
        self.job = job
        self.fn = fn
        self.plain = plain
        self.opener = opener
        self.relay = service.relay
        self.in_lane = False

    def stale(self) -> bool:
        """Whether a newer job of this kind was submitted since."""
        return self.service.is_stale(self.kind, self.job)

    def run(self) -> None:
        """The query, run on its thread; the snippet thread notes it as its current job meanwhile."""
        if not self.in_lane:
            self._run()
            return
        _lane_job[0] = self
        try:
            self._run()
        finally:
            _lane_job[0] = None

    def _run(self) -> None:
        """Skip the work when already stale; otherwise query with a SQLite handler that aborts when it goes stale."""
        if self.service.is_stale(self.kind, self.job):
            _emit(self.relay.skipped, self.kind, self.job)
            return
        try:
            if self.plain:
                result = self.fn()
                _emit(self.relay.finished, self.kind, self.job, result)
                return
            matcher = self.opener(self.service.db_path)
            matcher.abort_when(lambda: self.service.is_stale(self.kind, self.job), _PROGRESS_STEPS)
            try:
                result = self.fn(matcher)
            finally:
                matcher.abort_when(None)
        except sqlite3.OperationalError as exc:
            if self.service.is_stale(self.kind, self.job):
                _emit(self.relay.skipped, self.kind, self.job)
                return
            _emit(self.relay.failed, self.kind, self.job, str(exc))
            return
        except Exception as exc:
            from bigan.core.bank import BankError

            if not isinstance(exc, BankError):
                worker_error(f"query {self.kind}")
            message = str(exc) if isinstance(exc, BankError) else "".join(traceback.format_exception_only(exc)).strip()
            _emit(self.relay.failed, self.kind, self.job, message)
            return
        _emit(self.relay.finished, self.kind, self.job, result)


class BankQueries(QObject):
    """Submits bank queries; for each kind only the newest job's answer is delivered, older ones are dropped."""

    finished = Signal(str, int, object)
    failed = Signal(str, int, str)
    dropped = Signal(str, int)

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self.relay = _Relay()
        self.relay.finished.connect(self._deliver)
        self.relay.failed.connect(self._fail)
        self.relay.skipped.connect(self.dropped)

    def submit(
        self, kind: str, fn: Callable[..., Any], plain: bool = False, opener: Callable[[Path], Any] = thread_matcher
    ) -> int:
        """Run fn(opener(db)) (the Matcher by default), or fn() when plain, in the pool; supersedes older jobs."""
        job = next(self._ids)
        self._latest[kind] = job
        query = QueryJob(self, kind, job, fn, plain, opener)
        running = _lane_job[0]
        if kind in SNIPPET_KINDS and (running is None or not running.stale()):
            query.in_lane = True
            snippet_lane().start(query)
        else:
            QThreadPool.globalInstance().start(query)
        return job

    def is_stale(self, kind: str, job: int) -> bool:
        """Whether a newer job of the same kind was submitted (safe to ask from any thread)."""
        return self._latest.get(kind) != job

    def cancel(self, kind: str) -> None:
        """Drop whatever job of this kind is under way."""
        self._latest[kind] = 0

    def _deliver(self, kind: str, job: int, result: object) -> None:
        if self.is_stale(kind, job):
            self.dropped.emit(kind, job)
            return
        self.finished.emit(kind, job, result)

    def _fail(self, kind: str, job: int, message: str) -> None:
        if self.is_stale(kind, job):
            self.dropped.emit(kind, job)
            return
        self.failed.emit(kind, job, message)


class _BuildRelay(QObject):
    progress = Signal(int, int, int, str)
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)


class BuildJob(QRunnable):
    """Changes the bank on a worker thread (an import, or a removal), reporting progress; honours a cancel request."""

    def __init__(
        self,
        relay: _BuildRelay,
        job: int,
        paths: list[str],
        db_path: Path,
        cancel: threading.Event,
        remove: list[int] | None = None,
        change: Change | None = None,
    ) -> None:
        super().__init__()
        self.relay = relay
        self.job = job
        self.paths = paths
        self.db_path = db_path
        self.cancel = cancel
        self.remove = remove
        self.change = change

    def _progress(self, done: int, total: int, path: str) -> None:
        _emit(self.relay.progress, self.job, done, total, path)

    def _work(self) -> object:
        from bigan.core import bank

        if self.change is not None:
            return self.change(self._progress, self.cancel.is_set)
        if self.remove is not None:
            from bigan.core.bank_admin import remove_documents

            return remove_documents(self.db_path, self.remove)
        from bigan.core.segment import ensure_loaded

        # Load jieba in this process first, so parse workers forked by the build never inherit a held lock.
        ensure_loaded()
        return bank.build(
            self.paths,
            self.db_path,
            progress=self._progress,
            cancelled=self.cancel.is_set,
            on_wait=lambda holder: self._progress(0, 0, WAITING),
        )

    def run(self) -> None:
        """Do the work, then report the BuildReport (or RemoveReport), the error, or the cancellation."""
        from bigan.core import bank

        try:
            report = self._work()
        except bank.BuildCancelled:
            _emit(self.relay.cancelled, self.job)
        except bank.BankError as exc:
            log.warning("bank change failed: %s", exc)
            _emit(self.relay.failed, self.job, str(exc))
        except Exception as exc:
            worker_error("bank change")
            _emit(self.relay.failed, self.job, "".join(traceback.format_exception_only(exc)).strip())
        else:
            if isinstance(report, bank.BuildReport):
                build_summary(report)
            _emit(self.relay.finished, self.job, report)


class BankBuilder(QObject):
    """Runs one bank change (build or removal) at a time in the pool; query workers reopen the bank after it."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._job = 0
        self._cancel = threading.Event()
        self.relay = _BuildRelay()
        self.relay.progress.connect(self._progress)
        self.relay.finished.connect(self._finished)
        self.relay.failed.connect(self._failed)
        self.relay.cancelled.connect(self._cancelled)

    @property
    def busy(self) -> bool:
        """Whether a build is under way."""
        return bool(self._job)

    def start(self, paths: Sequence[str | Path], db_path: Path) -> bool:
        """Start importing paths into the bank at db_path; False when a build is already running."""
        if self._job:
            return False
        self._job = next(self._ids)
        self._cancel = threading.Event()
        QThreadPool.globalInstance().start(
            BuildJob(self.relay, self._job, [str(p) for p in paths], Path(db_path), self._cancel)
        )
        self.busyChanged.emit(True)
        return True

    def remove(self, ids: list[int], db_path: Path) -> bool:
        """Remove documents from the bank at db_path in the background; False when the bank is being changed."""
        if self._job:
            return False
        self._job = next(self._ids)
        self._cancel = threading.Event()
        QThreadPool.globalInstance().start(BuildJob(self.relay, self._job, [], Path(db_path), self._cancel, ids))
        self.busyChanged.emit(True)
        return True

    def run_change(self, change: Change, db_path: Path) -> bool:
        """Run another change of the bank (a rebuild, a package merge) in the background; False when busy."""
        if self._job:
            return False
        self._job = next(self._ids)
        self._cancel = threading.Event()
        QThreadPool.globalInstance().start(
            BuildJob(self.relay, self._job, [], Path(db_path), self._cancel, None, change)
        )
        self.busyChanged.emit(True)
        return True

    def cancel(self) -> None:
        """Ask the running build to stop after the file it is reading; the old bank stays as it was."""
        self._cancel.set()

    def _done(self, job: int) -> bool:
        if job != self._job:
            return False
        self._job = 0
        self.busyChanged.emit(False)
        return True

    def _progress(self, job: int, done: int, total: int, path: str) -> None:
        if job == self._job:
            self.progress.emit(done, total, path)

    def _finished(self, job: int, report: object) -> None:
        if self._done(job):
            if getattr(report, "changed", False):
                bank_changed()
            self.finished.emit(report)

    def _failed(self, job: int, message: str) -> None:
        if self._done(job):
            self.failed.emit(message)

    def _cancelled(self, job: int) -> None:
        if self._done(job):
            self.cancelled.emit()


class _FileRelay(QObject):
    finished = Signal(int, object)
    failed = Signal(int, DraftError)


class FileJob(QRunnable):
    """Opens or saves a draft on a worker thread; a failure comes back as a DraftError whose message names the file."""

    def __init__(self, relay: _FileRelay, job: int, fn: Callable[[], Any], what: str) -> None:
        super().__init__()
        self.relay = relay
        self.job = job
        self.fn = fn
        self.what = what

    def run(self) -> None:
        """Run the job and report its result or its error."""
        try:
            result = self.fn()
        except DraftError as exc:
            _emit(self.relay.failed, self.job, exc)
        except Exception as exc:
            worker_error(self.what)
            _emit(self.relay.failed, self.job, DraftError(f"{self.what}失败：{exc}"))
        else:
            _emit(self.relay.finished, self.job, result)


class FileJobs(QObject):
    """Runs one draft file job at a time (open, save, export), so big files never freeze the window."""

    finished = Signal(int, object)
    failed = Signal(int, DraftError)
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._job = 0
        self.relay = _FileRelay()
        self.relay.finished.connect(self._finished)
        self.relay.failed.connect(self._failed)

    @property
    def busy(self) -> bool:
        """Whether a file is being read or written."""
        return bool(self._job)

    def submit(self, fn: Callable[[], Any], what: str) -> int:
        """Run fn() in the pool; returns the job id, or 0 when another file job is still under way."""
        if self._job:
            return 0
        self._job = next(self._ids)
        QThreadPool.globalInstance().start(FileJob(self.relay, self._job, fn, what))
        self.busyChanged.emit(True)
        return self._job

    def _done(self, job: int) -> bool:
        if job != self._job:
            return False
        self._job = 0
        self.busyChanged.emit(False)
        return True

    def _finished(self, job: int, result: object) -> None:
        if self._done(job):
            self.finished.emit(job, result)

    def _failed(self, job: int, error: DraftError) -> None:
        if self._done(job):
            self.failed.emit(job, error)
