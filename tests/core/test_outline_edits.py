"""Moving sections without stray blank lines; promoting and demoting a heading with its sub-headings."""

from __future__ import annotations

import pytest

from core.outline_edits import move_section, shift_level


def test_moving_the_last_section_up_leaves_no_empty_paragraph_between_sections():
    lines = ["标题", "一、甲", "甲的正文", "二、乙", "乙的正文", ""]  # a draft ending in a newline
    moved = move_section(lines, 3, 1)
    assert moved.lines == ["标题", "二、乙", "乙的正文", "一、甲", "甲的正文", ""]
    assert moved.line == 1


def test_sections_separated_by_blank_lines_stay_separated_after_a_move():
    lines = ["标题", "", "一、甲", "", "二、乙", "", "三、丙", ""]
    assert move_section(lines, 6, 2).lines == ["标题", "", "三、丙", "", "一、甲", "", "二、乙", ""]
    assert move_section(lines, 2, -1).lines == ["标题", "", "二、乙", "", "三、丙", "", "一、甲", ""]


def test_a_section_moves_with_its_sub_sections_and_cannot_move_into_itself():
    lines = ["标题", "一、甲", "（一）子", "子的正文", "二、乙"]
    assert move_section(lines, 4, 1).lines == ["标题", "二、乙", "一、甲", "（一）子", "子的正文"]
    with pytest.raises(ValueError):
        move_section(lines, 1, 3)
    with pytest.raises(ValueError):
        move_section(lines, 3, 0)  # not a heading


def test_promoting_a_heading_renumbers_it_and_its_sub_headings():
    lines = ["标题", "一、成效", "（一）招商", "1.签约项目", "（二）消费", "二、问题"]
    promoted = shift_level(lines, 4, -1)
    assert promoted == ["标题", "一、成效", "（一）招商", "1.签约项目", "二、消费", "三、问题"]
    # （二）消费 now follows 二、招商, so it becomes that chapter's second section.
    assert shift_level(lines, 2, -1) == ["标题", "一、成效", "二、招商", "（一）签约项目", "（二）消费", "三、问题"]


def test_demoting_makes_a_chapter_a_sub_section_of_the_one_before():
    lines = ["标题", "一、成效", "（一）招商", "二、问题", "（一）储备不足", "三、计划"]
    demoted = shift_level(lines, 3, 1)
    assert demoted == ["标题", "一、成效", "（一）招商", "（二）问题", "1.储备不足", "二、计划"]


def test_shifts_beyond_the_four_levels_are_refused():
    lines = ["标题", "一、成效", "（一）招商", "1.签约", "（1）细项"]
    assert shift_level(lines, 1, -1) is None
    assert shift_level(lines, 3, 1) is None  # （1） would have to go to a fifth level
    assert shift_level(lines, 0, 1) is None  # the title is no heading
