"""Regular files only: FIFOs, devices and sockets are named and never read, and no open can block on one."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_KINDS = (
    (stat.S_ISFIFO, "管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISDIR, "文件夹"),
)
_CHUNK = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFile(Exception):
    """A path that is a pipe, a device, a socket or a folder; the message is the reason in Chinese."""


class FileTooLarge(Exception):
    """A regular file over the size limit; `size` is what it holds (at least the limit plus one byte)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def kind_name(mode: int) -> str:
    """What a non-regular file is, in Chinese (管道、设备、套接字…)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "特殊文件"


def not_regular_reason(mode: int) -> str:
    """The reason a non-regular file is skipped."""
    if stat.S_ISDIR(mode):
        return "这是一个文件夹，不是文件"
    return f"不是普通文件，而是{kind_name(mode)}"


def _open_regular_fd(path: str | Path) -> tuple[int, os.stat_result]:
    """A descriptor of path opened without blocking, and its status; NotRegularFile (nothing left open) unless the
    path is a regular file both before it is opened and once open."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(not_regular_reason(mode))
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(not_regular_reason(info.st_mode))
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_regular(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most max_bytes; NotRegularFile, FileTooLarge or OSError otherwise.

    The path is checked before it is opened, and opened without blocking (a FIFO's open waits for a writer),
    then checked again on the open file, so a file swapped for a pipe in between is still refused.
    """
    fd, info = _open_regular_fd(path)
    try:
        if info.st_size > max_bytes:
            raise FileTooLarge(info.st_size)
        chunks = []
        total = 0
        while chunk := os.read(fd, min(_CHUNK, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise FileTooLarge(total)
        return b"".join(chunks)
    finally:
        os.close(fd)


def open_regular(path: str | Path) -> BinaryIO:
    """A regular file opened for reading in binary, without blocking on a FIFO; NotRegularFile otherwise."""
    fd, _ = _open_regular_fd(path)
    return os.fdopen(fd, "rb")
