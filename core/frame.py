"""What surrounds a report's body: its title, date line and byline, salutations, appendices, and the page's tail."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bigan.core.headings import match_heading
from bigan.core.licence import licence_terms
from bigan.core.models import Block

# Kinds of document that a title names; a title line has one of these words in it.
_REPORT_WORDS = re.compile(
    r"总结|计划|报告|汇报|讲话|思路|安排|打算|谋划|要点|方案|意见|发言|述职|致辞|汇编|规划|纲要|决定|通知|纪要|"
    r"工作|情况|建议|说明|公报|白皮书"
)
# A second title line under the first (政府工作报告 under 2022年…政府工作报告) ends with the kind of document.
_KIND_END = re.compile(r"(?:报告|总结|计划|要点|讲话|发言|方案|意见|汇报|规划|纲要|安排|打算|思路)(?:（[^）]*）)?$")
_SENTENCE_MARKS = re.compile(r"[。！？!?；;，,：:]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九ＯO]{4}年")
_DATE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?|((?:19|20)\d{2})[-./](\d{1,2})(?:[-./](\d{1,2}))?"
)
_CN_NUMBER = re.compile(r"[一二三四五六七八九十]{1,3}(?=[月日])")
_OFFICE = r"(?:[省市县区州盟旗镇乡]长|总理|副总理|主席|主任|书记|局长|厅长|处长|部长|委员长|代表|秘书长)"
_NAME_LINE = re.compile(
    rf"^(?:[\u4e00-\u9fff]{{0,16}}{_OFFICE}(?:代理)?[\s\u3000]*)?[\u4e00-\u9fff](?:[\s\u3000]?[\u4e00-\u9fff]){{1,3}}$"
)
_OFFICE_LINE = re.compile(rf"^[\u4e00-\u9fff]{{0,16}}{_OFFICE}[\s\u3000]*$")
# Salutations: a line (or its opening) addressing the audience, ending in a colon or an exclamation mark.
_AUDIENCE = r"(?:各位|同志们|朋友们|女士们|先生们|代表们|委员们|来宾们|各位代表|各位委员|各位领导|各位来宾|同志)"
_SALUTATION = re.compile(rf"^(?:[\u4e00-\u9fff]{{0,6}}{_AUDIENCE}[\u4e00-\u9fff]{{0,6}}[、，,]?)+\s*[：:！!]$")
_OPENING = re.compile(
    r"(?:^|[。！])(?:[^，。]{2,8}[，,])?(?:现在|下面|首先)?[，,]?(?:受[^，。]{1,20}委托[，,])?我代表[^，。]{2,30}[，,]"
)
# End matter: glossaries and notes, appendices; a standalone label line starts each.
_GLOSSARY = re.compile(
    r"^[\u4e00-\u9fff]{0,6}(?:名词解释|名词注释|名词解析|名词释义|注释|注解|附注|释义|词语解释)[：:]?$"
)
_APPENDIX = re.compile(
    r"^(?:附件|附表|附录|附)\s*[0-9一二三四五六七八九十]*\s*(?:[：:].{0,60}|[\u4e00-\u9fff“”（）\d]{0,40})$"
)
_RELATED = re.compile(
    r"^[▼▽↓·•【\[\s]*(?:相关|延伸|推荐|更多|往期|热点|精彩|参考资料|参考文献|资料来源|词条统计)[\u4e00-\u9fff]{0,6}[】\]]?\s*(?:[：:]|>+|》+|＞+)?$"
)
TITLE_WINDOW = 30
# The formula that ends a report or a speech: 特此报告。 以上报告，请予审议。 谢谢大家！
_CLOSING = re.compile(
    r"^(?:特此(?:报告|通知|函告|汇报)|以上(?:报告|汇报|意见)[，,]?(?:请予?|如无不妥，?请)?[\u4e00-\u9fff]{0,6}|"
    r"妥否，?请[\u4e00-\u9fff]{1,4}|谢谢大家|谢谢)[。！!]?$"
)
MAX_CLOSING = 24
# Lines after the title within which a salutation opens the speech.
FRONT_LINES = 8
_UNIT = re.compile(r"[省市县区州盟旗镇乡村局委办厅处室站所院校馆中心公司园]|政府|人大|政协")
_TAG = re.compile(r"[\[【][^\]】]{1,6}[\]】]")
_FILE_NAME = re.compile(r"\.(?:docx?|wps|pdf|txt|rtf|odt)$", re.IGNORECASE)
_BULLETS = "·•▪▫◆◇■□●○►▶▼"
MAX_TITLE = 60
SUBSTANTIAL = 50
EDGE_LINE = 24
# An opening paragraph only says who reports to whom; a longer one carries content and stays a passage.
MAX_OPENING = 150


@dataclass
class Frame:
    """A document's title, date and year, and its body with each paragraph's role marked."""

    title: str
    date: str = ""
    year: int | None = None
    blocks: list[Block] = field(default_factory=list)
    titled: bool = False
    signature: list[str] = field(default_factory=list)


def title_like(text: str) -> bool:
    """Whether a line reads as a document title: short, no sentence marks, naming a kind of document."""
    return (
        4 <= len(text) <= MAX_TITLE
        and _SENTENCE_MARKS.search(re.sub(r"《[^》]*》|（[^）]*）", "", text)) is None
        and _REPORT_WORDS.search(text) is not None
        and match_heading(text) is None
        and not text.startswith(("——", "—", "（", "("))
        and _SALUTATION.match(text) is None
    )


def is_related_label(text: str) -> bool:
    """Whether a line only announces a list of links (相关阅读, ▼ 往期推荐, 延伸阅读：)."""
    return len(text) <= 16 and _RELATED.match(text) is not None


def is_salutation(text: str) -> bool:
    """Whether a whole line only addresses the audience (各位代表：, 同志们！)."""
    return len(text) <= 30 and _SALUTATION.match(text) is not None


def _substantial(block: Block) -> bool:
    text = block.text
    return (
        (len(text) >= SUBSTANTIAL and _SENTENCE_MARKS.search(text) is not None)
        or match_heading(text, block.style_level) is not None
        or is_salutation(text)
    )


def _cn_digits(text: str) -> str:
    return "".join(_CN_DIGITS.get(c, c) for c in text)


def _cn_number(match: re.Match[str]) -> str:
    text = match.group()
    if text == "十":
        return "10"
    if text.startswith("十"):
        return "1" + _cn_digits(text[1:])
    if text.endswith("十"):
        return _cn_digits(text[:-1]) + "0"
    return _cn_digits(text.replace("十", ""))


def parse_date(text: str) -> str:
    """The first date written in text as ISO (2026-01-18, or 2026-01 without a day); Chinese numerals too."""
    text = _CN_YEAR.sub(lambda m: _cn_digits(m.group()), text)
    text = _CN_NUMBER.sub(_cn_number, text)
    found = _DATE.search(text)
    if found is None:
        return ""
    year, month, day = (found.group(1), found.group(2), found.group(3)) if found.group(1) else found.groups()[3:]
    if not 1 <= int(month) <= 12 or (day and not 1 <= int(day) <= 31):
        return ""
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def _date_line(text: str) -> bool:
    """A line giving when and where a report was delivered (——2026年1月18日在…会议上, （2026年1月20日…）)."""
    if len(text) > 90 or not parse_date(text):
        return False
    rest = _DATE.sub("", _CN_NUMBER.sub("", _CN_YEAR.sub("", text))).strip("—－-（）() \u3000")
    return (
        not rest or rest.startswith(("在", "于")) or "会议" in rest or "大会" in rest or rest.endswith(("上", "讲话"))
    )


def _name_line(text: str) -> bool:
    return len(text) <= 24 and (_NAME_LINE.match(text) is not None or _OFFICE_LINE.match(text) is not None)


def _title_year(title: str) -> int | None:
    found = _YEAR.search(_CN_YEAR.sub(lambda m: _cn_digits(m.group()), title))
    return int(found.group(1)) if found else None


def _mark(blocks: list[Block], index: int, role: str) -> None:
    blocks[index] = replace(blocks[index], role=role)


def _title_score(text: str) -> int:
    """How much a title-like line looks like a document's own title (a year, a unit, a kind at its end)."""
    return (
        bool(_YEAR.search(text)) + bool(_UNIT.search(text)) + 2 * bool(_KIND_END.search(text)) - bool(_TAG.search(text))
    )


