"""字数 as WPS and Word count it, the one count the window shows everywhere."""

from __future__ import annotations

from core.recovery import RecoveryCopy
from core.wordcount import word_count


def test_chinese_characters_and_full_width_marks_count_one_each():
    assert word_count("推进高质量发展。") == 8
    assert word_count("“放管服”改革、营商环境") == 12  # the quotes and 、 count too


def test_a_run_of_latin_letters_or_digits_counts_as_one_word():
    assert word_count("GDP增长5.2%") == 4  # GDP · 增 · 长 · 5.2%
    assert word_count("某局2023年工作总结") == 8
    assert word_count("PPP 模式") == 3


def test_spaces_and_line_breaks_do_not_count():
    assert word_count("一、成效\n\n　　二、问题 ") == word_count("一、成效二、问题")
    assert word_count("") == 0


def test_the_recovery_copy_reports_the_same_count():
    text = "某局2024年工作总结\n完成投资8.6亿元，同比增长12%。"
    copy = RecoveryCopy(path=None, text=text, source=None, saved_at=0.0)  # type: ignore[arg-type]
    assert copy.chars == word_count(text)
