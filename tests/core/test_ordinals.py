"""一是/二是 items: found at clause starts only, renumbered for the place a passage is inserted."""

from __future__ import annotations

from core.ordinals import count_items, item_ordinals, renumber_items


def test_items_are_found_where_a_sentence_or_clause_starts():
    text = "一是加快项目开工。二是强化要素保障；三是优化服务。"
    assert [value for _, _, value in item_ordinals(text)] == [1, 2, 3]
    assert count_items("坚持统一是前提，唯一是关键。") == 0  # 统一是、唯一是 are no items


def test_an_item_taken_from_the_middle_of_a_list_becomes_the_first_under_a_new_heading():
    assert renumber_items("三是落实党政同责，压实安全责任。", 0) == "一是落实党政同责，压实安全责任。"


def test_a_paragraph_of_items_continues_the_count_of_the_section():
    passage = "一是抓招商。二是抓项目。三是抓服务。"
    assert renumber_items(passage, 2) == "三是抓招商。四是抓项目。五是抓服务。"
    assert renumber_items(passage, 9) == "十是抓招商。十一是抓项目。十二是抓服务。"


def test_text_without_items_is_left_alone():
    text = "深化“放管服”改革，推行帮办代办服务。"
    assert renumber_items(text, 3) == text
