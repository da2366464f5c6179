"""`python main.py screenshot OUT.png --size WxH`: the window offscreen with a draft and its snippets, as a PNG."""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bigan.core.cli_parser import ChineseParser
from bigan.core.paths import RESOURCES, default_bank
from bigan.core.program import command_name

SAMPLE_DRAFT = RESOURCES / "sample_draft.txt"
WAIT_SECONDS = 120
DEFAULT_SIZE = "1440x880"
_SIZE = re.compile(r"^\s*(\d{3,5})\s*[x×X*]\s*(\d{3,5})\s*$")


def parse_size(text: str) -> tuple[int, int]:
    """ "1024x700" (or 1024×700) as (width, height); ValueError with a Chinese message otherwise."""
    found = _SIZE.match(text)
    if not found:
        raise ValueError(f"窗口大小应写成 宽x高，如 1024x700，而不是“{text}”")
    width, height = int(found.group(1)), int(found.group(2))
    if not (640 <= width <= 7680 and 480 <= height <= 4320):
        raise ValueError(f"窗口大小 {width}x{height} 超出范围（宽 640–7680，高 480–4320）")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    """Arguments of the screenshot command."""
    parser = ChineseParser(prog=f"{command_name()} screenshot", description="把窗口（离屏）截图保存为 PNG。")
    parser.add_argument("out", metavar="图片", help="PNG 文件")
    parser.add_argument("--db", metavar="素材库", help="素材库文件（默认在用户数据目录；不存在时先用自带范文建立）")
    parser.add_argument("--draft", metavar="文稿", help="载入的文稿（默认是自带的示例文稿）")
    size_help = f"窗口大小，如 1024x700（默认 {DEFAULT_SIZE}）"
    parser.add_argument("--size", metavar="宽x高", default=DEFAULT_SIZE, help=size_help)
    parser.add_argument("--check", action="store_true", help="截图前先检查文稿，显示检查面板")
    return parser


@dataclass(frozen=True)
class Shot:
    """What the screenshot shows: its size, the editor's characters per line, and the three panes' widths."""

    width: int
    height: int
    chars_per_line: int
    panes: tuple[int, int, int]


def _wait(app: object, done: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not done():  # type: ignore[operator]
        if time.monotonic() > deadline:
            return False
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.005)
    return True


def _quiet_offscreen(kind: object, context: object, message: str) -> None:
    # The offscreen platform warns about window size hints it cannot pass on; nothing a user can act on.
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def take(
    out: str | Path,
    db: str | Path | None = None,
    draft: str | Path | None = None,
    size: str = DEFAULT_SIZE,
    check: bool = False,
) -> int:
    """Open the window, put the cursor in a heading, wait for its snippets and save the PNG; 0 on success."""
    try:
        width, height = parse_size(size)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        qInstallMessageHandler(_quiet_offscreen)
    from bigan.gui import workers
    from bigan.gui.app import prepare_app
    from bigan.gui.main_window import MainWindow
    from bigan.gui.settings import Settings

    app = prepare_app([sys.argv[0]])
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(db or default_bank(), Settings(Path(tmp) / "settings.ini"), draft or SAMPLE_DRAFT)
        window.resize(width, height)
        window.show()
        if not _wait(app, lambda: not window.builder.busy and not window.files.busy, WAIT_SECONDS):
            print("错误：素材库建立超时", file=sys.stderr)
            return 1
        headings = window.editor.headings
        target = next((h for h in headings if h.level == 2), headings[0] if headings else None)
        shown: list[str] = []
        window.snippets.resultsShown.connect(shown.append)
        if target is not None:
            window.editor.go_to_line(target.line)
            cursor = window.editor.textCursor()
            cursor.movePosition(cursor.MoveOperation.EndOfBlock)
            window.editor.setTextCursor(cursor)
            window.editor.setFocus()
            if not _wait(app, lambda: bool(shown), 30):
                print("警告：等待素材超时，截图中没有素材卡片", file=sys.stderr)
        if check:
            found: list[int] = []
            window.checks.finished.connect(found.append)
            window.checks.run()
            _wait(app, lambda: bool(found), 30)
        _wait(app, lambda: False, 0.2)
        image = window.grab()
        sizes = window.splitter.sizes()
        shot = Shot(image.width(), image.height(), window.editor.chars_per_line(), (sizes[0], sizes[1], sizes[2]))
        window.editor.document().setModified(False)
        window.close()
        workers.wait_for_workers()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        print(f"错误：无法写入 {out}", file=sys.stderr)
        return 1
    outline, snippets, editor = shot.panes
    print(
        f"已保存截图：{out}（{shot.width}×{shot.height}；提纲 {outline}、素材 {snippets}、编辑区 {editor} 像素宽，"
        f"编辑区每行 {shot.chars_per_line} 字）"
    )
    return 0


def main(argv: list[str]) -> int:
    """Run the screenshot command."""
    args = build_parser().parse_args(argv)
    return take(args.out, args.db, args.draft, args.size, args.check)
