"""Draft model and draft files: the editor's text, .txt/.md/.docx that reopen exactly, and saves that lose nothing."""

from __future__ import annotations

import errno
import os
import struct
import zlib
from pathlib import Path

import pytest

from bigan.core import atomic, draft
from bigan.core.draft import (
    ChangedOnDiskError,
    Draft,
    DraftError,
    LosesContentError,
    Paragraph,
    from_markdown,
    to_markdown,
)
from bigan.core.textnorm import has_cjk

# Every paragraph kind a user can type, including the awkward ones a file format could mangle.
TRICKY = """某局2024年工作计划
　　这一段用两个全角空格缩进。

一、总体要求
（一）狠抓经济发展，持续注入新动能。一是经济指标齐头并进。二是“双招双引”成效明显。
(二)半角括号的二级标题
1．全角点的三级标题
2、顿号的三级标题
（1）四级标题
#不是标题的井号开头
\\反斜杠开头
&nbsp;
2023年全县地区生产总值增长5.5%，1.5亿元用于民生。
表格一行\t第二格\t第三格
"""


def test_editor_text_round_trips_exactly(report_text):
    assert Draft.from_text(report_text).to_text() == report_text
    assert Draft.from_text(TRICKY).to_text() == TRICKY


def test_headings_keep_level_and_number_as_written(report_text, report_headings):
    parsed = Draft.from_text(TRICKY)
    headings = [(p.level, p.number) for p in parsed.headings]

    assert headings == [(1, "一、"), (2, "（一）"), (2, "(二)"), (3, "1．"), (3, "2、"), (4, "（1）")]
    report = Draft.from_text(report_text)
    assert report.title == "某局2023年工作总结"
    assert [(p.level, p.number, p.text[len(p.number) :]) for p in report.headings][1:2] == [
        (
            2,
            "（一）",
            "狠抓项目建设，增强发展后劲。一是加快项目开工。全年新开工项目15个，完成投资8.6亿元。"
            "二是强化要素保障。落实用地指标120亩，协调解决问题36个。",
        )
    ]
    assert [(lv, num) for lv, num, _ in report_headings] == [(p.level, p.number) for p in report.headings]


def test_a_run_in_heading_is_one_heading_paragraph_split_for_fonts():
    paragraph = Paragraph.parse("（一）狠抓经济发展。一是经济指标齐头并进。")

    assert (paragraph.level, paragraph.number) == (2, "（一）")
    assert paragraph.heading_split == ("（一）狠抓经济发展。", "一是经济指标齐头并进。")


def test_numbers_and_years_starting_body_lines_are_not_headings():
    for line in ("2023年全县地区生产总值增长5.5%。", "1.5亿元用于民生。", "一是加快项目开工。", "（一）", ""):
        assert Paragraph.parse(line).level == 0, line


@pytest.mark.parametrize("text", [TRICKY, "", "只有标题\n", "标题\n\n\n一、\n　\n"])
def test_markdown_form_round_trips_exactly(text):
    parsed = Draft.from_text(text)

    assert from_markdown(to_markdown(parsed)) == parsed


def test_markdown_form_uses_hash_title_and_heading_levels():
    markdown = to_markdown(Draft.from_text("标题\n一、总体要求\n（一）工作目标\n正文。\n"))

    assert markdown.split("\n") == ["# 标题", "", "## 一、总体要求", "", "### （一）工作目标", "", "正文。", ""]


def test_markdown_from_elsewhere_takes_headings_from_hashes_or_numbers():
    parsed = from_markdown("\ufeff# 报告\r\n\r\n## 主要成效\r\n二、存在问题\r\n正文。\r\n")

    assert parsed.title == "报告"
    assert [(p.text, p.level) for p in parsed.paragraphs] == [("主要成效", 1), ("二、存在问题", 1), ("正文。", 0)]


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx"])
def test_saved_drafts_reopen_exactly(tmp_path, suffix):
    original = Draft.from_text(TRICKY)
    path = tmp_path / f"草稿{suffix}"

    stamp = draft.save(original, path)
    opened = draft.load(path)

    assert opened.draft == original
    assert opened.draft.to_text() == TRICKY
    assert opened.stamp == stamp
    assert opened.notes == []


def test_a_gbk_text_file_opens_with_a_note_that_saving_uses_utf8(tmp_path, report_text):
    path = tmp_path / "旧稿.txt"
    path.write_bytes(report_text.replace("\n", "\r\n").encode("gbk"))

    opened = draft.load(path)

    assert opened.draft.to_text() == report_text
    assert any("UTF-8" in note for note in opened.notes)
    draft.save(opened.draft, path, opened.stamp)
    assert path.read_text(encoding="utf-8") == report_text


