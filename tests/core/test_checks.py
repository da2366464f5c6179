"""Draft checks: each fault a reviewer would circle is found, explained and, where mechanical, fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bigan.core.checks import apply_fixes, check_text
from bigan.core.clean import clean_blocks
from bigan.core.corpus import split_documents
from bigan.core.decode import read_source


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


DATA = Path(__file__).resolve().parent.parent / "data" / "drafts"
SUMMARY_AND_PLAN = (DATA / "summary_and_plan.txt").read_text(encoding="utf-8")


def _line(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if fragment in line)


def test_numbered_sentences_keep_their_full_stops_and_raise_no_level_jump():
    found = check_text(SUMMARY_AND_PLAN)
    items = {_line(SUMMARY_AND_PLAN, start) for start in ("1.项目储备", "2.外贸企业", "3.商贸")}

    assert [f for f in found if f.line in items] == []
    assert apply_fixes(SUMMARY_AND_PLAN, found).count("偏少。") == 1


def test_numbered_items_are_still_counted_and_renumbered():
    text = SUMMARY_AND_PLAN.replace("2.外贸企业", "3.外贸企业")

    (finding,) = [f for f in check_text(text) if f.kind == "numbering"]

    assert finding.line == _line(text, "外贸企业抗风险") and finding.fix == "2."
    assert "2.外贸企业抗风险能力较弱。" in apply_fixes(text, [finding])


def test_a_short_numbered_heading_over_body_text_still_loses_its_full_stop():
    text = "某局2025年工作总结\n一、主要做法\n1.抓项目建设。\n全年新开工项目15个。\n"

    (finding,) = [f for f in check_text(text) if f.kind == "punctuation"]

    assert finding.line == 3 and apply_fixes(text, [finding]).split("\n")[2] == "1.抓项目建设"


def test_a_summary_and_plan_draft_has_a_year_per_chapter():
    found = [f for f in check_text(SUMMARY_AND_PLAN) if f.kind == "year"]

    (stale,) = found  # 2022 in the 2025 summary; 比2024年, 较2024年 and 2021年以来 are not leftovers
    assert (
        stale.line == _line(SUMMARY_AND_PLAN, "2022年全县")
        and SUMMARY_AND_PLAN.split("\n")[stale.line - 1][stale.start : stale.end] == "2022"
    )
    assert "2025" in stale.message
    fixed = apply_fixes(SUMMARY_AND_PLAN, found, ("year",))
    assert "比2024年增加3个" in fixed and "较2024年增长" in fixed and "比2025年增长5%" in fixed
    assert "在2025年基础上" in fixed


def test_the_plan_chapter_is_measured_against_the_planned_year():
    text = SUMMARY_AND_PLAN.replace("在2025年基础上", "在2024年基础上")

    found = [(f.line, f.fix) for f in check_text(text) if f.kind == "year"]

    assert (_line(text, "在2024年基础上"), None) not in found
    assert any(line == _line(text, "在2024年基础上") for line, _ in found)
    assert kinds_at(text.replace("在2024年基础上", "在2025年基础上"), "year") == kinds_at(SUMMARY_AND_PLAN, "year")


def test_the_year_given_moves_every_chapter():
    found = [f for f in check_text(SUMMARY_AND_PLAN, year=2027) if f.kind == "year"]

    flagged = [(SUMMARY_AND_PLAN.split("\n")[f.line - 1][f.start : f.end], f.message[-6:-1]) for f in found]
    # The 总结 is now about 2026 and the 打算 about 2027: 2024 and 2022 are old in the one, 2025 in the other.
    assert flagged == [("2024", "2026年"), ("2022", "2026年"), ("2024", "2026年")] + [("2025", "2027年")] * 2


HALF_YEAR = """某县2025年上半年工作总结和下半年工作打算
一、上半年工作总结
上半年，全县完成地区生产总值126亿元，同比增长5.8%，比2024年同期提高0.6个百分点。
2023年上半年全县完成固定资产投资40亿元。
二、存在的问题
部分重点项目进度滞后。
三、下半年工作打算
力争全年地区生产总值增长6%，确保完成2025年目标任务，增速不低于2024年。
"""


def test_a_half_year_draft_keeps_both_chapters_in_the_same_year():
    found = [f for f in check_text(HALF_YEAR) if f.kind == "year"]

    assert [(f.line, f.fix) for f in found] == [(4, "2025")]
    assert "2025" in found[0].message


def test_an_old_report_reused_whole_rolls_forward_keeping_its_comparisons():
    text = "某局2025年工作总结\n一、2023年工作总结\n2023年全年新增企业15家，比2022年增加3家。\n"

    found = [f for f in check_text(text) if f.kind == "year"]

    assert [f.fix for f in found] == ["2025", "2025", "2024"]
    assert apply_fixes(text, found).split("\n")[2] == "2025年全年新增企业15家，比2024年增加3家。"


def test_a_lone_stale_comparison_is_flagged_without_a_guess():
    text = "某局2025年工作总结\n2025年新增企业15家，比2022年增加3家。\n"

    (finding,) = [f for f in check_text(text) if f.kind == "year"]

    assert finding.fix is None and apply_fixes(text, [finding]) == text


def test_a_range_reaching_this_year_is_not_stale():
    assert kinds_at("某局2025年工作总结\n2021年至2025年累计完成投资80亿元。\n", "year") == []


def test_a_stretch_of_history_or_a_year_beside_this_years_figures_is_flagged_but_never_rewritten():
    text = (
        "某县2025年工作总结\n"
        "全县水利投资是1990年到2010年总和的1.7倍。2025年完成投资12亿元，从2019年的3亿元增加到12亿元。\n"
    )

    found = [f for f in check_text(text) if f.kind == "year"]

    assert [text.split("\n")[1][f.start : f.end] for f in found] == ["1990", "2010", "2019"]
    assert all(f.fix is None for f in found) and apply_fixes(text, found) == text
