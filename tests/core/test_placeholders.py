"""Fill-in fields: placeholder marks and missing numbers become FIELD; real words and the source text stay."""

from __future__ import annotations

import re

import pytest

from bigan.core.models import Block
from bigan.core.placeholders import FIELD, fieldify_figures, find_placeholders, has_placeholder, to_template
from bigan.core.structure import build_document


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("完成税收*万元。", "*"),
        ("新签约项目x个。", "x"),
        ("预计xx亿元。", "xx"),
        ("XXX局全年完成任务。", "XXX"),
        ("X县经济稳中向好。", "X"),
        ("同比增长*%。", "*"),
        ("完成招商引资到位资金xx亿元。", "xx"),
        ("xxxx年重点工作情况", "xxxx"),
    ],
)
def test_placeholder_marks_become_fields(text, mark):
    template = to_template(text)
    assert FIELD in template
    assert mark not in template.replace(FIELD, "")
    assert has_placeholder(text)


def test_percent_and_unit_after_a_placeholder_are_kept():
    assert to_template("同比增长*%") == f"同比增长{FIELD}%"
    assert to_template("完成投资xx亿元") == f"完成投资{FIELD}亿元"


def test_missing_numbers_before_units_become_fields():
    template = to_template("完成财政收入亿元，同比增长%。")
    assert template == f"完成财政收入{FIELD}亿元，同比增长{FIELD}%。"


@pytest.mark.parametrize(
    "text",
    ["全年GDP增长5.2%。", "采购Xbox游戏机两台。", "完成投资3.5亿元，同比增长12%。", "建设xlsx数据报表系统。"],
)
def test_real_words_and_figures_are_not_placeholders(text):
    assert find_placeholders(text) == []
    assert to_template(text) == text
    assert not has_placeholder(text)


def test_passage_keeps_original_text_and_gets_a_template():
    text = "全年完成规上工业总产值*亿元，同比增长*%，新签约项目xx个。"
    document = build_document("某局工作总结", "test.txt", [Block("一、主要工作"), Block(text)])
    (passage,) = document.passages
    assert passage.text == text
    assert passage.template.count(FIELD) == 3
    assert "*" not in passage.template
    assert "xx" not in passage.template


def test_fieldify_figures_turns_figures_and_years_into_fields():
    text = "2023年完成产值12.5亿元，同比增长8.3%，新建3个项目，10月底全部投产。"
    out = fieldify_figures(text)
    assert not re.search(r"\d", out)
    assert out.count(FIELD) == 5
    assert "8.3%" not in out and f"{FIELD}%" in out
    assert "亿元" in out and "项目" in out


def test_fieldify_figures_keeps_placeholders_as_fields():
    out = fieldify_figures("完成税收*万元，增长xx%。")
    assert out == f"完成税收{FIELD}万元，增长{FIELD}%。"


def test_a_size_class_is_not_a_missing_number():
    assert find_placeholders("新签约亿元以上项目12个，培育万元级企业3家") == []
