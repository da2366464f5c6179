"""Office banks attached beside the personal one: which are attached, and a local copy of each that is kept current.

A shared file is never opened where it lies for matching: each new version is copied to the user's data directory
(checked against its .sha256 and SQLite's quick_check) and the copy is opened read-only and immutable. So a share
that vanishes while the program runs (laptop off the network) breaks no open query, the last good copy keeps
answering, and the curator's publish never finds the file held open. A server location (http://…) is not copied:
it is asked over HTTP (core.remote).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bigan.core import atomic
from bigan.core.bank_errors import BankError
from bigan.core.bank_reader import open_immutable
from bigan.core.paths import data_dir
from bigan.core.publish import CHUNK, published_meta, read_sidecar

SETTINGS = "shared.json"
CACHE_DIR = "shared"


class OfficeError(BankError):
    """An office bank cannot be attached or detached; the message says why, in Chinese."""


@dataclass(frozen=True)
class CachedCopy:
    """The local copy of one version of an office bank and what it was copied from."""

    location: str
    file: str
    checksum: str
    size: int
    mtime_ns: int
    version: int
    published_at: str
    published_by: str
    fetched_at: str


@dataclass(frozen=True)
class OfficeStatus:
    """How an attached office bank stands now: what to open (if anything) and a quiet notice for the writer."""

    location: str
    state: str  # "current", "updated", "offline", "corrupt", "server"
    copy: CachedCopy | None = None
    notice: str = ""

    @property
    def usable(self) -> Path | None:
        """The local file to match against, or None."""
        return Path(self.copy.file) if self.copy is not None else None

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return {
            "location": self.location,
            "state": self.state,
            "notice": self.notice,
            "copy": asdict(self.copy) if self.copy else None,
        }


def is_server(location: str) -> bool:
    """Whether a location names a server (bigan serve) rather than a file."""
    return location.lower().startswith(("http://", "https://"))


def normalise(location: str) -> str:
    """A location as remembered: an absolute file path, or a server URL without its trailing slash."""
    location = location.strip()
    return location.rstrip("/") if is_server(location) else os.path.abspath(location)


def _settings_path() -> Path:
    return data_dir() / SETTINGS


def attached() -> list[str]:
    """The attached office banks (file paths or server URLs), in the order they were attached."""
    try:
        data = json.loads(_settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    banks = data.get("banks", []) if isinstance(data, dict) else []
    return [b for b in banks if isinstance(b, str) and b]


def _save(banks: list[str]) -> None:
    atomic.write_text(_settings_path(), json.dumps({"banks": banks}, ensure_ascii=False, indent=2) + "\n")


def attach(location: str) -> OfficeStatus:
    """Check an office bank now and remember it; raise OfficeError (nothing remembered) when it cannot be used."""
    location = normalise(location)
    if is_server(location):
        from bigan.core.remote import RemoteBank, RemoteUnavailable

        try:
            RemoteBank(location).info()
        except RemoteUnavailable as exc:
            raise OfficeError(f"连不上单位素材库服务：{location}（{exc}），未挂上") from None
        status = OfficeStatus(location, "server")
    else:
        status = refresh(location)
        if status.state not in ("current", "updated"):
            forget(location)
            raise OfficeError(status.notice.replace("，这次只查本人素材库", "") + "，未挂上")
    banks = attached()
    if location not in banks:
        _save([*banks, location])
    return status


def detach(location: str | None = None) -> list[str]:
    """Stop using one office bank (all of them when None) and delete its local copies; returns what was detached."""
    banks = attached()
    if location is None:
        gone = banks
    else:
        wanted = normalise(location)
        if wanted not in banks:
            raise OfficeError(f"没有挂上这个单位素材库：{wanted}")
        gone = [wanted]
    _save([b for b in banks if b not in gone])
    for b in gone:
        forget(b)
    return gone


def _cache_dir() -> Path:
    path = data_dir() / CACHE_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key(location: str) -> str:
    return hashlib.sha1(location.encode("utf-8")).hexdigest()[:16]


def _state_path(location: str) -> Path:
    return _cache_dir() / f"{_key(location)}.json"


def cached(location: str) -> CachedCopy | None:
    """The last good local copy of an office bank, if there is one."""
    try:
        data = json.loads(_state_path(location).read_text(encoding="utf-8"))
        copy = CachedCopy(**data)
    except (OSError, ValueError, TypeError):
        return None
    return copy if Path(copy.file).is_file() else None


def forget(location: str) -> None:
    """Delete the local copies and state of an office bank (copies still open elsewhere are left to go later)."""
    for path in _cache_dir().glob(f"{_key(location)}*"):
        with contextlib.suppress(OSError):
            path.unlink()


def _why(exc: OSError) -> str:
    """Why a share could not be read, in Chinese where the reason is a common one."""
    if isinstance(exc, FileNotFoundError):
        return "找不到文件或文件夹"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, TimeoutError):
        return "等待超时"
    return exc.strerror or type(exc).__name__


def _offline(location: str, copy: CachedCopy | None, why: str) -> OfficeStatus:
    if copy is not None:
        tail = f"，先用本机保存的第 {copy.version} 版（{copy.published_at} 发布）"
    else:
        tail = "，这次只查本人素材库"
    return OfficeStatus(location, "offline", copy, f"单位素材库暂时连不上：{location}（{why}）{tail}")


def _corrupt(location: str, copy: CachedCopy | None, why: str) -> OfficeStatus:
    if copy is not None:
        tail = f"，继续用本机保存的第 {copy.version} 版（{copy.published_at} 发布）"
    else:
        tail = "，这次只查本人素材库"
    return OfficeStatus(location, "corrupt", copy, f"单位素材库文件有问题：{location}（{why}）{tail}")


def _copy(source: str, tmp: Path) -> str:
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(tmp, "wb") as dst:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _validate(path: Path) -> dict[str, str]:
    """The publication rows of a copied bank after SQLite's quick_check; BankError (a short reason) when unsound."""
    try:
        conn = open_immutable(path)
    except BankError as exc:
        raise BankError("素材库版本与本程序不符" if "版本不符" in str(exc) else "文件已损坏或不是素材库") from None
    try:
        verdict = conn.execute("pragma quick_check").fetchone()[0]
        if verdict != "ok":
            raise BankError(f"文件已损坏（{verdict}）")
        conn.execute("select count(*) from entries_fts").fetchone()
        return published_meta(conn)
    except sqlite3.DatabaseError as exc:
        raise BankError(f"文件已损坏或不是素材库：{exc}") from None
    finally:
        conn.close()


