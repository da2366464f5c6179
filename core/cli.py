"""Headless commands of 笔杆 (python main.py …), used by scripts and tests."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from core import bank
from core.corpus import parse_file
from core.decode import SourceError
from core.paths import BUNDLED_CORPUS, default_bank


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_bank()


def _progress(done: int, total: int, path: str) -> None:
    print(f"[{done}/{total}] {Path(path).name}", file=sys.stderr, flush=True)


def cmd_bank_build(args: argparse.Namespace) -> int:
    """Import files and folders (the bundled corpus by default) into the phrase bank."""
    paths = args.paths or [str(BUNDLED_CORPUS)]
    report = bank.build(paths, _db(args), progress=_progress, fresh=args.fresh)
    for skipped in report.skipped:
        print(f"跳过：{skipped.path}：{skipped.reason}", file=sys.stderr)
    for path, same in report.duplicates:
        print(f"重复：{path} 与已导入的 {same} 内容相同，未重复导入", file=sys.stderr)
    totals = report.totals
    if report.changed:
        summary = (
            f"导入完成：{len(report.imported)} 个文件，{report.documents} 篇文档，{report.passages} 段素材；"
            f"未变 {len(report.unchanged)} 个，跳过 {len(report.skipped)} 个；"
            f"素材库共 {totals.get('documents', 0)} 篇文档、{totals.get('entries', 0)} 条去重素材"
            f"（{report.seconds:.1f} 秒）"
        )
    else:
        summary = (
            f"素材库无变化：{len(report.unchanged)} 个文件已导入且未修改，跳过 {len(report.skipped)} 个"
            f"（{report.seconds:.1f} 秒）"
        )
    print(summary)
    return 1 if report.skipped else 0


def cmd_bank_stats(args: argparse.Namespace) -> int:
    """Print what the bank holds."""
    counts = bank.stats(_db(args))
    if args.json:
        _print_json(counts)
    else:
        print(
            f"文件 {counts['files']} 个，文档 {counts['documents']} 篇，标题 {counts['sections']} 个，"
            f"素材 {counts['passages']} 段（其中条目 {counts['items']} 段），去重后 {counts['entries']} 条，"
            f"多篇共用 {counts['shared_entries']} 条"
        )
    return 0


def cmd_bank_list(args: argparse.Namespace) -> int:
    """List the bank's documents: id, title, year, kind, passages, import time and source file."""
    from core.bank_admin import list_documents

    documents = list_documents(_db(args))
    if args.json:
        _print_json([d.to_json() for d in documents])
        return 0
    for d in documents:
        year = d.year or "—"
        print(f"{d.id:>4}  {d.title}  [{d.kind} · {year} · {d.passages} 段 · {d.imported_at}]  {d.source_file}")
    print(f"共 {len(documents)} 篇文档")
    return 0


