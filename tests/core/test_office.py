"""Publishing the office bank, attaching it through a local copy, and matching the personal and office banks."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from bigan.core import office
from bigan.core.match import OFFICE, PERSONAL, Match, Source
from bigan.core.office_match import OfficeMatcher, merge
from bigan.core.publish import file_sha256, publish, read_sidecar


@pytest.fixture
def home(monkeypatch, tmp_path):
    """A user data dir of this test's own (attachments and cached copies live there)."""
    path = tmp_path / "home"
    monkeypatch.setenv("BIGAN_HOME", str(path))
    return path


@pytest.fixture
def banks(seed_banks, tmp_path):
    """Copies of the seed banks and a share folder."""
    out = {name: tmp_path / f"{name}.db" for name in seed_banks}
    for name, path in seed_banks.items():
        shutil.copy(path, out[name])
    (tmp_path / "share").mkdir()
    out["office"] = tmp_path / "share" / "office.db"
    return out


def _titles(matches: list[Match], bank: str) -> set[str]:
    return {m.source.title for m in matches if m.bank == bank}


def test_publish_writes_a_checksummed_snapshot_and_counts_versions(banks):
    first = publish(banks["c"], banks["office"], who="管理员")
    assert first.version == 1 and first.published_by == "管理员"
    assert read_sidecar(banks["office"]) == file_sha256(banks["office"]) == first.checksum
    second = publish(banks["c"], banks["office"])
    assert second.version == 2
    conn = sqlite3.connect(banks["office"])
    meta = dict(conn.execute("select key, value from meta"))
    assert meta["office_version"] == "2" and meta["published_at"] == second.published_at
    assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
    assert conn.execute("select count(*) from documents").fetchone()[0] == 9
    conn.close()
    assert not list(banks["office"].parent.glob(".*publishing*"))


def test_publish_refuses_to_overwrite_the_bank_itself(banks):
    with pytest.raises(office.BankError, match="不能是素材库本身"):
        publish(banks["c"], banks["c"])


def test_attach_remembers_the_bank_and_keeps_a_local_copy(home, banks):
    publish(banks["c"], banks["office"])
    status = office.attach(str(banks["office"]))
    assert status.state == "updated" and status.copy.version == 1
    assert office.attached() == [str(banks["office"])]
    assert status.usable.is_file() and str(home) in str(status.usable)
    assert office.refresh(str(banks["office"])).state == "current"
    assert office.detach() == [str(banks["office"])]
    assert office.attached() == [] and not status.usable.exists()


def test_attaching_a_missing_or_broken_file_is_refused_and_not_remembered(home, banks, tmp_path):
    with pytest.raises(office.OfficeError, match="暂时连不上"):
        office.attach(str(tmp_path / "nowhere.db"))
    junk = tmp_path / "share" / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    with pytest.raises(office.OfficeError, match="文件有问题"):
        office.attach(str(junk))
    assert office.attached() == []


def test_matching_both_banks_marks_each_result_and_sources_both(home, banks):
    publish(banks["c"], banks["office"])
    office.attach(str(banks["office"]))
    matcher = OfficeMatcher(banks["b"])
    try:
        found = matcher.match("党风廉政建设", 10)
        assert matcher.notices == []
    finally:
        matcher.close()
    assert _titles(found, PERSONAL) == {"2024年上半年园区管委会主任工作总结"}
    assert _titles(found, OFFICE) and all(t.startswith("2023年政府部门工作汇报") for t in _titles(found, OFFICE))
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_a_new_version_is_picked_up_on_demand_and_a_vanished_share_leaves_the_last_copy(home, banks, tmp_path):
    publish(banks["c"], banks["office"])
    matcher = OfficeMatcher(banks["b"], shared=[str(banks["office"])])
    try:
        assert "XX县2023年工作总结及2024年工作计划" not in _titles(matcher.match("加快项目建设", 10), OFFICE)
        publish(banks["a"], banks["office"])
        (status,) = matcher.refresh()
        assert status.state == "updated" and status.copy.version == 2
        assert "XX县2023年工作总结及2024年工作计划" in _titles(matcher.match("加快项目建设", 10), OFFICE)
        banks["office"].parent.rename(tmp_path / "gone")
        (status,) = matcher.refresh()
        assert status.state == "offline"
        assert "暂时连不上" in matcher.notices[0] and "第 2 版" in matcher.notices[0]
        found = matcher.match("加快项目建设", 10)
        assert _titles(found, PERSONAL) and _titles(found, OFFICE)
    finally:
        matcher.close()


