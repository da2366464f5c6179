"""The parse pool: a file over its time limit or one that kills its worker is named, the rest still parse, and
workers leave when the build's process is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bigan.core.models import Skipped
from bigan.core.parse_pool import CRASHED, parse_files
from bigan.core.procs import pid_alive
from bigan.core.segment import ensure_loaded

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module", autouse=True)
def jieba_loaded() -> None:
    """Load jieba here once, so forked workers start with it instead of loading it on each restart."""
    ensure_loaded()


def stand_in(path: str, converted: str | None) -> Skipped:
    """A parse stand-in: hangs on files named slow*, kills its worker on crash*, else answers with the worker PID."""
    name = Path(path).name
    if name.startswith("slow"):
        time.sleep(120)
    if name.startswith("crash"):
        os._exit(3)
    return Skipped(path, f"parsed by {os.getpid()}")


def record_and_hang(path: str, converted: str | None) -> Skipped:
    """Write this worker's PID into the file, then hang."""
    Path(path).write_text(str(os.getpid()))
    time.sleep(120)
    return Skipped(path, "never")


def _files(tmp_path: Path, names: list[str]) -> list[str]:
    paths = []
    for name in names:
        (tmp_path / name).write_text(name)
        paths.append(str(tmp_path / name))
    return paths


def test_files_over_their_time_limit_are_named_and_the_others_parse_on_a_new_pool(tmp_path):
    paths = _files(tmp_path, ["a.txt", "slow-1.txt", "b.txt", "slow-2.txt", "c.txt"])
    started = time.monotonic()

    results = list(parse_files(paths, {}, 2, limit=lambda size: 1.5, task=stand_in))

    assert time.monotonic() - started < 20
    assert [r.path for r in results] == paths
    # The largest (slow) files start first and hold both workers: the rest can only parse after the pool restarts.
    assert all("处理超过 2 秒，已跳过" in results[i].reason for i in (1, 3))
    assert all(results[i].reason.startswith("parsed by") for i in (0, 2, 4))


def test_a_file_that_kills_its_worker_is_named_and_its_neighbours_are_not(tmp_path):
    paths = _files(tmp_path, ["a.txt", "crash.txt", "b.txt", "c.txt"])

    results = list(parse_files(paths, {}, 2, task=stand_in))

    assert [r.path for r in results] == paths
    assert results[1].reason == CRASHED
    assert all(r.reason.startswith("parsed by") for i, r in enumerate(results) if i != 1)


def test_workers_leave_when_the_build_process_is_killed(tmp_path):
    paths = _files(tmp_path, ["one.txt", "two.txt"])
    script = (
        "import sys, main; main.use_checkout(); from bigan.core.parse_pool import parse_files;"
        "from tests.core.test_parse_pool import record_and_hang;"
        "list(parse_files(sys.argv[1:], {}, 2, task=record_and_hang))"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, *paths], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(Path(p).read_text().isdigit() for p in paths):
            time.sleep(0.1)
        workers = [int(Path(p).read_text()) for p in paths]
        assert all(pid_alive(pid) for pid in workers)
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(pid_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(pid_alive(pid) for pid in workers)
