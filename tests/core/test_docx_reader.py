"""The one .docx reader: automatic numbering, heading levels, revisions, fields, controls, tables, text boxes,
counts of what text cannot hold, and limits that keep hostile files harmless."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from bigan.core import docx_package, draft
from bigan.core.corpus import parse_file
from bigan.core.decode import SourceError, read_source
from bigan.core.docx_numbering import format_number
from bigan.core.docx_package import MAX_PART, MAX_TOTAL
from bigan.core.docx_reader import DocxError, read_docx_content
from bigan.core.textnorm import has_cjk
from tests.docx_xml import (
    BODY,
    NAMESPACES,
    REPORT,
    level,
    numbered,
    numbering,
    p,
    package,
    report_docx,
    style,
)
from tests.helpers import run_main

DATA = Path(__file__).resolve().parent.parent / "data" / "docx"
EXPECTED_HEADINGS = [heading for _, heading in REPORT if heading]


def _texts(body: str, styles: str = "", numbering_xml: str = "") -> list[str]:
    return [q.text for q in read_docx_content(package(body, styles, numbering_xml)).paragraphs]


def _run(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


# --- automatic numbering -------------------------------------------------------------------------------------


def test_an_auto_numbered_report_imports_every_heading_with_its_level_and_number(tmp_path):
    path = tmp_path / "自动编号.docx"
    path.write_bytes(report_docx())

    _, documents = parse_file(path)

    assert [d.title for d in documents] == ["某县2023年工作总结"]
    assert [(s.level, s.number, s.heading) for s in documents[0].sections] == EXPECTED_HEADINGS


def test_parse_json_lists_the_auto_numbered_headings_with_their_numbers(tmp_path):
    path = tmp_path / "自动编号.docx"
    path.write_bytes(report_docx())

    result = run_main("parse", path, "--json")

    assert result.returncode == 0, result.stderr
    (document,) = json.loads(result.stdout)["documents"]
    assert [(h["level"], h["number"], h["text"]) for h in document["headings"]] == EXPECTED_HEADINGS


def test_an_auto_numbered_report_keeps_its_numbers_through_draft_and_back(tmp_path):
    source = tmp_path / "自动编号.docx"
    source.write_bytes(report_docx())

    opened = draft.load(source).draft
    draft.save(opened, tmp_path / "草稿.docx")
    back = draft.load(tmp_path / "草稿.docx").draft

    expected = [(level_, number + text) for level_, number, text in EXPECTED_HEADINGS]
    assert [(h.level, h.text) for h in opened.headings] == expected
    assert [(h.level, h.text) for h in back.headings] == expected
    assert back.title == "某县2023年工作总结"
    with zipfile.ZipFile(tmp_path / "草稿.docx") as saved:
        assert "一、主要成效" in _docx_texts(saved.read("word/document.xml"))


def _docx_texts(xml: bytes) -> list[str]:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return ["".join(t.text or "" for t in para.iter(f"{w}t")) for para in ET.fromstring(xml).iter(f"{w}p")]


def test_number_formats_render_as_word_shows_them():
    cases = {
        "chineseCounting": (1, 10, 11, 20, 21, 100, 101, 110),
        "chineseCountingThousand": (3, 15),
        "taiwaneseCountingThousand": (2,),
        "ideographTraditional": (1, 2, 10, 11),
        "ideographDigital": (10,),
        "japaneseCounting": (10, 110),
        "chineseLegalSimplified": (12,),
        "decimalEnclosedCircle": (1, 20, 21),
        "decimalEnclosedParen": (3,),
        "decimalFullWidth": (12,),
        "upperLetter": (1, 27),
        "lowerRoman": (4, 14),
        "bullet": (1,),
        "someFutureFormat": (7,),
    }
    rendered = {fmt: [format_number(v, fmt) for v in values] for fmt, values in cases.items()}

    assert rendered == {
        "chineseCounting": ["一", "十", "十一", "二十", "二十一", "一百", "一百零一", "一百一十"],
        "chineseCountingThousand": ["三", "十五"],
        "taiwaneseCountingThousand": ["二"],
        "ideographTraditional": ["甲", "乙", "癸", "甲"],
        "ideographDigital": ["一〇"],
        "japaneseCounting": ["十", "百十"],
        "chineseLegalSimplified": ["壹拾贰"],
        "decimalEnclosedCircle": ["①", "⑳", "21"],
        "decimalEnclosedParen": ["⑶"],
        "decimalFullWidth": ["１２"],
        "upperLetter": ["A", "AA"],
        "lowerRoman": ["iv", "xiv"],
        "bullet": ["1"],
        "someFutureFormat": ["7"],
    }


def test_multi_level_text_bullets_legal_numbers_and_suffixes():
    lists = numbering(
        {
            1: level(0, "decimal", "%1") + level(1, "decimal", "%1.%2"),
            2: level(0, "bullet", "\uf06c"),
            3: level(0, "ideographTraditional", "%1、", extra='<w:suff w:val="nothing"/>')
            + level(1, "decimalEnclosedCircle", "%2")
            + level(2, "lowerLetter", "%1.%2.%3", extra="<w:isLgl/>"),
            4: level(0, "chineseCounting", "第%1章", extra='<w:suff w:val="space"/>'),
        },
        {1: (1, ""), 2: (2, ""), 3: (3, ""), 4: (4, "")},
    )
    body = "".join(
        [
            numbered("总体要求", 1, 0),
            numbered("指导思想", 1, 1),
            numbered("目标任务", 1, 1),
            numbered("要点一", 2, 0),
            numbered("甲项", 3, 0),
            numbered("分项", 3, 1),
            numbered("细目", 3, 2),
            numbered("总则", 4, 0),
        ]
    )

    assert _texts(body, numbering_xml=lists) == [
        "1 总体要求",
        "1.1 指导思想",
        "1.2 目标任务",
        "要点一",
        "甲、甲项",
        "①分项",
        "1.1.1 细目",
        "第一章 总则",
    ]


def test_restart_rules_start_values_and_list_zero():
    lists = numbering(
        {
            1: level(0, "chineseCounting", "%1、")
            + level(1, "decimal", "%2.", start=3)
            + level(2, "decimal", "（%3）", extra='<w:lvlRestart w:val="0"/>'),
        },
        {1: (1, "")},
    )
    styles = style("List", "List Number", '<w:numPr><w:numId w:val="1"/></w:numPr>')
    body = "".join(
        [
            numbered("甲", 1, 0),
            numbered("乙", 1, 1),
            numbered("丙", 1, 2),
            numbered("丁", 1, 0),
            numbered("戊", 1, 1),
            numbered("己", 1, 2),
            p("不编号", '<w:pStyle w:val="List"/><w:numPr><w:numId w:val="0"/></w:numPr>'),
            p("样式编号", '<w:pStyle w:val="List"/>'),
        ]
    )

    assert _texts(body, styles, lists) == [
        "一、甲",
        "3.乙",
        "（1）丙",
        "二、丁",
        "3.戊",
        "（2）己",
        "不编号",
        "三、样式编号",
    ]


def test_numbering_inherited_through_based_on_and_lists_sharing_one_definition():
    lists = numbering(
        {7: level(0, "chineseCounting", "（%1）", extra='<w:suff w:val="nothing"/>')},
        {1: (7, ""), 2: (7, "")},
    )
    styles = style("Base", "Base list", '<w:numPr><w:numId w:val="1"/></w:numPr>') + style("Child", "Child", "", "Base")
    body = (
        p("第一项", '<w:pStyle w:val="Child"/>') + numbered("第二项", 2, 0) + p("第三项", '<w:pStyle w:val="Child"/>')
    )

    assert _texts(body, styles, lists) == ["（一）第一项", "（二）第二项", "（三）第三项"]


# --- heading levels ------------------------------------------------------------------------------------------


def test_heading_levels_from_outline_levels_styles_and_names():
    styles = (
        style("Normal", "Normal")
        + style("Custom", "报告一级", '<w:outlineLvl w:val="0"/>')
        + style("Derived", "派生", "", "Custom")
        + style("3", "heading 3", "", "Normal")
        + style("CN2", "标题 2")
        + style("Deep", "heading 7")
        + style("TitleCN", "标题")
    )
    body = "".join(
        [
            p("正文大纲二级", '<w:outlineLvl w:val="1"/>'),
            p("自定义样式", '<w:pStyle w:val="Derived"/>'),
            p("本地化样式名", '<w:pStyle w:val="3"/>'),
            p("中文样式名", '<w:pStyle w:val="CN2"/>'),
            p("七级标题", '<w:pStyle w:val="Deep"/>'),
            p("大纲正文", '<w:pStyle w:val="Custom"/><w:outlineLvl w:val="9"/>'),
            p("标题样式", '<w:pStyle w:val="TitleCN"/>'),
        ]
    )

    found = read_docx_content(package(body, styles)).paragraphs

    assert [(q.text, q.level, q.is_title) for q in found] == [
        ("正文大纲二级", 2, False),
        ("自定义样式", 1, False),
        ("本地化样式名", 3, False),
        ("中文样式名", 2, False),
        ("七级标题", 4, False),
        ("大纲正文", None, False),
        ("标题样式", None, True),
    ]


# --- revisions, fields, controls -----------------------------------------------------------------------------


def test_tracked_changes_read_as_accepted():
    body = p(
        runs=_run("全年")
        + f'<w:ins w:id="1" w:author="甲">{_run("新开工")}</w:ins>'
        + '<w:del w:id="2" w:author="甲"><w:r><w:delText>续建</w:delText></w:r></w:del>'
        + _run("项目")
        + f'<w:moveFrom w:id="3">{_run("十五个")}</w:moveFrom>'
        + f'<w:moveTo w:id="4">{_run("二十个")}</w:moveTo>'
    )
    merged = p("上半段", '<w:rPr><w:del w:id="5" w:author="甲"/></w:rPr>') + p("下半段。")

    content = read_docx_content(package(body + merged))

    assert [q.text for q in content.paragraphs] == ["全年新开工项目二十个", "上半段下半段。"]
    assert content.revisions == 5
    assert any("修订" in note for note in content.notes())


def test_field_results_are_kept_and_instructions_dropped():
    complex_field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE \\@ "yyyy年M月d日" '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _run("2024年1月2日")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    simple = f'<w:fldSimple w:instr=" PAGE ">{_run("3")}</w:fldSimple>'

    assert _texts(p("日期：", runs=complex_field) + p("第", runs=simple + _run("页"))) == [
        "日期：2024年1月2日",
        "第3页",
    ]


def test_a_table_of_contents_is_left_out_and_noted():
    toc = (
        p(
            runs='<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _run("一、主要成效\t1")
        )
        + p("二、存在问题\t3")
        + p(runs='<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    )

    content = read_docx_content(package(toc + p("一、主要成效")))

    assert [q.text for q in content.paragraphs] == ["一、主要成效"]
    assert any("目录" in note for note in content.notes())


def test_content_controls_smart_tags_custom_xml_and_hyperlinks_keep_their_text():
    inline = (
        f'<w:sdt><w:sdtPr><w:alias w:val="单位"/></w:sdtPr><w:sdtContent>{_run("某县")}</w:sdtContent></w:sdt>'
        f'<w:smartTag w:uri="urn:x" w:element="place">{_run("人民政府")}</w:smartTag>'
        f'<w:customXml w:element="date">{_run("2023年")}</w:customXml>'
        f'<w:hyperlink r:id="rId9">{_run("工作报告")}</w:hyperlink>'
    )
    block = f"<w:sdt><w:sdtPr/><w:sdtContent>{p('控件中的段落。')}</w:sdtContent></w:sdt>"
    placeholder = (
        f"<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>{p('单击此处输入文字。')}</w:sdtContent></w:sdt>"
    )

    assert _texts(p(runs=inline) + block + placeholder) == ["某县人民政府2023年工作报告", "控件中的段落。"]


def test_hidden_text_and_line_breaks():
    runs = _run("看得见") + _run("看不见", "<w:vanish/>") + "<w:r><w:br/></w:r>" + _run("第二行")

    assert _texts(p(runs=runs)) == ["看得见\n第二行"]


# --- tables and text boxes -----------------------------------------------------------------------------------


def _table(*rows: list[str]) -> str:
    return (
        "<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc>{c}</w:tc>" for c in r) + "</w:tr>" for r in rows) + "</w:tbl>"
    )


def test_a_table_reads_as_rows_and_a_one_cell_frame_as_paragraphs():
    data = _table([p("指标"), p("完成")], [p("财政收入"), p("3.2亿元") + p("增长5%")])
    nested = _table([p("项目"), _table([p("甲"), p("乙")])])
    frame = _table([p("一、主要成效") + p(BODY)])

    content = read_docx_content(package(data + nested + frame))

    assert [q.text for q in content.paragraphs] == [
        "指标\t完成",
        "财政收入\t3.2亿元 增长5%",
        "项目\t甲 乙",
        "一、主要成效",
        BODY,
    ]
    assert all(q.in_table for q in content.paragraphs)
    assert content.tables == 4
    assert any("表格" in note for note in content.notes())


TEXT_BOX = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
    "<wps:wsp><wps:txbx><w:txbxContent>{inside}</w:txbxContent></wps:txbx></wps:wsp>"
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{inside}</w:txbxContent></v:textbox></v:shape>"
    "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_a_text_box_is_read_once_after_its_anchor_and_not_counted_as_a_picture():
    box = TEXT_BOX.format(inside=p("文本框里的说明。"))

    content = read_docx_content(package(p("锚定段落。", runs=box) + p("后一段。")))

    assert [q.text for q in content.paragraphs] == ["锚定段落。", "文本框里的说明。", "后一段。"]
    assert content.paragraphs[1].in_textbox
    assert (content.textboxes, content.graphics) == (1, 0)


def test_footnotes_comments_and_pictures_are_counted_in_the_notes():
    picture = (
        '<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rId5"/>'
        "</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
    runs = (
        _run("正文")
        + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        + '<w:commentRangeStart w:id="0"/>'
        + _run("有批注")
        + '<w:r><w:commentReference w:id="0"/></w:r>'
        + picture
    )
    content = read_docx_content(package(p(runs=runs)))

    assert [q.text for q in content.paragraphs] == ["正文有批注"]
    assert (content.footnotes, content.comments, content.graphics) == (1, 1, 1)
    notes = "；".join(content.notes())
    assert "脚注" in notes and "批注" in notes and "图片" in notes


# --- limits and hostile files --------------------------------------------------------------------------------


def _patched_sizes(data: bytes, sizes: dict[str, int]) -> bytes:
    """The zip with the uncompressed sizes its central directory claims for some parts replaced."""
    out = bytearray(data)
    start = 0
    while (start := out.find(b"PK\x01\x02", start)) != -1:
        name_length = struct.unpack_from("<H", out, start + 28)[0]
        name = bytes(out[start + 46 : start + 46 + name_length]).decode()
        if name in sizes:
            struct.pack_into("<I", out, start + 24, sizes[name])
        start += 46
    return bytes(out)


def test_a_zip_bomb_is_refused_from_its_claimed_size_with_a_chinese_reason():
    small = package(p("正文。"))
    bombs = [
        _patched_sizes(small, {"word/document.xml": 0xF000_0000}),
        _patched_sizes(small, dict.fromkeys(["word/document.xml", "word/styles.xml", "_rels/.rels"], MAX_PART)),
    ]
    assert 3 * MAX_PART > MAX_TOTAL

    for bomb in bombs:
        with pytest.raises(DocxError) as refused:
            read_docx_content(bomb)
        assert "解压后过大" in str(refused.value)


def test_a_part_that_inflates_past_its_claimed_size_is_stopped_and_called_damaged():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (64 << 20))
    lying = _patched_sizes(buffer.getvalue(), {"word/document.xml": 4096})

    with pytest.raises(DocxError, match="损坏"):
        read_docx_content(lying)


def test_a_block_too_large_to_hold_is_refused_but_a_long_table_is_read_row_by_row(monkeypatch):
    monkeypatch.setattr(docx_package, "MAX_ELEMENTS", 2000)
    long_table = _table(*([p("项目"), p("完成")] for _ in range(3000)))
    huge_paragraph = p(runs="<w:r/>" * 3000)

    rows = read_docx_content(package(long_table)).paragraphs
    with pytest.raises(DocxError) as refused:
        read_docx_content(package(huge_paragraph))

    assert [q.text for q in rows] == ["项目\t完成"] * 3000
    assert "过于庞大" in str(refused.value)


def test_too_many_parts_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index in range(10_001):
            archive.writestr(f"x/{index}", b"")

    with pytest.raises(DocxError, match="部件过多"):
        read_docx_content(buffer.getvalue())


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE d [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>',
        '<!DOCTYPE d [<!ENTITY f SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["entity-expansion", "external-entity"],
)
def test_entity_tricks_are_refused(doctype):
    body = p("&f;") if "SYSTEM" in doctype else p("&f;" * 50)
    document = f'<?xml version="1.0"?>{doctype}<w:document {NAMESPACES}><w:body>{body}</w:body></w:document>'

    with pytest.raises(DocxError) as refused:
        read_docx_content(package("", parts={"word/document.xml": document}))

    assert "文档类型声明" in str(refused.value)


def test_a_20_mb_paragraph_is_read_whole(tmp_path):
    sentence = "全县上下坚持稳中求进工作总基调，统筹推进经济社会发展各项工作。"
    text = sentence * (20 * 1024 * 1024 // len(sentence.encode()) + 1)
    path = tmp_path / "长段落.docx"
    path.write_bytes(package(p("某县工作总结", '<w:jc w:val="center"/>') + p(text)))

    source = read_source(path)

    assert [len(b.text) for b in source.blocks] == [6, len(text)]
    assert len(text.encode()) > 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "加密"),
        ("一、工作成效".encode(), "不是有效的 Word 文件"),
        (package("", parts={"word/document.xml": "<x/>"}), "缺少正文"),
        (
            package(
                "",
                parts={
                    "word/document.xml": '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main">'
                    "<w:body/></w:document>"
                },
            ),
            "严格",
        ),
        (package(p("正文"))[:200], "损坏"),
        (package("", parts={"word/document.xml": "<w:document><w:body>"}), "损坏"),
    ],
    ids=["encrypted", "not-a-zip", "no-body", "strict", "truncated", "broken-xml"],
)
def test_unreadable_files_give_the_reason_in_chinese(tmp_path, data, words):
    path = tmp_path / "文件.docx"
    path.write_bytes(data)

    with pytest.raises(SourceError) as refused:
        read_source(path)

    assert words in str(refused.value) and has_cjk(str(refused.value))


# --- the bank's view of soft line breaks -----------------------------------------------------------------------


def test_the_bank_joins_a_broken_sentence_but_splits_at_sentence_ends_and_headings(tmp_path):
    def lines(*parts: str) -> str:
        return "<w:r><w:br/></w:r>".join(_run(x) for x in parts)

    body = p("某县2023年工作总结", '<w:jc w:val="center"/>') + p(
        runs=lines("一、主要成效", "全年完成固定资产投资", "8.6亿元，同比增长12%。", "全年新开工项目十五个。")
    )
    path = tmp_path / "换行.docx"
    path.write_bytes(package(body))

    blocks = [b.text for b in read_source(path).blocks]

    assert blocks == [
        "某县2023年工作总结",
        "一、主要成效",
        "全年完成固定资产投资\n8.6亿元，同比增长12%。",
        "全年新开工项目十五个。",
    ]
    (document,) = parse_file(path)[1]
    assert "全年完成固定资产投资8.6亿元，同比增长12%。" in [q.text for q in document.passages]


# --- files written by LibreOffice ----------------------------------------------------------------------------


def test_libreoffice_numbering_and_frames_are_read_as_word_shows_them():
    content = read_docx_content((DATA / "libreoffice_numbered.docx").read_bytes())
    numbered_texts = [q.text for q in content.paragraphs if q.number]

    assert numbered_texts == [
        "一、主要成效",
        "（一）经济运行",
        "1.项目建设",
        "（1）新开工项目",
        "（2）续建项目",
        "2.招商引资",
        "（1）签约项目",
        "（二）社会事业",
        "二、存在问题",
        "（一）短板弱项",
    ]
    texts = [q.text for q in content.paragraphs]
    assert texts.count("图文框里的说明文字。") == 1
    assert texts.index("图文框里的说明文字。") == texts.index("（二）社会事业") + 1


def test_libreoffice_renders_the_same_automatic_numbers_as_the_reader(tmp_path):
    source = tmp_path / "自动编号.docx"
    source.write_bytes(report_docx())
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: .ci/run installs libreoffice-writer-nogui"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rendered = (tmp_path / "自动编号.txt").read_text(encoding="utf-8-sig").splitlines()

    ours = [q.text for q in read_docx_content(source.read_bytes()).paragraphs]

    assert ["".join(line.split()) for line in rendered] == ["".join(text.split()) for text in ours]


def test_libreoffice_tracked_changes_table_and_footnote():
    content = read_docx_content((DATA / "libreoffice_revisions.docx").read_bytes())
    texts = [q.text for q in content.paragraphs]

    assert "全年新开工项目二十个，完成投资任务。" in texts
    assert not any("十五个" in t for t in texts)
    assert "指标\t完成" in texts
    assert content.footnotes == 1 and content.revisions >= 2
    assert not any("脚注正文" in t for t in texts)
