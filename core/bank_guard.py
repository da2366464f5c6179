"""Keeping a bank usable through damage: the state a bank file is in, moving a bad one aside (never deleting it),
the sources it recorded to rebuild from, leftovers of killed builds, and Chinese messages for SQLite and OS
failures that name the file and say what to do."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bigan.core import failures
from bigan.core.bank_errors import BankError
from bigan.core.convert import WORK_PREFIX
from bigan.core.fsnames import display, from_raw
from bigan.core.procs import pid_alive, started_at

if TYPE_CHECKING:
    from bigan.core.bank import BuildReport
    from bigan.core.bank_lock import LockHolder

# The layout of the bank file; a bank of another version is rebuilt (a personal one) or refused (an office one).
SCHEMA_VERSION = 7
MISSING, OK, OLDER, NEWER, FOREIGN, CORRUPT = "missing", "ok", "older", "newer", "foreign", "corrupt"
# A bank that cannot be read just now (locked by another program, no permission, a disk error): not damaged.
UNREADABLE = "unreadable"
# Every table a bank of this version has; one missing means the file was damaged or edited by hand.
TABLES = (
    "meta",
    "files",
    "documents",
    "asides",
    "sections",
    "associations",
    "passages",
    "entries",
    "entries_fts",
    "sections_fts",
    "section_topics",
    "words",
    "dedup_keys",
    "dedup_owners",
    "dedup_clauses",
    "dedup_common",
)
# Tables only a 笔杆 bank has: a file holding them but no version is ours, damaged.
_OURS = {"passages", "entries", "sections", "documents"}
_SIDE_FILES = ("-journal", "-wal", "-shm")
# How long a look at the bank waits for another program's write lock before calling the bank busy.
BUSY_SECONDS = 5.0


@dataclass(frozen=True)
class BankState:
    """What a bank file is: MISSING, OK, OLDER, NEWER (made by a newer 笔杆), FOREIGN (someone else's SQLite file),
    CORRUPT (damaged or incomplete) or UNREADABLE (locked, no permission, disk error); its schema version and
    signature when read, and why."""

    kind: str
    version: int | None = None
    signature: str | None = None
    detail: str = ""


def read_only_uri(path: str | Path) -> str:
    """The SQLite URI that opens path read-only, whatever characters its name holds (# ? % and undecodable bytes)."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_SECONDS)


def open_checked(path: str | Path, readonly: bool = True) -> sqlite3.Connection:
    """Connect to an existing bank of this version (read-only by default), or raise BankError saying what is wrong
    and what to do."""
    path = Path(path)
    state = inspect(path, SCHEMA_VERSION)
    if state.kind != OK:
        raise BankError(state_message(path, state, SCHEMA_VERSION))
    try:
        conn = sqlite3.connect(read_only_uri(path) if readonly else str(path), uri=readonly, check_same_thread=True)
        conn.execute("select value from meta where key = 'schema_version'").fetchone()
    except sqlite3.Error as exc:
        raise BankError(explain(exc, path)) from None
    return conn


def inspect(path: str | Path, schema_version: int) -> BankState:
    """Read what the bank file at path is, without changing it (its pages are checked by page_problem)."""
    path = Path(path)
    if not path.exists():
        return BankState(MISSING)
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        return _failed(path, exc)
    try:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        if "meta" not in tables:
            if tables & _OURS:
                return BankState(CORRUPT, detail="缺少 meta 表")
            return BankState(FOREIGN if tables else CORRUPT, detail="里面是其他程序的数据" if tables else "文件是空的")
        rows = dict(conn.execute("select key, value from meta where key in ('schema_version', 'signature')"))
        raw_version = rows.get("schema_version")
        if raw_version is None:
            return BankState(CORRUPT if tables & _OURS else FOREIGN, detail="没有版本号")
        try:
            version = int(str(raw_version).strip())
        except ValueError:
            return BankState(CORRUPT, detail=f"版本号无法识别（{str(raw_version)[:20]}）")
        signature = rows.get("signature")
        if version > schema_version:
            return BankState(NEWER, version, signature)
        if version < schema_version:
            return BankState(OLDER, version, signature)
        missing = [t for t in TABLES if t not in tables]
        if missing:
            return BankState(CORRUPT, version, signature, f"缺少 {'、'.join(missing)} 表")
        return BankState(OK, version, signature)
    except sqlite3.Error as exc:
        return _failed(path, exc)
    finally:
        conn.close()


def _failed(path: Path, exc: sqlite3.Error) -> BankState:
    """The state of a bank SQLite would not read: damaged, or only out of reach for now (then the message says why)."""
    if failures.sqlite_kind(exc) in (failures.CORRUPT, failures.INCOMPLETE, failures.OTHER):
        return BankState(CORRUPT, detail=str(exc))
    return BankState(UNREADABLE, detail=explain(exc, path))


def page_problem(path: str | Path) -> str:
    """What SQLite's quick_check finds wrong with the bank's pages ("" when nothing); about 4 ms a megabyte."""
    try:
        conn = _connect(Path(path))
        try:
            problem = str(conn.execute("pragma quick_check(1)").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    return "" if problem == "ok" else problem[:200]


def state_message(path: Path, state: BankState, schema_version: int) -> str:
    """Why a bank in this state cannot be opened, and what to do, in Chinese."""
    path = Path(display(path))
    if state.kind == MISSING:
        return f"素材库不存在：{path}（请先运行 bank build 导入素材）"
    if state.kind == NEWER:
        return (
            f"素材库由更新版本的笔杆建立（素材库版本 {state.version}，本程序只认识到版本 {schema_version}）：{path}。"
            "请用新版本的笔杆打开；如确要用本版本重建，运行 bank build --force（原文件会改名保存，不会删除）。"
        )
    if state.kind == OLDER:
        return (
            f"素材库是旧版本建立的（版本 {state.version}，本程序为版本 {schema_version}）：{path}。"
            "运行 bank build（或在窗口中选 素材 › 重建素材库）即可按原来导入的文件升级重建。"
        )
    if state.kind == UNREADABLE:
        return state.detail
    if state.kind == FOREIGN:
        return (
            f"这个文件不是笔杆的素材库：{path}（{state.detail}）。请用 --db 指定素材库文件；"
            "如确要在这里新建素材库，运行 bank build --force（原文件会改名保存，不会删除）。"
        )
    return corrupt_message(path, state.detail)


def corrupt_message(path: Path, detail: str) -> str:
    """What to say about a damaged bank."""
    path = Path(display(path))
    return (
        f"素材库文件已损坏或不完整：{path}（{detail}）。运行 bank build（或在窗口中选 素材 › 重建素材库）"
        f"会把它改名保存为 {path.name}.corrupt-日期时间，并按它记录的原文件重新导入。"
    )


def explain(exc: BaseException, path: str | Path) -> str:
    """A Chinese message for an SQLite or OS failure while using the bank at path, naming the file and the remedy."""
    path = Path(display(path))
    if isinstance(exc, sqlite3.Error):
        kind = failures.sqlite_kind(exc)
        if kind == failures.FULL:
            return f"磁盘空间不足，素材库无法写入：{path}。原素材库未改动；请腾出磁盘空间后重新导入。"
        if kind in (failures.CORRUPT, failures.INCOMPLETE):
            return corrupt_message(path, str(exc))
        if kind == failures.BUSY:
            return f"素材库正被其他程序占用：{path}。请关闭占用它的程序（或等它完成）后重试。"
        if kind in (failures.READONLY, failures.CANTOPEN):
            return (
                f"无法打开或写入素材库：{path}（文件夹不存在、只读或没有权限）。"
                "请检查这个位置能否写入，或用 --db 另选位置；原素材库未改动。"
            )
        if kind == failures.IOERR:
            return f"读写素材库时磁盘出错：{path}。请检查磁盘（是否已断开或已满）后重试；原素材库未改动。"
        return f"素材库出错：{path}（{exc}）。可运行 bank build 重建。"
    if isinstance(exc, OSError):
        where = display(exc.filename) if exc.filename else str(path)
        return f"无法访问“{where}”：{failures.os_reason(exc)}。请检查这个位置（权限、磁盘空间）后重试；原素材库未改动。"
    if isinstance(exc, MemoryError):
        return f"内存不足，素材库操作未完成：{path}。请关闭其他程序后重试；原素材库未改动。"
    return f"素材库出错：{path}（{type(exc).__name__}）"


def _aside_name(path: Path, label: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = Path(f"{path}.{label}-{stamp}")
    n = 2
    while candidate.exists():
        candidate = Path(f"{path}.{label}-{stamp}-{n}")
        n += 1
    return candidate


def set_aside(path: str | Path, label: str = "corrupt") -> Path:
    """Move a bank file (and its journal, if any) out of the way as PATH.LABEL-YYYYmmdd-HHMMSS; return where."""
    path = Path(path)
    moved = _aside_name(path, label)
    try:
        os.rename(path, moved)
    except OSError as exc:
        from bigan.core.bank_errors import BankError

        raise BankError(
            f"无法把素材库文件改名保存为 {display(moved.name)}：{failures.os_reason(exc)}（{display(path)}）。"
            "请检查这个文件夹能否写入后重试，或用 --db 另选位置。"
        ) from None
    for side in _SIDE_FILES:
        if Path(f"{path}{side}").exists():
            with contextlib.suppress(OSError):
                os.rename(f"{path}{side}", f"{moved}{side}")
    return moved


def recorded_sources(path: str | Path) -> list[Path]:
    """The source files a bank (even a damaged one) says it imported, in import order; [] when none can be read.

    The files table is read first, past damaged pages if need be; the documents' source paths fill in for rows
    the damage took.
    """
    path = Path(path)
    try:
        conn = _connect(path)
    except sqlite3.Error:
        return []
    try:
        raw: dict[int, bytes] = {}
        with contextlib.suppress(sqlite3.Error):
            raw = {fid: bytes(blob) for fid, blob in conn.execute("select file_id, path from raw_paths")}
        files = _rows(conn, "files", "path")
        found = [from_raw(raw[fid]) if fid in raw else Path(text) for fid, text in sorted(files.items())]
        seen = {str(p) for p in found} | {text for text in files.values()}
        for _, text in sorted(_rows(conn, "documents", "source_file").items()):
            if text not in seen:
                seen.add(text)
                found.append(Path(text))
        return found
    finally:
        conn.close()


def _rows(conn: sqlite3.Connection, table: str, column: str) -> dict[int, str]:
    """id → text column of a table, read whole when it can be and else one id at a time past damaged pages."""
    try:
        return {rid: text for rid, text in conn.execute(f"select id, {column} from {table}") if isinstance(text, str)}
    except sqlite3.Error:
        pass
    found: dict[int, str] = {}
    misses = 0
    rid = 0
    while misses < 1000:
        rid += 1
        try:
            row = conn.execute(f"select {column} from {table} where id = ?", [rid]).fetchone()
        except sqlite3.Error:
            row = None
        if row is None or not isinstance(row[0], str):
            misses += 1
            continue
        misses = 0
        found[rid] = row[0]
    return found


def building_files(target: str | Path) -> list[Path]:
    """The temporary files of builds into this bank (PATH.building-PID)."""
    return [Path(p) for p in glob.glob(glob.escape(str(target)) + ".building-*")]


def _owner_gone(path: Path) -> bool:
    """Whether the build that wrote this temporary file is gone (its PID dead, or reused by a later process)."""
    try:
        pid = int(path.name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return False
    if not pid_alive(pid):
        return True
    started = started_at(pid)
    try:
        modified = path.stat().st_mtime
    except OSError:
        return False
    return started is not None and started > modified + 1


def clean_leftovers(target: str | Path) -> list[Path]:
    """Delete what killed builds left (temporary banks beside this one, LibreOffice work folders), only those whose
    build process is gone; return them."""
    removed = []
    for leftover in building_files(target):
        if _owner_gone(leftover):
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
    pattern = os.path.join(glob.escape(tempfile.gettempdir()), f"{WORK_PREFIX}*")
    for folder in map(Path, glob.glob(pattern)):
        pid = folder.name[len(WORK_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def rebuild(
    db_path: str | Path,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    force: bool = False,
    on_wait: Callable[[LockHolder | None], None] | None = None,
) -> BuildReport:
    """素材 › 重建素材库: import again every source the bank recorded (a damaged file is first moved aside, never
    deleted), or the bundled corpus when it recorded none; a bank of a newer version needs force."""
    from bigan.core import bank
    from bigan.core.paths import BUNDLED_CORPUS

    return bank.build(
        [],
        db_path,
        progress=progress,
        cancelled=cancelled,
        force=force,
        rebuild=True,
        on_wait=on_wait,
        fallback=[BUNDLED_CORPUS],
    )
