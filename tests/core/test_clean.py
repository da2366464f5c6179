"""Cleaning scraped text: site chrome, paywall markers, promo lines, counters, censored 党, cut paragraphs."""

from __future__ import annotations

import re

import pytest

from bigan.core.clean import clean_blocks
from bigan.core.corpus import parse_file
from bigan.core.models import Block
from bigan.core.textnorm import CJK


def _texts(path) -> list[str]:
    """Every title, heading and passage text parsed from a file."""
    _, documents = parse_file(path)
    texts = []
    for document in documents:
        texts.append(document.title)
        texts.extend(s.heading for s in document.sections)
        texts.extend(p.text for p in document.passages)
    return texts


CHROME = [
    "诺仪文秘网",
    "热门搜索",
    "当前位置",
    "浏览数",
    "推荐访问",
    "相关文章",
    "供您参考",
    "参考查阅",
    "欢迎大家前来",
]


@pytest.mark.parametrize("word", CHROME)
def test_web_page_chrome_is_gone_from_seed_004(seed, word):
    assert not [t for t in _texts(seed("004")) if word in t]


def test_top_link_line_is_gone_from_seed_004(seed):
    assert not [t for t in _texts(seed("004")) if t.strip().lower() == "top"]


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_paywall_markers_are_gone(seed, number):
    assert not [t for t in _texts(seed(number)) if "paidbegin" in t.lower() or "paidend" in t.lower()]


def test_trailing_counters_of_seed_002_are_gone(seed):
    texts = _texts(seed("002"))
    assert not [t for t in texts if "3789694" in t or '");' in t]
    _, documents = parse_file(seed("002"))
    assert documents[-1].passages[-1].text.endswith("。")


def test_promotional_lines_of_seed_003_are_gone(seed):
    assert not [t for t in _texts(seed("003")) if "哒哒" in t]


def test_censored_party_is_restored_in_seed_003(seed):
    texts = _texts(seed("003"))
    assert any("党的二十大" in t for t in texts)
    assert not [t for t in texts if re.search(r"(?<![A-Za-z])D[的员委建]", t)]


@pytest.mark.parametrize("number", ["002", "004"])
def test_half_width_commas_between_chinese_are_full_width_in_seeds(seed, number):
    between_cjk = re.compile(f"[{CJK}][,;:][{CJK}]")
    assert not [t for t in _texts(seed(number)) if between_cjk.search(t)]


def test_latin_words_with_d_are_not_taken_for_party():
    blocks = clean_blocks([Block("全年GDP的增长达到百分之五，CAD图纸和DVD光盘已归档，D的建设全面加强，D员干部带头。")])
    text = blocks[0].text
    assert "GDP的增长" in text
    assert "CAD图纸" in text
    assert "DVD光盘" in text
    assert "党的建设" in text
    assert "党员干部" in text


def test_generic_site_chrome_lines_are_dropped_and_body_kept():
    body = "全年完成固定资产投资任务，重点项目建设取得新突破。"
    blocks = clean_blocks(
        [
            Block("当前位置：首页 > 范文大全 > 工作总结"),
            Block("浏览数：2345  发布时间：2023-12-09"),
            Block("##paidbegin##" + body),
            Block("以下是小编为大家整理的工作总结范文，供您参考！"),
            Block("Top"),
        ]
    )
    assert [b.text for b in blocks if b.text] == [body]


def test_real_headings_that_mention_reading_or_sharing_are_kept():
    headings = ["（三）推进全民阅读", "3.开展经验分享交流", "二、加强新闻宣传和舆论引导"]
    blocks = clean_blocks([Block(h) for h in headings])
    assert [b.text for b in blocks] == headings


