"""An argparse parser that speaks Chinese: usage line, group titles, -h, and the errors argparse raises itself."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

# argparse's own error messages (Python 3.10–3.13) and how to say them.
_ERRORS = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少参数：{0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (.+?): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"argument (.+?): expected at least one argument"), "参数 {0} 后面至少需要一个值"),
    (re.compile(r"argument (.+?): invalid int value: (.+)"), "参数 {0} 需要整数，而不是 {1}"),
    (re.compile(r"argument (.+?): invalid float value: (.+)"), "参数 {0} 需要数字，而不是 {1}"),
    (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), "参数 {0} 不能是 {1}，可选：{2}"),
    (re.compile(r"argument (.+?): ignored explicit argument (.+)"), "参数 {0} 不带值，多出了 {1}"),
    (re.compile(r"argument (.+?): not allowed with argument (.+)"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"ambiguous option: (.+?) could match (.+)"), "选项 {0} 有歧义，可能是：{1}"),
)


def chinese_error(message: str) -> str:
    """argparse's English error in Chinese (unknown ones are kept as they are)."""
    for pattern, text in _ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return text.format(*found.groups())
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """ArgumentParser with Chinese group titles, -h and messages; subcommand parsers are made of the same class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        helped = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if helped:
            self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        """Print the usage and the reason in Chinese, then exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese_error(message)}\n")
