"""Chinese reasons for what the operating system and SQLite refuse, so no failure reaches the user as a traceback."""

from __future__ import annotations

import errno
import sqlite3

_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EFBIG: "文件超过了系统允许的大小",
    errno.EIO: "读写磁盘出错（磁盘可能已断开或损坏）",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EMFILE: "同时打开的文件过多",
    errno.ELOOP: "符号链接构成了循环",
    errno.ENXIO: "设备不存在或不是普通文件",
}

# What a SQLite failure means for a bank, by the primary result code (sqlite3.Error.sqlite_errorcode & 0xFF).
FULL, CORRUPT, BUSY, READONLY, CANTOPEN, IOERR, INCOMPLETE, OTHER = (
    "full",
    "corrupt",
    "busy",
    "readonly",
    "cantopen",
    "ioerr",
    "incomplete",
    "other",
)
_SQLITE_KINDS = {13: FULL, 11: CORRUPT, 26: CORRUPT, 5: BUSY, 6: BUSY, 8: READONLY, 14: CANTOPEN, 10: IOERR}
_SQLITE_WORDS = (
    ("disk is full", FULL),
    ("malformed", CORRUPT),
    ("not a database", CORRUPT),
    ("is locked", BUSY),
    ("readonly", READONLY),
    ("unable to open", CANTOPEN),
    ("i/o error", IOERR),
    ("no such table", INCOMPLETE),
    ("no such column", INCOMPLETE),
    ("fts5", CORRUPT),
)


def os_reason(exc: OSError) -> str:
    """The reason an OS call failed, in Chinese (errno first, the system's own words otherwise)."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def sqlite_kind(exc: sqlite3.Error) -> str:
    """What kind of SQLite failure this is: FULL, CORRUPT, BUSY, READONLY, CANTOPEN, IOERR, INCOMPLETE or OTHER."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_KINDS:
        return _SQLITE_KINDS[code & 0xFF]
    text = str(exc).lower()
    for words, kind in _SQLITE_WORDS:
        if words in text:
            return kind
    return OTHER
