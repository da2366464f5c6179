"""Which bank passages a draft already holds, even after insertion changed its figures and item numbers."""

from __future__ import annotations

from core.ordinals import renumber_items
from core.placeholders import fieldify_figures
from core.reuse import used_passages

PASSAGE = "三是强化要素保障。落实用地指标120亩，协调解决企业反映的问题36个，推动项目早开工、早见效。"
OTHER = "深化“放管服”改革，推行帮办代办服务，企业办事时间平均缩短一半以上。"


def test_a_passage_inserted_with_fields_and_new_numbering_is_recognised():
    inserted = fieldify_figures(renumber_items(PASSAGE, 0))
    draft = f"某局2024年工作总结\n一、主要工作\n{inserted}"
    assert used_passages(draft, [PASSAGE, OTHER]) == [True, False]


def test_a_passage_edited_a_little_still_counts_but_a_shared_phrase_does_not():
    edited = PASSAGE.replace("推动项目早开工、早见效", "推动项目早开工")
    assert used_passages(f"标题\n{edited}", [PASSAGE]) == [True]
    assert used_passages("标题\n推动项目早开工、早见效。", [PASSAGE]) == [False]
