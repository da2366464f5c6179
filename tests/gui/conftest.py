"""Fixtures for window tests: a main window on the session bank, isolated settings, a drained thread pool."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from bigan.gui import workers
from bigan.gui.main_window import MainWindow
from bigan.gui.questions import Questions
from bigan.gui.settings import Settings


@pytest.fixture(autouse=True)
def drain_pool() -> Iterator[None]:
    """Let every worker finish before the next test starts."""
    yield
    workers.wait_for_workers()


def _unexpected(name: str) -> Callable[..., object]:
    def ask(self: Questions, *args: object, **kwargs: object) -> object:
        raise AssertionError(f"unexpected question {name}: a modal dialog would block the test")

    return ask


@pytest.fixture
def no_slot_errors(qtbot) -> Iterator[list]:
    """Fail the test if any Qt slot or virtual method raised while it ran (Qt would only print the traceback)."""
    with qtbot.capture_exceptions() as caught:
        yield caught
    assert not caught, "an exception escaped into Qt: " + "; ".join(repr(e[1]) for e in caught)


@pytest.fixture
def make_window(qtbot, tmp_path, bundled_bank, monkeypatch) -> Iterator[Callable[..., MainWindow]]:
    """Open main windows (on the bundled bank unless told otherwise); closed without questions afterwards."""
    monkeypatch.setenv("BIGAN_HOME", str(tmp_path / "home"))  # recovery copies of this test only
    monkeypatch.setattr(Questions, "ask_unsaved", lambda self, name: "discard")
    for question in ("ask_open_path", "ask_save_path", "ask_overwrite", "ask_export"):
        monkeypatch.setattr(Questions, question, _unexpected(question))
    windows: list[MainWindow] = []

    def make(text: str | None = None, db: Path | None = None, build_if_missing: bool = True) -> MainWindow:
        window = MainWindow(
            db or bundled_bank[1], Settings(tmp_path / "settings.ini"), build_if_missing=build_if_missing
        )
        if text is not None:
            window.editor.set_draft(text)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.builder.cancel()
        qtbot.waitUntil(lambda w=window: not w.files.busy and not w.builder.busy, timeout=60000)
        window.editor.document().setModified(False)
        window.close()
        window.deleteLater()
    workers.wait_for_workers()


@pytest.fixture
def window(make_window, report_text) -> MainWindow:
    """A window with the short report as its draft."""
    return make_window(report_text)


@pytest.fixture
def put_cursor() -> Callable[..., None]:
    """Move the editor's cursor to a line (its end by default), as a user clicking there would."""

    def put(window: MainWindow, line: int, at_end: bool = True) -> None:
        window.editor.go_to_line(line)
        if at_end:
            cursor = window.editor.textCursor()
            cursor.movePosition(cursor.MoveOperation.EndOfBlock)
            window.editor.setTextCursor(cursor)
        window.editor.setFocus()

    return put


@pytest.fixture
def line_of() -> Callable[[MainWindow, str], int]:
    """The number of the first draft line starting with a prefix."""

    def find(window: MainWindow, prefix: str) -> int:
        lines = window.editor.toPlainText().split("\n")
        return next(i for i, line in enumerate(lines) if line.startswith(prefix))

    return find


@pytest.fixture
def wait_for_snippets(qtbot) -> Callable[[MainWindow, str], list]:
    """Wait until the snippets pane shows results for the heading starting with a prefix; returns them."""

    def wait(window: MainWindow, prefix: str) -> list:
        qtbot.waitUntil(
            lambda: bool(window.snippets.model.matches) and window.snippets.query.startswith(prefix), timeout=15000
        )
        return list(window.snippets.model.matches)

    return wait


@pytest.fixture
def type_text() -> Callable[[QWidget, str], None]:
    """Type text into a widget the way a Chinese input method delivers it: one committed character at a time."""

    def type_into(widget: QWidget, text: str) -> None:
        for char in text:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(widget, event)

    return type_into
