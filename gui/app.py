"""Starting the Qt application and its main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow


def run_app() -> int:
    """Show the main window and run the event loop until it closes."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("笔杆")
    app.setOrganizationName("Bigan")
    window = MainWindow()
    window.show()
    return app.exec()