def test_a_corrupt_share_keeps_the_good_copy_and_without_one_only_personal_results_come(home, banks):
    publish(banks["c"], banks["office"])
    office.attach(str(banks["office"]))
    data = bytearray(banks["office"].read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    banks["office"].write_bytes(bytes(data))
    matcher = OfficeMatcher(banks["b"])
    try:
        assert "文件有问题" in matcher.notices[0] and "继续用本机保存的第 1 版" in matcher.notices[0]
        assert _titles(matcher.match("党风廉政建设", 10), OFFICE)
    finally:
        matcher.close()
    shutil.rmtree(home / "shared")
    matcher = OfficeMatcher(banks["b"])
    try:
        assert "这次只查本人素材库" in matcher.notices[0]
        found = matcher.match("党风廉政建设", 10)
        assert found and {m.bank for m in found} == {PERSONAL}
    finally:
        matcher.close()


def test_the_same_passage_in_both_banks_is_shown_once(home, banks):
    publish(banks["b"], banks["office"])
    matcher = OfficeMatcher(banks["b"], shared=[str(banks["office"])])
    try:
        alone = matcher.personal.match("党风廉政建设", 5)
        both = matcher.match("党风廉政建设", 5)
    finally:
        matcher.close()
    assert [m.text for m in both] == [m.text for m in alone]
    assert {m.bank for m in both} == {PERSONAL}


def _match(text: str, score: float, bank: str) -> Match:
    return Match(text, text, "paragraph", score, [], 1, Source("题目", "", "", 2023), bank=bank)


def test_merge_orders_by_score_keeps_near_copies_once_and_prefers_the_personal_copy_on_a_tie():
    a = _match("全年完成固定资产投资12亿元，同比增长8%，重点项目建设全面提速。", 3.0, PERSONAL)
    b = _match("全年完成固定资产投资15亿元，同比增长9%，重点项目建设全面提速。", 3.0, OFFICE)
    c = _match("深入开展营商环境优化提升行动，企业开办时间压缩到一个工作日以内。", 4.0, OFFICE)
    merged = merge([b, a, c], 10)
    assert [m.bank for m in merged] == [OFFICE, PERSONAL]
    assert merged[1] is a
    assert merge([a, b, c], 1) == [c]


def test_queries_of_a_stale_job_still_stop(home, banks):
    publish(banks["c"], banks["office"])
    matcher = OfficeMatcher(banks["b"], shared=[str(banks["office"])])
    try:
        matcher.abort_when(lambda: True, steps=1)
        with pytest.raises(sqlite3.OperationalError):
            matcher.match("党风廉政建设", 10)
    finally:
        matcher.close()


def test_the_window_can_open_the_local_copies_without_touching_the_share(home, banks, tmp_path):
    publish(banks["c"], banks["office"])
    office.attach(str(banks["office"]))
    banks["office"].parent.rename(tmp_path / "unplugged")
    matcher = OfficeMatcher(banks["b"], check=False)
    try:
        assert matcher.notices == [] and matcher.statuses[0].state == "current"
        assert _titles(matcher.match("党风廉政建设", 10), OFFICE)
    finally:
        matcher.close()
    office.forget(str(banks["office"]))
    (status,) = office.stored()
    assert status.usable is None and "还没有取回本机" in status.notice
