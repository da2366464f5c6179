"""`python main.py screenshot OUT.png`: the window offscreen with a draft loaded and snippets shown, saved as PNG."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from core.paths import default_bank
from core.segment import RESOURCES

SAMPLE_DRAFT = RESOURCES / "sample_draft.txt"
WAIT_SECONDS = 120


def build_parser() -> argparse.ArgumentParser:
    """Arguments of the screenshot command."""
    parser = argparse.ArgumentParser(prog="main.py screenshot", description="把窗口（离屏）截图保存为 PNG。")
    parser.add_argument("out", help="PNG 文件")
    parser.add_argument("--db", help="素材库文件（默认在用户数据目录；不存在时先用自带范文建立）")
    parser.add_argument("--draft", help="载入的文稿（默认是自带的示例文稿）")
    parser.add_argument("--size", default="1440x880", help="窗口大小，如 1440x880")
    return parser


def _wait(app: object, done: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.005)
    return True


def _quiet_offscreen(kind: object, context: object, message: str) -> None:
    # The offscreen platform warns about window size hints it cannot pass on; nothing a user can act on.
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def take(out: str | Path, db: str | Path | None = None, draft: str | Path | None = None, size: str = "1440x880") -> int:
    """Open the window, put the cursor in a heading, wait for its snippets and save the PNG; 0 on success."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        qInstallMessageHandler(_quiet_offscreen)
    from gui.app import prepare_app
    from gui.main_window import MainWindow
    from gui.settings import Settings

    app = prepare_app([sys.argv[0]])
    width, height = (int(v) for v in size.lower().split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(db or default_bank(), Settings(Path(tmp) / "settings.ini"), draft or SAMPLE_DRAFT)
        window.resize(width, height)
        window.show()
        if not _wait(app, lambda: not window.builder.busy and not window.file_jobs.busy, WAIT_SECONDS):
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
        _wait(app, lambda: False, 0.2)
        image = window.grab()
        window.editor.document().setModified(False)
        window.close()
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        print(f"错误：无法写入 {out}", file=sys.stderr)
        return 1
    print(f"已保存截图：{out}")
    return 0


def main(argv: list[str]) -> int:
    """Run the screenshot command."""
    args = build_parser().parse_args(argv)
    return take(args.out, args.db, args.draft, args.size)
