"""Fill-in fields in a draft and Tab / Shift+Tab order between them."""

from __future__ import annotations

from bigan.core.fields import field_spans, next_field, previous_field
from bigan.core.placeholders import FIELD

TEXT = f"完成投资{FIELD}亿元，同比增长%。新增xx家企业。"


def test_fields_cover_marks_placeholders_and_missing_numbers():
    spans = field_spans(TEXT)
    found = [TEXT[s:e] for s, e in spans]
    assert found == [FIELD, "", "xx"]
    empty = spans[1]
    assert TEXT[empty[0]] == "%"


def test_tab_walks_forward_and_wraps():
    spans = field_spans(TEXT)
    assert next_field(TEXT, 0, 0) == (spans[0], False)
    assert next_field(TEXT, *spans[0]) == (spans[1], False)
    assert next_field(TEXT, *spans[1]) == (spans[2], False)
    assert next_field(TEXT, *spans[2]) == (spans[0], True)


def test_shift_tab_walks_backward_and_wraps():
    spans = field_spans(TEXT)
    assert previous_field(TEXT, *spans[2]) == (spans[1], False)
    assert previous_field(TEXT, *spans[1]) == (spans[0], False)
    assert previous_field(TEXT, *spans[0]) == (spans[2], True)
    end = len(TEXT)
    assert previous_field(TEXT, end, end) == (spans[2], False)


def test_no_fields_means_nowhere_to_go():
    assert next_field("全部填好了。", 0, 0) == (None, False)
    assert previous_field("全部填好了。", 3, 3) == (None, False)
    assert next_field(FIELD, 0, 2) == (None, False)


def test_a_size_class_is_not_a_missing_number():
    text = "其中亿元以上项目＿＿个，完成投资亿元。"
    assert [text[s:e] or text[s : s + 2] for s, e in field_spans(text)] == ["＿＿", "亿元"]