def _up_to_date(copy: CachedCopy | None, expected: str | None, info: os.stat_result) -> bool:
    if copy is None:
        return False
    same_file = info.st_size == copy.size and info.st_mtime_ns == copy.mtime_ns
    return same_file and (expected is None or expected == copy.checksum)


def refresh(location: str, retries: int = 1) -> OfficeStatus:
    """Bring the local copy of a file office bank up to date with the share; never raises for a missing share."""
    copy = cached(location)
    try:
        info = os.stat(location)
    except OSError as exc:
        return _offline(location, copy, _why(exc))
    expected = read_sidecar(location)
    if _up_to_date(copy, expected, info):
        return OfficeStatus(location, "current", copy)
    key = _key(location)
    tmp = _cache_dir() / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        try:
            digest = _copy(location, tmp)
        except OSError as exc:
            return _offline(location, copy, _why(exc))
        if expected is not None and digest != expected:
            if retries > 0:
                # The curator may be between renaming the file and writing its checksum: look again shortly.
                time.sleep(0.3)
                return refresh(location, retries - 1)
            return _corrupt(location, copy, "文件与它的校验和 .sha256 不符，可能正在更新或已损坏")
        try:
            meta = _validate(tmp)
        except BankError as exc:
            return _corrupt(location, copy, str(exc))
        final = _cache_dir() / f"{key}-{digest[:16]}.db"
        try:
            os.replace(tmp, final)
        except PermissionError:
            # Windows: this very version is already here and open; the bytes are the same.
            if not final.is_file():
                raise
        fresh = CachedCopy(
            location=location,
            file=str(final),
            checksum=digest,
            size=info.st_size,
            mtime_ns=info.st_mtime_ns,
            version=int(meta.get("office_version", 0) or 0),
            published_at=meta.get("published_at", meta.get("built_at", "")),
            published_by=meta.get("published_by", ""),
            fetched_at=time.strftime("%Y-%m-%d %H:%M:%S"),
        )
        atomic.write_text(_state_path(location), json.dumps(asdict(fresh), ensure_ascii=False, indent=2) + "\n")
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    for old in _cache_dir().glob(f"{key}-*.db"):
        if old != final:
            with contextlib.suppress(OSError):
                old.unlink()
    return OfficeStatus(location, "updated", fresh)


def stored(locations: list[str] | None = None) -> list[OfficeStatus]:
    """The attached office banks as last copied here, without touching the share (which may be slow to answer)."""
    out = []
    for location in attached() if locations is None else locations:
        if is_server(location):
            out.append(OfficeStatus(location, "server"))
            continue
        copy = cached(location)
        notice = "" if copy else f"单位素材库还没有取回本机：{location}，这次只查本人素材库"
        out.append(OfficeStatus(location, "current" if copy else "offline", copy, notice))
    return out


def statuses(locations: list[str] | None = None) -> list[OfficeStatus]:
    """Check every attached office bank now (files: refresh the local copy; servers: as they are)."""
    out = []
    for location in attached() if locations is None else locations:
        out.append(OfficeStatus(location, "server") if is_server(location) else refresh(location))
    return out
