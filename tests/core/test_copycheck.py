"""The 查重 check against the phrase bank."""

from __future__ import annotations

import pytest

from bigan.core.copycheck import CopyChecker
from bigan.core.review import review

COPIED = "大力推进财源建设，突出抓好支柱产业、重点园区、骨干企业税源培植，全年税收再创新高。"
OWN = "本单位今年在档案数字化方面迈出一大步，馆藏目录全部录入新系统并向社会公开查询。"


@pytest.fixture(scope="module")
def checker(bundled_bank):
    """A copy checker over the bundled bank."""
    _, db = bundled_bank
    c = CopyChecker(db)
    yield c
    c.close()


def test_a_sentence_taken_word_for_word_is_found_with_its_source(checker):
    report = checker.check(f"题目\n{COPIED}\n")
    assert len(report.findings) == 1
    finding = report.findings[0]
    assert finding.kind == "copied" and finding.line == 2
    assert "管理区2023年工作总结及2024年工作计划" in finding.message
    assert report.share == pytest.approx(1.0)


def test_a_lightly_edited_sentence_still_counts(checker):
    edited = COPIED.replace("再创新高", "又创新高")
    assert checker.check(f"题目\n{edited}\n").findings


def test_own_words_are_not_flagged_and_share_is_partial(checker):
    report = checker.check(f"题目\n{OWN}\n{COPIED}\n")
    assert [f.line for f in report.findings] == [3]
    assert 0.3 < report.share < 0.7


def test_review_without_a_bank_notes_the_missing_copy_check(tmp_path):
    result = review(f"题目\n{COPIED}\n", tmp_path / "none.db")
    assert result.notes and "查重" in result.notes[0]
    assert result.copied_share == 0.0
