"""Architecture rules: the core package stays free of Qt so it runs headless and in worker processes."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"PySide6", "PyQt5", "PyQt6", "shiboken6", "gui"}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_no_qt():
    modules = sorted((ROOT / "core").rglob("*.py"))
    imports = {m.relative_to(ROOT).as_posix(): _imported_roots(m) for m in modules}
    # The scan must see real imports, or an empty result would prove nothing.
    assert "sqlite_utils" in imports["core/bank.py"]
    offenders = {name: sorted(found & FORBIDDEN) for name, found in imports.items() if found & FORBIDDEN}
    assert offenders == {}
