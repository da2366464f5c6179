"""Removing scrape noise from imported paragraphs: paywall markers, site chrome, blurbs, counters."""

from __future__ import annotations

import re

from core.models import Block
from core.textnorm import has_cjk, normalize_lines

_MARKERS = re.compile(r"#{2}\s*paid(?:begin|end)\s*#{2}", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|cn|net|org)(?:\.cn)?\b", re.IGNORECASE)
# Lines that begin with a site's navigation or tool words are chrome whatever their length.
_NAV_START = re.compile(
    r"^[•·\-*>|\s]*(?:热门搜索|热门标签|当前位置|您的位置|您现在的位置|首页\s*[>＞›]|浏览数|浏览次数|阅读数|"
    r"发布时间|更新时间|推荐访问|推荐阅读|相关文章|相关推荐|相关阅读|猜你喜欢|上一篇|下一篇|返回顶部|"
    r"返回列表|版权所有|免责声明|本文链接|本文地址|原文链接|责任编辑|来源[:：]|作者[:：]|标签[:：]|关键词[:：]|"
    r"扫一扫|打印本页|关闭窗口|点击查看|点击下载|下载全文|全文阅读|展开全文|收藏本文|分享到)"
)
_NAV_WORDS = re.compile(r"分享|时间[:：]|浏览|点击|收藏|评论|点赞|阅读|作者|来源|编辑|投稿|登录|注册|下载")
_PROMO = re.compile(
    r"(?:以下是|下面是|以下为|本文是|这是).{0,120}?(?:供您参考|供大家参考|仅供参考|参考查阅|欢迎(?:大家)?(?:阅读|参考|查阅|借鉴)|"
    r"希望对(?:您|你|大家)有(?:所)?帮助)"
    r"|欢迎(?:加入|关注|订阅|扫码)|(?:svip|vip)\s*会员|万字材料|关注公众号|微信公众号|加微信|QQ群|付费|充值"
    r"|(?:免费|立即)下载|添加客服|会员群|网盘群|加入请联系|代笔客服|素材库】",
    re.IGNORECASE,
)
_TRUNCATED = "\ufffd"
_DATE = re.compile(r"\d{4}[-/.年]\d{1,2}|\d{1,2}:\d{2}")


def _is_chrome(text: str) -> bool:
    if not has_cjk(text):
        return True
    if _NAV_START.search(text):
        return True
    if _URL.search(text) and len(text) < 120:
        return True
    # Short meta lines such as "云海 分享 时间:" name a tool word and end in a colon or carry a date.
    return (
        len(text) <= 24
        and _NAV_WORDS.search(text) is not None
        and (text.endswith((":", "：")) or _DATE.search(text) is not None)
    )


def clean_blocks(blocks: list[Block]) -> list[Block]:
    """Normalise every paragraph and drop the ones that are scrape noise; blank lines stay as separators."""
    cleaned: list[Block] = []
    raw_lines = [_MARKERS.sub("", b.text) if "#" in b.text else b.text for b in blocks]
    cut = [_TRUNCATED in line for line in raw_lines]
    texts = normalize_lines([line.replace(_TRUNCATED, "") for line in raw_lines])
    for block, text, truncated in zip(blocks, texts, cut):
        if not text:
            cleaned.append(Block(""))
            continue
        if _is_chrome(text) or _PROMO.search(text):
            continue
        cleaned.append(Block(text, block.style_level, block.is_title, truncated or block.truncated))
    return cleaned
