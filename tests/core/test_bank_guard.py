"""Damaged, older, newer and foreign banks; leftovers of killed builds; a full disk; names that are not UTF-8;
a file that takes too long. The bank is never lost and never deleted, and every failure is a Chinese BankError."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from bigan.core import bank, bank_guard
from bigan.core.convert import WORK_PREFIX
from bigan.core.paths import BUNDLED_CORPUS

GBK_NAME = "报告.txt".encode("gbk")


@pytest.fixture
def small_bank(tmp_path, report_text) -> tuple[Path, Path]:
    """A bank of one report: (db path, source file)."""
    source = tmp_path / "src" / "report.txt"
    source.parent.mkdir()
    source.write_text(report_text, encoding="utf-8")
    db_path = tmp_path / "bank.db"
    bank.build([source], db_path)
    return db_path, source


def _execute(db_path: Path, sql: str) -> None:
    conn = sqlite3.connect(db_path)
    conn.executescript(sql)
    conn.commit()
    conn.close()


def _scramble_pages(db_path: Path) -> None:
    """Overwrite every second page after the first with random bytes: a valid header, damaged pages."""
    size = db_path.stat().st_size
    rng = random.Random(5)
    with open(db_path, "r+b") as handle:
        for page in range(1, size // 4096, 2):
            handle.seek(page * 4096)
            handle.write(rng.randbytes(4096))


DAMAGE = {
    "random pages": _scramble_pages,
    "no full-text table": lambda p: _execute(p, "drop table entries_fts"),
    "no entries table": lambda p: _execute(p, "drop table entries"),
    "bad version value": lambda p: _execute(p, "update meta set value = 'v6?' where key = 'schema_version'"),
    "not SQLite at all": lambda p: p.write_bytes(os.urandom(8192)),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_bank_is_named_then_set_aside_and_rebuilt_from_its_sources(small_bank, damage):
    db_path, source = small_bank
    DAMAGE[damage](db_path)
    damaged = db_path.read_bytes()

    with pytest.raises(bank.BankError) as caught:
        bank.stats(db_path)
    assert "已损坏" in str(caught.value) and "bank build" in str(caught.value) and str(db_path) in str(caught.value)

    report = bank.build([], db_path, fallback=[BUNDLED_CORPUS])

    (aside,) = db_path.parent.glob("bank.db.corrupt-*")
    assert aside.read_bytes() == damaged
    assert report.set_aside == str(aside)
    assert report.rebuilt.startswith("素材库文件已损坏")
    counts = bank.stats(db_path)
    if report.recovered:
        assert report.recovered == [str(source)] and counts["files"] == 1
    else:
        # The damage reached the list of sources: the bundled corpus is imported instead, and the report says so.
        assert damage in ("random pages", "not SQLite at all") and report.fallback and counts["files"] == 5


def test_a_bank_from_a_newer_version_is_left_alone_unless_forced(small_bank, report_text):
    db_path, source = small_bank
    _execute(db_path, "update meta set value = '99' where key = 'schema_version'")
    before = db_path.read_bytes()

    for fresh in (False, True):
        with pytest.raises(bank.BankError, match="更新版本") as caught:
            bank.build([source], db_path, fresh=fresh)
        assert "--force" in str(caught.value)
        assert db_path.read_bytes() == before

    report = bank.build([source], db_path, force=True)
    (aside,) = db_path.parent.glob("bank.db.newer-*")
    assert aside.read_bytes() == before and report.set_aside == str(aside)
    assert bank.stats(db_path)["files"] == 1


def test_someone_elses_database_is_not_taken_over_unless_forced(tmp_path, report_text):
    db_path = tmp_path / "other.db"
    _execute(db_path, "create table accounts (name text); insert into accounts values ('x')")
    source = tmp_path / "a.txt"
    source.write_text(report_text, encoding="utf-8")

    with pytest.raises(bank.BankError, match="不是笔杆的素材库"):
        bank.build([source], db_path)
    report = bank.build([source], db_path, force=True)

    (aside,) = tmp_path.glob("other.db.foreign-*")
    assert sqlite3.connect(aside).execute("select name from accounts").fetchall() == [("x",)]
    assert report.imported == [str(source)]


def test_an_older_bank_is_upgraded_from_its_sources_and_kept_when_some_are_gone(small_bank, report_text):
    db_path, source = small_bank
    second = source.parent / "second.txt"
    second.write_text(report_text.replace("某局", "第二局"), encoding="utf-8")
    bank.build([second], db_path)
    _execute(db_path, "update meta set value = '5' where key = 'schema_version'")
    with pytest.raises(bank.BankError, match="旧版本"):
        bank.stats(db_path)
    second.unlink()

    report = bank.build([], db_path)

    assert report.recovered == [str(source)] and report.lost == [str(second)]
    (kept,) = db_path.parent.glob("bank.db.old-*")
    assert report.set_aside == str(kept)
    assert sqlite3.connect(kept).execute("select count(*) from files").fetchone() == (2,)
    assert bank.stats(db_path)["files"] == 1


def test_rebuild_imports_every_recorded_source_again(small_bank):
    db_path, source = small_bank
    before = bank.stats(db_path)

    report = bank_guard.rebuild(db_path)

    assert report.changed and report.recovered == [str(source)] and not report.set_aside
    assert bank.stats(db_path) == before


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_leftovers_of_dead_builds_are_removed_and_a_running_builds_file_kept(tmp_path, report_text):
    db_path = tmp_path / "bank.db"
    dead_pid = _dead_pid()
    dead = Path(f"{db_path}.building-{dead_pid}")
    dead.write_bytes(b"half a bank")
    dead_work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{dead_pid}-"))
    (dead_work / "f0000.doc").write_bytes(b"copy")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    live_work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{sleeper.pid}-"))
    try:
        time.sleep(0.2)
        running = Path(f"{db_path}.building-{sleeper.pid}")
        running.write_bytes(b"being written")
        source = tmp_path / "a.txt"
        source.write_text(report_text, encoding="utf-8")

        bank.build([source], db_path)

        assert not dead.exists() and not dead_work.exists()
        assert running.exists() and live_work.exists()
        # A live PID that started after its file was last written is a reused PID, not the file's writer.
        old = time.time() - 3600
        os.utime(running, (old, old))
        assert running in bank_guard.clean_leftovers(db_path) and not running.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
        shutil.rmtree(live_work, ignore_errors=True)


def test_a_full_disk_during_a_build_is_a_chinese_error_and_the_old_bank_stays(small_bank, monkeypatch, seed):
    db_path, _ = small_bank
    before = db_path.read_bytes()
    connect = sqlite3.connect

    def small_disk(target, *args, **kwargs):
        conn = connect(target, *args, **kwargs)
        if ".building-" in str(target):
            # SQLite answers SQLITE_FULL past this many pages, exactly as on a full disk.
            conn.execute(f"pragma max_page_count = {len(before) // 4096 + 20}")
        return conn

    monkeypatch.setattr(bank.sqlite3, "connect", small_disk)
    with pytest.raises(bank.BankError, match="磁盘空间不足") as caught:
        bank.build([seed("003"), seed("004")], db_path)
    assert str(db_path) in str(caught.value)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("bank.db.building-*"))


def test_names_that_are_not_utf8_are_stored_readably_and_the_rest_imported(tmp_path, seed):
    folder = tmp_path / "unzipped"
    folder.mkdir()
    raw_folder = os.fsencode(folder)
    shutil.copy(seed("000"), os.fsdecode(raw_folder + b"/" + GBK_NAME))
    shutil.copy(seed("001"), os.fsdecode(raw_folder + b"/bad\xff.txt"))
    shutil.copy(seed("002"), folder / "plain.txt")
    db_path = tmp_path / "bank.db"

    report = bank.build([folder], db_path)

    assert sorted(Path(p).name for p in report.imported) == ["bad\\xff.txt", "plain.txt", "报告.txt"]
    assert not report.skipped
    paths = [row[0] for row in sqlite3.connect(db_path).execute("select path from files")]
    assert sorted(Path(p).name for p in paths) == ["bad\\xff.txt", "plain.txt", "报告.txt"]
    # The real names are kept: the bank's record reopens every file, so a rebuild finds them all.
    assert all(p.exists() for p in bank_guard.recorded_sources(db_path))
    assert bank.build([folder], db_path).unchanged and bank_guard.rebuild(db_path).recovered


def test_a_file_that_takes_too_long_is_named_and_the_build_goes_on(tmp_path, seed, monkeypatch):
    """The worker's parse is made to hang on one file (workers are forked, so they inherit the patch)."""
    import multiprocessing

    from bigan.core import ingest

    assert multiprocessing.get_start_method() == "fork"
    real = ingest.read_source

    def hangs_on_stuck(path, converted=None):
        if Path(path).name.startswith("stuck"):
            time.sleep(120)
        return real(path, converted)

    monkeypatch.setattr(ingest, "read_source", hangs_on_stuck)
    shutil.copy(seed("003"), tmp_path / "stuck.txt")
    shutil.copy(seed("000"), tmp_path / "a.txt")
    shutil.copy(seed("001"), tmp_path / "b.txt")
    started = time.monotonic()

    report = bank.build([tmp_path / "stuck.txt", tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "bank.db",
                        workers=2, file_seconds=lambda size: 3.0)  # fmt: skip

    assert time.monotonic() - started < 30
    assert [Path(p).name for p in report.imported] == ["a.txt", "b.txt"]
    (slow,) = report.skipped
    assert Path(slow.path).name == "stuck.txt" and "处理超过 3 秒，已跳过" in slow.reason


def test_a_bank_in_a_folder_with_odd_characters_and_gbk_bytes_works(tmp_path, seed):
    """SQLite URIs treat # and ? specially; the bank's folder may be named anything."""
    from bigan.core.match import Matcher

    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/#1?" + "报告".encode("gbk")))
    folder.mkdir()
    db_path = folder / "bank.db"
    bank.build([seed("000")], db_path)
    bank.build([seed("001")], db_path)

    assert bank.stats(db_path)["files"] == 2
    matcher = Matcher(db_path)
    try:
        assert matcher.match("项目建设", 3)
    finally:
        matcher.close()
    db_path.write_bytes(b"x" * 4096)
    with pytest.raises(bank.BankError) as caught:
        bank.stats(db_path)
    assert "/#1?报告/bank.db" in str(caught.value)


def test_a_bank_another_program_has_locked_is_named_busy_not_damaged(small_bank, monkeypatch):
    db_path, source = small_bank
    monkeypatch.setattr(bank_guard, "BUSY_SECONDS", 0.2)
    before = db_path.read_bytes()
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("begin exclusive")
        for attempt in (lambda: bank.stats(db_path), lambda: bank.build([source], db_path, fresh=True)):
            with pytest.raises(bank.BankError, match="正被其他程序占用"):
                attempt()
    finally:
        other.execute("rollback")
        other.close()
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("bank.db.corrupt-*"))
