"""What a section of a report is for: reviewing results, naming problems, planning, setting requirements, or the
government's own conduct — read from its heading and the headings above it."""

from __future__ import annotations

import re
from collections.abc import Iterable

REVIEW = "review"
PROBLEMS = "problems"
PLAN = "plan"
REQUIREMENTS = "requirements"
SELF = "self"
ROLES = (REVIEW, PROBLEMS, PLAN, REQUIREMENTS, SELF)
NAMES = {REVIEW: "回顾", PROBLEMS: "问题", PLAN: "打算", REQUIREMENTS: "总体要求", SELF: "自身建设", "": ""}

# Checked in this order: a more specific role wins over a broader one (主要目标 before 目标, 存在的问题 before 工作).
_WORDS = (
    (REQUIREMENTS, r"总体要求|指导思想|总体思路|基本思路|基本原则|主要目标|预期目标|总要求|政策取向|奋斗目标|总体部署"),
    (PROBLEMS, r"存在的?(?:主要)?问题|问题(?:和|与)不足|不足之处|困难和问题|问题和困难|短板|薄弱环节|差距|困难和挑战"),
    (SELF, r"自身建设|政府建设|作风建设|效能建设|廉政建设|勤政|廉洁|服务型政府|人民满意的?政府|队伍建设|从严治党"),
    (
        PLAN,
        r"打算|计划|安排|思路|重点工作|主要任务|工作任务|下一步|今后|明年|新的一年|谋划|举措|建议|部署|要点|展望|"
        r"目标任务|努力方向",
    ),
    (REVIEW, r"回顾|成效|成绩|总结|工作情况|开展情况|完成情况|进展情况|主要工作|主要做法|过去|一年来|五年来|以来|取得"),
)
_PATTERNS = tuple((role, re.compile(words)) for role, words in _WORDS)
_YEAR = re.compile(r"(?:19|20)\d{2}")
# Wording that shows what a passage does: reports results, names shortcomings, or says what is to be done.
_CUES = {
    REVIEW: re.compile(
        r"完成|实现了|达到|同比|比上年|累计|共计|已经|取得了|新增|建成|增长\d|提高了|下降了|全年共|(?<![为])了(?![解])"
    ),
    PROBLEMS: re.compile(r"问题|不足|短板|差距|困难|薄弱|滞后|有待|不够|不强|偏少|偏弱|制约|瓶颈|隐患|矛盾"),
    PLAN: re.compile(r"将(?!近)|(?<![主重需必首纲])要(?![求素点件])|下一步|明年|力争|确保|计划|今后|预期"),
}
CUE_MIN = 2
# Roles that a writer would not put under one another's heading.
_CONFLICTS = {
    frozenset((REVIEW, PLAN)),
    frozenset((REVIEW, PROBLEMS)),
    frozenset((PROBLEMS, PLAN)),
    frozenset((PROBLEMS, REQUIREMENTS)),
    frozenset((REVIEW, REQUIREMENTS)),
}


def heading_role(heading: str, plan_from: int | None = None) -> str:
    """The role a heading names itself, or "".

    Two roles that clash name neither (2023年工作总结和2024年工作计划 is a report's title; 存在问题及下一步打算
    holds both kinds of passage). A heading naming no role but a year is a plan from `plan_from` (the first
    year the writer plans for) on, and a review before it (三、关于2026年工作).
    """
    found = [role for role, pattern in _PATTERNS if pattern.search(heading)]
    if any(frozenset((a, b)) in _CONFLICTS for a in found for b in found):
        return ""
    if found:
        return found[0]
    years = [int(y) for y in _YEAR.findall(heading)]
    if plan_from is not None and years:
        return PLAN if max(years) >= plan_from else REVIEW
    return ""


_PLANS_AHEAD = re.compile(r"计划|打算|安排|思路|谋划|要点|政府工作报告|工作报告|展望")


def plan_year(title: str, year: int | None = None) -> int | None:
    """The first year a document's headings plan for: its title's latest year when the title names a plan (or is
    a work report, delivered as the year begins), else the year after it; `year` stands in for a title without one."""
    years = [int(y) for y in _YEAR.findall(title)] or ([year] if year else [])
    if not years:
        return None
    return max(years) + (0 if _PLANS_AHEAD.search(title) else 1)


def passage_role(text: str) -> str:
    """The role a passage's own wording shows: results achieved, shortcomings, or things to be done; else ""."""
    counts = {role: len(pattern.findall(text)) for role, pattern in _CUES.items()}
    best = max(counts, key=lambda r: counts[r])
    ranked = sorted(counts.values(), reverse=True)
    return best if ranked[0] >= CUE_MIN and ranked[0] >= 2 * ranked[1] else ""


def section_role(heading: str, ancestors: Iterable[str], plan_from: int | None = None, title: str = "") -> str:
    """A section's role: its own heading's, else the nearest heading above it that names one, else the title's.

    A result-worded subheading of a plan chapter is a plan: plans are often worded as the result they aim at
    (2014年重点工作 › 推动重要领域改革取得新突破)."""
    own = heading_role(heading, plan_from)
    above = next((r for r in (heading_role(a, plan_from) for a in reversed(list(ancestors))) if r), "")
    if own and not (own == REVIEW and above == PLAN):
        return own
    return above or heading_role(title, plan_from)


def agreement(query_role: str, section_role: str) -> int:
    """1 when a passage's role is the heading's, -1 when the two clash (a plan passage under a review), else 0."""
    if not query_role or not section_role:
        return 0
    if query_role == section_role:
        return 1
    return -1 if frozenset((query_role, section_role)) in _CONFLICTS else 0
