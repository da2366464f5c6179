"""Whether a process is still alive and when it started, to tell a running build's files from a dead one's; and
worker processes that leave with the process that started them."""

from __future__ import annotations

import os
import sys
import threading
import time

_WATCH_SECONDS = 0.5


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID exists (and is not a zombie); unknown counts as alive."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    state = _proc_stat(pid)
    return state is None or state[0] != "Z"


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None without /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


def started_at(pid: int) -> float | None:
    """When the process started, in seconds since the epoch (Linux), or None when unknown."""
    fields = _proc_stat(pid)
    if fields is None or len(fields) < 20:
        return None
    try:
        ticks = int(fields[19])
        with open("/proc/stat", encoding="ascii") as handle:
            boot = next(int(line.split()[1]) for line in handle if line.startswith("btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, StopIteration):
        return None


def _windows_alive(pid: int) -> bool:
    """Windows: OpenProcess and GetExitCodeProcess (os.kill would terminate the process). Untested here."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _watch_parent(parent: int) -> None:
    """Leave the moment the process that started this worker is gone."""
    if os.name == "nt":
        import multiprocessing
        from multiprocessing.connection import wait as wait_for

        # Untested on Windows: the parent process's handle becomes ready when it exits.
        process = multiprocessing.parent_process()
        if process is not None:
            wait_for([process.sentinel])
            os._exit(1)
        return
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


def leave_with_parent(parent: int) -> None:
    """In a worker process: exit the moment the process that started it (PID parent) is gone."""
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()
