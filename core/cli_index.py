"""Headless command for the optional fast search index beside the bank: rebuild it, show its state, remove it."""

from __future__ import annotations

import argparse
import sys

from bigan.core import search_index
from bigan.core.bank_errors import BankError
from bigan.core.cli_common import bank_path, print_json, printable
from bigan.core.fsnames import display

_NOT_INSTALLED = (
    "未安装 tantivy，无法建立快速检索索引。不装也能正常使用，只是很大的素材库检索稍慢；"
    "这台机器上 tantivy 装不上时（它只有 x86-64 与 ARM 的安装包）就是这样。"
)


def cmd_bank_index(args: argparse.Namespace) -> int:
    """Rebuild the fast search index from the bank (default), or show its state, or remove it."""
    db = bank_path(args)
    if args.remove:
        removed = search_index.remove(db)
        print("已删除快速检索索引（素材库本身不受影响）" if removed else "素材库旁没有快速检索索引")
        return 0
    if args.status:
        state = search_index.status(db)
        if args.json:
            print_json(state.to_json())
        elif state.current:
            where = printable(display(state.path))
            print(f"快速检索索引可用：{state.entries} 条素材，{state.bytes / 1e6:.1f} MB（{where}）")
        else:
            print(f"快速检索索引未使用：{state.reason}；检索用素材库自带的全文索引")
        return 0
    if not search_index.available():
        raise BankError(_NOT_INSTALLED)
    shown = {"step": -1}

    def progress(done: int, total: int) -> None:
        step = done * 20 // max(total, 1)
        if step != shown["step"]:
            shown["step"] = step
            print(f"[{done}/{total}] 条素材", file=sys.stderr, flush=True)

    report = search_index.rebuild(db, progress=progress)
    print(
        f"快速检索索引已重建：{report.entries} 条素材，{report.bytes / 1e6:.1f} MB，用时 {report.seconds:.1f} 秒"
        f"（{printable(display(report.path))}）"
    )
    return 0


def add_commands(bank_sub: object) -> None:
    """Add `bank index` under `bank`."""
    from bigan.core.cli import _db_option, _json_option

    p = bank_sub.add(  # type: ignore[attr-defined]
        "index",
        "重建素材库旁的快速检索索引（需安装 tantivy；素材库很大时检索更快）。索引由素材库生成，"
        "素材库改动后自动失效，失效或损坏时程序照常用素材库自带的全文索引",
    )
    _db_option(p)
    what = p.add_mutually_exclusive_group()
    what.add_argument("--status", action="store_true", help="只显示索引是否可用，不重建")
    what.add_argument("--remove", action="store_true", help="删除索引（素材库本身不受影响）")
    _json_option(p)
    p.set_defaults(func=cmd_bank_index)
