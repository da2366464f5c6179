"""The draft commands of the command line: export between formats, check, and fix."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bigan.core.cli_common import bank_path, print_json, printable, refuse_overwrite
from bigan.core.fsnames import display

if TYPE_CHECKING:
    from bigan.core.draft import Draft


def _dropped_controls(opened: Draft, out: str) -> int:
    """How many control characters a .docx written from the draft loses."""
    from bigan.core.draft import draft_format
    from bigan.core.ooxml import unwritable

    if draft_format(out) != "docx":
        return 0
    return sum(unwritable(t) for t in [opened.title, *(p.text for p in opened.paragraphs)])


def cmd_export(args: argparse.Namespace) -> int:
    """Convert a draft between .txt, .md and .docx (the .docx laid out per GB/T 9704-2012)."""
    from bigan.core import draft
    from bigan.core.gbt9704 import PageLayout

    try:
        draft.draft_format(args.out)
        opened = draft.load(args.source)
    except draft.DraftError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if refuse_overwrite(args.out, args.force):
        return 2
    try:
        draft.save(opened.draft, args.out, force=True, layout=PageLayout(widow_control=args.widow_control))
    except draft.DraftError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    for note in opened.notes:
        print(f"注意：{note}", file=sys.stderr)
    dropped = _dropped_controls(opened.draft, args.out)
    if dropped:
        print(f"注意：草稿中有 {dropped} 个控制字符（如 ESC），Word 文件不能保存它们，已删除", file=sys.stderr)
    print(f"已导出：{display(args.out)}（{len(opened.draft.paragraphs)} 段，其中标题 {len(opened.draft.headings)} 个）")
    return 0


def _kinds(value: str | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        return allowed
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    unknown = [k for k in kinds if k not in allowed]
    if unknown:
        raise SystemExit(f"错误：不认识的检查类别 {', '.join(unknown)}（可选：{', '.join(allowed)}）")
    return kinds


def _draft_text(path: str) -> str | None:
    from bigan.core.draft import DraftError, load

    try:
        return load(path).draft.to_text()
    except DraftError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    """Check a draft and list what a reviewer would circle; exit 1 when anything is found."""
    from bigan.core.checks import KIND_NAMES, KINDS
    from bigan.core.review import review

    text = _draft_text(args.draft)
    if text is None:
        return 2
    result = review(text, bank_path(args), _kinds(args.kinds, KINDS), args.year)
    for note in result.notes:
        print(note, file=sys.stderr)
    if args.json:
        print_json(result.to_json())
    else:
        for f in result.findings:
            fix = f"（可改为“{f.fix}”）" if f.fix else ""
            line = f"第 {f.line} 行第 {f.start + 1} 字 [{KIND_NAMES.get(f.kind, f.kind)}] {f.message}{fix}"
            print(printable(line))
        print(f"共 {len(result.findings)} 处；与素材库雷同的文字占 {result.copied_share:.1%}")
    return 1 if result.findings else 0


def cmd_fix(args: argparse.Namespace) -> int:
    """Apply the mechanical fixes (numbering, punctuation, years) and write the result to --out."""
    from bigan.core.checks import FIXABLE, check_text, fix_text
    from bigan.core.draft import Draft, DraftError, save

    text = _draft_text(args.draft)
    if text is None:
        return 2
    if refuse_overwrite(args.out, args.force):
        return 2
    kinds = _kinds(args.kinds, FIXABLE)
    findings = check_text(text, kinds, args.year)
    fixed, applied = fix_text(text, findings, kinds)
    try:
        save(Draft.from_text(fixed), args.out, force=True)
    except DraftError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"已修改 {applied} 处，结果写入 {display(args.out)}")
    return 0
