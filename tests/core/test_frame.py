"""A document's frame: its title among page furniture, date line, byline, salutations, end matter and tail."""

from __future__ import annotations

from bigan.core.clean import clean_blocks
from bigan.core.corpus import parse_file
from bigan.core.frame import parse_date, read_frame
from bigan.core.models import Block

BODY = "过去一年，面对复杂严峻的外部环境，全县经济运行稳中有进，地区生产总值增长5.6%，固定资产投资增长8.2%。"


def _frame(*lines: str):
    return read_frame(clean_blocks([Block(line) for line in lines]), "文件名")


def test_the_title_is_found_after_site_furniture_with_its_date_and_speaker():
    frame = _frame(
        "首页 > 政务公开 > 规划计划",
        "2025年南湖县人民政府工作报告",
        "——2025年2月10日在南湖县第十八届人民代表大会第四次会议上",
        "县长  赵红梅",
        "各位代表：",
        BODY,
    )
    assert (frame.title, frame.date, frame.year) == ("2025年南湖县人民政府工作报告", "2025-02-10", 2025)
    texts = [b.text for b in frame.blocks]
    assert texts[-1] == BODY
    assert not [t for t in texts if "赵红梅" in t or "会议上" in t or "首页" in t]


def test_without_a_date_line_the_year_comes_from_the_title():
    frame = _frame("某局2024年工作总结", BODY)
    assert (frame.title, frame.date, frame.year) == ("某局2024年工作总结", "", 2024)


def test_a_file_without_a_title_line_keeps_its_name_and_its_text():
    frame = _frame(BODY)
    assert frame.title == "文件名"
    assert [b.text for b in frame.blocks] == [BODY]


def test_dates_in_chinese_numerals_are_read():
    assert parse_date("（二〇二五年十二月二十八日在县委全会上）") == "2025-12-28"
    assert parse_date("2026年1月") == "2026-01"
    assert parse_date("第十三次会议") == ""


def test_salutations_and_the_opening_are_marked_not_left_as_body():
    frame = _frame(
        "2026年某市政府工作报告",
        "各位代表：",
        "现在，我代表市人民政府，向大会报告工作，请予审议。",
        "一、2025年工作回顾",
        BODY,
        "同志们！",
        BODY.replace("过去一年", "今后一年"),
    )
    roles = {b.text: b.role for b in frame.blocks}
    assert roles["各位代表："] == "salutation"
    assert roles["同志们！"] == "salutation"
    assert roles["现在，我代表市人民政府，向大会报告工作，请予审议。"] == "opening"
    assert roles[BODY] == ""


def test_glossary_and_appendix_are_marked_with_everything_after_them():
    body = [f"（{n}）第{n}项重点工作" if n % 2 else BODY for n in range(1, 9)]
    frame = _frame(
        "2026年某市政府工作报告",
        *body,
        "附：2026年十件民生实事",
        "1.新建改建城市道路10条，缓解交通拥堵。",
        "名词解释",
        "1.新质生产力：由技术革命性突破催生的先进生产力。",
    )
    roles = [b.role for b in frame.blocks if b.text]
    assert roles[: len(body)] == [""] * len(body)
    assert roles[len(body) :] == ["appendix", "appendix", "glossary", "glossary"]


def test_related_links_licence_and_sign_off_at_the_end_are_cut():
    frame = _frame(
        "2026年某市政府工作报告",
        *[BODY] * 6,
        "延伸阅读",
        "某市召开人民代表大会",
        "版权所有：某市人民政府 未经许可不得转载",
    )
    assert [b.text for b in frame.blocks if b.text] == [BODY] * 6


def test_a_report_ending_in_a_signature_takes_its_date():
    frame = _frame("某局2025年工作总结", *[BODY] * 4, "某县商务局", "2025年12月20日")
    assert frame.date == "2025-12-20"
    assert [b.text for b in frame.blocks if b.text] == [BODY] * 4


def test_unnumbered_chapters_that_carry_numbered_sections(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "某省2026年政府工作报告\n“十四五”时期工作回顾\n"
        + BODY
        + "\n（一）综合实力明显增强。地区生产总值达到1.3万亿元。\n（二）民生福祉不断增进。新增城镇就业180万人。\n"
        "2026年重点工作\n（一）扩大有效投资。全年完成重点项目投资3000亿元以上。\n",
        encoding="utf-8",
    )
    _, (document,) = parse_file(path)
    assert [(s.level, s.number, s.heading) for s in document.sections] == [
        (1, "", "“十四五”时期工作回顾"),
        (2, "（一）", "综合实力明显增强"),
        (2, "（二）", "民生福祉不断增进"),
        (1, "", "2026年重点工作"),
        (2, "（一）", "扩大有效投资"),
    ]


def test_a_compilation_title_line_does_not_split_a_single_report(tmp_path):
    path = tmp_path / "report.txt"
    chapter = "\n".join([BODY] * 4)
    path.write_text(
        f"2026年某市政府工作报告\n一、过去五年工作回顾\n{chapter}\n过去五年国内工作的基本总结\n二、今后五年的目标任务\n{chapter}\n",
        encoding="utf-8",
    )
    _, documents = parse_file(path)
    assert [d.title for d in documents] == ["2026年某市政府工作报告"]
