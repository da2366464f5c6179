"""Reading source files: encodings, Markdown and Word headings, folders, and clear reasons for bad files."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from bigan.core import decode
from bigan.core.corpus import parse_file
from bigan.core.decode import SourceError, collect_files, read_source
from bigan.core.textnorm import has_cjk


def _outline(path: Path) -> list[tuple[int, str, str]]:
    _, documents = parse_file(path)
    return [(s.level, s.number, s.heading) for d in documents for s in d.sections]


def _content(path: Path) -> list[tuple[str, list[tuple[int, str, str]], list[str]]]:
    _, documents = parse_file(path)
    return [
        (d.title, [(s.level, s.number, s.heading) for s in d.sections], [p.text for p in d.passages]) for d in documents
    ]


ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "gb18030": lambda text: text.encode("gb18030"),
    "gbk": lambda text: text.encode("gbk"),
    "utf-16-le-bom": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "utf-16-le-no-bom": lambda text: text.encode("utf-16-le"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_supported_text_encoding_reads_the_same_report(tmp_path, report_text, report_headings, encoding):
    reference = tmp_path / "reference.txt"
    reference.write_bytes(report_text.encode("utf-8"))
    encoded = tmp_path / "report.txt"
    encoded.write_bytes(ENCODINGS[encoding](report_text))

    assert _outline(encoded) == report_headings
    assert _content(encoded) == _content(reference)


def test_markdown_hash_headings_give_title_and_levels(tmp_path):
    path = tmp_path / "总结.md"
    path.write_text(
        "# 某局2023年工作总结\n\n"
        "## 工作成效\n\n"
        "### 项目建设加快推进\n\n"
        "全年新开工项目十五个，完成投资任务的百分之一百二十。\n\n"
        "## 下一步打算\n\n"
        "坚持稳中求进工作总基调，全力推动高质量发展。\n",
        encoding="utf-8",
    )

    _, documents = parse_file(path)

    assert [d.title for d in documents] == ["某局2023年工作总结"]
    assert [(s.level, s.heading) for s in documents[0].sections] == [
        (1, "工作成效"),
        (2, "项目建设加快推进"),
        (1, "下一步打算"),
    ]
    assert not any("#" in p.text for p in documents[0].passages)


def test_docx_heading_styles_give_levels_to_unnumbered_headings(tmp_path, make_docx):
    path = make_docx(
        tmp_path / "总结.docx",
        [
            ("某局2023年工作总结", "Title"),
            ("工作成效", "Heading 1"),
            ("项目建设加快推进", "Heading 2"),
            ("全年新开工项目十五个，完成投资任务的百分之一百二十。", "Normal"),
            ("营商环境持续优化", "Heading 2"),
            ("深化改革，推行帮办代办服务，企业办事时间平均缩短一半以上。", "Normal"),
            ("下一步打算", "Heading 1"),
            ("坚持稳中求进工作总基调，全力推动高质量发展。", "Normal"),
        ],
    )

    _, documents = parse_file(path)

    assert [d.title for d in documents] == ["某局2023年工作总结"]
    assert [(s.level, s.heading) for s in documents[0].sections] == [
        (1, "工作成效"),
        (2, "项目建设加快推进"),
        (2, "营商环境持续优化"),
        (1, "下一步打算"),
    ]
    texts = [p.text for p in documents[0].passages]
    assert "全年新开工项目十五个，完成投资任务的百分之一百二十。" in texts


def test_docx_without_heading_styles_takes_levels_from_numbering(tmp_path, make_docx):
    path = make_docx(
        tmp_path / "总结.docx",
        [
            ("某局2023年工作总结", "Normal"),
            ("一、工作成效", "Normal"),
            ("（一）项目建设加快推进", "Normal"),
            ("全年新开工项目十五个，完成投资任务的百分之一百二十。", "Normal"),
            ("（二）营商环境持续优化", "Normal"),
            ("深化改革，推行帮办代办服务，企业办事时间平均缩短一半以上。", "Normal"),
            ("二、下一步打算", "Normal"),
            ("坚持稳中求进工作总基调，全力推动高质量发展。", "Normal"),
        ],
    )

    assert _outline(path) == [
        (1, "一、", "工作成效"),
        (2, "（一）", "项目建设加快推进"),
        (2, "（二）", "营商环境持续优化"),
        (1, "二、", "下一步打算"),
    ]


def test_crlf_and_stray_spaces_are_normalised(tmp_path, report_text):
    clean = tmp_path / "clean.txt"
    clean.write_text(report_text, encoding="utf-8")
    messy_lines = []
    for line in report_text.splitlines():
        # Indents with ideographic and ASCII spaces, trailing spaces, and a space inside Chinese words.
        spaced = line[:2] + " " + line[2:] if len(line) > 4 else line
        messy_lines.append("\u3000\u3000" + spaced + "  \t")
    messy = tmp_path / "messy.txt"
    messy.write_bytes("\r\n".join(messy_lines).encode("utf-8"))

    assert _content(messy) == _content(clean)
    _, documents = parse_file(messy)
    for document in documents:
        for passage in document.passages:
            assert "\r" not in passage.text
            assert passage.text == passage.text.strip()


def test_half_width_punctuation_between_chinese_becomes_full_width(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "某局2023年工作总结\n"
        "一、主要工作\n"
        "我们加强管理,提升效率;落实责任:推进(重点)工作。全年完成投资1,200万元,比上年增长3.5%。\n",
        encoding="utf-8",
    )

    _, documents = parse_file(path)
    text = "".join(p.text for p in documents[0].passages)

    assert "加强管理，提升效率；落实责任：推进（重点）工作" in text
    assert "1,200" in text


def test_folders_are_read_recursively_skipping_hidden_and_lock_files(tmp_path):
    (tmp_path / "2023" / "上半年").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    wanted = [
        tmp_path / "a.txt",
        tmp_path / "2023" / "b.md",
        tmp_path / "2023" / "上半年" / "c.docx",
    ]
    ignored = [
        tmp_path / ".hidden.txt",
        tmp_path / ".git" / "notes.txt",
        tmp_path / "2023" / "~$c.docx",
        tmp_path / "picture.png",
    ]
    for path in wanted + ignored:
        path.write_bytes(b"x")

    files, rejects = collect_files([tmp_path])

    assert sorted(files) == sorted(wanted)
    assert rejects == []


def test_folder_scan_lists_old_word_wps_and_pdf_files_for_import(tmp_path):
    names = ["a.txt", "b.doc", "c.WPS", "d.rtf", "e.odt", "f.pdf", "g.wpt", "h.dot", "i.docm"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")

    files, rejects = collect_files([tmp_path])

    assert sorted(f.name for f in files) == names
    assert rejects == []


def _real_docx_bytes(make_docx, tmp_path: Path) -> bytes:
    path = make_docx(
        tmp_path / "real.docx",
        [("一、工作成效", "Normal"), ("全年新开工项目十五个，完成投资任务。" * 20, "Normal")],
    )
    return path.read_bytes()


def _zip_that_is_not_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "这不是 Word 文件")
    return buffer.getvalue()


def _binary_junk() -> bytes:
    rng = random.Random(7)
    return b"\x89PNG\r\n\x1a\n" + bytes(rng.choice([0, 0, rng.randrange(256)]) for _ in range(4000))


def _undecodable() -> bytes:
    rng = random.Random(3)
    return bytes(rng.randrange(0x80, 0x100) for _ in range(600))


# name, file name, bytes (or a builder needing make_docx), words any of which the reason must contain
BROKEN = [
    ("empty", "empty.txt", b"", ("空",)),
    ("blank", "blank.txt", b" \r\n\r\n  ", ("空", "没有文字")),
    ("binary", "binary.txt", _binary_junk(), ("二进制", "不是文字")),
    ("zip-not-word", "archive.docx", _zip_that_is_not_word(), ("Word", "docx")),
    ("truncated-docx", "cut.docx", None, ("Word", "docx")),
    ("fake-docx", "fake.docx", "一、工作成效\n全年新开工项目十五个。".encode(), ("Word", "docx")),
    ("encrypted", "secret.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ("加密",)),
    ("doc", "old.doc", _binary_junk(), (".doc",)),
    ("wps", "old.wps", _binary_junk(), (".wps",)),
    ("rtf", "old.rtf", "一、工作成效".encode(), ("RTF",)),
    ("pdf", "report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ("PDF",)),
    ("undecodable", "garbled.txt", _undecodable(), ("编码",)),
]


@pytest.mark.parametrize(("name", "filename", "data", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_files_raise_a_chinese_reason(tmp_path, make_docx, name, filename, data, words):
    if data is None:
        real = _real_docx_bytes(make_docx, tmp_path)
        data = real[: len(real) // 2]
    path = tmp_path / filename
    path.write_bytes(data)

    with pytest.raises(SourceError) as caught:
        parse_file(path)

    reason = str(caught.value)
    assert has_cjk(reason)
    assert any(word in reason for word in words), reason


def test_corrupt_word_files_say_the_word_file_is_damaged(tmp_path, make_docx):
    real = _real_docx_bytes(make_docx, tmp_path)
    for name, data in [("cut.docx", real[: len(real) // 2]), ("archive.docx", _zip_that_is_not_word())]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(SourceError) as caught:
            read_source(path)
        assert any(word in str(caught.value) for word in ("损坏", "无效", "不是有效")), str(caught.value)


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch, report_text):
    path = tmp_path / "big.txt"
    path.write_text(report_text, encoding="utf-8")
    monkeypatch.setattr(decode, "MAX_BYTES", 100)

    with pytest.raises(SourceError) as caught:
        read_source(path)

    assert "过大" in str(caught.value)


def test_a_file_within_the_size_limit_is_read(tmp_path, monkeypatch, report_text):
    path = tmp_path / "small.txt"
    path.write_text(report_text, encoding="utf-8")
    monkeypatch.setattr(decode, "MAX_BYTES", len(report_text.encode("utf-8")))

    assert read_source(path).blocks


TRADITIONAL = (Path(__file__).resolve().parent.parent / "data" / "traditional_1954.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("codec", ["big5", "cp950"])
@pytest.mark.parametrize("lines", [2, 5, None], ids=["two-lines", "five-lines", "whole"])
def test_big5_text_is_read_as_traditional_chinese(tmp_path, codec, lines):
    text = "\n".join(TRADITIONAL.splitlines()[:lines]) + "\n"
    path = tmp_path / "報告.txt"
    path.write_bytes(text.encode(codec))

    source = read_source(path)

    assert source.encoding in {"cp950", "big5", "big5hkscs"}
    assert "\n".join(b.text for b in source.blocks).strip() == text.strip()


@pytest.mark.parametrize("lines", [1, 3, None], ids=["one-line", "three-lines", "whole"])
def test_gbk_text_is_still_read_as_simplified_chinese(tmp_path, report_text, lines):
    text = "\n".join(report_text.splitlines()[:lines]) + "\n"
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("gbk"))

    source = read_source(path)

    assert source.encoding == "gb18030"
    assert "\n".join(b.text for b in source.blocks).strip() == text.strip()


def test_traditional_text_saved_as_gbk_is_not_taken_for_big5(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(TRADITIONAL.encode("gbk"))

    assert read_source(path).encoding == "gb18030"


def test_mostly_utf8_text_with_a_few_bad_bytes_is_imported_with_a_note(tmp_path, report_text, report_headings):
    data = report_text.encode("utf-8")
    cut = data.index("二、".encode())
    path = tmp_path / "report.txt"
    path.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:-20] + b"\xe5\x9b" + data[-20:])

    source = read_source(path)

    assert source.notes == ["有 3 处无法识别的字节，已替换为 “\ufffd”"]
    assert sum(b.text.count("\ufffd") for b in source.blocks) == 3
    assert _outline(path)[:3] == report_headings[:3]


def test_a_valid_replacement_character_in_utf8_text_is_not_reported(tmp_path, report_text):
    path = tmp_path / "report.txt"
    path.write_bytes((report_text + "被截断的段落\ufffd\n").encode("utf-8"))

    assert read_source(path).notes == []


def test_text_with_many_bad_bytes_is_still_refused(tmp_path, report_text):
    data = bytearray(report_text.encode("utf-8"))
    for i in range(5, len(data), 25):
        data[i] = 0xFF
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(data))

    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert "编码" in str(caught.value)