def test_an_empty_text_file_opens_as_an_empty_draft(tmp_path):
    (tmp_path / "空.txt").write_bytes(b"")

    assert draft.load(tmp_path / "空.txt").draft == Draft()


def test_saving_over_a_file_changed_since_it_was_opened_is_refused(tmp_path, report_text):
    path = tmp_path / "报告.txt"
    path.write_text(report_text, encoding="utf-8")
    opened = draft.load(path)
    path.write_text(report_text + "同事加的一段。\n", encoding="utf-8")

    with pytest.raises(ChangedOnDiskError) as refused:
        draft.save(Draft.from_text("我的版本\n"), path, opened.stamp)

    assert "报告.txt" in str(refused.value) and "修改" in str(refused.value)
    assert path.read_text(encoding="utf-8").endswith("同事加的一段。\n")
    draft.save(Draft.from_text("我的版本\n"), path, opened.stamp, force=True)
    assert path.read_text(encoding="utf-8") == "我的版本\n"


def test_a_file_only_touched_since_opening_is_saved_normally(tmp_path, report_text):
    path = tmp_path / "报告.txt"
    path.write_text(report_text, encoding="utf-8")
    opened = draft.load(path)
    os.utime(path, ns=(opened.stamp.mtime_ns + 5_000_000_000, opened.stamp.mtime_ns + 5_000_000_000))

    new_stamp = draft.save(Draft.from_text("改过\n"), path, opened.stamp)

    assert path.read_text(encoding="utf-8") == "改过\n"
    assert not new_stamp.changed(path)


def test_consecutive_saves_with_the_returned_stamp_go_through(tmp_path):
    path = tmp_path / "报告.docx"
    stamp = draft.save(Draft.from_text("第一版\n"), path)
    stamp = draft.save(Draft.from_text("第二版\n"), path, stamp)
    draft.save(Draft.from_text("第三版\n"), path, stamp)

    assert draft.load(path).draft.title == "第三版"


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make atomic writes fail halfway with ENOSPC, as a full disk does."""
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_a_full_disk_leaves_the_previous_file_intact_and_says_so(tmp_path, monkeypatch, report_text, suffix):
    path = tmp_path / f"报告{suffix}"
    stamp = draft.save(Draft.from_text(report_text), path)
    before = path.read_bytes()
    _full_disk(monkeypatch)

    with pytest.raises(DraftError) as failed:
        draft.save(Draft.from_text("新写的内容\n"), path, stamp)

    message = str(failed.value)
    assert f"报告{suffix}" in message and "磁盘空间不足" in message and "原文件未改动" in message
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    monkeypatch.undo()
    assert draft.load(path).draft.to_text() == report_text


def _png() -> bytes:
    """A 1 × 1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def _docx_with_table_and_picture(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("某局2023年工作总结", style="Title")
    document.add_paragraph("一、主要指标")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("指标", "完成"), ("财政收入", "3.2亿元")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    picture = path.parent / "图.png"
    picture.write_bytes(_png())
    document.add_picture(str(picture))
    document.add_paragraph("全年工作取得明显成效。")
    document.save(str(path))
    return path


def test_a_docx_with_tables_and_pictures_keeps_the_text_and_says_what_was_left_out(tmp_path):
    path = _docx_with_table_and_picture(tmp_path / "别人的.docx")

    opened = draft.load(path)

    texts = [p.text for p in opened.draft.paragraphs]
    assert opened.draft.title == "某局2023年工作总结"
    assert texts[:3] == ["一、主要指标", "指标\t完成", "财政收入\t3.2亿元"]
    assert "全年工作取得明显成效。" in texts
    assert any("表格" in n for n in opened.notes) and any("图片" in n for n in opened.notes)


def test_saving_over_a_docx_whose_pictures_a_draft_cannot_keep_asks_first(tmp_path):
    path = _docx_with_table_and_picture(tmp_path / "别人的.docx")
    before = path.read_bytes()
    opened = draft.load(path)

    with pytest.raises(LosesContentError) as refused:
        draft.save(opened.draft, path, opened.stamp)

    assert "表格" in str(refused.value) and "另存为" in str(refused.value)
    assert path.read_bytes() == before
    draft.save(opened.draft, tmp_path / "另存.docx")
    assert draft.load(tmp_path / "另存.docx").draft == opened.draft


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("加密.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "密码"),
        ("假的.docx", "一、工作成效\n全年新开工项目十五个。".encode(), "不是有效的 Word 文件"),
        ("空.docx", b"", "不是有效的 Word 文件"),
        ("半截.docx", None, "损坏"),
        ("压缩包.docx", None, "缺少正文"),
        ("文稿.doc", b"\xd0\xcf\x11\xe0", ".docx"),
        ("扫描件.pdf", b"%PDF-1.4", "PDF"),
    ],
)
def test_files_that_cannot_be_opened_give_a_chinese_reason(tmp_path, make_docx, name, data, words):
    path = tmp_path / name
    if name == "半截.docx":
        whole = make_docx(tmp_path / "whole.docx", [("一、工作成效", "Normal"), ("正文。" * 500, "Normal")])
        data = whole.read_bytes()[:3000]
    elif name == "压缩包.docx":
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr("readme.txt", "hello")
        data = buffer.getvalue()
    path.write_bytes(data)

    with pytest.raises(DraftError) as failed:
        draft.load(path)

    message = str(failed.value)
    assert words in message and name in message and has_cjk(message.replace(name, ""))


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(DraftError, match="文件不存在"):
        draft.load(tmp_path / "没有.docx")


