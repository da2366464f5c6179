"""Parsing a build's files in worker processes, each within a time limit.

A worker that takes too long on a file, or dies on one, is killed with its pool; the file is named as skipped and
the other files are queued again on a new pool. Workers leave by themselves when the process that started them
is gone (kill -9 of a build), so none outlives its build.
"""

from __future__ import annotations

import contextlib
import os
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from bigan.core.bank_errors import BuildCancelled
from bigan.core.ingest import ParsedFile, ingest
from bigan.core.models import Skipped
from bigan.core.procs import leave_with_parent
from bigan.core.segment import ensure_loaded

Outcome = ParsedFile | Skipped
Task = Callable[[str, str | None], Outcome]

# Time a worker gets for one file of so many bytes (work_size): jieba alone reads about 0.7 MB/s, and a 64 MB text
# takes some 2 minutes whole; the limit leaves three times that.
BASE_SECONDS = 60.0
SECONDS_PER_MB = 6.0
# A file this large starts before the others.
LARGE_FILE = 2 * 1024 * 1024
_POLL_SECONDS = 0.5


def time_limit(size: int) -> float:
    """Seconds a worker may spend on a file of this many bytes."""
    return BASE_SECONDS + SECONDS_PER_MB * size / 1048576


def too_slow(seconds: float) -> str:
    """The reason a file that hit its time limit is skipped."""
    return f"处理超过 {seconds:.0f} 秒，已跳过（文件可能异常庞大或结构异常；其他文件照常导入）"


CRASHED = "处理时工作进程意外退出（可能内存不足或文件异常），已跳过；其他文件照常导入"


def _start_worker(parent: int) -> None:
    """Pool initializer: watch the parent on a daemon thread, then load jieba."""
    leave_with_parent(parent)
    ensure_loaded()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def work_size(path: str, converted: str | None = None) -> int:
    """The bytes a file's parse works through: a .docx's (or a converted file's) unpacked size, as its zip
    directory claims it, and otherwise the file's own size."""
    package = converted or path
    if package.lower().endswith(".docx"):
        with contextlib.suppress(OSError, zipfile.BadZipFile, ValueError, EOFError), zipfile.ZipFile(package) as opened:
            return max(_size(path), sum(info.file_size for info in opened.infolist()))
    return _size(path)


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now, running work and all: kill its workers, then let the executor wind down."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)
    # A worker killed halfway through sending its result leaves the executor's reader waiting for the rest of
    # the message forever; with the last writer closed the read ends, the pool counts as broken and winds down.
    with contextlib.suppress(Exception):
        pool._result_queue._writer.close()  # type: ignore[attr-defined]
    pool.shutdown(wait=True, cancel_futures=True)


def parse_files(
    paths: list[str],
    converted: dict[str, str],
    workers: int,
    cancelled: Callable[[], bool] | None = None,
    limit: Callable[[int], float] = time_limit,
    task: Task = ingest,
) -> Iterator[Outcome]:
    """Each file's parse result (ParsedFile or Skipped), yielded the moment it is ready.

    workers == 0 parses in this process, in the order given, without a time limit (small builds: no worker
    start-up to pay). Otherwise up to `workers` processes parse at once, large files first, and results come
    in the order they finish, so progress shows at once and a cancel stops the next wait (within _POLL_SECONDS).
    """
    if workers <= 0:
        ensure_loaded()
        for path in paths:
            if cancelled is not None and cancelled():
                raise BuildCancelled()
            yield task(path, converted.get(path))
        return
    workers = min(workers, len(paths)) or 1
    # Large files first, so none is left running alone at the end; the rest in the order given, so the bank
    # writes them in that order without holding many results back (core.bank._InputOrder).
    large = sorted((p for p in paths if _size(p) >= LARGE_FILE), key=lambda p: -_size(p))
    queue = deque([*large, *(p for p in paths if _size(p) < LARGE_FILE)])
    remaining = len(paths)
    # Files in flight when a worker died: each runs alone next, so the one that kills its worker is known.
    suspects: set[str] = set()
    inflight: dict[Future[Outcome], tuple[str, float, float]] = {}
    pool: ProcessPoolExecutor | None = None
    try:
        while remaining:
            if cancelled is not None and cancelled():
                raise BuildCancelled()
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(os.getpid(),))
            while queue and len(inflight) < workers:
                alone = queue[0] in suspects or any(p in suspects for p, _, _ in inflight.values())
                if alone and inflight:
                    break
                todo = queue[0]
                seconds = limit(work_size(todo, converted.get(todo)))
                try:
                    future = pool.submit(task, todo, converted.get(todo))
                except BrokenProcessPool:
                    break  # a worker died just now: its future says so below
                queue.popleft()
                inflight[future] = (todo, time.monotonic() + seconds, seconds)
            if not inflight:
                _kill(pool)
                pool = None
                continue
            soonest = min(deadline for _, deadline, _ in inflight.values())
            timeout = max(0.0, min(soonest - time.monotonic(), _POLL_SECONDS))
            done, _ = wait(list(inflight), timeout=timeout, return_when=FIRST_COMPLETED)
            ready: list[Outcome] = []
            broken = any(isinstance(f.exception(), BrokenProcessPool) for f in done)
            if broken and len(inflight) == 1:
                todo, _, _ = inflight.pop(next(iter(done)))
                ready.append(Skipped(todo, CRASHED))
            for future in done:
                if future not in inflight:
                    continue
                todo, _, _ = inflight.pop(future)
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    suspects.add(todo)
                    queue.appendleft(todo)
                    continue
                suspects.discard(todo)
                if error is not None:
                    ready.append(Skipped(todo, f"无法读取：{type(error).__name__}"))
                else:
                    ready.append(future.result())
            now = time.monotonic()
            overdue = [f for f, (_, deadline, _) in inflight.items() if deadline <= now]
            if overdue or broken:
                for future in overdue:
                    todo, _, seconds = inflight.pop(future)
                    ready.append(Skipped(todo, too_slow(seconds)))
                # The other files in flight lose nothing but time: they go first on the new pool.
                for todo, _, _ in inflight.values():
                    queue.appendleft(todo)
                    if broken:
                        suspects.add(todo)
                inflight.clear()
                _kill(pool)
                pool = None
            for outcome in ready:
                remaining -= 1
                yield outcome
    finally:
        if pool is not None:
            if inflight or queue:
                _kill(pool)
            else:
                pool.shutdown(wait=True)
