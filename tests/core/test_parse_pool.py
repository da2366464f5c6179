"""The parse pool: a file over its time limit or one that kills its worker is named, the rest still parse, and
workers leave when the build's process is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bigan.core.bank_errors import BuildCancelled
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
    if name.startswith("half"):
        _send_half_a_result()
    return Skipped(path, f"parsed by {os.getpid()}")


def _send_half_a_result() -> None:
    """Start a result message on the worker's pipe to the build and stop halfway, as a worker killed mid-send."""
    import gc
    import multiprocessing.queues
    import struct

    (results,) = [o for o in gc.get_objects() if isinstance(o, multiprocessing.queues.SimpleQueue)]
    os.write(results._writer.fileno(), struct.pack("!i", 1_000_000) + b"partial")
    time.sleep(120)


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
    assert sorted(r.path for r in results) == sorted(paths)
    reasons = {r.path: r.reason for r in results}
    # Each slow file holds a worker until its limit: the others parse beside them or after the pool restarts.
    assert all("处理超过 2 秒，已跳过" in reasons[paths[i]] for i in (1, 3))
    assert all(reasons[paths[i]].startswith("parsed by") for i in (0, 2, 4))


def test_a_worker_stopped_halfway_through_sending_its_result_does_not_hang_the_build(tmp_path):
    paths = _files(tmp_path, ["half.txt", "a.txt"])
    results: list = []
    run = threading.Thread(
        target=lambda: results.extend(parse_files(paths, {}, 2, limit=lambda size: 1.5, task=stand_in)), daemon=True
    )
    run.start()
    run.join(30)

    assert not run.is_alive(), "the build hung on a half-sent result"
    reasons = {r.path: r.reason for r in results}
    assert "已跳过" in reasons[paths[0]] and reasons[paths[1]].startswith("parsed by")


def test_a_file_that_kills_its_worker_is_named_and_its_neighbours_are_not(tmp_path):
    paths = _files(tmp_path, ["a.txt", "crash.txt", "b.txt", "c.txt"])

    results = list(parse_files(paths, {}, 2, task=stand_in))

    assert sorted(r.path for r in results) == sorted(paths)
    reasons = {r.path: r.reason for r in results}
    assert reasons[paths[1]] == CRASHED
    assert all(reasons[p].startswith("parsed by") for i, p in enumerate(paths) if i != 1)


def wait_for_go(path: str, converted: str | None) -> Skipped:
    """A parse stand-in: big*.txt waits until a file named go appears beside it; the others answer at once."""
    if Path(path).name.startswith("big"):
        go = Path(path).parent / "go"
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return Skipped(path, "done")


def test_results_come_as_they_finish_not_behind_a_slow_first_file(tmp_path):
    paths = _files(tmp_path, ["big.txt", "a.txt", "b.txt", "c.txt"])
    Path(paths[0]).write_text("x" * 100_000)  # first in line: it starts first and holds one worker
    started = time.monotonic()
    results = parse_files(paths, {}, 2, task=wait_for_go)

    first = [next(results).path for _ in range(3)]
    waited = time.monotonic() - started
    (tmp_path / "go").write_text("")
    last = [r.path for r in results]

    assert sorted(first) == sorted(paths[1:]) and last == [paths[0]]
    assert waited < 30


def test_a_cancel_takes_effect_while_a_long_file_is_still_parsing(tmp_path):
    paths = _files(tmp_path, ["big-1.txt", "big-2.txt", "a.txt"])
    for path in paths[:2]:
        Path(path).write_text("x" * 100_000)
    stop = {"now": False}
    # Both workers hold a big file that never finishes by itself; the cancel comes from another thread.
    results = parse_files(paths, {}, 2, cancelled=lambda: stop["now"], task=wait_for_go)
    timer = threading.Timer(1.0, lambda: stop.update(now=True))
    timer.start()
    started = time.monotonic()
    with pytest.raises(BuildCancelled):
        list(results)
    assert time.monotonic() - started < 5


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
