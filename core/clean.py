"""Removing scrape noise from imported paragraphs by its shape: site chrome, toolbars, bylines, captions, counters."""

from __future__ import annotations

import re

from bigan.core.licence import licence_terms
from bigan.core.models import Block
from bigan.core.rejoin import DROPPED, INLINE, rejoin_fragments
from bigan.core.textnorm import has_cjk, normalize_lines

_MARKERS = re.compile(r"#{2}\s*paid(?:begin|end)\s*#{2}", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|cn|net|org|gov)(?:\.cn)?\b", re.IGNORECASE)
# Lines that begin with a site's navigation or tool words are chrome whatever their length.
_NAV_START = re.compile(
    r"^[•·\-*>|\s]*(?:热门搜索|热门标签|当前位置|您的位置|您现在的位置|首页\s*[>＞›]|浏览数|浏览次数|阅读数|"
    r"发布时间|更新时间|推荐访问|(?:推荐阅读|相关文章|相关推荐|相关阅读|相关链接|友情链接|相关报道|延伸阅读)[:：]\S|"
    r"猜你喜欢|上一篇|下一篇|返回顶部|"
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
        "小字 分享到 收藏本页 打印文章 文章纠错 我要纠错 我要打印 我要收藏 正文 背景色 图片 在看 阅读原文 "
        "回复 引用 举报 评分 沙发 板凳 地板 只看该作者 倒序浏览 阅读模式 返回列表 编辑 播报 讨论 纠错 "
    ).split()
)
# Single characters that are widget labels only beside other widgets (【字号：大 中 小】).
_WIDGET_CHARS = frozenset("大中小默认")
_WIDGET_SPLIT = re.compile(r"[\s【】\[\]「」<>《》|｜/:：·•,，、()（）]+")
_BRACKETS_ONLY = re.compile(r"^[【】\[\]|｜/<>]+$")
_BRACKETED = re.compile(r"[【\[]([^】\]]{1,20})[】\]]")
# Label–colon–value lines that describe the page rather than say anything: 来源：北京日报 时间：2026-02-02.
_META_LABELS = (
    r"来源|信息来源|文章来源|稿源|出处|时间|日期|发布|发布时间|发布日期|发布机构|发文机关|发文字号|成文日期|作者|撰稿|"
    r"编辑|责任编辑|编审|审核|校对|摄影|字号|字体|点击|点击数|浏览|浏览量|浏览次数|阅读|阅读量|访问量|索引号|主题分类|"
    r"分类|主题词|文号|体裁分类|公开方式|公开范围|有效性|主办单位|承办单位|主办|承办|协办|技术支持|联系电话|联系我们|"
    r"网站标识码|网站地图|邮编|地址|传真|电话|邮箱|备案号|打印|关闭"
)
# Labels are also known by how they end (稿件来源, 发布日期, 阅读次数, 发布机构…).
_META_SUFFIX = r"[\u4e00-\u9fff]{0,4}(?:来源|日期|时间|次数|作者|编辑|机构|单位|分类|索引号|文号|字号|点击|浏览)"
_META_PAIR = re.compile(rf"(?:^|[\s\u3000|｜【\[（(]+)(?:{_META_LABELS}|{_META_SUFFIX}|上传者|上传)\s*[:：｜|\]】]")
_ANY_PAIR = re.compile(r"[\u4e00-\u9fff]{2,6}\s*[:：｜]\s*[^\s:：，。；]{1,40}")
_GLUED_PAIR = re.compile(rf"(?:{_META_LABELS}|{_META_SUFFIX})\s*[:：｜]")
_LICENCE_ID = re.compile(r"ICP\s*备|ICP证|公网安备|网站标识码|备案号", re.IGNORECASE)
# Photo captions: "…。本报记者 王某摄", "（新华社记者 张三 摄）", "图为…", "▲…", "xx 供图".
_CAPTION = re.compile(
    r"(?:记者|通讯员|摄影|实习生)[\s\u3000]*[\u4e00-\u9fff·]{2,8}(?:[\s\u3000]*[、和][\u4e00-\u9fff·]{2,4})*[\s\u3000]*摄(?:影)?[）)。]?$"
    r"|[\s\u3000（(][\u4e00-\u9fff·]{2,4}[\s\u3000]*摄[）)]?$|(?:供图|制图|资料图片?|图片来源[:：].*|新华社发)[）)]?$"
    r"|^(?:图为|▲|△|图[:：]|图片[:：]|上图|下图|左图|右图)"
)
# Page counters, pagers and print-edition markers; a bare number is left to the Latin-only filter, as it may be a
# broken-off subscript.
_PAGER = r"(?:上一页|下一页|首页|尾页|末页|上页|下页|上一版|下一版|上一篇|下一篇|上一主题|下一主题)"
_COUNTER = re.compile(
    rf"^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页\s*(?:[/／]\s*)?(?:共\s*\d+\s*页)?|共\s*\d+\s*页|"
    rf"[（(]?(?:下转|上接|转下|接上|转第|接第)第?\s*\d+\s*[版页][）)]?|"
    rf"(?:(?:\d+|\.\.\.)\s*)*{_PAGER}(?:\s*(?:{_PAGER}|\d+|\.\.\.))*)$"
)
# A dated page or edition header: 2026年01月15日 星期四, 2026年01月15日 第04版：特别报道, 2026年第1期（总第245期）.
_EDITION = re.compile(
    r"^(?:(?:19|20)\d{2}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?\s*(?:星期|周)[一二三四五六日天]"
    r"|.{0,20}第\s*\d+\s*版(?:[：:].{0,12})?|(?:19|20)\d{2}\s*年\s*第\s*\d+\s*期(?:[（(].{0,12}[）)])?)$"
)
# Counts a page shows about itself: 阅读 1.1万　下载 392, 4.6分（128人评价）, 查看: 2816 | 回复: 14.
_COUNT = re.compile(
    r"(?:阅读|浏览|下载|查看|回复|点赞|收藏|评论|在看|分享|人评价|评分|字)\s*[:：]?\s*[\d.]+\s*[万千]?|[\d.]+\s*分"
)
# Editorial wrappers around a reprinted text, not part of it.
_EDITORIAL = re.compile(r"^(?:编者按|编者的话|编辑按|按语|转者注|转载说明|小编说|本帖最后由|原创\s)")
# Disclaimers of a document site or a reprint.
_DISCLAIMER = re.compile(
    r"仅供(?:学习)?参考|如有侵权|联系(?:平台|我们|本站|本网)?删除|由用户上传|用户上传分享|版权归原作者"
)
# What a page tells its reader to do with it: scan, tap, follow, slide, expand.
_PROMPT = re.compile(
    r"^[▼▽↓↑▲@\s]*(?:点击|轻触|长按|扫码|扫一扫|微信扫一扫|继续滑动|向上滑动|向下滑动|关注(?:我们|该|本)|"
    r"剩余\d+页|展开阅读|点击展开|您需要登录|登录后|立即注册|打开APP|打开客户端|下载客户端|Powered by)",
    re.IGNORECASE,
)
_FILE_NAME = re.compile(r"^\S{2,60}\.(?:docx?|wps|pdf|txt|rtf|odt|xlsx?)$", re.IGNORECASE)
# A time of day beside a date is a posting stamp, not part of a report: 2026年01月10日 17:30, 2026-1-11 09:15.
_DATE_TIME = re.compile(r"\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}")
# A table of contents: a heading, leader dots and a page number (基本情况……2), or the 目录 label itself.
_TOC = re.compile(r"(?:[…·．.]{3,}|…{2,})\s*\d{1,4}$|^目\s*录$")
# A wiki-style reference mark inside a sentence: [1], [2-3].
# (Written from the [ backwards, so re skips from one [ to the next: see core.textnorm.)
_NOTE_MARK = re.compile(r"\[(?<=[\u4e00-\u9fff，。；、”）]\[)\d{1,3}(?:[-–,，]\d{1,3})*\]")
# An infobox row as the page had it: a short label, a wide gap, a value (中文名　　某县2026年政府工作报告).
_INFOBOX = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:\u3000{2,}|[ \t]{2,}|\t)[^。！？；]{1,60}$")
# A menu or breadcrumb, seen before spaces are normalised: short items set apart by bars, wide gaps or arrows.
_MENU_GAP = re.compile(r"\s*[|｜]\s*|[ \u3000]{2,}|\u3000")
_CRUMB = re.compile(r"[»›＞>]")
_SENTENCE = re.compile(r"[。！？!?；;，]")
MENU_ITEM = 8
MAX_META_LINE = 90
MAX_CAPTION = 80
MAX_REPEATED = 30
TOP_LINES = 10


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
    segments = _BRACKETED.findall(text)
    if (
        len(segments) >= 2
        and _BRACKETED.sub("", text).strip() == ""
        and all(_is_widget_token(t.strip()) or _META_PAIR.match(t.strip()) for t in segments)
    ):
        return "toolbar"
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