def test_paragraph_cut_off_with_replacement_char_is_marked_truncated(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_text(
        "某局2023年工作总结\n"
        "一、主要工作成效\n"
        "全年新开工项目十五个，完成投资任务的百分之一百二十，重点项目建设取得新突破，招商引资\ufffd\n"
        "二、下一步打算\n"
        "坚持稳中求进工作总基调，全力推动高质量发展。\n",
        encoding="utf-8",
    )

    _, documents = parse_file(path)
    passages = documents[0].passages
    cut = [p for p in passages if p.text.startswith("全年新开工项目")]
    whole = [p for p in passages if p.text.startswith("坚持稳中求进")]

    assert len(cut) == 1
    assert cut[0].truncated
    assert "\ufffd" not in cut[0].text
    assert not any("\ufffd" in p.template for p in passages)
    assert whole and not whole[0].truncated


def _kept(*lines: str) -> list[str]:
    return [b.text for b in clean_blocks([Block(line) for line in lines]) if b.text]


BODY = "全年完成固定资产投资任务，重点项目建设取得新突破。"


@pytest.mark.parametrize(
    "toolbar",
    [
        ["【", "字号", "大", "中", "小", "】"],
        ["【字体：大 中 小】", "【我要打印】【关闭本页】"],
        ["打印", "收藏", "分享到", "微信", "微博"],
    ],
)
def test_toolbars_split_over_lines_are_dropped(toolbar):
    assert _kept(*toolbar, BODY) == [BODY]


def test_single_characters_that_are_widget_labels_only_go_beside_a_toolbar():
    assert _kept("小", BODY) == ["小", BODY]


@pytest.mark.parametrize(
    "byline",
    [
        "信息来源：某县人民政府 发布时间：2025-03-02 浏览次数：88",
        "稿件来源：某市融媒体中心   发布日期：2025年02月14日",
        "作者：王某 责任编辑：李某",
        "时间：2026-02-02",
        "索引号：000014349/2026-00012　主题分类：综合政务",
    ],
)
def test_label_colon_value_lines_are_dropped(byline):
    assert _kept(byline, BODY) == [BODY]


def test_a_sentence_with_a_colon_is_not_a_byline():
    line = "主要预期目标是：地区生产总值增长5%左右，城镇调查失业率控制在5.5%以内。"
    assert _kept(line) == [line]


@pytest.mark.parametrize(
    "caption",
    [
        "（新华社记者 张某 摄）",
        "图为工作人员在检查设备。",
        "航拍的新区全景。通讯员 李某某 摄",
        "某某同志作报告。本报记者 刘某摄",
    ],
)
def test_photo_captions_are_dropped(caption):
    assert _kept(BODY, caption) == [BODY]


@pytest.mark.parametrize("counter", ["— 3 —", "第2页 共5页", "上一页 1 2 3 下一页"])
def test_page_counters_are_dropped(counter):
    assert _kept(BODY, counter) == [BODY]


def test_a_line_broken_at_a_subscript_is_joined_without_losing_a_character():
    lines = ["空气质量持续改善，细颗粒物（PM", "2.5", "）平均浓度下降3%。"]
    assert _kept(*lines) == ["".join(lines)]


def test_a_sentence_broken_at_inline_links_is_joined():
    lines = ["今年经济社会发展的", "主要预期目标", "是：地区生产总值增长5%左右。"]
    assert _kept(*lines) == ["".join(lines)]


def test_in_a_page_with_blank_line_paragraphs_consecutive_lines_are_one_paragraph():
    lines = ["本次人民代表大会第一次会议，在听取了", "关于计划草案的报告", "并进行讨论以后，会议通过了决议。"]
    blocks = [Block(t) for t in [*lines, "", BODY, ""]]
    assert [b.text for b in clean_blocks(blocks) if b.text] == ["".join(lines), BODY]


def test_a_heading_is_not_joined_with_the_text_after_it():
    assert _kept("一、2025年工作回顾", "过去一年，全市经济运行稳中有进。") == [
        "一、2025年工作回顾",
        "过去一年，全市经济运行稳中有进。",
    ]


def test_in_a_page_with_blank_line_paragraphs_a_menu_one_item_a_line_stays_apart():
    blocks = [Block(t) for t in ["机构概况", "政务公开", "政策解读", "", BODY, ""]]
    assert [b.text for b in clean_blocks(blocks) if b.text] == ["机构概况", "政务公开", "政策解读", BODY]


def test_a_subscript_broken_out_twice_is_joined_back_both_times():
    lines = (
        "去年全市细颗粒物（PM",
        "2.5",
        "）平均浓度下降百分之六，空气质量优良天数比例继续提高。",
        "",
        "今年要坚决打好蓝天保卫战，细颗粒物（PM",
        "2.5",
        "）浓度继续下降，臭氧污染得到有效控制。",
    )
    kept = [t for t in _kept(*lines) if t]
    assert kept == [
        "去年全市细颗粒物（PM2.5）平均浓度下降百分之六，空气质量优良天数比例继续提高。",
        "今年要坚决打好蓝天保卫战，细颗粒物（PM2.5）浓度继续下降，臭氧污染得到有效控制。",
    ]


def test_a_sentence_split_at_a_zero_width_line_is_one_paragraph_again():
    lines = [
        "（二）深化重要领域和关键环节改革。",
        "",
        "要全面深化各领域改",
        "\u200b",
        "革，加快推进基础性、关键性改革，增强内生发展动力。",
        "",
        "经济增速是综合性指标，今年预期目标设定",
        " \u200b ",
        "为6%以上，有利于引导各方面集中精力推进改革创新。",
        "",
        "下一段落照常开始。",
    ]
    texts = [b.text for b in clean_blocks([Block(line) for line in lines]) if b.text]
    assert "要全面深化各领域改革，加快推进基础性、关键性改革，增强内生发展动力。" in texts
    assert "经济增速是综合性指标，今年预期目标设定为6%以上，有利于引导各方面集中精力推进改革创新。" in texts
    assert "下一段落照常开始。" in texts and len(texts) == 4
