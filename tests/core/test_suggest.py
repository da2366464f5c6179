"""Outline suggestions mined from the corpus: next headings and document skeletons."""

from __future__ import annotations

import pytest

from core import suggest
from core.match import Matcher


@pytest.fixture
def matcher(bundled_matcher) -> Matcher:
    """The session's matcher over the bundled bank."""
    return bundled_matcher


def test_skeletons_name_the_usual_kinds_with_document_counts(matcher):
    skeletons = suggest.skeletons(matcher)
    kinds = {s.kind: s for s in skeletons}
    assert {"工作总结及工作计划", "政府工作报告"} <= set(kinds)
    assert kinds["政府工作报告"].documents == 9
    for s in skeletons:
        assert 1 <= s.following <= s.documents
        assert s.outline and all(level == 1 for level, _ in s.outline)
        assert s.outline[0][1].startswith("一、")


def test_skeleton_years_become_fill_in_fields(matcher):
    outlines = [text for s in suggest.skeletons(matcher) for _, text in s.outline]
    assert any("××××年" in text for text in outlines)
    assert not any("2023年" in text for text in outlines)


def test_after_a_summary_chapter_comes_the_plan_or_the_problems(matcher):
    found = suggest.next_headings(matcher, "一、2023年工作总结")
    assert found
    top = [h.text for h in found[:3]]
    assert any(("安排" in t or "计划" in t or "思路" in t or "问题" in t) for t in top)
    assert found[0].count >= found[-1].count


def test_documents_usually_open_with_a_summary_chapter(matcher):
    found = suggest.next_headings(matcher, "")
    assert "工作总结" in found[0].text or "回顾" in found[0].text


def test_children_of_a_plan_chapter_are_level_2_headings(matcher):
    found = suggest.child_headings(matcher, "三、2024年工作计划")
    assert found and all(h.level == 2 for h in found)


def test_unknown_heading_suggests_nothing(matcher):
    assert suggest.next_headings(matcher, "😀") == []
