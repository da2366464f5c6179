"""The tantivy index beside a bank: same answers as the bank's FTS5 index, and ignored (never an error) when it is
stale or broken."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bigan.core import bank, bank_admin, search_index
from bigan.core.bank_reader import FTS5, BankReader
from bigan.core.match import Matcher
from tests.helpers import ROOT, run_main

HEADINGS = [h["text"] for h in json.loads((ROOT / "tests/data/match_dev.json").read_text("utf-8"))["headings"]]


@pytest.fixture(scope="module")
def indexed(bundled_bank, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled bank with its index built beside it (module-wide: do not modify)."""
    db = tmp_path_factory.mktemp("indexed") / "bank.db"
    shutil.copy(bundled_bank[1], db)
    report = search_index.rebuild(db)
    assert report.entries == bundled_bank[0].totals["entries"]
    return db


@pytest.fixture
def own_copy(indexed: Path, tmp_path: Path) -> Path:
    """A test's own copy of the indexed bank and its index."""
    db = tmp_path / "bank.db"
    shutil.copy(indexed, db)
    shutil.copytree(search_index.index_dir(indexed), search_index.index_dir(db))
    return db


@pytest.fixture
def warnings() -> Iterator[list[str]]:
    """What the index module logs at warning level (the program's log does not propagate to pytest)."""
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Keep(logging.WARNING)
    search_index.log.addHandler(handler)
    try:
        yield seen
    finally:
        search_index.log.removeHandler(handler)


def _top(matcher: Matcher, heading: str, n: int = 5) -> list[int]:
    return [m.entry_id for m in matcher.match(heading, limit=n)]


def test_index_backend_ranks_like_fts5(indexed):
    fts = Matcher(reader=BankReader(indexed, search=FTS5))
    fast = Matcher(indexed)
    try:
        assert fts.reader.search.name == "fts5" and fast.reader.search.name == "tantivy"
        pairs = [(_top(fts, h), _top(fast, h)) for h in HEADINGS]
        answered = [(a, b) for a, b in pairs if a]
        assert len(answered) >= len(HEADINGS) - 2
        overlap = sum(len(set(a) & set(b)) / len(a) for a, b in answered) / len(answered)
        identical = sum(a == b for a, b in answered)
        assert overlap >= 0.95, overlap
        assert identical >= 0.85 * len(answered), identical
    finally:
        fts.close()
        fast.close()


def test_raw_searches_find_the_same_best_entries_and_headings(indexed):
    fts = BankReader(indexed, search=FTS5)
    fast = BankReader(indexed)
    try:
        for terms in (["营商", "环境"], ["安全", "隐患", "排查"], ["乡村", "振兴"]):
            a, b = fts.search_entries(terms, 10), fast.search_entries(terms, 10)
            assert a and len(set(a) & set(b)) >= 8, terms
            assert max(b.values()) == 1.0
        for terms in (["营商", "环境"], ["安全", "生产"]):
            a, b = fts.search_sections(terms, 5), fast.search_sections(terms, 5)
            assert a and set(a) == set(b), terms
    finally:
        fts.close()
        fast.close()


def test_a_bank_changed_without_its_index_falls_back_to_fts5(own_copy, monkeypatch, warnings, seed):
    # A build by a copy of the program without tantivy leaves the old index behind, now stale.
    monkeypatch.setattr(search_index, "available", lambda: False)
    report = bank.build([seed("004")], own_copy, fresh=True)
    assert report.changed
    monkeypatch.undo()
    assert search_index.status(own_copy).reason.startswith("索引已过期")
    matcher = Matcher(own_copy)
    try:
        assert matcher.reader.search.name == "fts5"
        assert matcher.match("优化营商环境", limit=5)
    finally:
        matcher.close()
    assert any("过期" in w for w in warnings)


def test_a_build_refreshes_the_index_beside_the_bank(own_copy, seed):
    before = search_index.status(own_copy).entries
    bank.build([seed("004")], own_copy, fresh=True)
    state = search_index.status(own_copy)
    assert state.current and state.entries != before
    reader = BankReader(own_copy)
    try:
        assert reader.search.name == "tantivy"
    finally:
        reader.close()


def test_a_build_shows_progress_while_it_refreshes_the_index(own_copy, seed):
    steps: list[tuple[int, int, str]] = []
    bank.build(
        [seed("004")], own_copy, fresh=True, progress=lambda done, total, what: steps.append((done, total, what))
    )
    indexing = [(done, total) for done, total, what in steps if what == bank.INDEXING]
    assert indexing, "no progress while the index was refreshed"
    assert steps[-1][2] == bank.INDEXING  # the index comes after the files
    assert indexing[-1][0] == indexing[-1][1] == search_index.status(own_copy).entries


