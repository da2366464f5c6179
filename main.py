"""Entry point of 笔杆: with no arguments it opens the window, otherwise it runs a headless command."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import sys
from pathlib import Path


def use_checkout() -> None:
    """Make this folder the package `bigan`, so a checkout runs its own code whatever copy is installed."""
    root = Path(__file__).resolve().parent
    loaded = sys.modules.get("bigan")
    if loaded is not None and Path(loaded.__file__ or "").resolve().parent == root:
        return
    spec = importlib.util.spec_from_file_location("bigan", root / "__init__.py", submodule_search_locations=[str(root)])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bigan"] = module
    spec.loader.exec_module(module)


DRAFT_SUFFIXES = (".txt", ".md", ".docx")


def run(argv: list[str]) -> int:
    """Open the window (on a draft, when argv is one draft file), or run the command named in argv."""
    # Started without a console (bigan-gui on Windows, pythonw) there is nowhere to print to.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    if not argv or (len(argv) == 1 and argv[0].lower().endswith(DRAFT_SUFFIXES)):
        from bigan.gui.app import run_app

        if argv and not Path(argv[0]).is_file():
            print(f"错误：找不到文稿 {argv[0]}", file=sys.stderr)
            return 2
        return run_app(argv[0] if argv else None)
    if argv[0] == "screenshot":
        # Handled here because core (and so core.cli) never imports Qt.
        from bigan.gui.screenshot import main as screenshot

        return screenshot(argv[1:])
    from bigan.core.cli import main as cli

    return cli(argv)


def main() -> int:
    """The `bigan` command: the window with no arguments, a headless command otherwise."""
    return run(sys.argv[1:])


def gui() -> int:
    """The `bigan-gui` command: always the window."""
    return run([])


# Also under "__mp_main__": a spawned parse worker (Windows) re-imports this file before it unpickles its task.
if __name__ in ("__main__", "__mp_main__") and not getattr(sys, "frozen", False):
    use_checkout()

if __name__ == "__main__":
    # A frozen build on Windows starts its parse workers by running this program again; this hands them over.
    multiprocessing.freeze_support()
    sys.exit(main())