def _may_be_toc(text: str) -> bool:
    """Whether _TOC can match at all: it ends in a digit (or a final line break) or starts with 目."""
    return text[-1:].isdigit() or text.endswith("\n") or text.startswith("目")


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
    if _COUNTER.match(text) or _EDITION.match(text) or (_may_be_toc(text) and _TOC.search(text)):
        return "counter"
    if len(text) <= MAX_META_LINE and (len(_COUNT.findall(text)) >= 2 or _COUNT.fullmatch(text)):
        return "counter"
    if _EDITORIAL.match(text) or (len(text) <= 160 and _DISCLAIMER.search(text) is not None):
        return "promo"
    if len(text) <= MAX_META_LINE and (_PROMPT.match(text) or _FILE_NAME.search(text) or _DATE_TIME.search(text)):
        return "nav"
    if len(text) <= 120 and licence_terms(text) >= 2:
        return "licence"
    if len(text) < 120 and _URL.search(text):
        return "nav"
    # Short meta lines such as "云海 分享 时间:" name a tool word and end in a colon or carry a date.
    if (
        len(text) <= 24
        and _NAV_WORDS.search(text) is not None
        and (text.endswith((":", "：")) or _DATE.search(text) is not None)
    ):
        return "nav"
    return None


def is_menu(raw: str) -> bool:
    """Whether a raw line (spaces as the page had them) is a menu or breadcrumb rather than text."""
    text = raw.strip()
    if not text or len(text) > 120 or _SENTENCE.search(text):
        return False
    if _CRUMB.search(text) and len(text) <= 60:
        return True
    items = [t for t in _MENU_GAP.split(text) if t.strip()]
    if len(items) < 3 or any(len(t.strip()) > MENU_ITEM for t in items):
        return False
    spaced = [t for t in re.split(r"\s+", text) if t]
    return len(items) >= 3 and (len(spaced) >= 5 or len(_MENU_GAP.findall(text)) >= 2)


