"""Window latency: cold start to window shown and to first snippets (with RSS), keystroke to outline refresh
(30 pages), heading change to snippets shown."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.scaled_corpus import REALDOCS
from bigan.core import bank
from bigan.core.corpus import parse_file
from bigan.core.paths import BUNDLED_CORPUS

GOALS_MS: dict[str, float | None] = {
    "cold start → window": None,
    "cold start → snippets": 800.0,
    "keystroke → outline": 30.0,
    "heading → snippets": 20.0,
}
RSS_GOAL_MIB = 180.0
DRAFT_CHARS = 25_000


def thirty_pages() -> str:
    """A draft of about 30 pages (25,000 characters) made of the bundled reports' headings and paragraphs."""
    lines = ["某县2024年工作总结和2025年工作计划"]
    for path in sorted(BUNDLED_CORPUS.glob("*.txt")):
        for document in parse_file(path)[1]:
            by_section: dict[int | None, list[str]] = {}
            for passage in document.passages:
                if passage.kind == "paragraph":
                    by_section.setdefault(passage.section, []).append(passage.text)
            lines += by_section.get(None, [])
            for index, section in enumerate(document.sections):
                lines.append(f"{section.number}{section.heading}")
                lines += by_section.get(index, [])
                if sum(map(len, lines)) >= DRAFT_CHARS:
                    return "\n".join(lines)
    return "\n".join(lines)


def reopened_draft(home: Path) -> Path:
    """The sample draft as the writer left it yesterday: the last file, the cursor in its second section."""
    from bigan.gui.settings import Settings

    draft = home / "文稿.txt"
    text = (ROOT / "resources" / "sample_draft.txt").read_text(encoding="utf-8")
    draft.write_text(text, encoding="utf-8")
    settings = Settings(home / "settings.ini")
    settings.last_file = str(draft.resolve())
    heading = text.index("\n（二）") + 3
    settings.set_place(str(draft.resolve()), heading, 0)
    settings.store.sync()
    return draft


