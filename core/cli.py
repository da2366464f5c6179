"""Headless commands of 笔杆 (python main.py …), used by scripts and tests."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bigan.core import bank, bank_guard, bank_lock, cli_drafts, cli_index, cli_office, logs
from bigan.core.cli_common import bank_path, print_json, printable
from bigan.core.cli_parser import ChineseParser
from bigan.core.corpus import parse_file
from bigan.core.decode import SourceError
from bigan.core.failures import os_reason
from bigan.core.fsnames import display
from bigan.core.paths import BUNDLED_CORPUS, default_bank
from bigan.core.program import __version__, command_name

if TYPE_CHECKING:
    pass


# Shared by check and fix.
YEAR_HELP = "本稿所属年份（默认取标题里最晚的年份；总结与计划合写时，各章按其标题分别取回顾年和计划年）"


def _progress(done: int, total: int, path: str) -> None:
    print(f"[{done}/{total}] {printable(display(Path(path).name))}", file=sys.stderr, flush=True)


def _waiting(holder: bank_lock.LockHolder | None) -> None:
    who = f"（{holder.describe()}）" if holder else ""
    print(f"另一个导入正在进行{who}…本次导入将在它完成后开始；按 Ctrl+C 停止等待。", file=sys.stderr, flush=True)


def cmd_bank_build(args: argparse.Namespace) -> int:
    """Import files and folders (the bundled corpus by default) into the phrase bank."""
    report = bank.build(
        args.paths,
        bank_path(args),
        progress=_progress,
        fresh=args.fresh,
        force=args.force,
        wait=not args.no_wait,
        on_wait=_waiting,
        fallback=[str(BUNDLED_CORPUS)],
    )
    logs.build_summary(report)
    if report.rebuilt:
        print(f"重建：{report.rebuilt}", file=sys.stderr)
    if report.set_aside:
        print(f"原素材库文件已改名保存为：{printable(report.set_aside)}（未删除）", file=sys.stderr)
    for path in report.recovered:
        print(f"重新导入：{printable(path)}", file=sys.stderr)
    if report.fallback:
        print("原素材库里读不出导入过的文件，已改为导入自带范文；请再导入自己的材料。", file=sys.stderr)
    for path in report.lost:
        print(f"无法重新导入：{printable(path)}：原文件已不在，它的内容只留在改名保存的旧素材库里", file=sys.stderr)
    for skipped in report.skipped:
        print(f"跳过：{printable(skipped.path)}：{skipped.reason}", file=sys.stderr)
    for path, same in report.duplicates:
        print(f"重复：{printable(path)} 与已导入的 {printable(same)} 内容相同，未重复导入", file=sys.stderr)
    for path, note in report.notes:
        print(f"注意：{printable(path)}：{note}", file=sys.stderr)
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
    return 1 if report.skipped or report.lost else 0


def cmd_bank_stats(args: argparse.Namespace) -> int:
    """Print what the bank holds."""
    counts = bank.stats(bank_path(args))
    if args.json:
        print_json(counts)
    else:
        print(
            f"文件 {counts['files']} 个，文档 {counts['documents']} 篇，标题 {counts['sections']} 个，"
            f"素材 {counts['passages']} 段（其中条目 {counts['items']} 段），去重后 {counts['entries']} 条，"
            f"多篇共用 {counts['shared_entries']} 条"
        )
    return 0


def cmd_bank_list(args: argparse.Namespace) -> int:
    """List the bank's documents: id, title, year, kind, passages, import time and source file."""
    from bigan.core.bank_admin import list_documents

    documents = list_documents(bank_path(args))
    if args.json:
        print_json([d.to_json() for d in documents])
        return 0
    for d in documents:
        year = d.year or "—"
        print(f"{d.id:>4}  {d.title}  [{d.kind} · {year} · {d.passages} 段 · {d.imported_at}]  {d.source_file}")
    print(f"共 {len(documents)} 篇文档")
    return 0


