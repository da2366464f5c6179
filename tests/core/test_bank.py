"""The phrase bank: counts, deduplicated entries, incremental and atomic rebuilds, full-text search."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bigan.core import bank
from bigan.core.paths import BUNDLED_CORPUS

OTHER_REPORT = """某镇2023年工作总结
一、农业农村工作
（一）粮食生产保持稳定。全镇粮食播种面积保持稳定，高标准农田建设任务全面完成，农民收入持续增长。
二、社会事业
（一）教育医疗水平提升。新建幼儿园一所，镇卫生院完成提档升级改造，群众就医更加便捷。
"""
OLD_SENTENCE = "深化“放管服”改革，推行帮办代办服务，企业办事时间平均缩短一半以上。"
NEW_SENTENCE = "推进老旧小区改造，惠及居民三千余户，群众居住条件明显改善。"


def _rows(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _passage_texts(db_path: Path) -> str:
    return "\n".join(text for (text,) in _rows(db_path, "select text from passage_texts"))


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_bank_holds_the_23_documents(bundled_bank):
    report, db_path = bundled_bank
    counts = bank.stats(db_path)
    assert counts["documents"] == 23
    assert counts["sections"] > 0
    assert counts["passages"] > 0
    assert report.skipped == []
    assert report.documents == 23


def test_shared_item_is_one_entry_from_three_files(bundled_bank):
    _, db_path = bundled_bank
    entries = _rows(
        db_path,
        "select distinct p.entry_id from passages p join passage_texts t on t.id = p.id"
        " where p.kind = 'item' and t.text like '一是经济指标齐头并进%'",
    )
    assert len(entries) == 1
    (entry_id,) = entries[0]
    (freq,) = _rows(db_path, "select freq from entries where id = ?", (entry_id,))[0]
    sources = _rows(
        db_path,
        "select d.id, f.path from passages p join documents d on d.id = p.document_id"
        " join files f on f.id = d.file_id where p.entry_id = ?",
        (entry_id,),
    )
    assert freq == 3
    assert len({doc for doc, _ in sources}) == 3
    assert {Path(path).name[:3] for _, path in sources} == {"000", "001", "003"}


def test_full_text_search_finds_a_quoted_jieba_word(bundled_bank):
    _, db_path = bundled_bank
    match = "select rowid from entries_fts where entries_fts match ?"
    assert _rows(db_path, match, ('"招商引资"',))
    assert _rows(db_path, match, ('"航天飞机"',)) == []


def test_reimporting_the_unchanged_corpus_changes_nothing(bundled_bank, tmp_path):
    _, db_path = bundled_bank
    copy = tmp_path / "bank.db"
    shutil.copy2(db_path, copy)
    before = (copy.read_bytes(), copy.stat().st_mtime_ns)

    report = bank.build([BUNDLED_CORPUS], copy)

    assert report.changed is False
    assert len(report.unchanged) == 5
    assert report.imported == []
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before


def test_a_changed_file_replaces_its_old_passages(tmp_path, report_text):
    source = _write(tmp_path / "corpus" / "report.txt", report_text)
    db_path = tmp_path / "bank.db"
    bank.build([source], db_path)
    assert "放管服" in _passage_texts(db_path)

    _write(source, report_text.replace(OLD_SENTENCE, NEW_SENTENCE))
    report = bank.build([source], db_path)

    texts = _passage_texts(db_path)
    assert report.changed
    assert NEW_SENTENCE in texts
    assert "放管服" not in texts
    assert bank.stats(db_path)["documents"] == 1
    entry_texts = "\n".join(
        text for (text,) in _rows(db_path, "select t.text from entries e join passage_texts t on t.id = e.passage_id")
    )
    assert "放管服" not in entry_texts


def test_a_new_file_is_added_and_the_old_ones_kept(tmp_path, report_text):
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", report_text)
    db_path = tmp_path / "bank.db"
    bank.build([corpus], db_path)

    _write(corpus / "b.txt", OTHER_REPORT)
    report = bank.build([corpus], db_path)

    assert [Path(p).name for p in report.imported] == ["b.txt"]
    assert [Path(p).name for p in report.unchanged] == ["a.txt"]
    texts = _passage_texts(db_path)
    assert "放管服" in texts
    assert "高标准农田" in texts
    assert bank.stats(db_path)["documents"] == 2


def _raise_on_progress(done: int, total: int, path: str) -> None:
    raise RuntimeError("import stopped")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"progress": _raise_on_progress}, RuntimeError),
        ({"cancelled": lambda: True}, bank.BuildCancelled),
    ],
    ids=["progress-raises", "cancelled"],
)
def test_an_interrupted_build_leaves_the_old_bank_intact(tmp_path, report_text, kwargs, error):
    db_path = tmp_path / "bank" / "bank.db"
    bank.build([_write(tmp_path / "a.txt", report_text)], db_path)
    before_bytes = db_path.read_bytes()
    before_counts = bank.stats(db_path)

    with pytest.raises(error):
        bank.build([_write(tmp_path / "b.txt", OTHER_REPORT)], db_path, **kwargs)

    assert db_path.read_bytes() == before_bytes
    assert bank.stats(db_path) == before_counts
    texts = _passage_texts(db_path)
    assert "放管服" in texts
    assert "高标准农田" not in texts
    assert not list(db_path.parent.glob("*.building-*"))


def test_a_cancelled_first_build_leaves_no_files(tmp_path, report_text):
    db_path = tmp_path / "bank" / "bank.db"

    with pytest.raises(bank.BuildCancelled):
        bank.build([_write(tmp_path / "a.txt", report_text)], db_path, cancelled=lambda: True)

    assert not db_path.exists()
    assert not list(db_path.parent.glob("*.building-*"))


def test_a_cancel_while_the_files_are_first_read_stops_before_the_rest_are(tmp_path, report_text, monkeypatch):
    bank.build([_write(tmp_path / "first.txt", report_text)], tmp_path / "bank.db")
    files = [_write(tmp_path / f"{n}.txt", report_text + f"第{n}份。") for n in range(20)]
    read: list[Path] = []
    checksum = bank._checksum
    monkeypatch.setattr(bank, "_checksum", lambda path: read.append(path) or checksum(path))

    with pytest.raises(bank.BuildCancelled):
        bank.build(files, tmp_path / "bank.db", cancelled=lambda: len(read) >= 3)

    assert len(read) == 3


def test_a_new_bank_starts_parsing_without_reading_every_file_first_and_still_finds_copies(
    tmp_path, report_text, monkeypatch
):
    files = [_write(tmp_path / f"{n}.txt", report_text + f"第{n}份。") for n in range(3)]
    shutil.copy(files[0], tmp_path / "3-copy.txt")
    read: list[Path] = []
    checksum = bank._checksum
    monkeypatch.setattr(bank, "_checksum", lambda path: read.append(path) or checksum(path))
    progress: list[int] = []

    report = bank.build([tmp_path], tmp_path / "bank.db", progress=lambda done, total, name: progress.append(done))

    assert read == []
    assert progress == [1, 2, 3, 4]
    assert [(Path(a).name, Path(b).name) for a, b in report.duplicates] == [("3-copy.txt", "0.txt")]
    assert bank.stats(tmp_path / "bank.db")["files"] == 3


def test_an_identical_file_under_another_path_is_imported_once(tmp_path, report_text):
    corpus = tmp_path / "corpus"
    original = _write(corpus / "a.txt", report_text)
    copy = corpus / "sub" / "copy.txt"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    db_path = tmp_path / "bank.db"

    report = bank.build([corpus], db_path)

    assert len(report.imported) == 1
    assert len(report.duplicates) == 1
    assert {Path(p).name for p in report.duplicates[0]} == {"a.txt", "copy.txt"}
    assert bank.stats(db_path)["documents"] == 1


def test_a_copy_of_an_imported_file_is_reported_on_a_later_build(tmp_path, report_text):
    original = _write(tmp_path / "a.txt", report_text)
    db_path = tmp_path / "bank.db"
    bank.build([original], db_path)
    copy = tmp_path / "elsewhere" / "a-copy.txt"
    copy.parent.mkdir()
    shutil.copy(original, copy)

    report = bank.build([copy], db_path)

    assert [(Path(a).name, Path(b).name) for a, b in report.duplicates] == [("a-copy.txt", "a.txt")]
    assert report.imported == []
    assert bank.stats(db_path)["documents"] == 1


def test_broken_files_are_skipped_and_the_rest_imported(tmp_path, report_text):
    corpus = tmp_path / "corpus"
    _write(corpus / "good.txt", report_text)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "fake.docx").write_text("一、工作成效", encoding="utf-8")
    db_path = tmp_path / "bank.db"

    report = bank.build([corpus], db_path)

    assert sorted(Path(s.path).name for s in report.skipped) == ["empty.txt", "fake.docx"]
    assert all(s.reason for s in report.skipped)
    assert [Path(p).name for p in report.imported] == ["good.txt"]
    assert bank.stats(db_path)["documents"] == 1


def test_a_cut_off_paragraph_is_stored_as_truncated(tmp_path, report_text):
    cut = "全年新开工项目十五个，完成投资任务的百分之一百二十，重点项目建设取得新突破，招商引资"
    source = _write(tmp_path / "a.txt", report_text + cut + "\ufffd\n")
    db_path = tmp_path / "bank.db"
    bank.build([source], db_path)

    rows = _rows(
        db_path,
        "select t.text, p.truncated from passages p join passage_texts t on t.id = p.id"
        " where p.kind = 'paragraph' and t.text like ?",
        (cut + "%",),
    )

    assert rows
    assert all(truncated == 1 for _, truncated in rows)
    assert not [text for text, _ in rows if "\ufffd" in text]


def test_stats_of_a_missing_bank_is_a_chinese_error(tmp_path):
    with pytest.raises(bank.BankError) as caught:
        bank.stats(tmp_path / "missing.db")
    assert "素材库" in str(caught.value)


def test_a_bank_locked_by_another_program_is_reported_and_left_intact(tmp_path, report_text, monkeypatch):
    """On Windows an open bank cannot be replaced; the build says so in Chinese and keeps the old bank."""
    from bigan.core import atomic

    source = tmp_path / "a.txt"
    source.write_text(report_text, encoding="utf-8")
    db_path = tmp_path / "bank.db"
    bank.build([source], db_path)
    before = db_path.read_bytes()
    (tmp_path / "b.txt").write_text(report_text.replace("某局", "另一局"), encoding="utf-8")

    def locked(tmp, target):
        raise PermissionError(13, "in use")

    monkeypatch.setattr(atomic, "replace", locked)
    monkeypatch.setattr(bank.time, "sleep", lambda _: None)
    with pytest.raises(bank.BankError, match="素材库正被占用"):
        bank.build([tmp_path / "b.txt"], db_path)
    assert db_path.read_bytes() == before
    assert not list(tmp_path.glob("bank.db.building-*"))


REALDOCS = Path(__file__).resolve().parent.parent / "data" / "realdocs"


@pytest.fixture(scope="module")
def realdocs_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bank of the State Council reports kept in tests/data/realdocs."""
    db_path = tmp_path_factory.mktemp("realdocs") / "bank.db"
    bank.build([REALDOCS], db_path)
    return db_path


