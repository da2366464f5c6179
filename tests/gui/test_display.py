"""Without a display the window does not open: a Chinese message and a clean exit, never Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gui.display import EXIT_NO_DISPLAY, display_problem, install_hint

ROOT = Path(__file__).resolve().parents[2]


def _run_without(*names: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def test_no_display_gives_a_chinese_message_and_a_clean_exit(tmp_path):
    done = _run_without("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", BIGAN_HOME=str(tmp_path))
    assert done.returncode == EXIT_NO_DISPLAY  # not -6 (SIGABRT) with a core dump
    assert "没有找到图形显示" in done.stderr and "Traceback" not in done.stderr
    assert "命令行" in done.stderr  # says what still works


def test_a_display_that_does_not_answer_is_named(tmp_path):
    done = _run_without("WAYLAND_DISPLAY", "QT_QPA_PLATFORM", DISPLAY=":97", BIGAN_HOME=str(tmp_path))
    assert done.returncode == EXIT_NO_DISPLAY
    assert ":97" in done.stderr and "笔杆无法打开窗口" in done.stderr


def test_the_check_applies_only_where_qt_would_look_for_x11_or_wayland():
    assert display_problem({}, "win32") is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "linux") is not None
    assert install_hint("libxcb-cursor.so.0") == "sudo apt install libxcb-cursor0"