def test_a_cancel_while_the_index_is_refreshed_keeps_the_new_bank(own_copy, seed):
    steps: list[tuple[int, int]] = []
    report = bank.build(
        [seed("004")],
        own_copy,
        fresh=True,
        progress=lambda done, total, what: steps.append((done, total)),
        cancelled=lambda: bool(steps) and steps[-1][0] == steps[-1][1],  # once the last file is in
    )
    assert report.imported and bank.stats(own_copy)["files"] == 1
    state = search_index.status(own_copy)
    assert not state.current  # the old index is kept but not used: FTS5 answers until the next refresh
    assert [p.name for p in own_copy.parent.iterdir() if ".building-" in p.name] == []


def test_an_index_process_that_dies_is_reported_and_the_bank_kept(own_copy, seed, monkeypatch, warnings):
    # Forked (Linux), the index process runs this rebuild, which dies.
    monkeypatch.setattr(search_index, "rebuild", lambda *args: os._exit(3))
    report = bank.build([seed("004")], own_copy, fresh=True)
    assert report.imported and bank.stats(own_copy)["files"] == 1
    assert any("建索引的进程意外退出" in w for w in warnings)
    reader = BankReader(own_copy)
    try:
        assert reader.search.name == FTS5
    finally:
        reader.close()


def test_an_index_process_error_comes_back_as_a_message_not_a_traceback(own_copy, seed, monkeypatch, warnings, capfd):
    def broken(*args: object) -> None:
        raise ZeroDivisionError("索引测试")

    monkeypatch.setattr(search_index, "rebuild", broken)  # forked (Linux), the index process runs this
    bank.build([seed("004")], own_copy, fresh=True)
    assert any("ZeroDivisionError：索引测试" in w for w in warnings)
    assert "Traceback" not in capfd.readouterr().err


def test_removing_documents_refreshes_the_index(own_copy):
    before = search_index.status(own_copy).entries
    # 002 shares no text with the other seeds, so its passages leave the bank with it.
    unique = [d.id for d in bank_admin.list_documents(own_copy) if Path(d.source_file).name.startswith("002")]
    bank_admin.remove_documents(own_copy, unique)
    state = search_index.status(own_copy)
    assert state.current and 0 < state.entries < before


def test_a_large_bank_gets_its_index_after_a_build(tmp_path, monkeypatch, seed):
    monkeypatch.setattr(search_index, "AUTO_ENTRIES", 10)
    db = tmp_path / "bank.db"
    bank.build([seed("000")], db)
    assert search_index.status(db).current


@pytest.mark.parametrize("damage", ["manifest", "tantivy_meta", "segments"])
def test_a_broken_index_is_ignored_with_the_reason_logged(own_copy, warnings, damage):
    folder = search_index.index_dir(own_copy)
    if damage == "manifest":
        (folder / search_index.MANIFEST).write_text("{not json", encoding="utf-8")
    elif damage == "tantivy_meta":
        (folder / search_index.ENTRIES / "meta.json").write_bytes(b"\x00garbage")
    else:
        for segment_file in (folder / search_index.SECTIONS).iterdir():
            if segment_file.name not in ("meta.json", ".managed.json"):
                segment_file.unlink()
    matcher = Matcher(own_copy)
    try:
        assert matcher.match("优化营商环境", limit=5)
        assert matcher.reader.search.name == "fts5"
    finally:
        matcher.close()
    assert warnings, "the reason the index was not used should be logged"


def test_without_tantivy_the_index_is_not_used(own_copy, monkeypatch):
    monkeypatch.setattr(search_index, "available", lambda: False)
    reader = BankReader(own_copy)
    try:
        assert reader.search.name == "fts5"
        assert reader.search_entries(["营商", "环境"], 5)
    finally:
        reader.close()


def test_cli_builds_shows_and_removes_the_index(bundled_bank, tmp_path):
    db = tmp_path / "bank.db"
    shutil.copy(bundled_bank[1], db)
    before = run_main("bank", "index", "--status", "--db", db)
    assert before.returncode == 0 and "未使用：没有索引" in before.stdout
    built = run_main("bank", "index", "--db", db)
    assert built.returncode == 0, built.stderr
    assert f"快速检索索引已重建：{bundled_bank[0].totals['entries']} 条素材" in built.stdout
    state = json.loads(run_main("bank", "index", "--status", "--json", "--db", db).stdout)
    assert state["current"] and state["entries"] == bundled_bank[0].totals["entries"]
    matched = run_main("match", "优化营商环境", "--db", db, "--limit", "3")
    assert matched.returncode == 0 and matched.stdout.strip()
    removed = run_main("bank", "index", "--remove", "--db", db)
    assert removed.returncode == 0 and "已删除" in removed.stdout
    assert not search_index.index_dir(db).exists() and db.exists()


def test_cli_index_of_a_missing_bank_says_so(tmp_path):
    result = run_main("bank", "index", "--db", tmp_path / "none.db")
    assert result.returncode == 2
    assert "素材库" in result.stderr and "none.db" in result.stderr
