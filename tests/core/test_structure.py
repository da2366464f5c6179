"""Outline structure: heading levels and numbers, run-in headings, enumerated items, lead sentences."""

from __future__ import annotations

import pytest

from bigan.core.corpus import parse_file
from bigan.core.headings import match_heading
from bigan.core.models import Block
from bigan.core.outline import OutlineParser
from bigan.core.structure import build_document


def _document(*lines: str):
    return build_document("某局2023年工作总结", "test.txt", [Block(line) for line in lines])


def test_seed_000_first_document_has_2_chapters_and_12_subsections(seed):
    _, documents = parse_file(seed("000"))
    levels = [s.level for s in documents[0].sections]
    assert levels.count(1) == 2
    assert levels.count(2) == 12


def test_seed_001_run_in_heading_keeps_its_body_as_a_passage(seed):
    _, documents = parse_file(seed("001"))
    document = documents[0]
    matches = [s for s in document.sections if s.heading == "狠抓经济发展，持续注入新动能"]

    assert len(matches) == 1
    heading = matches[0]
    assert (heading.level, heading.number) == (2, "（一）")
    assert not [s for s in document.sections if "一是" in s.heading or "经济指标" in s.heading]
    index = document.sections.index(heading)
    body = [p for p in document.passages if p.section == index and p.kind == "paragraph"]
    assert body and body[0].text.startswith("一是经济指标齐头并进")


def test_seed_001_items_get_their_first_clause_as_heading(seed):
    _, documents = parse_file(seed("001"))
    items = [p for p in documents[0].passages if p.kind == "item"]
    first = [p for p in items if p.text.startswith("一是经济指标齐头并进")]

    assert len(first) == 1
    assert first[0].heading == "经济指标齐头并进"
    assert any(p.text.startswith("二是") for p in items)


def test_items_split_a_paragraph_into_reusable_units():
    document = _document(
        "一、主要工作",
        "一是加快项目开工。全年新开工项目十五个。二是强化要素保障。落实用地指标一百二十亩。三是优化服务。",
    )
    items = [p for p in document.passages if p.kind == "item"]

    assert [p.heading for p in items] == ["加快项目开工", "强化要素保障", "优化服务"]
    assert [p.text[:2] for p in items] == ["一是", "二是", "三是"]
    assert all(p.section == 0 for p in items)


def test_a_paragraph_with_one_marker_has_no_items():
    document = _document("一是加快项目开工，全年新开工项目十五个，完成投资任务。")
    assert not [p for p in document.passages if p.kind == "item"]


@pytest.mark.parametrize(
    ("line", "level", "heading"),
    [
        ("一、主要工作成效", 1, "主要工作成效"),
        ("（一）狠抓项目建设", 2, "狠抓项目建设"),
        ("(一)狠抓项目建设", 2, "狠抓项目建设"),
        ("( 二 ) 优化营商环境", 2, "优化营商环境"),
        ("1.项目储备不足", 3, "项目储备不足"),
        ("1、项目储备不足", 3, "项目储备不足"),
        ("1．项目储备不足", 3, "项目储备不足"),
        ("（1）加强督查考核", 4, "加强督查考核"),
        ("(1)加强督查考核", 4, "加强督查考核"),
    ],
)
def test_numbered_headings_get_their_level(line, level, heading):
    found = match_heading(line)
    assert found is not None
    assert (found.level, found.text) == (level, heading)


def test_half_width_parenthesised_number_is_a_level_2_heading_in_a_document():
    document = _document("一、主要工作", "(一)狠抓项目建设", "全年新开工项目十五个，完成投资任务。")
    assert [(s.level, s.heading) for s in document.sections] == [(1, "主要工作"), (2, "狠抓项目建设")]
    assert document.sections[1].parent == 0


@pytest.mark.parametrize(
    "line",
    ["1.5亿元专项资金已全部拨付到位。", "2.3万人次参加了技能培训。", "12.8%的增幅位居全市第一。"],
)
def test_a_decimal_at_line_start_is_not_a_heading(line):
    assert match_heading(line) is None
    document = _document("一、主要工作", line)
    assert [s.heading for s in document.sections] == ["主要工作"]
    assert [p.text for p in document.passages] == [line]


def test_unnumbered_lead_sentence_becomes_the_passage_heading():
    text = "完善机制，提升招引效率。坚持顶格推进，主要负责同志带队赴长三角、珠三角等地开展招商活动。"
    document = _document("一、主要工作", text)
    (passage,) = [p for p in document.passages if p.kind == "paragraph"]
    assert passage.heading == "完善机制，提升招引效率"
    assert passage.text == text
    assert [s.heading for s in document.sections] == ["主要工作"]


def test_seed_003_lead_sentence_is_a_passage_heading(seed):
    _, documents = parse_file(seed("003"))
    passages = [p for d in documents for p in d.passages if p.text.startswith("完善机制，提升招引效率。")]
    assert passages
    assert passages[0].heading == "完善机制，提升招引效率"


def test_ordinary_sentence_is_not_taken_for_a_lead_sentence():
    document = _document("今年以来，我局认真贯彻县委部署。全年完成各项目标任务，群众满意度明显提升。")
    assert document.passages[0].heading == ""


def test_sections_record_their_parent_path():
    document = _document(
        "一、主要工作",
        "（一）狠抓项目建设",
        "1.加快项目开工",
        "（1）建立项目台账",
        "全年新开工项目十五个，完成投资任务。",
    )
    assert [s.level for s in document.sections] == [1, 2, 3, 4]
    assert document.sections[3].path == ("主要工作", "狠抓项目建设", "加快项目开工")
    assert document.passages[0].section == 3


def test_long_numbered_sentences_are_items_not_headings_cut_at_a_comma():
    long_one = (
        "（一）在稳定粮食播种面积的同时，在不占用基本农田和生态保护红线的前提下，"
        "组织各乡镇有计划地整治撂荒地和低效园地，使耕地质量逐年有较大的提高。"
    )
    long_two = (
        "（二）按照集中连片和统筹布局的原则，在条件成熟的村建设一批蔬菜、茶叶、食用菌等特色产业基地，"
        "使它们成为带动农民增收的主要来源。"
    )
    document = _document("一、主要任务", long_one, long_two, "（三）加强农村道路建设，方便群众出行。", "二、保障措施")
    assert [s.heading for s in document.sections] == ["主要任务", "保障措施"]
    assert long_one.removeprefix("（一）") in [p.text for p in document.passages]
    # A single long sentence is not cut into a heading and a body, in the outline either.
    outline = OutlineParser().parse("\n".join(["一、主要任务", long_one, long_two, "二、保障措施"]))
    assert [h.label for h in outline] == ["一、主要任务", "二、保障措施"]
