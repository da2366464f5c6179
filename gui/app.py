"""Starting the Qt application and its main window."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QThreadPool, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from bigan.core.paths import RESOURCES
from bigan.gui import theme

if TYPE_CHECKING:
    from bigan.gui.main_window import MainWindow

# Set to make the app print "shown <unix time>" once the window is on screen, then quit; set to "snippets" to
# wait for the first snippets too and print "snippets <unix time>" and "rss <MiB>" (bench/gui_latency.py).
PROBE_ENV = "BIGAN_STARTUP_PROBE"
_translators: list[QTranslator] = []
# Chinese for the few texts newer Qt versions changed or moved and qtbase_zh_CN.qm lacks (the file dialog's
# 「Look in:」「Files of type:」 and its 「Folder」 column stayed English); compiled from the .ts beside it.
QT_GAPS = RESOURCES / "qt_gaps_zh_CN.qm"


def prepare_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, set up for 笔杆: names, UI font, Qt dialogs in Chinese, worker threads, a short GIL switch."""
    # Worker threads wait for the GIL up to the switch interval while the UI thread runs Python.
    sys.setswitchinterval(0.001)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("笔杆")
    app.setApplicationDisplayName("笔杆")
    app.setOrganizationName("Bigan")
    font = app.font()
    font.setFamilies([font.family(), *theme.UI_FAMILIES])
    app.setFont(font)
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(3, pool.maxThreadCount()))
    if not _translators:
        # Sizes, dates and file types in Qt's dialogs as a Chinese desktop writes them (872 字节, 纯文本文档).
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        # Qt's own dialogs and standard buttons (文件对话框, 确定) in Chinese, whatever the system language.
        translator = QTranslator()
        if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", translations()):
            app.installTranslator(translator)
            _translators.append(translator)
        gaps = QTranslator()
        if gaps.load(str(QT_GAPS)):
            app.installTranslator(gaps)  # installed last, asked first
            _translators.append(gaps)
    return app


def translations() -> str:
    """The folder holding Qt's own translations (qtbase_zh_CN.qm ships in the PySide6-Essentials wheel)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if (Path(folder) / "qtbase_zh_CN.qm").exists():
        return folder
    import PySide6

    return str(Path(PySide6.__file__).parent / "Qt" / "translations")


def _probe_when_exposed(window: MainWindow, app: QApplication, snippets: bool) -> None:
    handle = window.windowHandle()
    if handle is None or not handle.isExposed():
        QTimer.singleShot(5, lambda: _probe_when_exposed(window, app, snippets))
        return
    print(f"shown {time.time():.6f}", flush=True)
    if not snippets:
        _quit_when_idle(window, app)
        return

    def first_snippets() -> None:
        window.snippets.list.viewport().repaint()
        print(f"snippets {time.time():.6f}", flush=True)
        print(f"rss {_resident_mib():.1f}", flush=True)
        _quit_when_idle(window, app)

    window.snippets.resultsShown.connect(first_snippets)


def _quit_when_idle(window: MainWindow, app: QApplication) -> None:
    # The window refuses to close while a draft is being read.
    if window.files.busy:
        QTimer.singleShot(5, lambda: _quit_when_idle(window, app))
    else:
        app.quit()


def _resident_mib() -> float:
    """This process's resident memory now, in MiB (read on Linux; NaN elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, AttributeError):
        return float("nan")


def run_app(draft: str | None = None) -> int:
    """Show the main window (with draft open, else the last one) until it closes; without a display, say so."""
    from bigan.gui import display

    problem = display.display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return display.EXIT_NO_DISPLAY
    display.guard_qt_start()
    from bigan.core import logs

    logs.setup("window", facts_in_background=True)
    app = prepare_app()
    display.release_qt_messages()
    from bigan.gui import workers
    from bigan.gui.main_window import MainWindow

    window = MainWindow(draft_path=draft)
    window.show()
    if os.environ.get(PROBE_ENV):
        QTimer.singleShot(0, lambda: _probe_when_exposed(window, app, os.environ[PROBE_ENV] == "snippets"))
    status = app.exec()
    # Let running workers finish (queued ones are dropped) before Python starts shutting down under them.
    workers.drop_queued_work()
    window.builder.cancel()
    workers.wait_for_workers()
    return status
