"""Draft checks a reviewer would circle: unfilled fields, numbering, punctuation, stale years, repetition."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass

from bigan.core import years
from bigan.core.headings import HEADING_PATTERNS, HeadingMatch, classify, match_heading
from bigan.core.numbering import format_number, number_style, number_value
from bigan.core.placeholders import FIELD, find_placeholders
from bigan.core.textnorm import CJK

KINDS = ("placeholder", "numbering", "punctuation", "copied", "year", "repetition")
# What each kind is called in Chinese, wherever findings are shown.
KIND_NAMES = {
    "placeholder": "待填项",
    "numbering": "编号",
    "punctuation": "标点",
    "copied": "雷同",
    "year": "年份",
    "repetition": "重复用语",
}
FIXABLE = ("numbering", "punctuation", "year")

_CTX = f"[{CJK}“”‘’（）《》，。；：！？、]"
_HALF = {",": "，", ":": "：", ";": "；", "?": "？", "(": "（", ")": "）", "!": "！"}
_HALF_MARK = re.compile(f"(?<={_CTX})[,:;?()!]|[,:;?()!](?={_CTX})")
_STRAIGHT_QUOTES = re.compile(f'"([^"\\n]*[{CJK}][^"\\n]*)"')
_DOUBLED = re.compile(r"([，。；：、！？])\1+")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年)")
_BOOK_TITLE = re.compile(r"《[^》]*》")
_PHRASE = re.compile(f"[{CJK}]{{4,}}")
REPEAT_WINDOW = 300
REPEAT_TIMES = 3


@dataclass
class Finding:
    """One thing a reviewer would circle: where it is (1-based line, column span), why, and a fix if mechanical."""

    kind: str
    line: int
    start: int
    end: int
    message: str
    fix: str | None = None

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return asdict(self)


def check_placeholders(lines: list[str]) -> list[Finding]:
    """Fields left unfilled: *, x/xx/XXX, ××, x%, the field mark, or a unit missing its number."""
    found = []
    for n, line in enumerate(lines, start=1):
        for field in find_placeholders(line):
            if field.start == field.end:
                unit = line[field.start : field.start + 2]
                message = f"“{unit}”前缺少数字"
            else:
                message = f"待填写：“{field.text}”"
            found.append(Finding("placeholder", n, field.start, field.end, message))
        for match in re.finditer(FIELD, line):
            found.append(Finding("placeholder", n, match.start(), match.end(), "待填写的空白项"))
    return found


def _heading_number_span(line: str) -> tuple[int, int] | None:
    for _, pattern in HEADING_PATTERNS:
        m = pattern.match(line)
        if m:
            return m.start(), m.start() + len(m.group(0).rstrip())
    return None


def _numbered(lines: list[str]) -> list[tuple[int, HeadingMatch, bool]]:
    """(1-based line, match, is an item) of every numbered line after the title, by the one item rule."""
    body = lines[1:]
    headings = classify(body)
    out = []
    for n, (line, heading) in enumerate(zip(body, headings), start=2):
        found = heading or (match_heading(line) if line[:1] in _NUMBER_STARTS else None)
        if found is not None:
            out.append((n, found, heading is None))
    return out


_NUMBER_STARTS = frozenset("一二三四五六七八九十（(0123456789")


def check_numbering(lines: list[str]) -> list[Finding]:
    """Skipped or repeated numbers, a level jumped, and mixed number styles at one level; fixes renumber.

    Numbered items (`1.项目储备不足……。`) are counted and renumbered with the headings of their level, but
    they are list entries, not a level of the outline: an item list straight under 一、 is no level jump.
    """
    found: list[Finding] = []
    counters: dict[int, int] = {}
    styles: dict[tuple[int, int], str] = {}
    parent_key: dict[int, int] = defaultdict(int)
    current_level = 0
    for n, heading, item in _numbered(lines):
        line = lines[n - 1]
        span = _heading_number_span(line)
        if span is None:
            continue
        level = heading.level
        written = line[span[0] : span[1]]
        value = number_value(written)
        if level > current_level + 1 and not item:
            missing = format_number(current_level + 1, 1) if current_level else format_number(1, 1)
            found.append(
                Finding("numbering", n, span[0], span[1], f"标题层级跳跃：{written} 之前缺少 {missing} 这一级")
            )
        for deeper in [lv for lv in counters if lv > level]:
            del counters[deeper]
            parent_key[deeper] += 1
        expected = counters.get(level, 0) + 1
        counters[level] = expected
        key = (level, parent_key[level])
        style = number_style(written)
        first = styles.setdefault(key, style)
        wrong_value = value is not None and value != expected
        wrong_style = style != first and level >= 2
        if wrong_value or wrong_style:
            fixed = format_number(level, expected, written if level != 3 else f"1{first}")
            if wrong_value:
                what = "重复" if value is not None and value < expected else "跳号"
                message = f"编号{what}：这里应为 {fixed}，写成了 {written}"
            else:
                message = f"同级编号格式不一致：{written} 与前面的 {first.strip() or written} 写法不同"
            found.append(Finding("numbering", n, span[0], span[1], message, fixed))
        if not item:
            current_level = level
    return found


def check_punctuation(lines: list[str]) -> list[Finding]:
    """Half-width marks or straight quotes in Chinese text, doubled marks, and headings (not items) ending in 。."""
    found: list[Finding] = []
    headings = [None, *classify(lines[1:])]
    for n, line in enumerate(lines, start=1):
        for m in _HALF_MARK.finditer(line):
            mark = m.group()
            found.append(Finding("punctuation", n, m.start(), m.end(), f"中文里用了半角“{mark}”", _HALF[mark]))
        for m in _STRAIGHT_QUOTES.finditer(line):
            found.append(Finding("punctuation", n, m.start(), m.end(), "中文里用了直引号", f"“{m.group(1)}”"))
        for m in _DOUBLED.finditer(line):
            found.append(Finding("punctuation", n, m.start(), m.end(), f"标点重复：“{m.group()}”", m.group(1)))
        heading = headings[n - 1]
        stripped = line.rstrip()
        # A numbered item is a sentence and keeps its full stop; only a heading standing alone drops it.
        if heading is not None and not heading.body and stripped.endswith("。"):
            end = len(stripped)
            found.append(Finding("punctuation", n, end - 1, end, "单独成行的标题末尾不加句号", ""))
    return found


def draft_year(lines: list[str], year: int | None = None) -> int | None:
    """The year a draft is written for: given, else the latest year in its title line."""
    if year is not None:
        return year
    years = [int(y) for y in _YEAR.findall(lines[0])] if lines else []
    return max(years) if years else None


# A year that starts a span (2021年以来, 2021年至2025年), or one a sentence names as its base, start or end
# (比2022年, 较2022年, 从2022年的…增加到, 为2022年的2倍, 早在2022年, 到2022年, （2022年不变价）).
_SPAN_AFTER = re.compile(r"年?(?:以来|起|开始|至今)|年?\s*(?:至|到|—|－|-|~|～)\s*((?:19|20)\d{2})")
_COMPARED = re.compile(r"(?:比|较|較|相比|对比|与|超过|高于|低于|好于|从|由|自|为|早在|到|至|截至|截止|（|\()$")
_SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]?")


@dataclass
class _YearSeen:
    line: int
    start: int
    end: int
    value: int
    reference: int
    chapter: int
    sentence: int
    span: bool
    compared: bool


def check_years(lines: list[str], year: int | None = None) -> list[Finding]:
    """Years left over from an old report: two or more years before the year their chapter is about.

    Each chapter's year comes from its heading or the title part it belongs to (core.years): in a
    `2025年工作总结和2026年工作打算`, 比2024年 in the 总结 is a comparison, not a leftover. The fix rolls a
    stale chapter forward as a whole (comparisons keep their distance), or a stale sentence by its newest year;
    a lone base year (比2022年, 从2022年的) or a stale year beside a current one gets no fix: only the writer
    knows which year it should name.
    """
    if not lines:
        return []
    refs = years.references(lines[0], year)
    if not refs.years:
        return []
    body = lines[1:]
    seen: list[_YearSeen] = []
    for n, (line, where) in enumerate(zip(body, years.chapter_years(body, classify(body), refs)), start=2):
        reference = where.year
        if reference is None or where.sets_year:
            continue
        masked = _BOOK_TITLE.sub(lambda m: " " * len(m.group()), line)
        sentence_ends = [m.end() for m in _SENTENCE.finditer(masked) if m.end() > m.start()]
        for m in _YEAR.finditer(masked):
            after = _SPAN_AFTER.match(masked, m.end(1))
            if after and after.group(1) and int(after.group(1)) >= reference - 1:
                continue  # 2021年至2025年: a range that reaches the chapter's year
            compared = _COMPARED.search(masked[max(0, m.start(1) - 2) : m.start(1)]) is not None
            compared = compared or bool(after and after.group(1))  # 1950年到1997年: a stretch of history
            span = after is not None and not after.group(1)
            sentence = bisect_right(sentence_ends, m.start(1))
            value = int(m.group(1))
            seen.append(_YearSeen(n, m.start(1), m.end(1), value, reference, where.chapter, sentence, span, compared))
    newest: dict[int, int] = {}
    for y in seen:
        newest[y.chapter] = max(newest.get(y.chapter, 0), y.value)
    single = len(refs.years) == 1
    found = []
    for y in seen:
        if y.value >= y.reference - 1:
            continue
        whole_chapter_stale = newest[y.chapter] < y.reference - 1
        if y.span and not whole_chapter_stale:
            continue  # 2021年以来 beside this year's figures: a span the writer meant
        fix: str | None = None
        if whole_chapter_stale:
            fix = str(y.value + y.reference - newest[y.chapter])
        else:
            # A stale sentence among current ones moves by its own newest stale year; a base year (比2022年)
            # or one beside a current year in its sentence is likely meant, and only the writer can say.
            same = [o for o in seen if (o.line, o.sentence) == (y.line, y.sentence)]
            plain = [o.value for o in same if not o.compared]
            current = any(o.value >= o.reference - 1 for o in same)
            if not y.compared and not current:
                fix = str(y.value + y.reference - max(plain))
        where = "本稿为" if single else "这部分写的是"
        message = f"年份可能是旧稿遗留：{y.value}年（{where}{y.reference}年）"
        found.append(Finding("year", y.line, y.start, y.end, message, fix))
    return found


def check_repetition(lines: list[str]) -> list[Finding]:
    """The same 4+-character phrase used three or more times within a few hundred characters."""
    found: list[Finding] = []
    for n, line in enumerate(lines, start=1):
        positions: dict[str, list[int]] = defaultdict(list)
        for run in _PHRASE.finditer(line):
            text = run.group()
            for i in range(len(text) - 3):
                positions[text[i : i + 4]].append(run.start() + i)
        reported: list[tuple[int, int]] = []
        for where in positions.values():
            for i in range(len(where) - REPEAT_TIMES + 1):
                if where[i + REPEAT_TIMES - 1] - where[i] <= REPEAT_WINDOW:
                    at = where[i + REPEAT_TIMES - 1]
                    if any(a <= at < b for a, b in reported):
                        break
                    end = at + 4
                    while (
                        end < len(line)
                        and _PHRASE.fullmatch(line[at : end + 1])
                        and line[at : end + 1] in line[where[i] : at]
                    ):
                        end += 1
                    reported.append((at, end))
                    phrase = line[at:end]
                    found.append(
                        Finding("repetition", n, at, end, f"“{phrase}”在{REPEAT_WINDOW}字内出现了{REPEAT_TIMES}次以上")
                    )
                    break
    return found


def check_text(text: str, kinds: tuple[str, ...] = KINDS, year: int | None = None) -> list[Finding]:
    """Run the text-only checks over a draft's text (first line = title); results in line order."""
    lines = text.split("\n")
    found: list[Finding] = []
    if "placeholder" in kinds:
        found += check_placeholders(lines)
    if "numbering" in kinds:
        found += check_numbering(lines)
    if "punctuation" in kinds:
        found += check_punctuation(lines)
    if "year" in kinds:
        found += check_years(lines, year)
    if "repetition" in kinds:
        found += check_repetition(lines)
    found.sort(key=lambda f: (f.line, f.start, KINDS.index(f.kind)))
    return found


def fix_text(text: str, findings: list[Finding], kinds: tuple[str, ...] = FIXABLE) -> tuple[str, int]:
    """The text with the mechanical fixes of the chosen kinds applied, and how many were; overlapping fixes keep
    the first one."""
    lines = text.split("\n")
    by_line: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.fix is not None and f.kind in kinds:
            by_line[f.line].append(f)
    applied = 0
    for n, items in by_line.items():
        line = lines[n - 1]
        taken: list[tuple[int, int]] = []
        for f in sorted(items, key=lambda f: f.start):
            if any(f.start < b and a < f.end for a, b in taken):
                continue
            taken.append((f.start, f.end))
        for f in sorted((f for f in items if (f.start, f.end) in taken), key=lambda f: -f.start):
            if line[f.start : f.end] != f.fix:
                applied += 1
            line = line[: f.start] + (f.fix or "") + line[f.end :]
        lines[n - 1] = line
    return "\n".join(lines), applied


def apply_fixes(text: str, findings: list[Finding], kinds: tuple[str, ...] = FIXABLE) -> str:
    """The text with the mechanical fixes of the chosen kinds applied (see fix_text)."""
    return fix_text(text, findings, kinds)[0]
