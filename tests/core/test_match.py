"""Matching a heading to corpus passages: relevance, explanations, diversity and safety."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigan.core.match import PER_DOCUMENT, Matcher
from bigan.core.placeholders import FIELD

SAFETY = re.compile("安全|应急|隐患|信访|稳定|平安|风险|消防|防汛")


@pytest.fixture
def matcher(bundled_matcher) -> Matcher:
    """The session's matcher over the bundled bank."""
    return bundled_matcher


def test_paraphrased_safety_heading_finds_safety_passages(matcher):
    results = matcher.match("守牢安全底线", limit=5)
    assert len(results) == 5
    about_safety = [r for r in results if SAFETY.search(r.text) or SAFETY.search(r.source.heading)]
    assert len(about_safety) >= 4


def test_each_result_explains_itself(matcher):
    results = matcher.match("（二）优化营商环境，激发市场活力", limit=8)
    assert results
    for r in results:
        assert r.kind in {"paragraph", "item"}
        assert r.freq >= 1
        assert r.source.title and r.source.file.endswith(".txt") and r.source.year
    assert any("营商环境" in r.terms or "营商" in r.terms for r in results)


def test_template_turns_placeholders_into_fields(matcher):
    results = matcher.match("一是经济指标齐头并进", limit=10)
    with_marks = [r for r in results if "*" in r.text or "xx" in r.text or "XXX" in r.text]
    assert with_marks
    assert all(FIELD in r.template for r in with_marks)


def test_number_and_run_in_body_do_not_change_the_topic(matcher):
    plain = {r.entry_id for r in matcher.match("狠抓经济发展，持续注入新动能", limit=5)}
    numbered = {
        r.entry_id for r in matcher.match("（一）狠抓经济发展，持续注入新动能。一是经济指标齐头并进。", limit=5)
    }
    assert len(plain & numbered) >= 3


def test_boilerplate_shared_by_several_documents_shows_its_frequency(matcher):
    results = matcher.match("经济指标齐头并进", limit=10)
    assert any(r.freq >= 3 for r in results)


def test_no_near_identical_passages_and_a_cap_per_document(matcher):
    for heading in ("招商引资", "党风廉政建设", "（三）着力提升粮油应急保供能力", "民族团结进步创建"):
        results = matcher.match(heading, limit=10)
        texts = [r.text for r in results]
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                assert a not in b and b not in a
        per_doc = Counter((r.source.title, r.source.file) for r in results)
        assert max(per_doc.values()) <= PER_DOCUMENT


def test_items_and_paragraphs_are_both_offered(matcher):
    kinds = {r.kind for h in ("项目建设", "乡村振兴", "安全生产") for r in matcher.match(h, limit=10)}
    assert kinds == {"item", "paragraph"}


@pytest.mark.parametrize(
    "heading",
    [
        "",
        "   ",
        '"',
        '""AND"',
        "AND OR NEAR",
        "NEAR(安全 生产)",
        "*",
        "(一",
        "）",
        "😀🎉",
        "\x00\x01\x1f",
        "x" * 10_000,
        "安全" * 5_000,
        "'; drop table entries; --",
        "^招商",
        "col:招商",
        "一、",
        "（一）",
    ],
)
def test_awkward_headings_never_raise(matcher, heading):
    results = matcher.match(heading)
    assert isinstance(results, list)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_gives_results_or_nothing(matcher, heading):
    results = matcher.match(heading, limit=5)
    assert len(results) <= 5
    for r in results:
        assert r.text
