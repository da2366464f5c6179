"""Managing the bank: listing documents, their passages, removing documents, files and folders atomically."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core import bank, bank_admin
from core.match import Matcher


@pytest.fixture
def two_folders(tmp_path, report_text) -> tuple[Path, Path, Path]:
    """A bank built from two folders: 甲 with two reports, 乙 with one. Returns (db, folder 甲, folder 乙)."""
    first, second = tmp_path / "甲", tmp_path / "乙"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(report_text.replace("某局", "甲局"), encoding="utf-8")
    (first / "b.txt").write_text(report_text.replace("某局2023年工作总结", "乙局2024年工作计划"), encoding="utf-8")
    (second / "c.txt").write_text(report_text.replace("某局", "丙局").replace("狠抓", "大抓"), encoding="utf-8")
    db = tmp_path / "bank.db"
    bank.build([first, second], db)
    return db, first, second


def test_list_shows_each_document_with_its_kind_source_and_passages(two_folders):
    db, first, _ = two_folders
    documents = bank_admin.list_documents(db)
    assert [d.title for d in documents] == ["甲局2023年工作总结", "乙局2024年工作计划", "丙局2023年工作总结"]
    assert [d.kind for d in documents] == ["工作总结", "工作计划", "工作总结"]
    assert documents[0].source_file == str((first / "a.txt").resolve())
    assert all(d.passages > 3 and d.imported_at for d in documents)
    assert [d.year for d in documents] == [2023, 2024, 2023]
    passages = bank_admin.document_passages(db, documents[0].id)
    assert len(passages) == documents[0].passages
    assert any(p.heading.startswith("主要工作成效 › （一）狠抓项目建设") for p in passages)


def test_removing_a_document_takes_its_passages_out_of_matching(two_folders):
    db, _, _ = two_folders
    before = bank.stats(db)
    third = bank_admin.list_documents(db)[2]
    report = bank_admin.remove(db, [str(third.id)])
    assert [d.title for d in report.documents] == ["丙局2023年工作总结"]
    assert report.totals["documents"] == before["documents"] - 1
    assert [d.title for d in bank_admin.list_documents(db)] == ["甲局2023年工作总结", "乙局2024年工作计划"]
    matcher = Matcher(db)
    try:
        found = matcher.match("大抓项目建设", limit=10)
        assert not any("丙局" in m.source.title for m in found)
    finally:
        matcher.close()


def test_removing_a_folder_removes_every_document_imported_from_it(two_folders):
    db, first, second = two_folders
    report = bank_admin.remove(db, [str(first)])
    assert len(report.documents) == 2
    assert [d.source_file for d in bank_admin.list_documents(db)] == [str((second / "c.txt").resolve())]
    assert bank.stats(db)["files"] == 1


def test_a_removed_file_comes_back_when_imported_again(two_folders):
    db, first, _ = two_folders
    bank_admin.remove(db, [str(first / "a.txt")])
    assert "甲局2023年工作总结" not in [d.title for d in bank_admin.list_documents(db)]
    bank.build([first / "a.txt"], db)
    assert "甲局2023年工作总结" in [d.title for d in bank_admin.list_documents(db)]


def test_an_unknown_target_is_refused_and_the_bank_is_untouched(two_folders, tmp_path):
    db, _, _ = two_folders
    copy = tmp_path / "before.db"
    shutil.copy(db, copy)
    with pytest.raises(bank.BankError, match="999"):
        bank_admin.remove(db, ["1", "999"])
    assert bank.stats(db) == bank.stats(copy)


def test_a_snippet_leads_back_to_the_documents_it_came_from(two_folders):
    db, _, _ = two_folders
    matcher = Matcher(db)
    try:
        found = matcher.match("优化营商环境", limit=3)
    finally:
        matcher.close()
    documents = bank_admin.entry_documents(db, found[0].entry_id)
    titles = {d.id: d.title for d in bank_admin.list_documents(db)}
    assert documents and found[0].source.title in {titles[d] for d in documents}