def test_a_5_mb_draft_saves_and_reopens_in_every_format(tmp_path, seed):
    text = seed("001").read_text(encoding="utf-8")
    big = Draft.from_text(text * (5 * 1024 * 1024 // len(text.encode("utf-8")) + 1))
    assert len(big.to_text().encode("utf-8")) > 5 * 1024 * 1024

    for suffix in (".docx", ".txt", ".md"):
        path = tmp_path / f"大{suffix}"
        draft.save(big, path)
        assert draft.load(path).draft == big, suffix


def test_someone_elses_docx_gets_its_outline_from_styles_and_numbering(tmp_path, make_docx):
    path = make_docx(
        tmp_path / "外单位.docx",
        [
            ("", "Normal"),
            ("某市2023年工作总结", "Normal"),
            ("主要成效", "Heading 1"),
            ("（一）经济运行", "Normal"),
            ("全市经济稳中有进。", "Normal"),
            ("存在问题", "Heading 2"),
            ("1.项目储备不足", "Normal"),
        ],
    )

    opened = draft.load(path)

    assert opened.draft.title == "某市2023年工作总结"
    outline = [(p.text, p.level, p.number) for p in opened.draft.headings]
    assert outline == [
        ("主要成效", 1, ""),
        ("（一）经济运行", 2, "（一）"),
        ("存在问题", 2, ""),
        ("1.项目储备不足", 3, "1."),
    ]


ITEMS = """某县商务局2025年工作总结
二、存在的问题
1.项目储备不足，大项目、好项目偏少。
2.外贸企业抗风险能力较弱。
三、2026年工作打算
"""


def test_numbered_sentences_are_items_that_keep_their_numbers():
    parsed = Draft.from_text(ITEMS)

    assert [(p.level, p.number, p.is_item) for p in parsed.paragraphs] == [
        (1, "二、", False),
        (0, "1.", True),
        (0, "2.", True),
        (1, "三、", False),
    ]
    assert [p.number_level for p in parsed.paragraphs] == [1, 3, 3, 1]
    assert [p.text for p in parsed.headings] == ["二、存在的问题", "三、2026年工作打算"]


def test_markdown_writes_items_as_body_lines_and_reads_them_back_as_items():
    parsed = Draft.from_text(ITEMS)
    markdown = to_markdown(parsed)

    assert "\n1.项目储备不足，大项目、好项目偏少。\n" in markdown and "#### " not in markdown
    assert from_markdown(markdown) == parsed


def test_a_lone_item_before_a_heading_survives_markdown():
    text = "某局工作总结\n二、存在的问题\n1.项目储备不足，大项目、好项目偏少。\n三、下一步打算\n"
    parsed = Draft.from_text(text)

    assert parsed.paragraphs[1].is_item
    assert from_markdown(to_markdown(parsed)) == parsed


def test_in_a_word_file_an_outline_level_makes_a_heading_whatever_its_text(tmp_path, make_docx):
    path = make_docx(
        tmp_path / "外单位.docx",
        [
            ("某市2025年工作总结", "Title"),
            ("二、存在的问题", "Heading 1"),
            ("1.项目储备不足，大项目、好项目偏少。", "Heading 3"),
            ("2.外贸企业抗风险能力较弱。", "Normal"),
            ("3.商贸流通体系还不完善。", "Normal"),
        ],
    )

    paragraphs = draft.load(path).draft.paragraphs

    assert [(p.level, p.number) for p in paragraphs] == [(1, "二、"), (3, "1."), (0, "2."), (0, "3.")]
