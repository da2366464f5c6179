"""How the matcher ranks, against a small in-memory bank: role, level, recency, boilerplate, generic headings."""

from __future__ import annotations

from bigan.core.match import Context, Matcher
from tests.fake_bank import FakeDocument, FakeReader, FakeSection

REVIEW = "全年新开工重点项目30个，完成项目投资85亿元，项目建设取得明显成效，一批重大项目建成投产。"
PLAN = "加快推进重点项目建设，全年计划新开工项目30个以上，确保重大项目早开工、早投产、早见效。"
PROBLEMS = "项目储备不足，大项目、好项目偏少，项目建设要素保障仍有短板，招商引资后劲不足。"


def _reader(**links) -> FakeReader:
    return FakeReader(
        [
            FakeDocument(
                "某县2024年工作总结和2025年工作计划",
                2024,
                [
                    FakeSection(1, "一、", "2024年工作总结", []),
                    FakeSection(2, "（一）", "抓好项目建设", [REVIEW]),
                    FakeSection(1, "二、", "存在的问题", [PROBLEMS]),
                    FakeSection(1, "三、", "2025年工作计划", []),
                    FakeSection(2, "（一）", "抓好项目建设", [PLAN]),
                ],
            )
        ],
        links=links,
    )


def _texts(matcher: Matcher, heading: str, **context) -> list[str]:
    return [m.text for m in matcher.match(heading, limit=5, context=Context(**context))]


def test_a_plan_heading_gets_plan_passages_and_a_review_heading_review_ones():
    matcher = Matcher(reader=_reader())
    plan = _texts(matcher, "（一）项目建设", path=("三、2026年工作打算",), level=2)
    review = _texts(matcher, "（一）项目建设", path=("一、2025年工作总结",), level=2)
    assert plan[0] == PLAN
    assert review[0] == REVIEW


def test_a_generic_chapter_heading_gets_its_role_passages_never_nothing():
    matcher = Matcher(reader=_reader())
    assert _texts(matcher, "二、存在的问题", level=1)[0] == PROBLEMS
    assert _texts(matcher, "四、下一步打算", level=1)


def test_newer_documents_win_near_ties():
    same = "深化营商环境改革，推行企业开办一网通办，审批时限压缩一半以上。"
    older, newer = FakeDocument("2010年工作总结", 2010, []), FakeDocument("2024年工作总结", 2024, [])
    older.sections = [FakeSection(1, "一、", "优化营商环境", [same + "全年新增市场主体1万户。"])]
    newer.sections = [FakeSection(1, "一、", "优化营商环境", [same + "全年新增市场主体2万户。"])]
    matcher = Matcher(reader=FakeReader([older, newer]))
    assert "2万户" in _texts(matcher, "一、优化营商环境", year=2025)[0]
    assert "1万户" in _texts(matcher, "一、优化营商环境", year=2011)[0]


def test_a_level_2_heading_prefers_level_2_sections_to_a_chapter_lead():
    lead = "今年要着力抓好扩大有效投资、推进科技创新、改善民生等几个方面的工作，全力推动经济持续向好。"
    detail = "扩大有效投资，聚焦交通、水利、能源等领域，全年实施重点项目200个，完成投资500亿元以上。"
    doc = FakeDocument(
        "2025年工作计划",
        2025,
        [
            FakeSection(1, "一、", "扩大有效投资推动经济向好", [lead]),
            FakeSection(2, "（一）", "扩大有效投资", [detail]),
        ],
    )
    matcher = Matcher(reader=FakeReader([doc]))
    assert _texts(matcher, "（二）扩大有效投资", level=2)[0] == detail


def test_boilerplate_and_announcements_rank_below_content():
    content = "建立重点企业包联制度，全年走访企业300家，协调解决用地、融资等问题120个，企业满意度明显提升。"
    announce = "围绕上述目标，我们将着力抓好以下几个方面工作："
    common = "在县委、县政府的坚强领导下，我们坚持稳中求进工作总基调，扎实做好各项工作。"
    docs = [
        FakeDocument(f"某局{2015 + n}年工作总结", 2015 + n, [FakeSection(1, "一、", "优化企业服务", [common], freq=8)])
        for n in range(8)
    ]
    docs.append(FakeDocument("某局2024年工作总结", 2024, [FakeSection(1, "一、", "优化企业服务", [announce, content])]))
    matcher = Matcher(reader=FakeReader(docs))
    assert _texts(matcher, "一、优化企业服务")[0] == content


def test_associations_from_the_corpus_reach_words_the_heading_does_not_use():
    clean = "严格落实中央八项规定精神，持续纠治“四风”，推进廉洁机关建设，干部队伍廉洁自律意识明显增强。"
    other = "推进政务服务标准化，全年办理政务服务事项12万件，群众满意率达到98%以上。"
    doc = FakeDocument(
        "某局2024年工作总结",
        2024,
        [FakeSection(1, "一、", "加强作风建设", [clean]), FakeSection(1, "二、", "提升服务水平", [other])],
    )
    plain = Matcher(reader=FakeReader([doc]))
    linked = Matcher(reader=FakeReader([doc], links={"干净": {"廉洁": 1.0, "廉洁自律": 0.8}}))
    assert clean not in _texts(plain, "始终把干净作为修身之基")
    assert _texts(linked, "始终把干净作为修身之基")[0] == clean


def test_a_generic_plan_chapter_is_answered_from_chapters_named_only_by_their_part():
    outlook = "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，城镇新增就业1.2万人。"
    topical = "深化国有企业改革，完成县属国有企业整合重组，国有资本运营效率明显提升。"
    doc = FakeDocument(
        "某县2024年政府工作报告",
        2024,
        [FakeSection(1, "二、", "2024年重点工作", [outlook]), FakeSection(1, "三、", "深化改革扩大开放", [topical])],
    )
    # 政府 and 建议 are written beside reform in this corpus; that must not turn the chapter heading into reform.
    links = {"政府": {"国有企业": 1.0, "重组": 0.9}, "建议": {"国有资本": 1.0}}
    matcher = Matcher(reader=FakeReader([doc], links=links))
    assert _texts(matcher, "三、对今年政府工作的建议", level=1)[0] == outlook


def test_a_result_worded_subheading_of_a_plan_chapter_holds_plans():
    doc = FakeDocument(
        "某县2024年政府工作报告",
        2024,
        [
            FakeSection(1, "一、", "2023年工作回顾", []),
            FakeSection(2, "（一）", "项目建设取得新成效", [REVIEW]),
            FakeSection(1, "二、", "2024年重点工作", []),
            FakeSection(2, "（一）", "推动项目建设取得新突破", [PLAN]),
        ],
    )
    matcher = Matcher(reader=FakeReader([doc]))
    assert _texts(matcher, "（一）项目建设", path=("三、2025年工作打算",), level=2)[0] == PLAN
    assert _texts(matcher, "（一）推动项目建设取得新突破", path=("二、2025年重点工作",), level=2)[0] == PLAN