def cmd_bank_remove(args: argparse.Namespace) -> int:
    """Remove documents (by id) or everything imported from a file or folder, then report what is left."""
    from bigan.core.bank_admin import remove

    report = remove(bank_path(args), args.targets)
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
    shown = display(args.file)
    result: dict[str, object] = {"file": shown, "documents": [], "skipped": [], "notes": []}
    try:
        source, documents = parse_file(args.file)
        result["notes"] = source.notes
    except SourceError as exc:
        result["skipped"] = [{"file": shown, "reason": str(exc)}]
        documents = []
    result["documents"] = [
        {
            "title": d.title,
            "date": d.date,
            "year": d.year,
            "converted": d.converted,
            "headings": [{"level": s.level, "number": s.number, "text": s.heading} for s in d.sections],
            "passages": len(d.passages),
            "asides": [{"kind": a.kind, "text": a.text} for a in d.asides],
        }
        for d in documents
    ]
    if args.json:
        print_json(result)
    else:
        for skipped in result["skipped"]:  # type: ignore[union-attr]
            print(f"跳过：{printable(skipped['file'])}：{skipped['reason']}", file=sys.stderr)
        for note in result["notes"]:  # type: ignore[union-attr]
            print(f"注意：{printable(shown)}：{note}", file=sys.stderr)
        for d in documents:
            when = f"，{d.date or d.year}" if d.date or d.year else ""
            script = "，已由繁体转为简体" if d.converted else ""
            print(f"《{printable(d.title)}》 {len(d.passages)} 段素材{when}{script}")
            for s in d.sections:
                print(f"{'  ' * (s.level - 1)}{s.number}{printable(s.heading)}")
    return 1 if result["skipped"] else 0


def _headings(args: argparse.Namespace) -> list[str]:
    if args.headings == ["-"]:
        return [line.rstrip("\r\n") for line in sys.stdin]
    return args.headings


KIND_LABELS = {"paragraph": "段落", "item": "条目"}
SHOWN_CHARS = 80


def _cut(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cmd_match(args: argparse.Namespace) -> int:
    """Print the ranked passages for each heading, answered in one process."""
    from bigan.core.match import OFFICE, Context, Matcher, role_name
    from bigan.core.office_match import OfficeMatcher

    matcher = Matcher(bank_path(args))
    if not args.personal_only:
        matcher = OfficeMatcher(personal=matcher)
    context = Context(path=tuple(args.path or ()), level=args.level, kind=args.kind or "", year=args.year)
    try:
        answers = [{"query": h, "results": matcher.match(h, args.limit, context)} for h in _headings(args)]
        notices = matcher.notices if isinstance(matcher, OfficeMatcher) else []
    finally:
        matcher.close()
    for notice in notices:
        print(f"注意：{notice}", file=sys.stderr)
    if args.json:
        print_json([{"query": a["query"], "results": [m.to_json() for m in a["results"]]} for a in answers])
        return 0
    for answer in answers:
        print(f"【{printable(answer['query'])}】")
        mixed = len({m.bank for m in answer["results"]}) > 1
        for n, m in enumerate(answer["results"], start=1):
            facts = [KIND_LABELS.get(m.kind, m.kind), f"{m.freq}篇"]
            if m.source.year:
                facts.append(f"{m.source.year}年")
            if m.role:
                facts.append(role_name(m.role))
            # Among results from both banks each names its own; alone, only an office bank's are marked.
            mark = f"〔{m.bank}〕" if mixed or m.bank == OFFICE else ""
            print(f"{n}. {mark}[{' · '.join(facts)} · {m.score:.2f}] {printable(_cut(m.text))}")
            where = " › ".join(p for p in (f"《{m.source.title}》", m.source.heading) if p)
            print(f"   出自{printable(where)}")
        if not answer["results"]:
            print("（没有找到相关素材）")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    """Print headings the corpus uses next (--after), beneath (--under), or whole skeletons."""
    from bigan.core import suggest
    from bigan.core.match import Matcher

    matcher = Matcher(bank_path(args))
    if args.after is not None or args.under is not None:
        if args.after is not None:
            found = suggest.next_headings(matcher, args.after, args.limit)
        else:
            found = suggest.child_headings(matcher, args.under, args.limit)
        if args.json:
            print_json([h.to_json() for h in found])
        else:
            for h in found:
                print(f"{printable(h.text)}（{h.count} 篇）")
            if not found:
                print("（素材库里没有可参考的标题）")
        return 0
    skeletons = suggest.skeletons(matcher, args.limit)
    if args.json:
        print_json([s.to_json() for s in skeletons])
    else:
        for s in skeletons:
            print(f"【{s.name or s.kind}】{s.documents} 篇，其中 {s.following} 篇按此结构：")
            for _, text in s.outline:
                print(f"  {printable(text)}")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    """The screenshot command needs the window; only the entry point (main.py, bigan) can run it."""
    print(f"错误：截图需要图形界面，请用 {command_name()} screenshot 运行", file=sys.stderr)
    return 2


class _Parsers:
    """Adds subcommands, each a ChineseParser."""

    def __init__(self, parser: argparse.ArgumentParser, dest: str) -> None:
        self.sub = parser.add_subparsers(dest=dest, required=True, title="命令", metavar="命令", help="要运行的命令")

    def add(self, name: str, help: str) -> argparse.ArgumentParser:
        return self.sub.add_parser(name, help=help, description=help)


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="素材库", help="素材库文件（默认在用户数据目录，或 BIGAN_HOME 指定的目录）")


