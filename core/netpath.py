"""Is a path on a network file system or a mapped drive? The personal bank must not be (SQLite's locks fail there)."""

from __future__ import annotations

import ntpath
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from bigan.core.bank_errors import BankError

# File systems whose locking SQLite cannot rely on: network and cluster file systems, FUSE bridges to remote
# storage (gvfs is how the Kylin/UOS file manager mounts smb:// shares) and host-shared 9p folders.
NETWORK_TYPES = frozenset(
    "nfs nfs4 cifs smb smb2 smb3 smbfs ncpfs afs coda ceph glusterfs lustre gpfs beegfs ocfs2 gfs2 9p virtiofs "
    "davfs fuse.sshfs fuse.glusterfs fuse.cephfs fuse.gvfsd-fuse fuse.gvfs-fuse-daemon fuse.davfs2 fuse.rclone "
    "fuse.s3fs fuse.smbnetfs fuse.curlftpfs fuse.juicefs fuse.seaweedfs".split()
)
DRIVE_REMOTE = 4
_ESCAPE = re.compile(r"\\([0-7]{3})")


class NetworkPathError(BankError):
    """The personal bank was to be placed on a network location; the message says why not, in Chinese."""


def _unescape(field: str) -> str:
    """A /proc/mounts field with its octal escapes (\\040 for a space) decoded."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)


def _mount_table() -> list[tuple[str, str]]:
    """(mount point, file system type) of every mount this process sees (Linux); empty where unknown."""
    for name in ("/proc/self/mounts", "/proc/mounts"):
        try:
            with open(name, encoding="utf-8", errors="replace") as handle:
                rows = [line.split() for line in handle]
        except OSError:
            continue
        return [(_unescape(r[1]), r[2]) for r in rows if len(r) >= 3]
    return []


def linux_mount(path: str | Path, table: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The mount holding path: the longest mount point that is a prefix of its real path."""
    real = os.path.realpath(path)
    best: tuple[str, str] | None = None
    for point, kind in table:
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > len(best[0])):
            best = (point, kind)
    return best


def _drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))  # type: ignore[attr-defined]


def windows_reason(path: str, drive_type: Callable[[str], int]) -> str | None:
    """Why a Windows path is remote (a UNC path or a mapped network drive), or None for a local one."""
    full = ntpath.abspath(path) if sys.platform == "win32" else path
    if full.startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        return "网络共享路径（UNC）"
    if full.startswith(("\\\\?\\", "//?/")):
        full = full[4:]
    if full.startswith(("\\\\", "//")):
        return "网络共享路径（UNC）"
    drive = ntpath.splitdrive(full)[0]
    if drive and drive_type(drive + "\\") == DRIVE_REMOTE:
        return f"映射的网络驱动器 {drive.upper()}"
    return None


def network_reason(path: str | Path) -> str | None:
    """What network location holds path (in Chinese), or None when it is on a local disk."""
    if sys.platform == "win32":
        return windows_reason(str(path), _drive_type)
    mount = linux_mount(path, _mount_table())
    if mount is not None and mount[1].lower() in NETWORK_TYPES:
        return f"网络文件系统 {mount[1]}（挂载于 {mount[0]}）"
    return None


def refuse_network(path: str | Path, what: str = "本人素材库") -> None:
    """Raise NetworkPathError, explaining in Chinese, when path is on a network file system or mapped drive."""
    reason = network_reason(path)
    if reason is None:
        return
    raise NetworkPathError(
        f"{what}不能放在网络位置：{path} 位于{reason}上。SQLite 在网络文件系统上的文件锁不可靠，"
        "放在共享文件夹里的素材库可能被写坏。请把素材库放在本机磁盘上（用 --db 指定本机路径，或用环境变量 "
        "BIGAN_HOME 指定本机目录）；要与同事共用素材，请由专人用 bank publish 把素材库发布到共享文件夹，"
        "大家用 bank attach 只读挂上。"
    )
