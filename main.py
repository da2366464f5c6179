"""Entry point of 笔杆: with no arguments it opens the window, otherwise it runs a headless command."""

from __future__ import annotations

import sys


def run(argv: list[str]) -> int:
    """Open the window, or run the command named in argv."""
    if not argv:
        from gui.app import run_app

        return run_app()
    if argv[0] == "screenshot":
        # Handled here because core (and so core.cli) never imports Qt.
        from gui.screenshot import main as screenshot

        return screenshot(argv[1:])
    from core.cli import main

    return main(argv)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
