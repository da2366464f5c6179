"""Keystroke → outline in core: re-parsing a 25,000-character draft after a one-character edit, in ms.

Two drafts: the 30-page draft of bench/gui_latency.py, and one as dense in numbered lines as a draft gets
(lists of numbered sentence items under every chapter), where the item-versus-heading pass does the most work.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()

from bench.gui_latency import thirty_pages
from bigan.core.outline import OutlineParser

GOAL_MS = 1.0


def numbered_draft(chars: int = 25_000) -> str:
    """Chapters holding eight numbered sentence items and a sub-heading each, to about `chars` characters."""
    block = ["二、存在的问题"]
    block += [f"{i}.项目储备不足，大项目、好项目偏少，招商引资的后劲有待进一步增强。" for i in range(1, 9)]
    block += ["（一）聚焦重点任务", "坚持稳中求进工作总基调，全力推动经济高质量发展。" * 3]
    lines = ["某县2025年工作总结"]
    while sum(map(len, lines)) < chars:
        lines += block
    return "\n".join(lines)


def reparse_ms(text: str, runs: int) -> list[float]:
    """Milliseconds to re-parse after typing one character in a body line, parser warm as in the editor."""
    parser = OutlineParser()
    parser.parse(text)
    at = text.index("发展")
    times = []
    for n in range(runs):
        edited = text[:at] + "发展" + "，" * (n % 2 + 1) + text[at + 2 :]
        started = time.perf_counter()
        parser.parse(edited)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    """Print median and p95 re-parse times for both drafts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    for name, text in (("30 页稿", thirty_pages()), ("编号密集稿", numbered_draft())):
        times = sorted(reparse_ms(text, args.runs))
        headings = OutlineParser().parse(text)
        p95 = times[int(len(times) * 0.95)]
        print(
            f"{name}：{len(text)} 字符 {text.count(chr(10)) + 1} 行，标题 {len(headings)} 个；"
            f"按键后重排提纲 中位 {statistics.median(times):.3f} ms，p95 {p95:.3f} ms（目标约 {GOAL_MS:.0f} ms）"
        )


if __name__ == "__main__":
    main()
