"""Headless commands for the office bank: publish, attach, packages and merging, and the server."""

from __future__ import annotations

import argparse
import sys

from bigan.core import bank
from bigan.core.cli_common import bank_path, print_json


def _ids(value: str | None, what: str) -> list[int]:
    if not value:
        return []
    try:
        return [int(v) for v in value.replace("，", ",").split(",") if v.strip()]
    except ValueError:
        raise SystemExit(f"错误：{what}应是逗号分隔的数字编号，而不是“{value}”") from None


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish the bank as the office's read-only shared file."""
    from bigan.core.publish import publish, sidecar

    done = publish(bank_path(args), args.out, args.who)
    print(
        f"已发布单位素材库第 {done.version} 版：{done.path}（{_mb(done.size)}，{done.seconds:.1f} 秒；"
        f"校验和见 {sidecar(done.path).name}），发布人 {done.published_by}，{done.published_at}"
    )
    return 0


def _describe(status: object) -> str:
    from bigan.core.office import OfficeStatus

    assert isinstance(status, OfficeStatus)
    copy = status.copy
    if status.state == "server":
        return f"{status.location}（服务）"
    if copy is None:
        return f"{status.location}（暂时没有可用的副本）"
    who = f" 由 {copy.published_by}" if copy.published_by else ""
    return f"{status.location}（第 {copy.version} 版，{copy.published_at}{who} 发布）"


def cmd_attach(args: argparse.Namespace) -> int:
    """Attach an office bank (a published file or a bigan serve address) beside the personal bank."""
    from bigan.core.office import attach

    status = attach(args.location)
    print(f"已挂上单位素材库：{_describe(status)}")
    return 0


def cmd_detach(args: argparse.Namespace) -> int:
    """Stop using one office bank, or all of them."""
    from bigan.core.office import detach

    gone = detach(args.location)
    for location in gone:
        print(f"已取下单位素材库：{location}")
    if not gone:
        print("（没有挂上单位素材库）")
    return 0


def cmd_attached(args: argparse.Namespace) -> int:
    """List the attached office banks, checking each share now (a new version is copied here)."""
    from bigan.core.office import statuses
    from bigan.core.remote import RemoteBank, RemoteUnavailable

    found = statuses()
    if args.json:
        print_json([s.to_json() for s in found])
        return 0
    for status in found:
        line = _describe(status)
        if status.state == "server":
            try:
                info = RemoteBank(status.location).info()
                line = (
                    f"{status.location}（服务，第 {info.version} 版，{info.published_at} 发布，{info.entries} 条素材）"
                )
            except RemoteUnavailable as exc:
                line = f"{status.location}（服务暂时连不上：{exc}）"
        elif status.state == "updated":
            line += "，已取回新版本"
        print(f"单位素材库：{line}")
        if status.notice:
            print(f"注意：{status.notice}", file=sys.stderr)
    if not found:
        print("（没有挂上单位素材库）")
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    """List the bank's documents with their ids (for export-package --documents)."""
    db = bank.open_bank(bank_path(args))
    try:
        rows = db.execute(
            "select d.id, d.title, d.year, d.source_file, count(p.id) from documents d"
            " left join passages p on p.document_id = d.id group by d.id order by d.id"
        ).fetchall()
    finally:
        db.conn.close()
    if args.json:
        print_json([{"id": r[0], "title": r[1], "year": r[2], "file": r[3], "passages": r[4]} for r in rows])
        return 0
    for doc_id, title, year, source, passages in rows:
        print(f"{doc_id}\t{year or ''}\t《{title}》\t{passages} 段\t{source}")
    return 0


