"""Re-joining PDF lines into paragraphs, on pages laid out by hand: indents, short lines, headings, page furniture."""

from __future__ import annotations

from bigan.core.pdflines import Line, Page, paragraphs

EM = 10.0
LEFT = 50.0
WIDTH = 28  # characters in a full line


def _page(rows: list[tuple[str, int] | str], top: float = 800.0) -> Page:
    """A page of lines, each (text, indent in characters) or text; centred when indent is -1."""
    lines = []
    y = top
    for row in rows:
        text, indent = (row, 0) if isinstance(row, str) else row
        width = len(text) * EM
        left = LEFT + (WIDTH * EM - width) / 2 if indent == -1 else LEFT + indent * EM
        lines.append(Line(text, left, left + width, y, y + EM, EM, EM))
        y -= 1.5 * EM
    return Page(lines, 600.0, 850.0)


def _wrap(text: str, indent: int = 2) -> list[tuple[str, int]]:
    """A paragraph as a typesetter would break it: first line indented, the rest full width."""
    rows, first = [], WIDTH - indent
    rows.append((text[:first], indent))
    rest = text[first:]
    while rest:
        rows.append((rest[:WIDTH], 0))
        rest = rest[WIDTH:]
    return rows


BODY = (
    "全年新开工项目十五个，完成投资八点六亿元，比上年增长百分之十二。坚持项目为王，"
    "建立重大项目领导包联制度，协调解决难题三十六个，推动一批重大项目落地见效。"
)
SECOND = "深化放管服改革，推行帮办代办服务，企业办事时间平均缩短一半以上，营商环境评价位居全市前列。"


def test_an_indented_paragraph_over_several_lines_becomes_one():
    page = _page([*_wrap(BODY), *_wrap(SECOND)])

    assert paragraphs([page]) == [BODY, SECOND]


def test_a_heading_line_stays_its_own_paragraph():
    page = _page([("一、主要工作成效", 2), *_wrap(BODY), ("（一）优化营商环境", 2), *_wrap(SECOND)])

    assert paragraphs([page]) == ["一、主要工作成效", BODY, "（一）优化营商环境", SECOND]


def test_without_indents_a_short_last_line_ends_the_paragraph_and_a_heading_starts_one():
    full = "一二三四五六七八九十" * 2 + "甲乙丙丁戊己庚。"  # exactly one full line ending a sentence
    page = _page([*_wrap(BODY, 0), *_wrap(SECOND, 0), full, "二、下一步打算", *_wrap(SECOND, 0)])

    assert paragraphs([page]) == [BODY, SECOND, full, "二、下一步打算", SECOND]


def test_a_paragraph_runs_on_across_a_page_break_and_page_numbers_go():
    rows = _wrap(BODY + SECOND)
    first = _page([*rows[:3], ("— 1 —", -1)])
    second = _page([*rows[3:], ("— 2 —", -1)])

    assert paragraphs([first, second]) == [BODY + SECOND]


def test_running_headers_and_page_footers_are_dropped():
    bodies = [BODY, SECOND, BODY[::-1], SECOND[::-1]]
    pages = []
    for n, body in enumerate(bodies, start=1):
        pages.append(_page([("某县人民政府工作报告（2024年）", -1), *_wrap(body), f"第 {n} 页 共 4 页"]))

    assert paragraphs(pages) == bodies


def test_a_centred_title_over_two_lines_is_one_paragraph():
    page = _page([("关于某县二〇二三年国民经济和", -1), ("社会发展计划执行情况的报告", -1), *_wrap(BODY)])

    assert paragraphs([page]) == ["关于某县二〇二三年国民经济和社会发展计划执行情况的报告", BODY]


def test_latin_words_split_over_lines_keep_a_space():
    page = _page([("Annual report of the county government, with a", 0), ("summary of the year", 0)])
    page.lines[0].right = LEFT + WIDTH * EM  # a full line of English

    assert paragraphs([page]) == ["Annual report of the county government, with a summary of the year"]