def cmd_bank_remove(args: argparse.Namespace) -> int:
    """Remove documents (by id) or everything imported from a file or folder, then report what is left."""
    from core.bank_admin import remove

    report = remove(_db(args), args.targets)
    for d in report.documents:
        print(f"已删除：{d.id} 《{d.title}》（{d.passages} 段，来自 {d.source_file}）")
    totals = report.totals
    print(
        f"共删除 {len(report.documents)} 篇文档、{report.passages} 段素材；"
        f"素材库还有 {totals.get('documents', 0)} 篇文档、{totals.get('entries', 0)} 条素材"
    )
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    """Show the documents, headings and passage counts found in one file."""
    result: dict[str, object] = {"file": args.file, "documents": [], "skipped": []}
    try:
        _, documents = parse_file(args.file)
    except SourceError as exc:
        result["skipped"] = [{"file": args.file, "reason": str(exc)}]
        documents = []
    result["documents"] = [
        {
            "title": d.title,
            "headings": [{"level": s.level, "number": s.number, "text": s.heading} for s in d.sections],
            "passages": len(d.passages),
        }
        for d in documents
    ]
    if args.json:
        _print_json(result)
    else:
        for skipped in result["skipped"]:  # type: ignore[union-attr]
            print(f"跳过：{skipped['file']}：{skipped['reason']}", file=sys.stderr)
        for d in documents:
            print(f"《{d.title}》 {len(d.passages)} 段素材")
            for s in d.sections:
                print(f"{'  ' * (s.level - 1)}{s.number}{s.heading}")
    return 1 if result["skipped"] else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Convert a draft between .txt, .md and .docx (the .docx laid out per GB/T 9704-2012)."""
    from core import draft

    try:
        draft.draft_format(args.out)
        opened = draft.load(args.source)
        draft.save(opened.draft, args.out)
    except draft.DraftError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    for note in opened.notes:
        print(f"注意：{note}", file=sys.stderr)
    print(f"已导出：{args.out}（{len(opened.draft.paragraphs)} 段，其中标题 {len(opened.draft.headings)} 个）")
    return 0


def _headings(args: argparse.Namespace) -> list[str]:
    if args.headings == ["-"]:
        return [line.rstrip("\r\n") for line in sys.stdin]
    return args.headings


def cmd_match(args: argparse.Namespace) -> int:
    """Print the ranked passages for each heading, answered in one process."""
    from core.match import Matcher

    matcher = Matcher(_db(args))
    answers = [{"query": h, "results": matcher.match(h, limit=args.limit)} for h in _headings(args)]
    if args.json:
        _print_json([{"query": a["query"], "results": [m.to_json() for m in a["results"]]} for a in answers])
        return 0
    for answer in answers:
        print(f"【{answer['query']}】")
        for n, m in enumerate(answer["results"], start=1):
            print(f"{n}. [{m.kind} · {m.freq}篇 · {m.score:.2f}] {m.text[:80]}")
            print(f"   出自《{m.source.title}》{m.source.heading}")
        if not answer["results"]:
            print("（没有找到相关素材）")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    """Print headings the corpus uses next (--after), beneath (--under), or whole skeletons."""
    from core import suggest
    from core.match import Matcher

    matcher = Matcher(_db(args))
    if args.after is not None or args.under is not None:
        if args.after is not None:
            found = suggest.next_headings(matcher, args.after, args.limit)
        else:
            found = suggest.child_headings(matcher, args.under, args.limit)
        if args.json:
            _print_json([h.to_json() for h in found])
        else:
            for h in found:
                print(f"{h.text}（{h.count} 篇）")
            if not found:
                print("（素材库里没有可参考的标题）")
        return 0
    skeletons = suggest.skeletons(matcher, args.limit)
    if args.json:
        _print_json([s.to_json() for s in skeletons])
    else:
        for s in skeletons:
            print(f"【{s.name or s.kind}】{s.documents} 篇，其中 {s.following} 篇按此结构：")
            for _, text in s.outline:
                print(f"  {text}")
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
    from core.draft import DraftError, load

    try:
        return load(path).draft.to_text()
    except DraftError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    """Check a draft and list what a reviewer would circle; exit 1 when anything is found."""
    from core.checks import KINDS
    from core.review import review

    text = _draft_text(args.draft)
    if text is None:
        return 2
    result = review(text, _db(args), _kinds(args.kinds, KINDS), args.year)
    for note in result.notes:
        print(note, file=sys.stderr)
    if args.json:
        _print_json(result.to_json())
    else:
        for f in result.findings:
            fix = f"（可改为“{f.fix}”）" if f.fix else ""
            print(f"第 {f.line} 行第 {f.start + 1} 字 [{f.kind}] {f.message}{fix}")
        print(f"共 {len(result.findings)} 处；与素材库雷同的文字占 {result.copied_share:.1%}")
    return 1 if result.findings else 0


def cmd_fix(args: argparse.Namespace) -> int:
    """Apply the mechanical fixes (numbering, punctuation, years) and write the result to --out."""
    from core.checks import FIXABLE, apply_fixes, check_text
    from core.draft import Draft, DraftError, save

    text = _draft_text(args.draft)
    if text is None:
        return 2
    kinds = _kinds(args.kinds, FIXABLE)
    findings = check_text(text, kinds, args.year)
    fixed = apply_fixes(text, findings, kinds)
    try:
        save(Draft.from_text(fixed), args.out, force=True)
    except DraftError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    applied = sum(1 for f in findings if f.fix is not None)
    print(f"已修改 {applied} 处，结果写入 {args.out}")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    """The screenshot command needs the window; only `python main.py screenshot` can run it."""
    print("错误：截图需要图形界面，请用 python main.py screenshot 运行", file=sys.stderr)
    return 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every headless command."""
    parser = argparse.ArgumentParser(prog="main.py", description="笔杆：离线公文写作助手。不带参数运行即打开窗口。")
    sub = parser.add_subparsers(dest="command", required=True)

    bank_parser = sub.add_parser("bank", help="素材库：导入、统计、列出与删除")
    bank_sub = bank_parser.add_subparsers(dest="bank_command", required=True)
    build_p = bank_sub.add_parser("build", help="把文件或文件夹导入素材库（默认导入自带范文）")
    build_p.add_argument("paths", nargs="*", help="文件或文件夹（.txt .md .docx）")
    build_p.add_argument("--db", help="素材库文件（默认在用户数据目录）")
    build_p.add_argument("--fresh", action="store_true", help="清空后重建，而不是在原有素材库上增补")
    build_p.set_defaults(func=cmd_bank_build)
    stats_p = bank_sub.add_parser("stats", help="素材库统计")
    stats_p.add_argument("--db")
    stats_p.add_argument("--json", action="store_true")
    stats_p.set_defaults(func=cmd_bank_stats)
    list_p = bank_sub.add_parser(
        "list", help="列出素材库里的文档：编号、标题、年份、类别、素材段数、导入时间、来源文件"
    )
    list_p.add_argument("--db", help="素材库文件（默认在用户数据目录）")
    list_p.add_argument("--json", action="store_true", help="以 JSON 输出")
    list_p.set_defaults(func=cmd_bank_list)
    remove_p = bank_sub.add_parser("remove", help="从素材库删除文档：按编号，或删除某个文件、文件夹导入的全部文档")
    remove_p.add_argument("targets", nargs="+", metavar="编号或路径", help="bank list 列出的编号，或来源文件、文件夹")
    remove_p.add_argument("--db", help="素材库文件（默认在用户数据目录）")
    remove_p.set_defaults(func=cmd_bank_remove)

    parse_p = sub.add_parser("parse", help="解析一个文件，列出其中的文档和标题")
    parse_p.add_argument("file")
    parse_p.add_argument("--json", action="store_true")
    parse_p.set_defaults(func=cmd_parse)
    export_p = sub.add_parser("export", help="草稿转换格式：.txt/.md/.docx 互转，.docx 按 GB/T 9704-2012 排版")
    export_p.add_argument("source", metavar="IN", help="草稿文件（.txt .md .docx）")
    export_p.add_argument("--out", required=True, metavar="OUT", help="输出文件，格式由扩展名决定（.docx .txt .md）")
    export_p.set_defaults(func=cmd_export)
    match_p = sub.add_parser("match", help="为标题查找往年材料中的相关段落")
    match_p.add_argument("headings", nargs="+", help="标题；单独一个 - 表示从标准输入逐行读取")
    match_p.add_argument("--db")
    match_p.add_argument("--limit", type=int, default=10)
    match_p.add_argument("--json", action="store_true")
    match_p.set_defaults(func=cmd_match)

    suggest_p = sub.add_parser("suggest", help="提纲建议：下一个标题、下级标题或整篇文档结构")
    where = suggest_p.add_mutually_exclusive_group()
    where.add_argument("--after", metavar="标题", help="列出往年材料中紧跟在这类标题之后的标题")
    where.add_argument("--under", metavar="标题", help="列出往年材料中这类标题下面的下级标题")
    suggest_p.add_argument("--db")
    suggest_p.add_argument("--limit", type=int, default=8)
    suggest_p.add_argument("--json", action="store_true")
    suggest_p.set_defaults(func=cmd_suggest)

    check_p = sub.add_parser("check", help="检查草稿：待填项、编号、标点、查重、年份、重复用语")
    check_p.add_argument("draft")
    check_p.add_argument("--db")
    check_p.add_argument("--json", action="store_true")
    check_p.add_argument("--year", type=int, help="本稿所属年份（默认取标题里最晚的年份）")
    check_p.add_argument(
        "--kinds", help="只做这些检查，逗号分隔：placeholder,numbering,punctuation,copied,year,repetition"
    )
    check_p.set_defaults(func=cmd_check)

    fix_p = sub.add_parser("fix", help="自动改正编号、标点和年份")
    fix_p.add_argument("draft")
    fix_p.add_argument("--out", required=True)
    fix_p.add_argument("--year", type=int)
    fix_p.add_argument("--kinds", help="只改这些类别，逗号分隔：numbering,punctuation,year")
    fix_p.set_defaults(func=cmd_fix)

    # Run by main.py before this parser is reached (the window needs Qt, which core never imports).
    shot_p = sub.add_parser("screenshot", help="打开窗口（离屏）载入文稿，等素材列出后把整个窗口存为 PNG")
    shot_p.add_argument("out", metavar="OUT.png")
    shot_p.add_argument("--db", help="素材库文件（不存在时先用自带范文建立）")
    shot_p.add_argument("--draft", help="载入的文稿（默认是自带的示例文稿）")
    shot_p.add_argument("--size", help="窗口大小，如 1024x700（默认 1440x880）")
    shot_p.add_argument("--check", action="store_true", help="截图前先检查文稿，显示检查面板")
    shot_p.set_defaults(func=cmd_screenshot)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one headless command and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except bank.BankError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early; silence the flush at exit too.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
