"""Removing scrape noise from imported paragraphs by its shape: site chrome, toolbars, bylines, captions, counters."""

from __future__ import annotations

import re

from core.models import Block
from core.rejoin import rejoin_fragments
from core.textnorm import has_cjk, normalize_lines

_MARKERS = re.compile(r"#{2}\s*paid(?:begin|end)\s*#{2}", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|cn|net|org|gov)(?:\.cn)?\b", re.IGNORECASE)
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

# The words page widgets are labelled with: a line made only of these is a toolbar, not text.
_WIDGETS = frozenset(
    (
        "下载 打印 全屏 收藏 分享 关闭 字号 字体 加大 减小 还原 默认 放大 缩小 返回 顶部 "
        "纠错 复制 链接 复制链接 微信 微博 朋友圈 扫码 二维码 手机版 评论 点赞 转发 保存 繁体 "
        "简体 无障碍 长者模式 关怀版 读屏 朗读 语音播报 视力保护色 打印本页 关闭窗口 打印此页 "
        "关闭本页 返回顶部 返回首页 首页 上一篇 下一篇 返回列表 字号大 字号中 字号小 大字 中字 "
        "小字 分享到 收藏本页 打印文章 文章纠错 我要纠错 我要打印 我要收藏 正文 背景色 "
    ).split()
)
# Single characters that are widget labels only beside other widgets (【字号：大 中 小】).
_WIDGET_CHARS = frozenset("大中小默认")
_WIDGET_SPLIT = re.compile(r"[\s【】\[\]「」<>《》|｜/:：·•,，、()（）]+")
_BRACKETS_ONLY = re.compile(r"^[【】\[\]|｜/<>]+$")
# Label–colon–value lines that describe the page rather than say anything: 来源：北京日报 时间：2026-02-02.
_META_LABELS = (
    r"来源|信息来源|文章来源|稿源|出处|时间|日期|发布|发布时间|发布日期|发布机构|发文机关|发文字号|成文日期|作者|撰稿|"
    r"编辑|责任编辑|编审|审核|校对|摄影|字号|字体|点击|点击数|浏览|浏览量|浏览次数|阅读|阅读量|访问量|索引号|主题分类|"
    r"分类|主题词|文号|体裁分类|公开方式|公开范围|有效性|主办单位|承办单位|主办|承办|协办|技术支持|联系电话|联系我们|"
    r"网站标识码|网站地图|邮编|地址|传真|电话|邮箱|备案号|打印|关闭"
)
# Labels are also known by how they end (稿件来源, 发布日期, 阅读次数, 发布机构…).
_META_SUFFIX = r"[\u4e00-\u9fff]{0,4}(?:来源|日期|时间|次数|作者|编辑|机构|单位|分类|索引号|文号|字号|点击|浏览)"
_META_PAIR = re.compile(rf"(?:^|[\s\u3000|｜【\[]+)(?:{_META_LABELS}|{_META_SUFFIX})\s*[:：]")
_ANY_PAIR = re.compile(r"[\u4e00-\u9fff]{2,6}\s*[:：]\s*[^\s:：，。；]{1,40}")
_GLUED_PAIR = re.compile(rf"(?:{_META_LABELS}|{_META_SUFFIX})\s*[:：]")
_LICENCE_ID = re.compile(r"ICP\s*备|ICP证|公网安备|网站标识码|备案号", re.IGNORECASE)
# Photo captions: "…。本报记者 王某摄", "（新华社记者 张三 摄）", "图为…", "▲…", "xx 供图".
_CAPTION = re.compile(
    r"(?:记者|通讯员|摄影|实习生)[\s\u3000]*[\u4e00-\u9fff·]{2,8}(?:[\s\u3000]*[、和][\u4e00-\u9fff·]{2,4})*[\s\u3000]*摄(?:影)?[）)。]?$"
    r"|[\s\u3000（(][\u4e00-\u9fff·]{2,4}[\s\u3000]*摄[）)]?$|(?:供图|制图|资料图片?|图片来源[:：].*|新华社发)[）)]?$"
    r"|^(?:图为|▲|△|图[:：]|图片[:：]|上图|下图|左图|右图)"
)
# Page counters and pagers; a bare number is left to the Latin-only filter, as it may be a broken-off subscript.
_PAGER = r"(?:上一页|下一页|首页|尾页|末页|上页|下页)"
_COUNTER = re.compile(
    rf"^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[/／共]\s*\d+\s*页?)?|共\s*\d+\s*页|"
    rf"(?:(?:\d+|\.\.\.)\s*)*{_PAGER}(?:\s*(?:{_PAGER}|\d+|\.\.\.))*)$"
)
MAX_META_LINE = 90
MAX_CAPTION = 80


