"""Architecture rules: core stays free of Qt so it runs headless and in worker processes; imports name the package."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT = {"PySide6", "PyQt5", "PyQt6", "shiboken6"}


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _program() -> dict[str, set[str]]:
    modules = [ROOT / "main.py", *sorted((ROOT / "core").rglob("*.py")), *sorted((ROOT / "gui").rglob("*.py"))]
    return {m.relative_to(ROOT).as_posix(): _imported(m) for m in modules}


def test_core_imports_no_qt():
    imports = {name: found for name, found in _program().items() if name.startswith("core/")}
    # The scan must see real imports, or an empty result would prove nothing.
    assert "sqlite_utils" in imports["core/bank.py"]
    offenders = {
        name: sorted(m for m in found if m.split(".")[0] in QT or m.startswith("bigan.gui"))
        for name, found in imports.items()
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_program_imports_its_modules_through_the_package():
    # A bare `import core…` works only from the checkout and would break the installed program.
    offenders = {
        name: sorted(m for m in found if m.split(".")[0] in {"core", "gui"}) for name, found in _program().items()
    }
    assert {name: found for name, found in offenders.items() if found} == {}
    assert "bigan.core.cli" in _program()["main.py"]