def cmd_export_package(args: argparse.Namespace) -> int:
    """Write chosen documents or passages to a package for the curator."""
    from bigan.core.package import export_package

    info = export_package(
        bank_path(args),
        args.out,
        _ids(args.documents, "--documents "),
        _ids(args.passages, "--passages "),
        args.who,
    )
    print(
        f"已导出素材包：{info.path}（{len(info.documents)} 篇文档、{info.passages} 段素材；"
        f"{info.contributor}，{info.created_at}）"
    )
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    """Review (--review) or merge contribution packages into the curator's bank."""
    from bigan.core import package

    if args.review:
        reviews, skipped = package.review(args.packages, bank_path(args))
        for s in skipped:
            print(f"跳过：{s.path}：{s.reason}", file=sys.stderr)
        for r in reviews:
            info = r.info
            before = "（已合并过）" if r.merged_before else ""
            print(
                f"素材包 {info.path}{before}：{info.contributor} 于 {info.created_at} 从 {info.source_host} 的 "
                f"{info.source_bank} 导出；{len(info.documents)} 篇文档、{info.passages} 段素材，"
                f"其中新素材 {r.new} 段，与素材库已有素材相同或相近 {r.grouped} 段"
            )
            for title, year, passages in info.documents:
                print(f"  《{title}》{f' {year}年' if year else ''}，{passages} 段")
        return 1 if skipped else 0
    report = package.merge(args.packages, bank_path(args))
    for s in report.skipped:
        print(f"跳过：{s.path}：{s.reason}", file=sys.stderr)
    for info in report.merged:
        print(
            f"已合并：{info.path}（{info.contributor} 于 {info.created_at} 导出，"
            f"{len(info.documents)} 篇文档、{info.passages} 段素材）"
        )
    totals = report.totals
    if report.merged:
        print(
            f"合并完成：{len(report.merged)} 个素材包，{report.passages} 段素材，其中 {report.grouped} 段与已有素材"
            f"相同或相近，已归并；素材库共 {totals.get('documents', 0)} 篇文档、{totals.get('entries', 0)} 条去重素材"
            f"（{report.seconds:.1f} 秒）"
        )
    else:
        print("没有合并任何素材包")
    return 1 if report.skipped else 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve a published bank read-only over HTTP with Datasette, with a search page and the match API."""
    from bigan.core.serve import serve

    return serve(args.file, args.host, args.port)


def add_commands(bank_sub: object, sub: object) -> None:
    """Add the office bank's subcommands under `bank` and the top-level `serve`."""
    from bigan.core.cli import _db_option, _json_option

    add = bank_sub.add  # type: ignore[attr-defined]
    p = add("publish", "把素材库发布为只读的单位素材库文件（放在共享文件夹里供同事挂上）")
    _db_option(p)
    p.add_argument("--out", required=True, metavar="文件", help="发布到这里，如 \\\\服务器\\共享\\单位素材库.db")
    p.add_argument("--who", metavar="姓名", help="发布人（默认是当前登录用户名）")
    p.set_defaults(func=cmd_publish)

    p = add("attach", "挂上单位素材库（只读）：共享文件夹里发布的文件，或 bigan serve 的地址")
    p.add_argument("location", metavar="文件或地址", help="单位素材库文件，或 http://主机:端口")
    p.set_defaults(func=cmd_attach)
    p = add("detach", "取下单位素材库（不给参数则全部取下）")
    p.add_argument("location", nargs="?", metavar="文件或地址", help="要取下的单位素材库")
    p.set_defaults(func=cmd_detach)
    p = add("attached", "列出挂上的单位素材库，并检查共享文件夹里有没有新版本")
    _json_option(p)
    p.set_defaults(func=cmd_attached)

    p = add("documents", "列出素材库里的文档及编号")
    _db_option(p)
    _json_option(p)
    p.set_defaults(func=cmd_documents)
    p = add("export-package", "把选中的文档或素材导出为素材包，交给管理员审核入库")
    _db_option(p)
    p.add_argument("--out", required=True, metavar="素材包", help="素材包保存到这里")
    p.add_argument("--documents", metavar="编号", help="整篇导出的文档编号，逗号分隔（见 bank documents）")
    p.add_argument("--passages", metavar="编号", help="单条导出的素材编号，逗号分隔（match --json 的 entry_id）")
    p.add_argument("--who", metavar="姓名", help="提供人（默认是当前登录用户名）")
    p.set_defaults(func=cmd_export_package)
    p = add("merge", "审核并合并素材包：重复的素材照常归并，每段素材记下来自谁、何时、哪里")
    p.add_argument("packages", nargs="+", metavar="素材包", help="要合并的素材包")
    _db_option(p)
    p.add_argument("--review", action="store_true", help="只列出素材包的内容和其中有多少是新素材，不合并")
    p.set_defaults(func=cmd_merge)

    p = sub.add("serve", "在局域网上以只读方式提供单位素材库（Datasette）：浏览器检索，桌面程序也可挂上")  # type: ignore[attr-defined]
    p.add_argument("file", metavar="文件", help="发布的单位素材库文件")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1 只供本机；0.0.0.0 供局域网）")
    p.add_argument("--port", type=int, default=8001, help="端口（默认 8001）")
    p.set_defaults(func=cmd_serve)