def _is_widget_token(token: str) -> bool:
    return token in _WIDGETS or token.lower() in {"top", "a", "a+", "a-", "qq"}


def toolbar_kind(text: str) -> str | None:
    """'toolbar' for a line of widget labels, 'widget' for a lone bracket or 大/中/小 that needs a neighbour."""
    if _BRACKETS_ONLY.match(text):
        return "widget"
    tokens = [t for t in _WIDGET_SPLIT.split(text) if t]
    if not tokens or len(text) > 60:
        return None
    if all(_is_widget_token(t) or t in _WIDGET_CHARS for t in tokens):
        return "toolbar" if any(_is_widget_token(t) for t in tokens) else "widget"
    return None


def _is_byline(text: str) -> bool:
    if len(text) > MAX_META_LINE:
        return False
    if _LICENCE_ID.search(text):
        return True
    labelled = _META_PAIR.search(text)
    if labelled is None:
        return False
    # One labelled pair with a date, a source or more pairs beside it; never a sentence that happens to use a colon.
    if text.rstrip()[-1:] in "。！？；" or "，" in text:
        return False
    pairs = max(len(_ANY_PAIR.findall(text)), len(_GLUED_PAIR.findall(text)))
    return pairs >= 2 or labelled.start() == 0 or _DATE.search(text) is not None


def line_kind(text: str) -> str | None:
    """What kind of page furniture a whole line is (nav, promo, toolbar, byline, caption, counter), or None."""
    if _NAV_START.search(text):
        return "nav"
    if _PROMO.search(text):
        return "promo"
    toolbar = toolbar_kind(text)
    if toolbar:
        return toolbar
    if _is_byline(text):
        return "byline"
    if len(text) <= MAX_CAPTION and _CAPTION.search(text):
        return "caption"
    if _COUNTER.match(text):
        return "counter"
    if _URL.search(text) and len(text) < 120:
        return "nav"
    # Short meta lines such as "云海 分享 时间:" name a tool word and end in a colon or carry a date.
    if (
        len(text) <= 24
        and _NAV_WORDS.search(text) is not None
        and (text.endswith((":", "：")) or _DATE.search(text) is not None)
    ):
        return "nav"
    return None


def _drop_widget_runs(kinds: list[str | None], texts: list[str]) -> list[bool]:
    """Which lines to drop: chrome lines, and lone widgets (大, 】) standing in a run beside a toolbar line."""
    drop = [k is not None and k != "widget" for k in kinds]
    n = len(kinds)
    i = 0
    while i < n:
        if kinds[i] not in ("widget", "toolbar"):
            i += 1
            continue
        j = i
        while j < n and (kinds[j] in ("widget", "toolbar") or not texts[j]):
            j += 1
        run = range(i, j)
        if any(kinds[k] == "toolbar" for k in run) or sum(kinds[k] == "widget" for k in run) >= 3:
            for k in run:
                drop[k] = drop[k] or bool(texts[k])
        i = j
    return drop


def clean_blocks(blocks: list[Block]) -> list[Block]:
    """Normalise every paragraph, drop the ones that are page furniture and re-join lines a page broke apart.

    Blank lines stay as separators.
    """
    raw_lines = [_MARKERS.sub("", b.text) if "#" in b.text else b.text for b in blocks]
    cut = [_TRUNCATED in line for line in raw_lines]
    texts = normalize_lines([line.replace(_TRUNCATED, "") for line in raw_lines])
    kinds = [line_kind(text) if text else None for text in texts]
    drop = _drop_widget_runs(kinds, texts)
    kept: list[Block] = []
    for block, text, truncated, dropped in zip(blocks, texts, cut, drop):
        if dropped:
            continue
        kept.append(Block(text, block.style_level, block.is_title, truncated or block.truncated) if text else Block(""))
    return [b for b in rejoin_fragments(kept) if not b.text or has_cjk(b.text)]