def cold_start(db_home: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """From starting `python main.py` (reopening the last draft): seconds to the window shown, to its first
    snippets shown, and the resident MiB then."""
    env = dict(os.environ, BIGAN_HOME=str(db_home), BIGAN_STARTUP_PROBE="snippets", QT_QPA_PLATFORM="offscreen")
    shown, snippets, rss = [], [], []
    for _ in range(runs):
        started = time.time()
        done = subprocess.run(
            [sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
        )
        said = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
        shown.append(float(said["shown"]) - started)
        snippets.append(float(said["snippets"]) - started)
        rss.append(float(said["rss"]))
    return shown, snippets, rss


def _wait(signal, done, seconds: float = 10.0) -> None:
    """Run the event loop (idle, as the real app does: no busy polling) until signal fires and done() holds."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    check = lambda *_: loop.quit() if done() else None  # noqa: E731
    signal.connect(check)
    timer.start(int(seconds * 1000))
    loop.exec()
    signal.disconnect(check)
    if not done():
        raise TimeoutError("no answer")


def _idle(ms: int) -> None:
    from PySide6.QtTest import QTest

    QTest.qWait(ms)


def in_window(db: Path, home: Path, runs: int) -> tuple[list[float], list[float], list[float], list[float], int, int]:
    """Keystroke → outline refresh and heading change → snippets shown, in ms, measured in one window; the latter
    also split into the answer's round trip (cursor moved → results handed to the pane) and the cards' layout and
    paint."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QInputMethodEvent, QKeyEvent
    from PySide6.QtWidgets import QApplication

    from bigan.gui.app import prepare_app
    from bigan.gui.main_window import MainWindow
    from bigan.gui.settings import Settings

    _app = prepare_app([sys.argv[0]])  # kept referenced for the life of the window
    settings = Settings(home / "settings.ini")
    settings.last_file = ""  # else the window reopens the cold starts' draft over the 30 pages once it has loaded
    window = MainWindow(db, settings)
    window.resize(1440, 880)
    window.show()
    text = thirty_pages()
    window.editor.set_draft(text)
    editor = window.editor
    _idle(300)
    if editor.toPlainText() != text:
        raise RuntimeError("the window replaced the 30-page draft")
    refreshed: list[float] = []
    editor.outlineRefreshed.connect(lambda: refreshed.append(time.perf_counter()))
    heading_lines = [h.line for h in editor.headings]
    body_lines = [n for n in range(1, editor.document().blockCount()) if n not in set(heading_lines)]

    def keystroke(line: int, event: object) -> float:
        editor.go_to_line(line)
        cursor = editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.EndOfBlock)
        editor.setTextCursor(cursor)
        _idle(200)  # the writer arrives, then types: snippets for the new section have come in meanwhile
        count = len(refreshed)
        started = time.perf_counter()
        QApplication.sendEvent(editor, event)
        _wait(editor.outlineRefreshed, lambda: len(refreshed) > count)
        return (refreshed[-1] - started) * 1000

    def typed(char: str) -> QInputMethodEvent:
        event = QInputMethodEvent()
        event.setCommitString(char)
        return event

    shown: list[float] = []
    window.snippets.resultsShown.connect(lambda _: shown.append(time.perf_counter()))
    headings = [h for h in editor.headings if h.level <= 2]

    parts: list[tuple[float, float]] = []

    def to_heading(line: int) -> float:
        count = len(shown)
        started = time.perf_counter()
        editor.go_to_line(line)
        _wait(window.snippets.resultsShown, lambda: len(shown) > count)
        window.snippets.list.viewport().repaint()
        painted = time.perf_counter()
        parts.append(((shown[-1] - started) * 1000, (painted - shown[-1]) * 1000))
        return (painted - started) * 1000

    to_heading(headings[0].line)  # the worker thread loads jieba and opens the bank once
    keys = []
    step = max(1, len(body_lines) // runs)
    for n in range(runs):
        keys.append(keystroke(body_lines[(n * step) % len(body_lines)], typed("字")))
        keys.append(keystroke(heading_lines[(n * 7) % len(heading_lines)], typed("新")))
        enter = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
        keys.append(keystroke(body_lines[(n * step + 3) % len(body_lines)], enter))

    later = [h for h in editor.headings if h.level <= 2][1 : runs * 2 + 1]  # lines moved with the typing
    flow = window.snippet_flow
    ahead_started = time.perf_counter()
    from PySide6.QtCore import QTimer

    poll = QTimer()
    poll.start(20)  # the look-ahead may end on a timer that finds nothing left to fetch: no signal to wait on
    _wait(poll.timeout, lambda: not flow.fetching_ahead(), 30.0)
    poll.stop()
    ahead_seconds = time.perf_counter() - ahead_started  # the writer reads a moment while the outline is fetched
    parts.clear()
    snippets = [to_heading(h.line) for h in later]
    fetched = [p[0] for p in parts], [p[1] for p in parts]
    # The same headings as a first visit would find them: nothing fetched ahead.
    window.snippet_flow.look_ahead = 0
    window.snippet_flow.answers.clear()
    parts.clear()
    first = [to_heading(h.line) for h in later]
    chars, heading_count = len(text), len(editor.headings)
    editor.document().setModified(False)
    window.close()
    first_visit = (first, [p[0] for p in parts], [p[1] for p in parts])
    return keys, (snippets, *fetched), first_visit, ahead_seconds, chars, heading_count


def _line(name: str, values_ms: list[float]) -> str:
    goal = GOALS_MS[name]
    median = statistics.median(values_ms)
    verdict = "" if goal is None else f", goal ≤ {goal:.0f} ms: {'ok' if median <= goal else 'OVER GOAL'}"
    return (
        f"{name:22s} median {median:7.1f} ms  min {min(values_ms):7.1f}  max {max(values_ms):7.1f}"
        f"  (n={len(values_ms)}{verdict})"
    )


def main() -> int:
    """Build a bank from the bundled corpus (and the State Council reports), then measure and print the latencies."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="samples per measurement (cold starts: runs // 2)")
    parser.add_argument("--realdocs", action="store_true", help="put the State Council reports in the bank too")
    args = parser.parse_args()
    sources = [BUNDLED_CORPUS, *([REALDOCS] if args.realdocs else [])]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        db = home / "bank.db"
        bank.build(sources, db)
        os.environ["BIGAN_HOME"] = str(home)
        reopened_draft(home)
        shown, first, rss = cold_start(home, max(3, args.runs // 2))
        keys, ahead, first_visit, ahead_seconds, chars, headings = in_window(db, home, args.runs)
    print(f"draft: {chars:,} characters, {headings} headings; bank: {' + '.join(p.name for p in sources)}")
    print(_line("cold start → window", [t * 1000 for t in shown]))
    print(_line("cold start → snippets", [t * 1000 for t in first]))
    verdict = "ok" if statistics.median(rss) <= RSS_GOAL_MIB else "OVER GOAL"
    print(f"{'window RSS':22s} median {statistics.median(rss):7.1f} MiB (goal ≤ {RSS_GOAL_MIB:.0f} MiB: {verdict})")
    print(_line("keystroke → outline", keys))
    if os.environ.get("BIGAN_BENCH_DETAIL"):
        for name, values in (("body", keys[0::3]), ("heading", keys[1::3]), ("enter", keys[2::3])):
            print(f"  {name:8s}", " ".join(f"{v:.0f}" for v in values))
    print(f"look-ahead: every heading's passages fetched {ahead_seconds:.2f} s after the last keystroke")
    for label, (snippets, answers, paints) in (("fetched ahead", ahead), ("first visit", first_visit)):
        print(_line("heading → snippets", snippets) + f" — {label}")
        print(f"  {'round trip':20s} median {statistics.median(answers):7.1f} ms  (cursor moved → results in the pane)")
        print(f"  {'layout and paint':20s} median {statistics.median(paints):7.1f} ms  (cards laid out and painted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
