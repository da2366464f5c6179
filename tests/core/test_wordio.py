"""Word export per GB/T 9704-2012 and reading .docx back: read-back, golden XML, round trips, LibreOffice render.

The golden files in tests/data/golden/report/ hold the package parts of REPORT exported by `write_docx`,
pretty-printed with volatile parts (rsids, dates) removed. After an intended change to the export, regenerate
them with `BIGAN_UPDATE_GOLDEN=1 python -m pytest tests/core/test_wordio.py -k golden` and review the diff.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from bigan.core import gbt9704
from bigan.core.corpus import parse_file
from bigan.core.draft import Draft
from bigan.core.paths import BUNDLED_CORPUS
from bigan.core.titlewrap import title_lines
from bigan.core.wordio import docx_parts, read_docx, write_docx
from tests import lo_render

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden" / "report"
WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
LEVEL_FONTS = {0: "仿宋_GB2312", 1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}

OUTLINE_DRAFT = """某县2023年工作总结
今年以来，全县上下扎实推进各项工作。
一、主要成效
（一）狠抓经济发展，持续注入新动能。一是经济指标齐头并进。
1.项目建设提速
（1）新开工项目15个
全年完成固定资产投资8.6亿元。
"""


def _open(draft_text: str) -> docx.document.Document:
    return docx.Document(io.BytesIO(write_docx(Draft.from_text(draft_text))))


def _fonts(element) -> dict[str, str | None]:
    rfonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {slot: rfonts.get(qn(f"w:{slot}")) for slot in SLOTS}


def _expected_fonts(east_asian: str, latin: str = "Times New Roman") -> dict[str, str]:
    return {"ascii": latin, "hAnsi": latin, "eastAsia": east_asian, "cs": latin}


def _char_spacing(run) -> int:
    return int(run.find(qn("w:rPr")).find(qn("w:spacing")).get(qn("w:val")))


def _outline_level(paragraph) -> int | None:
    found = paragraph._p.find(qn("w:pPr")).find(qn("w:outlineLvl"))
    return None if found is None else int(found.get(qn("w:val")))


def test_page_is_a4_with_gb_margins():
    section = _open(OUTLINE_DRAFT).sections[0]

    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin.mm, section.bottom_margin.mm, section.left_margin.mm, section.right_margin.mm)
    assert margins == pytest.approx((37, 35, 28, 26), abs=0.05)


def test_every_paragraph_kind_has_its_gb_font_in_all_four_slots_and_its_size():
    document = _open(OUTLINE_DRAFT)
    title, lead, *rest = document.paragraphs
    levels = [0, 1, 2, 3, 4, 0]

    assert _fonts(title.runs[0]._r) == _expected_fonts("方正小标宋简体")
    assert title.runs[0].font.size == Pt(22)
    for paragraph, level in zip([lead, *rest], levels):
        head = paragraph.runs[0]
        assert _fonts(head._r) == _expected_fonts(LEVEL_FONTS[level]), paragraph.text
        assert head.font.size == Pt(16)


def test_a_run_in_heading_sets_its_heading_in_kai_and_its_body_in_fangsong():
    paragraph = _open(OUTLINE_DRAFT).paragraphs[3]

    assert [r.text for r in paragraph.runs] == ["（一）狠抓经济发展，持续注入新动能。", "一是经济指标齐头并进。"]
    assert [_fonts(r._r)["eastAsia"] for r in paragraph.runs] == ["楷体_GB2312", "仿宋_GB2312"]


def test_styles_and_defaults_name_fonts_explicitly_and_no_part_uses_theme_fonts():
    document = _open(OUTLINE_DRAFT)
    styles = document.styles

    assert _fonts(styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))) == _expected_fonts("仿宋_GB2312")
    assert _fonts(styles["Normal"].element) == _expected_fonts("仿宋_GB2312")
    assert _fonts(styles["Title"].element) == _expected_fonts("方正小标宋简体")
    for level in range(1, 5):
        assert _fonts(styles[f"Heading {level}"].element) == _expected_fonts(LEVEL_FONTS[level])
    with zipfile.ZipFile(io.BytesIO(write_docx(Draft.from_text(OUTLINE_DRAFT)))) as package:
        for name in package.namelist():
            assert not re.search(r"[tT]heme=", package.read(name).decode("utf-8")), name


def test_body_is_justified_indented_two_characters_with_fixed_spacing_for_22_lines():
    document = _open(OUTLINE_DRAFT)
    title, *paragraphs = document.paragraphs
    layout = gbt9704.A4_REPORT

    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.paragraph_format.first_line_indent == 0
    for paragraph in paragraphs:
        fmt = paragraph.paragraph_format
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert fmt.line_spacing == Pt(28.95)
        ind = paragraph._p.find(qn("w:pPr")).find(qn("w:ind"))
        assert ind.get(qn("w:firstLineChars")) == "200"
        assert fmt.first_line_indent == Pt(31.5)
    assert _char_spacing(title.runs[0]._r) == 0
    assert {_char_spacing(r._r) for p in paragraphs for r in p.runs} == {-5}  # condensed 0.25 pt: 28 a line
    assert 22 * layout.line_pitch <= layout.text_height < 23 * layout.line_pitch
    assert 28 * layout.char_pitch <= layout.text_width < 29 * layout.char_pitch
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")


def test_a_paragraph_typed_with_leading_spaces_is_not_indented_twice():
    paragraph = _open("标题\n　　已用全角空格缩进的段落。\n").paragraphs[1]

    assert paragraph.paragraph_format.first_line_indent == 0
    assert paragraph.text == "　　已用全角空格缩进的段落。"


def test_headings_carry_outline_levels_for_the_navigation_pane():
    document = _open(OUTLINE_DRAFT)

    assert [_outline_level(p) for p in document.paragraphs] == [None, None, 0, 1, 2, 3, None]
    assert [p.style.name for p in document.paragraphs] == [
        "Title",
        "Normal",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "Heading 4",
        "Normal",
    ]


def test_page_numbers_alternate_right_and_left_with_a_page_field_in_14pt_song():
    document = _open(OUTLINE_DRAFT)
    section = document.sections[0]

    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        assert not footer.is_linked_to_previous
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment == align
        assert paragraph.text == "— 1 —"
        instructions = [t.text for t in paragraph._p.iter(qn("w:instrText"))]
        assert [i.strip() for i in instructions] == ["PAGE"]
        for run in paragraph.runs:
            assert _fonts(run._r) == _expected_fonts("宋体", "宋体")
            assert run.font.size == Pt(14)


def _normalised(xml: str) -> str:
    root = etree.fromstring(xml.encode("utf-8"))
    for element in root.iter():
        for name in [n for n in element.attrib if re.search(r"rsid", n, re.IGNORECASE)]:
            del element.attrib[name]
        if etree.QName(element).localname in ("created", "modified"):
            element.text = "DATE"
    return etree.tostring(root, pretty_print=True, encoding="unicode")


@pytest.mark.parametrize(
    "part", ["word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml", "word/footer2.xml"]
)
def test_golden_xml(report_text, part):
    produced = _normalised(docx_parts(Draft.from_text(report_text), when=WHEN)[part])
    golden = GOLDEN / part.replace("/", "__")
    if os.environ.get("BIGAN_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(produced, encoding="utf-8")

    assert produced == golden.read_text(encoding="utf-8")


def test_the_same_draft_exports_to_the_same_bytes(report_text):
    parsed = Draft.from_text(report_text)

    assert write_docx(parsed, when=WHEN) == write_docx(parsed, when=WHEN)


def test_a_word_file_whose_main_part_has_another_name_still_opens(report_text):
    parts = docx_parts(Draft.from_text(report_text), when=WHEN)
    parts["word/document2.xml"] = parts.pop("word/document.xml")
    parts["word/_rels/document2.xml.rels"] = parts.pop("word/_rels/document.xml.rels")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace("word/document.xml", "word/document2.xml")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace("/word/document.xml", "/word/document2.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, xml in parts.items():
            package.writestr(name, xml)

    back, _ = read_docx(buffer.getvalue())

    assert back.to_text() == report_text
    assert docx.Document(io.BytesIO(buffer.getvalue())).paragraphs[0].text == "某局2023年工作总结"


def _seed_drafts() -> list[tuple[str, Draft]]:
    """Every document of the bundled seeds as a draft: title, then each heading followed by its passages."""
    drafts = []
    for path in sorted(BUNDLED_CORPUS.glob("*.txt")):
        for document in parse_file(path)[1]:
            lines = [document.title]
            body: dict[int | None, list[str]] = {}
            for passage in document.passages:
                if passage.kind == "paragraph":
                    body.setdefault(passage.section, []).append(passage.text)
            lines += body.get(None, [])
            for index, section in enumerate(document.sections):
                lines += [section.number + section.heading, *body.get(index, [])]
            drafts.append((f"{path.name[:3]}#{document.index}", Draft.from_text("\n".join(lines) + "\n")))
    return drafts


SEED_DRAFTS = _seed_drafts()


@pytest.mark.parametrize(("name", "seed_draft"), SEED_DRAFTS, ids=[n for n, _ in SEED_DRAFTS])
def test_seed_documents_round_trip_through_word(name, seed_draft):
    text = seed_draft.to_text()
    exported = write_docx(Draft.from_text(text), when=WHEN)

    back, notes = read_docx(exported)

    assert back.to_text() == text
    assert back == seed_draft
    assert notes == []
    assert write_docx(back, when=WHEN) == exported
    assert len(back.headings) >= 4


def test_seed_outline_survives_python_docx_reading():
    name, seed_draft = SEED_DRAFTS[1]
    document = docx.Document(io.BytesIO(write_docx(seed_draft)))

    levels = [_outline_level(p) for p in document.paragraphs[1:]]

    assert [lv + 1 if lv is not None else 0 for lv in levels] == [p.level for p in seed_draft.paragraphs]
    assert sum(1 for p in seed_draft.paragraphs if p.level) >= 10, name


# --- LibreOffice, a second real client -------------------------------------------------------------------------


def _mm(value: float) -> float:
    return value * lo_render.MM


def _sentences(count: int) -> str:
    """Body text of 14-character sentences, so full-width stops never fall at the start of a 28-character line."""
    words = "全县上下坚持稳中求进工作总基调统筹推进经济社会发展各项工作取得新成效"
    return "".join("".join(words[(13 * n + i) % len(words)] for i in range(13)) + "。" for n in range(count))


LONG_TITLE = "关于进一步加快推进县域经济高质量发展和全面深化改革的实施意见"
SHORT_TITLE = "某县商务局2025年工作总结和2026年工作计划"
# A body paragraph of exactly 20 lines (26 characters after the indent, then 19 × 28): with the title and the
# line after it, one full page.
PAGE_OF_TEXT = _sentences(39) + "全县上下坚持稳中求进工。"
# 20 full lines and a 21st holding only 推进。: the last line of the paragraph opens page 2.
WIDOW_TEXT = _sentences(39) + "全县上下坚持稳中求进工作推进。"

RENDERED = {
    "long": f"某县人民政府2023年工作报告\n一、主要工作成效\n{_sentences(528)}\n（一）狠抓经济发展\n{_sentences(40)}\n",
    "short_title": f"{SHORT_TITLE}\n{_sentences(4)}\n",
    "long_title": f"{LONG_TITLE}\n{_sentences(4)}\n",
    "page_exact": f"某县2025年工作总结\n{PAGE_OF_TEXT}\n\n　\n\n",
    "widow": f"某县2025年工作总结\n{WIDOW_TEXT}\n{_sentences(4)}\n",
    "seed": SEED_DRAFTS[1][1].to_text(),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, list[lo_render.Page]]:
    """The drafts above as LibreOffice lays them out, all converted in one run; widow control on for *_widows."""
    folder = tmp_path_factory.mktemp("lo")
    files = {name: write_docx(Draft.from_text(text)) for name, text in RENDERED.items()}
    files["widow_widows"] = write_docx(Draft.from_text(RENDERED["widow"]), gbt9704.PageLayout(widow_control=True))
    return {name: lo_render.pages(pdf) for name, pdf in lo_render.render_all(files, folder).items()}


def test_libreoffice_lays_out_22_lines_of_28_characters_and_numbers_pages(rendered):
    pages = rendered["long"]

    assert len(pages) >= 6
    for number, page in enumerate(pages, start=1):
        block_bottom = page.height - _mm(35)
        body_lines = page.body()
        (footer,) = page.footer()
        assert all(line.bottom <= block_bottom + 1 for line in body_lines), number
        assert footer.text == f"— {number} —"  # 一字线, a gap, the page number, a gap, 一字线
        if number % 2:  # odd pages: right-aligned, one 14 pt character in from the text block's right edge
            assert footer.right == pytest.approx(page.width - _mm(26) - 14, abs=3), number
        else:  # even pages: left-aligned, one character in from the left edge
            assert footer.left == pytest.approx(_mm(28) + 14, abs=3), number
        if 2 <= number <= 5:  # full pages of body text
            assert len(body_lines) == 22, number
            assert [len(line.text) for line in body_lines] == [28] * 22, number
            assert all(_mm(28) - 1 <= line.left and line.right <= page.width - _mm(26) + 1 for line in body_lines)
            tops = [line.top for line in body_lines]
            assert {round(b - a, 1) for a, b in itertools.pairwise(tops)} <= {28.9, 29.0}, number
    first = pages[0].lines
    assert first[0].text.replace(" ", "") == "某县人民政府2023年工作报告"
    assert len(first[2].text) == 26  # the paragraph's first line, indented two characters
    assert first[2].left == pytest.approx(_mm(28) + 31.5, abs=1)


@pytest.mark.parametrize(("name", "title"), [("short_title", SHORT_TITLE), ("long_title", LONG_TITLE)])
def test_a_long_title_breaks_between_words_into_balanced_lines(rendered, name, title):
    page = rendered[name][0]
    expected = title_lines(title)
    lines = page.lines[: len(expected)]

    assert len(expected) == 2
    assert [line.text.replace(" ", "") for line in lines] == expected  # LibreOffice kept our breaks, added none
    assert page.lines[len(expected)].left == pytest.approx(_mm(28) + 31.5, abs=1)  # then the body begins
    widths = [line.right - line.left for line in lines]
    assert min(widths) >= max(widths) / 2
    centre = page.width / 2 + (_mm(28) - _mm(26)) / 2
    assert all((line.left + line.right) / 2 == pytest.approx(centre, abs=3) for line in lines)
    for before, after in itertools.pairwise(expected):
        assert (before[-2:], after[:2]) not in {("加快", "推进"), ("进一", "步"), ("工作", "计划")}
        assert len(after) >= 2 and not after.startswith("的")


def test_a_draft_that_fills_a_page_exactly_is_one_page_whatever_blank_lines_follow(rendered):
    (page,) = rendered["page_exact"]
    _title, *body = page.body()

    assert len(body) == 20 and body[-1].text.endswith("稳中求进工。")  # the title, its blank line, 20 lines
    assert body[-1].bottom > page.height - _mm(35) - 12  # the last line is the page's last
    assert [line.text for line in page.footer()] == ["— 1 —"]


def test_widow_control_is_off_by_default_and_moves_a_line_when_asked(rendered):
    default, asked = rendered["widow"], rendered["widow_widows"]

    # The title and 20 lines fill page 1; the paragraph's last line opens page 2 on its own…
    assert len(default[0].body()) == 21 and default[1].body()[0].text == "推进。"
    # …unless widow control is on: then a line moves over with it and page 1 ends a line early.
    assert len(asked[0].body()) == 20 and asked[1].body()[1].text == "推进。"


def test_only_a_closing_mark_may_hang_past_the_right_margin(rendered):
    pages = rendered["seed"]
    edge = pages[0].width - _mm(26)
    body = [line for page in pages for line in page.body()[1:]]
    hanging = [line for line in body if line.right > edge + 1]

    assert len(body) > 100 and hanging  # the seed draft has lines that end in a hanging mark
    for line in hanging:
        assert line.text[-1] in "，。、；：！？”’）》" and line.right <= edge + 16.5, line.text
    assert not [line.text for line in body if line.text[:1] in "，。、；：！？”’）》"]  # never a mark first


def test_numbered_items_are_body_paragraphs_with_their_number_typed(report_text):
    document = docx.Document(io.BytesIO(write_docx(Draft.from_text(report_text))))
    items = [p for p in document.paragraphs if p.text.startswith(("1.", "2."))]

    assert [p.text for p in items] == ["1.项目储备不足，大项目、好项目偏少。", "2.干部队伍能力有待提升。"]
    for paragraph in items:
        assert paragraph.style.name == "Normal"
        assert _outline_level(paragraph) is None
        assert paragraph._p.find(qn("w:pPr")).find(qn("w:keepNext")) is None
        assert _fonts(paragraph.runs[0]._r) == _expected_fonts("仿宋_GB2312")
    headings = [p.text for p in document.paragraphs if _outline_level(p) is not None]
    assert headings == [
        "一、主要工作成效",
        "（一）狠抓项目建设，增强发展后劲。一是加快项目开工。全年新开工项目15个，完成投资8.6亿元。"
        "二是强化要素保障。落实用地指标120亩，协调解决问题36个。",
        "（二）优化营商环境",
        "二、存在的问题",
        "三、2024年工作安排",
        "（一）聚焦重点任务",
    ]


FONT_DRAFT = "某县商务局2025年工作总结\n一、主要成效\n（一）消费市场持续回暖\n全年实现社会消费品零售总额亿元。\n"
STOCK_WINDOWS_FACE = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}


def test_the_font_table_describes_every_face_so_a_machine_without_it_finds_the_nearest():
    parts = docx_parts(Draft.from_text(FONT_DRAFT))
    table = etree.fromstring(parts["word/fontTable.xml"].encode())
    used = set(re.findall(r'<w:rFonts [^>]*w:eastAsia="([^"]+)"', "".join(parts.values())))
    entries = {font.get(qn("w:name")): font for font in table.iter(qn("w:font"))}

    assert used == {"方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体"} and used <= set(entries)
    for name in used:
        font = entries[name]
        children = [etree.QName(child).localname for child in font]
        assert children[:5] == ["altName", "panose1", "charset", "family", "pitch"], name  # the schema's order
        assert font.find(qn("w:charset")).get(qn("w:val")) == "86", name  # GB2312
        assert re.fullmatch(r"[0-9A-F]{20}", font.find(qn("w:panose1")).get(qn("w:val"))), name
        alternates = font.find(qn("w:altName")).get(qn("w:val")).split(",")
        assert STOCK_WINDOWS_FACE.get(name, alternates[0]) in alternates, name
    assert entries["仿宋_GB2312"].find(qn("w:panose1")).get(qn("w:val")) == "02010609030101010101"
    assert entries["宋体"].find(qn("w:panose1")).get(qn("w:val")) == "02010600030101010101"


def test_with_the_shipped_fontconfig_rules_libreoffice_sets_gb_faces_in_the_nearest_installed_one(tmp_path):
    rules = Path(__file__).resolve().parents[2] / "resources" / "fontconfig" / "bigan-gb-fonts.conf"
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include><include>{rules}</include>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    data = write_docx(Draft.from_text(FONT_DRAFT))
    (tmp_path / "plain").mkdir()
    (tmp_path / "ruled").mkdir()
    plain = lo_render.render(data, tmp_path / "plain")
    ruled = lo_render.render(data, tmp_path / "ruled", env={"FONTCONFIG_FILE": str(config)})

    def face(pdf, text):
        return next(font for run, font in lo_render.text_fonts(pdf) if text in run)

    # This machine has none of the GB faces: without the rules 仿宋_GB2312 falls to the default CJK sans,
    # a 黑体 look-alike; with them the body, 楷体 and title go to a Song-style face and only 黑体 stays sans.
    assert face(ruled, "全年实现") != face(plain, "全年实现")
    assert face(ruled, "全年实现").startswith("NotoSerifCJK")
    assert face(ruled, "消费市场").startswith("NotoSerifCJK") and face(ruled, "某县商务局").startswith("NotoSerifCJK")
    assert face(ruled, "主要成效").startswith("NotoSansCJK")
