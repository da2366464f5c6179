"""The draft outline: headings by level, renumbering under each parent, moving a heading with its block."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bigan.core.outline import (
    OutlineParser,
    block_end,
    can_move,
    chinese_numeral,
    draft_from_outline,
    heading_at,
    move_block,
    move_to_line,
    parse,
    renumber,
    renumber_edits,
    sibling,
)

DRAFT = """某局2023年工作总结
今年以来，我局扎实推进各项工作。
一、主要工作成效
（一）狠抓项目建设，增强发展后劲。一是加快项目开工。
全年新开工项目＿＿个。
（二）优化营商环境
深化“放管服”改革。
1.推行帮办代办
2.压缩办事时间
二、存在的问题
三、下一步工作安排
（一）聚焦重点任务
坚持稳中求进。"""


def labels(text: str) -> list[str]:
    return [h.label for h in parse(text)]


def test_headings_have_line_level_number_and_text(report_text, report_headings):
    headings = parse(report_text)
    assert [(h.level, h.text) for h in headings] == [(lv, t) for lv, _, t in report_headings]
    # 1. and 2. under 二、存在的问题 are full sentences: items, not headings.
    assert [h.number for h in headings] == ["一、", "（一）", "（二）", "二、", "三、", "（一）"]
    lines = report_text.split("\n")
    assert all(lines[h.line].startswith(h.number) for h in headings)


def test_numbers_keep_the_style_they_were_written_in():
    headings = parse("(一)半角括号\n1．全角点\n2、顿号\n（1）小标题\n　　三、缩进的标题")
    assert [(h.level, h.number) for h in headings] == [(2, "(一)"), (3, "1．"), (3, "2、"), (4, "（1）"), (1, "三、")]


def test_body_lines_that_look_numeric_are_not_headings():
    assert parse("2023年完成投资8.6亿元。\n1.5亿元用于基础设施。\n一是加快项目开工。\n一、\n（一）") == []


def test_run_in_heading_shows_its_first_sentence():
    (heading,) = parse("（一）狠抓项目建设，增强发展后劲。一是加快项目开工。")
    assert heading.text == "狠抓项目建设，增强发展后劲"


def test_parser_reuses_lines_it_has_seen_and_still_follows_edits():
    parser = OutlineParser()
    assert [h.label for h in parser.parse(DRAFT)] == labels(DRAFT)
    edited = DRAFT.replace("二、存在的问题", "二、存在的主要问题")
    assert "二、存在的主要问题" in [h.label for h in parser.parse(edited)]
    assert [h.label for h in parser.parse(edited)] == labels(edited)


def test_parsing_a_30_page_draft_is_fast():
    body = "深化改革，扩大开放，持续优化营商环境，推动经济高质量发展。" * 10
    text = "\n".join([DRAFT.replace("坚持稳中求进。", body)] * 60)
    assert len(text) > 25_000
    parser = OutlineParser()
    parser.parse(text)
    edited = text.replace("发展。", "发展，", 1)
    started = time.perf_counter()
    headings = parser.parse(edited)
    assert (time.perf_counter() - started) < 0.030
    assert len(headings) == 8 * 60


def test_heading_at_finds_the_section_of_a_line():
    headings = parse(DRAFT)
    assert heading_at(headings, 0) is None
    assert headings[heading_at(headings, 4)].text == "狠抓项目建设，增强发展后劲"
    assert headings[heading_at(headings, 12)].text == "聚焦重点任务"


def test_block_end_covers_body_and_sub_headings():
    headings = parse(DRAFT)
    lines = DRAFT.split("\n")
    assert block_end(headings, 0, len(lines)) == 9  # 一、 ends where 二、 starts
    assert block_end(headings, 2, len(lines)) == 9  # （二） holds 1. and 2.
    assert block_end(headings, 3, len(lines)) == 8


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九")]
)
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


def test_renumber_restarts_under_each_parent_and_keeps_style():
    text = "标题\n三、甲\n(五)乙\n7、丙\n（9）丁\n（4）戊\n一、己\n（一）庚\n3．辛"
    assert renumber(text).split("\n") == [
        "标题",
        "一、甲",
        "(一)乙",
        "1、丙",
        "（1）丁",
        "（2）戊",
        "二、己",
        "（一）庚",
        "1．辛",
    ]


def test_renumber_touches_only_the_numeral():
    lines = ["一、甲", "一、乙"]
    (edit,) = renumber_edits(lines)
    assert (edit.line, edit.start, edit.end, edit.text) == (1, 0, 1, "二")
    assert renumber("　　一、甲\n　　一、乙") == "　　一、甲\n　　二、乙"


def test_renumber_reaches_two_digit_numbers():
    text = "\n".join(f"一、第{i}章" for i in range(12))
    assert [h.number for h in parse(renumber(text))][-3:] == ["十、", "十一、", "十二、"]


def test_move_block_before_another_takes_body_and_sub_headings():
    lines = DRAFT.split("\n")
    moved = move_block(lines, 5, 3)  # （二）优化营商环境 before （一）
    text = renumber("\n".join(moved.lines))
    assert labels(text)[:5] == [
        "一、主要工作成效",
        "（一）优化营商环境",
        "1.推行帮办代办",
        "2.压缩办事时间",
        "（二）狠抓项目建设，增强发展后劲",
    ]
    assert moved.lines[moved.line] == "（二）优化营商环境"
    assert "全年新开工项目＿＿个。" in text.split("\n")[8]
    assert sorted(moved.lines) == sorted(lines)


def test_move_block_after_another():
    lines = DRAFT.split("\n")
    moved = move_block(lines, 2, 10, after=True)  # 一、 after 三、 (and all its children)
    text = renumber("\n".join(moved.lines))
    assert [h.label for h in parse(text) if h.level == 1] == [
        "一、存在的问题",
        "二、下一步工作安排",
        "三、主要工作成效",
    ]
    assert text.split("\n")[-1] == "2.压缩办事时间"
    assert moved.lines[moved.line] == "一、主要工作成效"


def test_a_block_cannot_move_into_itself():
    lines = DRAFT.split("\n")
    with pytest.raises(ValueError):
        move_to_line(lines, 2, 6)
    with pytest.raises(ValueError):
        move_to_line(lines, 1, 0)  # not a heading
    assert not can_move(lines, 2, 6)
    assert not can_move(lines, 2, 2)  # no change
    assert can_move(lines, 9, 2)


def test_draft_from_outline_leaves_a_body_line_under_each_heading():
    text = draft_from_outline("××××年工作总结", [(1, "一、××××年工作总结"), (1, "二、下一步工作安排")])
    assert text.split("\n") == ["××××年工作总结", "", "一、××××年工作总结", "", "二、下一步工作安排", ""]
    assert labels(text) == ["一、××××年工作总结", "二、下一步工作安排"]


_HEADING_LINES = st.sampled_from(["一、甲", "二、乙", "（一）丙", "（三）丁", "1.戊", "5.己", "（1）庚", "正文。", ""])


@settings(max_examples=200, deadline=None)
@given(st.lists(_HEADING_LINES, min_size=1, max_size=30))
def test_renumber_is_sequential_and_idempotent(lines):
    text = renumber("\n".join(lines))
    assert renumber(text) == text
    counters = [0] * 5
    for heading in parse(text):
        counters[heading.level] += 1
        counters[heading.level + 1 :] = [0] * (4 - heading.level)
        assert heading.number.strip("、.（）") in (
            chinese_numeral(counters[heading.level]),
            str(counters[heading.level]),
        )


@settings(max_examples=200, deadline=None)
@given(st.lists(_HEADING_LINES, min_size=2, max_size=30), st.data())
def test_a_move_keeps_every_line_and_the_block_together(lines, data):
    headings = parse("\n".join(lines))
    if not headings:
        return
    index = data.draw(st.integers(0, len(headings) - 1))
    source = headings[index].line
    end = block_end(headings, index, len(lines))
    dest = data.draw(st.integers(0, len(lines)).filter(lambda d: not source < d < end))
    moved = move_to_line(lines, source, dest)
    assert sorted(moved.lines) == sorted(lines)
    assert moved.lines[moved.line : moved.line + end - source] == lines[source:end]


def test_sibling_stays_under_the_same_parent():
    headings = parse(DRAFT)
    assert sibling(headings, 1, 1) == 2  # （一） → （二）
    assert sibling(headings, 2, 1) is None  # （二） is the last under 一、
    assert sibling(headings, 0, 1) == 5  # 一、 → 二、
    assert sibling(headings, 7, -1) is None  # （一） under 三、 has no earlier sibling


ITEMS_DRAFT = """某县商务局2025年工作总结和2026年工作打算
一、2025年工作总结
全年实现社会消费品零售总额58.6亿元。
二、存在的问题
1.项目储备不足，大项目、好项目偏少。
2.外贸企业抗风险能力较弱。
三、2026年工作打算
（一）稳住外贸基本盘
1.支持企业参加展会
组织企业参加境内外展会20场次以上。"""


def test_numbered_sentences_are_items_not_outline_headings():
    parser = OutlineParser()
    headings = parser.parse(ITEMS_DRAFT)

    assert [h.label for h in headings] == [
        "一、2025年工作总结",
        "二、存在的问题",
        "三、2026年工作打算",
        "（一）稳住外贸基本盘",
        "1.支持企业参加展会",
    ]
    assert parser.item_lines == {4, 5}
    assert [h.label for h in parser.parse(ITEMS_DRAFT.replace("2.外贸", "3.外贸"))][:2] == [
        "一、2025年工作总结",
        "二、存在的问题",
    ]


def test_an_item_becomes_a_heading_when_its_line_stops_being_a_sentence():
    parser = OutlineParser()
    parser.parse(ITEMS_DRAFT)
    edited = ITEMS_DRAFT.replace("2.外贸企业抗风险能力较弱。", "2.外贸企业抗风险能力较弱\n加强风险提示。")

    assert "2.外贸企业抗风险能力较弱" in [h.label for h in parser.parse(edited)]


def test_items_are_renumbered_under_their_parent_like_headings_of_their_level():
    text = ITEMS_DRAFT.replace("2.外贸", "5.外贸").replace("1.支持", "4.支持")

    fixed = renumber(text).split("\n")

    assert fixed[5] == "2.外贸企业抗风险能力较弱。"
    assert fixed[8] == "1.支持企业参加展会"
    assert renumber(ITEMS_DRAFT) == ITEMS_DRAFT


def test_items_move_with_the_heading_they_stand_under():
    lines = ITEMS_DRAFT.split("\n")

    moved = move_block(lines, 3, 1)  # 二、存在的问题 before 一、

    assert moved.lines[1:4] == ["二、存在的问题", "1.项目储备不足，大项目、好项目偏少。", "2.外贸企业抗风险能力较弱。"]


_ITEM_LINES = st.sampled_from(
    ["一、甲", "（一）丙", "1.戊", "5.项目储备不足，大项目偏少。", "2.外贸企业抗风险能力较弱。", "正文。", ""]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ITEM_LINES, min_size=1, max_size=30))
def test_renumbering_counts_items_with_headings_and_is_idempotent(lines):
    text = renumber("\n".join(lines))
    parser = OutlineParser()
    headings = parser.parse(text)

    assert renumber(text) == text
    assert {h.line for h in headings}.isdisjoint(parser.item_lines)
    counters = [0] * 5
    for _, found in parser.numbered_lines(text.split("\n")):
        counters[found.level] += 1
        counters[found.level + 1 :] = [0] * (4 - found.level)
        assert found.number.strip("、.（）") in (chinese_numeral(counters[found.level]), str(counters[found.level]))