def _json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="以 JSON 格式输出，供脚本读取")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every headless command."""
    parser = ChineseParser(prog=command_name(), description="笔杆：离线公文写作助手。不带参数运行即打开窗口。")
    parser.add_argument("--version", action="version", version=f"笔杆 {__version__}", help="显示版本号并退出")
    sub = _Parsers(parser, "command")

    bank_parser = sub.add("bank", "素材库：导入、统计、列出与删除，单位素材库的发布、挂上与素材包合并")
    bank_sub = _Parsers(bank_parser, "bank_command")
    build_p = bank_sub.add(
        "build",
        "把文件或文件夹导入素材库（默认导入自带范文）。.doc、.wps、.rtf、.odt 需要本机装有 LibreOffice"
        "（自动查找，或用环境变量 BIGAN_SOFFICE 指定 soffice 程序），先批量转换成 .docx 再导入；"
        "PDF 只能导入带文字层的，扫描版需先 OCR。",
    )
    build_p.add_argument(
        "paths",
        nargs="*",
        metavar="文件或文件夹",
        help="要导入的文件或文件夹（.txt .md .docx .doc .wps .rtf .odt .pdf；文件夹连同子文件夹导入）",
    )
    _db_option(build_p)
    build_p.add_argument("--fresh", action="store_true", help="清空后重建，而不是在原有素材库上增补")
    build_p.add_argument("--no-wait", action="store_true", help="另一个导入正在进行时不排队等待，直接退出（退出码 2）")
    build_p.add_argument(
        "--force",
        action="store_true",
        help="素材库由更新版本的笔杆建立、或文件不是素材库时，仍在这里重建（原文件改名保存，不会删除）",
    )
    build_p.set_defaults(func=cmd_bank_build)
    stats_p = bank_sub.add("stats", "素材库统计")
    _db_option(stats_p)
    _json_option(stats_p)
    stats_p.set_defaults(func=cmd_bank_stats)
    list_p = bank_sub.add("list", "列出素材库里的文档：编号、标题、年份、类别、素材段数、导入时间、来源文件")
    _db_option(list_p)
    _json_option(list_p)
    list_p.set_defaults(func=cmd_bank_list)
    remove_p = bank_sub.add("remove", "从素材库删除文档：按编号，或删除某个文件、文件夹导入的全部文档")
    remove_p.add_argument("targets", nargs="+", metavar="编号或路径", help="bank list 列出的编号，或来源文件、文件夹")
    _db_option(remove_p)
    remove_p.set_defaults(func=cmd_bank_remove)
    cli_office.add_commands(bank_sub, sub)
    cli_index.add_commands(bank_sub)

    parse_p = sub.add("parse", "解析一个文件，列出其中的文档和标题")
    parse_p.add_argument("file", metavar="文件", help="要解析的文件（.txt .md .docx .doc .wps .rtf .odt .pdf）")
    _json_option(parse_p)
    parse_p.set_defaults(func=cmd_parse)
    export_p = sub.add("export", "草稿转换格式：.txt/.md/.docx 互转，.docx 按 GB/T 9704-2012 排版")
    export_p.add_argument("source", metavar="IN", help="草稿文件（.txt .md .docx）")
    export_p.add_argument("--out", required=True, metavar="OUT", help="输出文件，格式由扩展名决定（.docx .txt .md）")
    export_p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖它")
    export_p.add_argument(
        "--widow-control",
        action="store_true",
        help="Word 文件开启孤行控制：段落末行不单独落在页首（这样的页只排 21 行）",
    )
    export_p.set_defaults(func=cli_drafts.cmd_export)
    match_p = sub.add("match", "为标题查找往年材料中的相关段落")
    match_p.add_argument("headings", nargs="+", metavar="标题", help="标题；单独一个 - 表示从标准输入逐行读取")
    _db_option(match_p)
    match_p.add_argument("--limit", type=int, default=10, metavar="N", help="每个标题最多列出几条（默认 10）")
    match_p.add_argument(
        "--path", action="append", metavar="上级标题", help="标题所在的上级标题，可重复，从最上一级写起"
    )
    match_p.add_argument("--level", type=int, choices=range(1, 5), metavar="级别", help="标题级别 1–4")
    match_p.add_argument("--kind", metavar="文种", help="文稿的文种，如 工作总结、工作计划、政府工作报告")
    match_p.add_argument("--year", type=int, metavar="年份", help="文稿所写的年份（默认取素材库里最新的年份）")
    match_p.add_argument("--personal-only", action="store_true", help="只查本人素材库，不查挂上的单位素材库")
    _json_option(match_p)
    match_p.set_defaults(func=cmd_match)

    suggest_p = sub.add("suggest", "提纲建议：下一个标题、下级标题或整篇文档结构")
    where = suggest_p.add_mutually_exclusive_group()
    where.add_argument("--after", metavar="标题", help="列出往年材料中紧跟在这类标题之后的标题")
    where.add_argument("--under", metavar="标题", help="列出往年材料中这类标题下面的下级标题")
    _db_option(suggest_p)
    suggest_p.add_argument("--limit", type=int, default=8, metavar="N", help="最多列出几条（默认 8）")
    _json_option(suggest_p)
    suggest_p.set_defaults(func=cmd_suggest)

    check_p = sub.add("check", "检查草稿：待填项、编号、标点、查重、年份、重复用语")
    check_p.add_argument("draft", metavar="草稿", help="要检查的草稿（.txt .md .docx）")
    _db_option(check_p)
    _json_option(check_p)
    check_p.add_argument("--year", type=int, metavar="年份", help=YEAR_HELP)
    check_p.add_argument(
        "--kinds",
        metavar="类别",
        help="只做这些检查，逗号分隔：placeholder,numbering,punctuation,copied,year,repetition",
    )
    check_p.set_defaults(func=cli_drafts.cmd_check)

    fix_p = sub.add("fix", "自动改正编号、标点和年份")
    fix_p.add_argument("draft", metavar="草稿", help="要改正的草稿（.txt .md .docx）")
    fix_p.add_argument("--out", required=True, metavar="OUT", help="改正后的文稿写到这里，格式由扩展名决定")
    fix_p.add_argument("--year", type=int, metavar="年份", help=YEAR_HELP)
    fix_p.add_argument("--kinds", metavar="类别", help="只改这些类别，逗号分隔：numbering,punctuation,year")
    fix_p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖它")
    fix_p.set_defaults(func=cli_drafts.cmd_fix)

    # Run by main.py before this parser is reached (the window needs Qt, which core never imports).
    shot_p = sub.add("screenshot", "打开窗口（离屏）载入文稿，等素材列出后把整个窗口存为 PNG")
    shot_p.add_argument("out", metavar="OUT.png", help="截图保存到这里")
    shot_p.add_argument("--db", metavar="素材库", help="素材库文件（不存在时先用自带范文建立）")
    shot_p.add_argument("--draft", metavar="文稿", help="载入的文稿（默认是自带的示例文稿）")
    shot_p.add_argument("--size", metavar="宽x高", help="窗口大小，如 1024x700（默认 1440x880）")
    shot_p.add_argument("--check", action="store_true", help="截图前先检查文稿，显示检查面板")
    shot_p.set_defaults(func=cmd_screenshot)
    return parser


def _bank_of(args: argparse.Namespace) -> Path | None:
    """The bank a command uses, for messages about it (None when it has none or its data folder cannot be made)."""
    if not hasattr(args, "db"):
        return None
    if args.db:
        return Path(args.db)
    try:
        return default_bank()
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one headless command and return its exit status."""
    args = build_parser().parse_args(argv)
    logs.setup(f"command {args.command}")
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
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (sqlite3.Error, OSError, MemoryError) as exc:
        logs.log.warning("command %s failed: %s", args.command, exc)
        print(f"错误：{_failure(exc, args)}", file=sys.stderr)
        return 2
    except Exception as exc:
        if os.environ.get("BIGAN_DEBUG"):
            raise
        logs.log.exception("command %s failed", args.command)
        message = f"程序内部出错（{type(exc).__name__}：{exc}），操作未完成。请把这行信息告诉开发者。"
        print(f"错误：{message}", file=sys.stderr)
        return 2


def _failure(exc: BaseException, args: argparse.Namespace) -> str:
    """The Chinese message for an OS, SQLite or memory failure that reached the command's top."""
    where = _bank_of(args)
    if where is None and hasattr(args, "db") and isinstance(exc, OSError):
        home = display(exc.filename) if exc.filename else "用户数据目录"
        return (
            f"无法使用用户数据目录“{home}”：{os_reason(exc)}。请让环境变量 BIGAN_HOME 指向一个可以写入的文件夹，"
            "或用 --db 指定素材库文件。"
        )
    if where is not None and (isinstance(exc, sqlite3.Error) or not getattr(exc, "filename", None)):
        return bank_guard.explain(exc, where)
    if isinstance(exc, OSError):
        name = display(exc.filename) if exc.filename else "文件"
        return f"无法访问“{name}”：{os_reason(exc)}。请检查这个位置（权限、磁盘空间）后重试。"
    if isinstance(exc, sqlite3.Error):
        return f"数据库出错（{exc}）"
    return "内存不足，操作未完成。请关闭其他程序后重试。"
