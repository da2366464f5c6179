"""One writer at a time per bank: a second build waits or refuses, a dead build's lock is taken over, nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bigan.core import bank, bank_lock
from bigan.core.bank_lock import BankBusy, hold, lock_path

ROOT = Path(__file__).resolve().parent.parent.parent
HOLDER = (
    "import sys, main; main.use_checkout(); from bigan.core.bank_lock import hold\n"
    "with hold(sys.argv[1]):\n"
    "    print('held', flush=True)\n"
    "    sys.stdin.read()\n"
)


@pytest.fixture
def holder(tmp_path):
    """Start another process that holds the lock of tmp_path/bank.db until its stdin closes; yields it."""
    processes = []

    def start() -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(tmp_path / "bank.db")],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        processes.append(proc)
        return proc

    yield start
    for proc in processes:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


@pytest.fixture
def two_reports(tmp_path, report_text) -> tuple[Path, Path]:
    first = tmp_path / "first.txt"
    first.write_text(report_text, encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text(report_text.replace("某局", "另一局").replace("15个", "21个"), encoding="utf-8")
    return first, second


def test_a_build_that_will_not_wait_names_the_holder_and_changes_nothing(tmp_path, holder, two_reports):
    db_path = tmp_path / "bank.db"
    proc = holder()

    with pytest.raises(BankBusy) as caught:
        bank.build([two_reports[0]], db_path, wait=False)

    assert "另一个导入正在进行" in str(caught.value) and f"进程 {proc.pid}" in str(caught.value)
    assert caught.value.holder is not None and caught.value.holder.pid == proc.pid
    assert not db_path.exists()
    assert not list(tmp_path.glob("bank.db.building-*"))


def test_a_waiting_build_says_so_then_imports_once_the_holder_is_done(tmp_path, holder, two_reports):
    db_path = tmp_path / "bank.db"
    bank.build([two_reports[0]], db_path)
    proc = holder()
    told = threading.Event()
    outcome: list[bank.BuildReport] = []
    waiting = threading.Thread(
        target=lambda: outcome.append(bank.build([two_reports[1]], db_path, on_wait=lambda who: told.set()))
    )
    waiting.start()
    assert told.wait(30)
    assert not outcome
    assert proc.stdin is not None
    proc.stdin.close()
    waiting.join(60)

    assert outcome and outcome[0].imported == [str(two_reports[1])]
    assert bank.stats(db_path)["files"] == 2
    assert not lock_path(db_path).exists()


def test_a_lock_left_by_a_killed_build_is_taken_over(tmp_path, holder, two_reports):
    db_path = tmp_path / "bank.db"
    proc = holder()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert lock_path(db_path).exists()

    report = bank.build([two_reports[0]], db_path, wait=False)

    assert report.imported == [str(two_reports[0])]
    assert not lock_path(db_path).exists()


def test_waiting_stops_when_the_build_is_cancelled(tmp_path, holder, two_reports):
    holder()
    with pytest.raises(bank.BuildCancelled):
        bank.build([two_reports[0]], tmp_path / "bank.db", cancelled=lambda: True)


def test_a_second_build_in_the_same_process_is_refused_too(tmp_path, two_reports):
    """The window runs builds on threads: the OS lock is per process, so the process keeps its own count."""
    db_path = tmp_path / "bank.db"
    with hold(db_path):
        assert bank_lock.read_holder(db_path).pid == os.getpid()
        with pytest.raises(BankBusy):
            bank.build([two_reports[0]], db_path, wait=False)
    assert bank.build([two_reports[0]], db_path, wait=False).imported