def _wedged(texts: list[str], i: int) -> bool:
    """Whether line i sits inside a sentence (a subscript or link the page broke out, like 2.5 in PM 2.5)."""
    from bigan.core.rejoin import CONTINUES

    before, after = (texts[i - 1] if i else ""), (texts[i + 1] if i + 1 < len(texts) else "")
    return bool(before and after) and not _SENTENCE.search(before[-1:]) and after[0] in CONTINUES


def _repeated(texts: list[str]) -> set[int]:
    """Short lines a page repeats (running headers and footers): every occurrence but a first one near the top."""
    from collections import Counter

    from bigan.core.frame import is_salutation, title_like
    from bigan.core.headings import match_heading
    from bigan.core.rejoin import is_lone_marker

    counts = Counter(t for t in texts if t and len(t) <= MAX_REPEATED)
    filled = [i for i, t in enumerate(texts) if t]
    top = set(filled[:TOP_LINES])
    seen: set[str] = set()
    drop = set()
    for i, text in enumerate(texts):
        if counts.get(text, 0) < 2 or _SENTENCE.search(text[-1:]) or match_heading(text) or is_salutation(text):
            continue
        if is_lone_marker(text) or _wedged(texts, i):
            continue
        if text not in seen and i in top and title_like(text):
            seen.add(text)
            continue
        seen.add(text)
        drop.add(i)
    return drop


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


# A line of nothing but zero-width characters: no blank line of the text, only an inline element's edge.
_INVISIBLE = re.compile(r"\s*[\u200b-\u200d\u2060\ufeff][\s\u200b-\u200d\u2060\ufeff]*")


def clean_blocks(blocks: list[Block]) -> list[Block]:
    """Normalise every paragraph, drop the ones that are page furniture and re-join lines a page broke apart.

    Blank lines stay as separators.
    """
    raw_lines = [_MARKERS.sub("", b.text) if "#" in b.text else b.text for b in blocks]
    cut = [_TRUNCATED in line for line in raw_lines]
    texts = normalize_lines([_NOTE_MARK.sub("", line.replace(_TRUNCATED, "")) for line in raw_lines])
    kinds = [
        ("nav" if is_menu(raw) or _INFOBOX.match(raw.strip()) else line_kind(text)) if text else None
        for raw, text in zip(raw_lines, texts)
    ]
    drop = _drop_widget_runs(kinds, texts)
    for i in _repeated(texts):
        drop[i] = True
    kept: list[Block] = []
    for block, text, truncated, dropped in zip(blocks, texts, cut, drop):
        if dropped:
            kept.append(Block("", role=DROPPED))
        elif text:
            kept.append(Block(text, block.style_level, block.is_title, truncated or block.truncated))
        else:
            kept.append(Block("", role=INLINE if _INVISIBLE.fullmatch(block.text) else ""))
    return [b for b in rejoin_fragments(kept) if not b.text or has_cjk(b.text)]
