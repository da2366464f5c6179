"""Draft checks: each fault a reviewer would circle is found, explained and, where mechanical, fixed."""

from __future__ import annotations

import pytest

from core.checks import apply_fixes, check_text
from core.clean import clean_blocks
from core.corpus import split_documents
from core.decode import read_source


def kinds_at(text: str, kind: str) -> list[tuple[int, str]]:
    """(line, message) of the findings of one kind."""
    return [(f.line, f.message) for f in check_text(text) if f.kind == kind]


def test_unfilled_fields_and_missing_numbers_are_found():
    text = "某局2025年工作总结\n完成财政收入亿元，同比增长x%，新增企业XXX家，投资＊亿元。\n"
    found = [f for f in check_text(text) if f.kind == "placeholder"]
    assert {f.line for f in found} == {2}
    messages = " ".join(f.message for f in found)
    assert "“亿元”前缺少数字" in messages and "XXX" in messages and "x%" in messages
    assert all(f.fix is None for f in found)


def test_skipped_and_repeated_numbers_are_found_and_renumbered():
    text = "题目\n一、总体情况\n（一）甲\n（二）乙\n（四）丙\n二、问题\n二、打算\n"
    found = [f for f in check_text(text) if f.kind == "numbering"]
    assert [(f.line, f.fix) for f in found] == [(5, "（三）"), (7, "三、")]
    assert "跳号" in found[0].message and "重复" in found[1].message
    fixed = apply_fixes(text, found)
    assert fixed.splitlines()[4] == "（三）丙" and fixed.splitlines()[6] == "三、打算"
    assert not [f for f in check_text(fixed) if f.kind == "numbering"]


def test_a_jumped_level_is_reported_without_a_guess():
    found = [f for f in check_text("题目\n一、工作\n1.抓落实\n") if f.kind == "numbering"]
    assert len(found) == 1 and "层级跳跃" in found[0].message and found[0].fix is None


def test_a_draft_with_more_than_99_top_headings_is_checked_without_a_crash():
    lines = ["题目"] + [f"{chinese}、节" for chinese in ("一", "二", "三")] * 40
    found = [f for f in check_text("\n".join(lines)) if f.kind == "numbering"]
    assert found[-1].fix == "120、" and found[0].fix == "四、"


def test_numbers_restart_under_each_parent():
    text = "题目\n一、甲\n（一）子\n（二）子\n二、乙\n（一）子\n1.孙\n2.孙\n（二）子\n1.孙\n"
    assert kinds_at(text, "numbering") == []


def test_mixed_styles_at_one_level_are_found_and_unified():
    text = "题目\n一、甲\n（一）子\n1.孙\n2、孙\n"
    found = [f for f in check_text(text) if f.kind == "numbering"]
    assert [(f.line, f.fix) for f in found] == [(5, "2.")]
    assert "不一致" in found[0].message


def test_half_width_marks_quotes_doubles_and_heading_full_stop_are_fixed():
    text = '题目\n（一）项目建设。\n我们坚持"项目为王",推进(重点)工作:抓落实;见实效。。\n'
    found = [f for f in check_text(text) if f.kind == "punctuation"]
    assert any("句号" in f.message for f in found if f.line == 2)
    fixed = apply_fixes(text, found)
    assert fixed.splitlines()[1] == "（一）项目建设"
    assert fixed.splitlines()[2] == "我们坚持“项目为王”，推进（重点）工作：抓落实；见实效。"


def test_stale_years_are_found_and_rolled_forward():
    text = (
        "某局2025年工作总结\n一、2023年工作总结\n2023年以来，全局完成了年度任务。\n引用《规划（2021—2025年）》不算。\n"
    )
    found = [f for f in check_text(text) if f.kind == "year"]
    assert [f.line for f in found] == [2, 3]
    assert "2023" in found[0].message and "2025" in found[0].message
    fixed = apply_fixes(text, found, ("year",))
    assert fixed.splitlines()[1] == "一、2025年工作总结"
    assert fixed.splitlines()[3] == text.splitlines()[3]


def test_last_years_comparison_is_not_stale():
    assert kinds_at("某局2025年工作总结\n比2024年增长一成。\n", "year") == []


def test_a_phrase_repeated_in_a_short_span_is_found():
    text = "题目\n坚持高质量发展，推动高质量发展，实现高质量发展。\n高质量发展是主题。\n"
    found = [f for f in check_text(text) if f.kind == "repetition"]
    assert len(found) == 1 and found[0].line == 2
    assert "高质量发展" in found[0].message


def test_a_clean_draft_has_no_findings():
    text = "某局2025年工作总结\n一、总体情况\n（一）项目建设\n全年新开工项目十五个，完成投资八亿元。\n二、下一步打算\n"
    assert check_text(text) == []


@pytest.mark.parametrize("number", range(1, 10))
def test_seed_004_documents_raise_no_false_numbering_findings(seed, number):
    documents = split_documents(clean_blocks(read_source(seed("004")).blocks), "004")
    title, blocks = documents[number - 1]
    text = "\n".join([title, *(b.text for b in blocks if b.text)])
    assert kinds_at(text, "numbering") == []
