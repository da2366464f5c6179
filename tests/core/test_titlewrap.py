"""Title line breaks: whole words, balanced lines that fit the text block, computed from the page layout."""

from __future__ import annotations

import itertools

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bigan.core import gbt9704, segment
from bigan.core.titlewrap import capacity, text_width, title_lines

TITLES = [
    "关于进一步加快推进县域经济高质量发展和全面深化改革的实施意见",
    "某县商务局2025年工作总结和2026年工作计划",
    "某县2025年上半年工作总结和下半年工作打算",
    "中共某县委员会关于印发《某县深化“放管服”改革优化营商环境实施方案》的通知",
    "关于2024年国民经济和社会发展计划执行情况与2025年国民经济和社会发展计划草案的报告",
    "某市人民政府办公室关于加快推进新型工业化高质量发展的若干措施",
]


def _word_ends(title: str) -> set[int]:
    segment.load_jieba()
    return set(itertools.accumulate(len(w) for w in jieba.cut(title, HMM=False)))


def test_the_text_block_holds_about_20_title_characters():
    assert capacity() == pytest.approx(156 / (22 * 25.4 / 72), abs=0.01)
    assert 20 < capacity() < 20.2
    assert capacity(gbt9704.PageLayout(left_mm=20, right_mm=20)) > capacity()


def test_a_title_that_fits_stays_on_one_line():
    assert title_lines("某局2023年工作总结") == ["某局2023年工作总结"]
    assert title_lines("") == []


@pytest.mark.parametrize("title", TITLES)
def test_long_titles_break_between_words_into_balanced_lines_that_fit(title):
    lines = title_lines(title)
    widths = [text_width(line) for line in lines]
    breaks = list(itertools.accumulate(len(line) for line in lines))[:-1]

    assert len(lines) >= 2 and "".join(lines) == title
    assert max(widths) <= capacity() and min(widths) >= max(widths) / 2
    assert all(len(line) >= 2 for line in lines)
    assert set(breaks) <= _word_ends(title)
    for before, after in itertools.pairwise(lines):
        assert (before[-2:], after[:2]) not in {("加快", "推进"), ("进一", "步"), ("质量", "发展")}
        assert not after.startswith(("的", "》", "”", "，")) and not before.endswith(("《", "“"))


def test_the_sample_title_no_longer_leaves_one_character_alone():
    assert title_lines("某县商务局2024年工作总结和2025年工作计划") == ["某县商务局2024年工作总结", "和2025年工作计划"]


def test_a_narrower_text_block_takes_more_lines():
    narrow = gbt9704.PageLayout(left_mm=50, right_mm=50)
    title = TITLES[0]

    assert len(title_lines(title, narrow)) > len(title_lines(title))
    assert max(text_width(line) for line in title_lines(title, narrow)) <= capacity(narrow)


_PHRASES = st.sampled_from(
    [
        "关于",
        "进一步",
        "加快推进",
        "县域经济",
        "高质量发展",
        "和",
        "全面深化改革",
        "的",
        "实施意见",
        "2025年",
        "工作总结",
        "某县人民政府",
        "营商环境",
        "《",
        "》",
        "安全生产",
        "通知",
        "若干措施",
        "乡村振兴",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PHRASES, min_size=1, max_size=14))
def test_any_title_keeps_its_text_and_fits_or_stays_whole(phrases):
    title = "".join(phrases)
    lines = title_lines(title)

    assert "".join(lines) == title
    if len(lines) > 1:
        widths = [text_width(line) for line in lines]
        assert max(widths) <= capacity() and min(widths) >= max(widths) / 2
