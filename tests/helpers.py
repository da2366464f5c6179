"""Helpers shared by the tests that run main.py as a user's script would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_main(
    *args: str | Path, stdin: str | None = None, timeout: int = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python main.py ARGS` from the project root (env replaces the environment); a traceback fails the test."""
    result = subprocess.run(
        [sys.executable, "main.py", *map(str, args)],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=env,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result
