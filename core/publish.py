"""Publishing a bank as the office's read-only shared file: a consistent snapshot, checksummed, swapped in whole.

SQLite is only ever written on the local disk: the snapshot is taken beside the source bank, then copied as plain
bytes to a temp file beside the target (often on a network share), flushed, and renamed over the target. The
checksum goes beside it as FILE.sha256 (the format `sha256sum -c` reads); version, time, publisher and source are
meta rows inside.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import socket
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from bigan.core import atomic
from bigan.core.bank_errors import BankError
from bigan.core.bank_guard import open_checked
from bigan.core.bank_reader import open_immutable

CHUNK = 1 << 20
SIDECAR = ".sha256"


@dataclass(frozen=True)
class Publication:
    """What a publish wrote: the file, its version, checksum, size, who and when, and how long it took."""

    path: Path
    version: int
    checksum: str
    size: int
    published_by: str
    published_at: str
    seconds: float


def sidecar(path: str | Path) -> Path:
    """The checksum file kept beside a published bank."""
    return Path(f"{path}{SIDECAR}")


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_sidecar(path: str | Path) -> str | None:
    """The checksum recorded beside a published bank, or None when there is none (or it is unreadable)."""
    try:
        text = sidecar(path).read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    digest = text[0].lower() if text else ""
    return digest if len(digest) == 64 and all(c in "0123456789abcdef" for c in digest) else None


def published_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """The publication rows of a bank's meta table (office_version, published_at, published_by, …)."""
    rows = conn.execute(
        "select key, value from meta where key in ('office_version', 'published_at', 'published_by',"
        " 'published_from', 'published_host', 'built_at')"
    ).fetchall()
    return {k: v for k, v in rows}


def _previous_version(target: Path) -> int:
    with contextlib.suppress(BankError, OSError, sqlite3.DatabaseError, ValueError):
        conn = open_immutable(target)
        try:
            return int(published_meta(conn).get("office_version", 0))
        finally:
            conn.close()
    return 0


def place_file(local: Path, target: Path, attempts: int = 30) -> None:
    """Copy a finished local file to target (maybe on a share) under a temp name, flush it, rename it over."""
    tmp = target.parent / f".{target.name}.publishing-{os.getpid()}"
    try:
        with open(local, "rb") as src, open(tmp, "wb") as dst:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        for attempt in range(attempts):
            try:
                atomic.replace(tmp, target)
                return
            except PermissionError:
                # Windows refuses while someone has the old file open (a colleague's copy in progress).
                if attempt == attempts - 1:
                    raise
                time.sleep(0.1)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def publish(db_path: str | Path, out: str | Path, who: str | None = None) -> Publication:
    """Publish the bank at db_path as the read-only office bank out (version one more than the file it replaces)."""
    started = time.perf_counter()
    source, target = Path(db_path), Path(out)
    if target.exists() and source.exists() and os.path.samefile(source, target):
        raise BankError(f"发布位置不能是素材库本身：{target}（请另选共享文件夹里的文件）")
    if not target.parent.is_dir():
        raise BankError(f"发布位置的文件夹不存在或连不上：{target.parent}")
    who = who or _user()
    when = time.strftime("%Y-%m-%d %H:%M:%S")
    version = _previous_version(target) + 1
    local = source.parent / f".{source.name}.snapshot-{os.getpid()}"
    src = open_checked(source)
    try:
        dst = sqlite3.connect(local)
        try:
            src.backup(dst)
            # A WAL header would make readers look for -wal/-shm files that are never published.
            dst.execute("pragma journal_mode = delete")
            with dst:
                dst.executemany(
                    "insert or replace into meta (key, value) values (?, ?)",
                    [
                        ("office_version", str(version)),
                        ("published_at", when),
                        ("published_by", who),
                        ("published_from", str(source.resolve())),
                        ("published_host", socket.gethostname()),
                    ],
                )
        finally:
            dst.close()
        atomic.fsync_file(local)
        checksum = file_sha256(local)
        size = local.stat().st_size
        try:
            place_file(local, target)
            atomic.write_text(sidecar(target), f"{checksum}  {target.name}\n")
        except OSError as exc:
            raise BankError(
                f"无法写入发布位置：{target}（{exc.strerror or exc}）。原有的单位素材库不受影响。"
            ) from None
    finally:
        src.close()
        with contextlib.suppress(OSError):
            local.unlink()
    return Publication(target, version, checksum, size, who, when, time.perf_counter() - started)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getpass raises whatever the platform lookup raises when no user name is known
        return "未署名"
