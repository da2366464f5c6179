"""Outline suggestions mined from the corpus: next headings and document skeletons."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import suggest
from core.match import Matcher


@pytest.fixture
def matcher(bundled_matcher) -> Matcher:
    """The session's matcher over the bundled bank."""
    return bundled_matcher


def test_skeletons_have_two_levels_and_distinct_names(matcher):
    skeletons = suggest.skeletons(matcher)
    kinds = {s.kind for s in skeletons}
    assert "工作总结及工作计划" in kinds
    names = [s.name for s in skeletons]
    assert len(set(names)) == len(names)  # two skeletons of one kind are told apart
    for s in skeletons:
        assert 1 <= s.following <= s.documents
        assert s.outline[0] == (1, s.outline[0][1]) and s.outline[0][1].startswith("一、")
        assert {level for level, _ in s.outline} <= {1, 2}
    assert any(level == 2 for s in skeletons for level, _ in s.outline)
    shared = [s for s in skeletons if sum(t.kind == s.kind for t in skeletons) > 1]
    assert all(s.name.startswith(s.kind + "（") for s in shared)


def test_department_reports_are_not_government_work_reports(matcher):
    # The bundled corpus holds 政府部门工作汇报 (department reports), none of a government's own 政府工作报告.
    kinds = {s.kind for s in suggest.skeletons(matcher)}
    assert "政府工作报告" not in kinds and "工作汇报" in kinds


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("某市人民政府2025年政府工作报告", "政府工作报告"),
        ("政府工作报告——2024年1月在某县第十八届人民代表大会第三次会议上", "政府工作报告"),
        ("2023年某区政府部门工作汇报（3）", "工作汇报"),
        ("关于落实2024年政府工作报告重点任务的情况报告", "其他材料"),
        ("某镇2024年上半年工作总结", "上半年工作总结"),
        ("某局2024年工作总结和2025年工作打算", "工作总结及工作计划"),
    ],
)
def test_document_kind_reads_what_a_title_names(title, kind):
    assert suggest.document_kind(title) == kind


@pytest.mark.parametrize(
    ("title", "generic"),
    [
        ("某县商务局2025年工作总结和2026年工作打算", "××县××局××××年工作总结和××××年工作打算"),
        ("某市发展和改革委员会2024年工作要点", "××市××委员会××××年工作要点"),
        ("某区人民政府2023年工作报告（2）", "××区人民政府××××年工作报告"),
        ("2024年上半年某开发区管委会工作总结", "××××年上半年××开发区管委会工作总结"),
    ],
)
def test_titles_lose_the_source_specifics(title, generic):
    assert suggest.generic_title(title) == generic


def test_skeleton_titles_carry_no_source_specifics(matcher):
    titles = [t for s in suggest.skeletons(matcher) for t in s.titles]
    assert titles and all("××" in t for t in titles)
    assert not any(ch.isdigit() for t in titles for ch in t)


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


def test_a_real_government_work_report_gives_its_own_skeleton(tmp_path):
    from core import bank
    from core.paths import BUNDLED_CORPUS

    real = Path(__file__).resolve().parents[1] / "data" / "realdocs" / "statecouncil_2025.txt"
    db = tmp_path / "bank.db"
    bank.build([BUNDLED_CORPUS, real], db)
    matcher = Matcher(db)
    try:
        found = {s.kind: s for s in suggest.skeletons(matcher)}
    finally:
        matcher.close()
    report = found["政府工作报告"]
    assert report.documents == 1  # the one real report, not the nine department reports
    assert "工作汇报" in found and found["工作汇报"].documents == 9
    assert any(level == 2 for level, _ in report.outline) and report.outline[0][1].startswith("一、")
