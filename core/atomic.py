"""Atomic file replacement: write beside the target, flush to disk, then rename over it."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from pathlib import Path

_UMASK_LOCK = threading.Lock()
_POSIX = os.name == "posix"


def fsync_file(path: str | Path) -> None:
    """Flush a finished file to disk before it replaces another."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def replace(tmp: str | Path, target: str | Path) -> None:
    """Move a finished temp file over the target in one step, so readers see old or new, never half."""
    fsync_file(tmp)
    os.replace(tmp, target)
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            fd = os.open(Path(target).parent, os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def current_umask() -> int:
    """The process's umask; read from /proc where possible, since setting it to read it races other threads."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _take_over(fd: int, target: Path) -> None:
    """Give the temp file the mode (and group) of the file it replaces, or what the umask gives a new file."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        os.fchmod(fd, 0o666 & ~current_umask())
        return
    with contextlib.suppress(OSError):
        if info.st_gid != os.fstat(fd).st_gid:
            os.fchown(fd, -1, info.st_gid)
    os.fchmod(fd, stat.S_IMODE(info.st_mode))


def write_bytes(target: str | Path, data: bytes) -> None:
    """Write a whole file atomically; on failure the previous file is left as it was.

    A new file gets the mode the umask gives (0666 & ~umask, as any editor's would), a replaced one keeps its
    mode; through a symbolic link the file it points to is replaced and the link stays.
    """
    target = Path(target)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if _POSIX:
                _take_over(fd, target)
            handle.write(data)
        replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(target: str | Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    write_bytes(target, text.encode("utf-8"))
