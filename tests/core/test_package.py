"""Contribution packages: exported with provenance, reviewed, merged with duplicates grouped like any import."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from bigan.core import bank, package
from bigan.core.match import Matcher
from bigan.core.package import PackageError, export_package, merge, provenance, read_package, review


@pytest.fixture
def banks(seed_banks, tmp_path):
    """Copies of the seed banks."""
    out = {name: tmp_path / f"{name}.db" for name in seed_banks}
    for name, path in seed_banks.items():
        shutil.copy(path, out[name])
    return out


def _doc_id(db_path, title_start: str) -> int:
    db = bank.open_bank(db_path)
    try:
        return db.execute("select id from documents where title like ?", [title_start + "%"]).fetchone()[0]
    finally:
        db.conn.close()


def _count(db_path, sql: str, params=()) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def test_a_whole_document_travels_with_its_headings_asides_and_provenance(banks, tmp_path):
    doc = _doc_id(banks["a"], "招商中心")
    info = export_package(banks["a"], tmp_path / "p.pkg", documents=[doc], who="张三")
    assert info.contributor == "张三" and info.documents[0][0].startswith("招商中心")
    before = bank.stats(banks["c"])
    report = merge([tmp_path / "p.pkg"], banks["c"])
    after = bank.stats(banks["c"])
    assert report.passages == info.passages and after["passages"] == before["passages"] + info.passages
    assert after["documents"] == before["documents"] + 1
    source_sections = _count(banks["a"], "select count(*) from sections where document_id = ?", [doc])
    merged_doc = _doc_id(banks["c"], "招商中心")
    assert _count(banks["c"], "select count(*) from sections where document_id = ?", [merged_doc]) == source_sections
    matcher = Matcher(banks["c"])
    try:
        (top, *_) = matcher.match("创新招商方式", 3)
    finally:
        matcher.close()
    assert top.source.title.startswith("招商中心")
    assert top.source.file.endswith(".txt") and not top.source.file.startswith("package:")
    conn = sqlite3.connect(banks["c"])
    try:
        (origin,) = provenance(conn, top.entry_id)
    finally:
        conn.close()
    assert origin.contributor == "张三" and origin.source_bank == str(banks["a"].resolve())


def test_passages_already_in_the_bank_join_their_entries(banks, tmp_path):
    export_package(banks["c"], tmp_path / "own.pkg", documents=[1, 2], who="李四")
    entries = bank.stats(banks["c"])["entries"]
    (planned,), _ = review([tmp_path / "own.pkg"], banks["c"])
    assert planned.new == 0 and planned.grouped == planned.info.passages
    report = merge([tmp_path / "own.pkg"], banks["c"])
    assert report.grouped == report.passages > 0
    assert bank.stats(banks["c"])["entries"] == entries
    assert _count(banks["c"], "select max(freq) from entries") >= 2


def test_single_passages_come_with_their_document_and_heading_path(banks, tmp_path):
    matcher = Matcher(banks["a"])
    try:
        chosen = matcher.match("创新招商方式", 2)
    finally:
        matcher.close()
    info = export_package(banks["a"], tmp_path / "two.pkg", entries=[m.entry_id for m in chosen])
    assert info.passages == 2
    merge([tmp_path / "two.pkg"], banks["b"])
    matcher = Matcher(banks["b"])
    try:
        found = {m.text: m for m in matcher.match("创新招商方式", 10)}
    finally:
        matcher.close()
    for m in chosen:
        assert m.text in found
        assert found[m.text].source.title == m.source.title
        assert found[m.text].source.heading.split(" › ")[0] == m.source.heading.split(" › ")[0]


def test_a_package_is_merged_once_and_a_bad_one_is_skipped_beside_a_good_one(banks, tmp_path):
    export_package(banks["b"], tmp_path / "b.pkg", documents=[1])
    junk = tmp_path / "junk.pkg"
    junk.write_bytes(b"not a package at all")
    report = merge([junk, tmp_path / "b.pkg"], banks["c"])
    assert [i.path for i in report.merged] == [tmp_path / "b.pkg"]
    assert report.skipped[0].path == str(junk) and "素材包" in report.skipped[0].reason
    again = merge([tmp_path / "b.pkg"], banks["c"])
    assert not again.merged and "已经合并过" in again.skipped[0].reason


def test_exporting_unknown_ids_or_nothing_says_so_in_chinese(banks, tmp_path):
    with pytest.raises(PackageError, match="没有这些编号的文档：999"):
        export_package(banks["b"], tmp_path / "x.pkg", documents=[999])
    with pytest.raises(PackageError, match="没有这些编号的素材"):
        export_package(banks["b"], tmp_path / "x.pkg", entries=[10**6])
    with pytest.raises(PackageError, match="没有选择"):
        export_package(banks["b"], tmp_path / "x.pkg")
    assert not (tmp_path / "x.pkg").exists()


def test_a_bank_file_is_not_taken_for_a_package(banks):
    with pytest.raises(PackageError, match="不是笔杆的素材包"):
        read_package(banks["a"])
    assert package.FORMAT == "bigan-package"
