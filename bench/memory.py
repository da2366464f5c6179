"""Peak memory of this process and of its whole process tree, sampled from /proc while some work runs (Linux)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _resident(pid: int) -> tuple[int, int]:
    """Resident bytes of a process, and those that belong to it alone: resident less the pages of mapped files
    (libraries, an index read through mmap), which the system can drop and read again."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
        return int(fields[1]) * _PAGE, (int(fields[1]) - int(fields[2])) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0, 0


def _rss(pid: int) -> int:
    return _resident(pid)[0]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _pss(pid: int) -> int:
    """Proportional set size: resident bytes with each page shared by n processes counted 1/n in each, so a forked
    worker's pages still shared with its parent are not counted twice."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _tree(root: int) -> list[int]:
    """A process and all its descendants."""
    children = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


class Peak:
    """`with Peak() as peak:` … then peak.main and peak.tree hold the highest resident bytes seen (every 0.2 s)."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every
        self.main = 0
        self.tree = 0
        self.private = 0  # the main process's resident bytes less mapped files' pages
        self.tree_pss = 0  # the tree's proportional set size: shared pages counted once over the tree
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            resident, private = _resident(me)
            self.main, self.private = max(self.main, resident), max(self.private, private)
            tree = _tree(me)
            self.tree = max(self.tree, sum(map(_rss, tree)))
            self.tree_pss = max(self.tree_pss, sum(map(_pss, tree)))
            self._stop.wait(self.every)

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.main = max(self.main, _rss(os.getpid()))


def rss() -> int:
    """Resident bytes of this process now."""
    return _rss(os.getpid())


def mb(n: int) -> str:
    """Bytes as megabytes for a report line."""
    return f"{n / 1e6:.0f} MB"


if __name__ == "__main__":
    with Peak() as peak:
        block = bytearray(50_000_000)
        time.sleep(0.5)
    print(f"main {mb(peak.main)}, tree {mb(peak.tree)}")