def test_documents_keep_their_date_year_and_script(realdocs_bank):
    rows = {title: (date, year, converted) for title, date, year, converted in _rows(
        realdocs_bank, "select title, date, year, converted from documents")}  # fmt: skip
    assert rows["2022年中华人民共和国国务院政府工作报告"] == ("2022-03-05", 2022, 0)
    assert rows["1954年中华人民共和国国务院政府工作报告"] == ("", 1954, 1)


def test_salutations_and_openings_are_kept_but_never_entries(realdocs_bank):
    asides = _rows(realdocs_bank, "select kind, text from asides")
    assert ("salutation", "各位代表：") in asides
    assert any(kind == "opening" and text.startswith("现在，我代表国务院") for kind, text in asides)
    entries = [
        text
        for (text,) in _rows(realdocs_bank, "select t.text from entries e join passage_texts t on t.id = e.passage_id")
    ]
    assert not [t for t in entries if t.startswith("各位代表") and len(t) < 8]
    assert not [t for t in entries if t.startswith("现在，我代表国务院") and len(t) < 150]


def test_traditional_text_is_indexed_in_simplified_words(realdocs_bank):
    rows = _rows(
        realdocs_bank,
        "select d.title from entries_fts f join entries e on e.id = f.rowid join documents d on d.id = e.document_id"
        " where entries_fts match ?",
        ('"社会主义" AND "工业化"',),
    )
    assert "1954年中华人民共和国国务院政府工作报告" in {title for (title,) in rows}
