"""One writer at a time per bank: a lock file beside it, locked by the operating system while a build runs.

The lock is the OS's own file lock (fcntl on POSIX, msvcrt on Windows), which dies with its process: a build killed
with kill -9 leaves no lock to clear by hand, and the next build takes it over. The file says who holds it (PID and
start time) for the message a second build shows while it waits.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bigan.core.bank_errors import BankError, BuildCancelled
from bigan.core.failures import os_reason
from bigan.core.fsnames import display
from bigan.core.procs import pid_alive

LOCK_SUFFIX = ".lock"
POLL_SECONDS = 0.25
_POSIX = os.name == "posix"
# Windows locks are mandatory: the byte locked lies past what the file holds, so the holder's note stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 20

_held_here: dict[str, LockHolder] = {}
_held_guard = threading.Lock()


@dataclass(frozen=True)
class LockHolder:
    """Who holds a bank's lock: the process and when its build started."""

    pid: int
    started: str

    def describe(self) -> str:
        """The holder in Chinese, for the waiting message."""
        return f"进程 {self.pid}，{self.started} 开始" if self.pid else "另一个程序"


class BankBusy(BankError):
    """Another build holds the bank's lock and the caller asked not to wait."""

    def __init__(self, message: str, holder: LockHolder | None) -> None:
        super().__init__(message)
        self.holder = holder


def lock_path(target: str | Path) -> Path:
    """The lock file of the bank at target."""
    return Path(f"{target}{LOCK_SUFFIX}")


def busy_message(target: Path, holder: LockHolder | None) -> str:
    """What a build that will not wait says."""
    who = f"（{holder.describe()}）" if holder else ""
    return (
        f"另一个导入正在进行{who}：{display(target)}。本次没有导入；等它完成后重新运行，"
        "或不加 --no-wait 让本次导入排队等待。"
    )


def read_holder(target: str | Path) -> LockHolder | None:
    """Who the lock file says holds the lock (None when it names no one or cannot be read)."""
    key = os.path.abspath(target)
    with _held_guard:
        if key in _held_here:
            # Reading the file would open it, and on POSIX closing any descriptor of it drops this process's lock.
            return _held_here[key]
    return _read_note(target)


def _read_note(target: str | Path) -> LockHolder | None:
    try:
        with open(lock_path(target), encoding="utf-8") as handle:
            note = json.loads(handle.read(4096) or "{}")
        return LockHolder(int(note["pid"]), str(note["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _lock(fd: int) -> bool | None:
    """Try to lock fd without waiting: True when taken, False when another process holds it, None when the file
    system cannot lock at all."""
    try:
        if _POSIX:
            import fcntl

            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except (BlockingIOError, PermissionError):
        return False
    except OSError as exc:
        import errno

        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EDEADLK):
            return False
        return None
    return True


def _same_file(fd: int, path: Path) -> bool:
    """Whether path still names the file fd has open (a releasing holder deletes the file it unlocks)."""
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _write_note(fd: int, holder: LockHolder) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps({"pid": holder.pid, "started": holder.started}).encode("utf-8"))


def _open(target: Path) -> int:
    path = lock_path(target)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise BankError(
            f"无法在“{display(path.parent)}”写入素材库：{os_reason(exc)}。"
            "请检查这个文件夹能否写入（或用 --db 另选位置），原素材库未改动。"
        ) from None


def _try_take(target: Path, key: str) -> int | None:
    """The locked descriptor of the lock file, or None when another build holds it."""
    with _held_guard:
        if key in _held_here:
            return None
        while True:
            fd = _open(target)
            taken = _lock(fd)
            if taken is None:
                # No OS locks on this file system: the note's PID decides, as well as it can.
                holder = _read_note(target)
                taken = holder is None or holder.pid == os.getpid() or not pid_alive(holder.pid)
            if not taken:
                os.close(fd)
                return None
            if not _POSIX or _same_file(fd, lock_path(target)):
                break
            os.close(fd)
        holder = LockHolder(os.getpid(), time.strftime("%Y-%m-%d %H:%M:%S"))
        _write_note(fd, holder)
        _held_here[key] = holder
        return fd


def _release(fd: int, target: Path, key: str) -> None:
    with _held_guard:
        _held_here.pop(key, None)
        if _POSIX:
            # Deleted before unlocking: a build waiting on this file then sees it is gone and opens a fresh one.
            with contextlib.suppress(OSError):
                os.unlink(lock_path(target))
            os.close(fd)
            return
        with contextlib.suppress(OSError):
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(lock_path(target))


@contextlib.contextmanager
def hold(
    target: str | Path,
    wait: bool = True,
    on_wait: Callable[[LockHolder | None], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[None]:
    """Hold the bank's lock for the block; while another build holds it, wait (telling on_wait once, stopping
    with BuildCancelled when cancelled() turns true) or, with wait=False, raise BankBusy."""
    target = Path(target)
    key = os.path.abspath(target)
    told = False
    while (fd := _try_take(target, key)) is None:
        holder = read_holder(target)
        if not wait:
            raise BankBusy(busy_message(target, holder), holder)
        if not told and on_wait is not None:
            on_wait(holder)
            told = True
        if cancelled is not None and cancelled():
            raise BuildCancelled()
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        _release(fd, target, key)