def _subtitle(text: str) -> bool:
    """A line under a speech's title: ——在…会议上的讲话, ——2026年1月9日在…上."""
    return text.startswith(("——", "—", "－－")) and len(text) <= 90


def _find_title(blocks: list[Block], lines: list[int]) -> int | None:
    """The title among the lines before the body: the best title-like one, or a slogan over a ——subtitle."""
    best: tuple[int, int] | None = None
    window = lines[:TITLE_WINDOW]
    for n, pos in enumerate(window):
        block = blocks[pos]
        if block.is_title:
            return pos
        if _substantial(block):
            break
        text = block.text
        following = blocks[window[n + 1]].text if n + 1 < len(window) else ""
        over_subtitle = _subtitle(following) and len(text) <= MAX_TITLE and not _SENTENCE_MARKS.search(text)
        if over_subtitle or (title_like(text) and _FILE_NAME.search(text) is None):
            score = _title_score(text) + over_subtitle
            if best is None or score > best[0]:
                best = (score, pos)
    return best[1] if best else None


def _sign_off(blocks: list[Block], lines: list[int]) -> int | None:
    """Where a signature (the unit's name over a date) ends the document, in its last part."""
    tail_from = lines[len(lines) * 2 // 3] if lines else 0
    for n in range(len(lines) - 1, 0, -1):
        pos = lines[n]
        if pos < tail_from:
            return None
        text = blocks[pos].text
        if len(text) <= 16 and parse_date(text) and not _DATE.sub("", text).strip("（）() \u3000"):
            above = blocks[lines[n - 1]].text
            if len(above) <= EDGE_LINE and not _SENTENCE_MARKS.search(above) and not match_heading(above):
                return lines[n - 1]
    return None


def _trim_tail(blocks: list[Block], lines: list[int], frame: Frame) -> int:
    """Index after the document's last line of content: related links, licence text and sign-off lines go."""
    end = len(blocks)
    signed = _sign_off(blocks, lines)
    if signed is not None:
        for pos in lines:
            if pos >= signed:
                frame.date = frame.date or parse_date(blocks[pos].text)
                frame.signature.append(blocks[pos].text)
        end = signed
    tail_from = lines[len(lines) * 3 // 4] if lines else 0
    for pos in lines:
        if pos < tail_from or pos >= end:
            continue
        text = blocks[pos].text
        if _RELATED.match(text) or (licence_terms(text) >= 2 and not match_heading(text)):
            end = pos
            break
    while end > 0:
        pos = end - 1
        text = blocks[pos].text
        if not text:
            end = pos
            continue
        bullet = text[0] in _BULLETS and len(text) <= MAX_TITLE
        if not bullet and (
            len(text) > EDGE_LINE or _SENTENCE_MARKS.search(text) or match_heading(text) or _APPENDIX.match(text)
        ):
            break
        if not frame.date and parse_date(text):
            frame.date = parse_date(text)
        end = pos
    return end


def read_frame(blocks: list[Block], fallback_title: str) -> Frame:
    """Find a document's title, date line and byline, mark salutations, openings and end matter, drop its edges."""
    blocks = list(blocks)
    lines = [i for i, b in enumerate(blocks) if b.text]
    frame = Frame(fallback_title)
    start = 0
    at = _find_title(blocks, lines)
    if at is not None:
        frame.title, frame.titled = blocks[at].text, True
        start = at + 1
        after = [pos for pos in lines if pos >= start]
        salutation = next((n for n, pos in enumerate(after[:FRONT_LINES]) if is_salutation(blocks[pos].text)), None)
        for n, pos in enumerate(after):
            block = blocks[pos]
            text = block.text
            if salutation is not None and n < salutation:
                # Between a title and the salutation that opens the speech stand only its byline and an editor's lead.
                if _date_line(text) or _subtitle(text):
                    frame.date = frame.date or parse_date(text)
                _mark(blocks, pos, "front")
                continue
            if _substantial(block):
                break
            if _date_line(text) or _subtitle(text):
                frame.date = frame.date or parse_date(text)
            elif not (_name_line(text) or (title_like(text) and _KIND_END.search(text)) or len(text) <= 6):
                continue
            _mark(blocks, pos, "front")
    end = _trim_tail(blocks, lines, frame)
    body = blocks[start:end]
    _mark_roles(body)
    frame.blocks = [b for b in body if b.role != "front"]
    frame.year = int(frame.date[:4]) if frame.date else _title_year(frame.title)
    return frame


def _mark_roles(blocks: list[Block]) -> None:
    """Mark salutations, the 现在，我代表… opening, and glossaries and appendices with everything after them."""
    lines = [i for i, b in enumerate(blocks) if b.text]
    region = ""
    half = lines[len(lines) // 2] if lines else 0
    opening_until = lines[min(len(lines) - 1, max(4, len(lines) // 4))] if lines else 0
    for pos in lines:
        text = blocks[pos].text
        if pos >= half and len(text) <= 40:
            if _GLOSSARY.match(text):
                region = "glossary"
            elif _APPENDIX.match(text):
                region = "appendix"
        if region:
            _mark(blocks, pos, region)
        elif is_salutation(text):
            _mark(blocks, pos, "salutation")
        elif len(text) <= MAX_CLOSING and _CLOSING.search(text):
            _mark(blocks, pos, "closing")
        elif pos <= opening_until and len(text) <= MAX_OPENING and _OPENING.search(text):
            _mark(blocks, pos, "opening")
