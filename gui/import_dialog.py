"""导入素材: choose files or a folder, watch the import, cancel it, and read what was imported and skipped."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bigan.gui.questions import documents_folder
from bigan.gui.settings import Settings

if TYPE_CHECKING:
    from bigan.core.bank import BuildReport

FILE_FILTER = "材料文件 (*.txt *.md *.docx *.doc *.wps *.rtf *.odt *.pdf);;所有文件 (*)"


def report_lines(report: BuildReport) -> list[str]:
    """The end-of-import report for the user: a summary, then each skipped file with its reason."""
    imported, skipped = report.imported, report.skipped
    lines = []
    if report.changed:
        totals = report.totals
        lines.append(
            f"导入完成：{len(imported)} 个文件，{report.documents} 篇文档，{report.passages} 段素材"
            f"（{report.seconds:.1f} 秒）。素材库共 {totals.get('documents', 0)} 篇文档、"
            f"{totals.get('entries', 0)} 条素材。"
        )
    else:
        lines.append("素材库没有变化。")
    if report.unchanged:
        lines.append(f"已导入且未修改：{len(report.unchanged)} 个文件。")
    for path, same in report.duplicates:
        lines.append(f"重复：{Path(path).name} 与已导入的 {Path(same).name} 内容相同，未重复导入。")
    if skipped:
        lines.append(f"跳过 {len(skipped)} 个文件：")
        lines += [f"  {Path(s.path).name}：{s.reason}（{s.path}）" for s in skipped]
    if imported:
        lines.append("已导入：")
        lines += [f"  {Path(p).name}" for p in imported]
    return lines


class ImportDialog(QDialog):
    """Collects paths, asks the window to import them, and shows progress and the final report."""

    importRequested = Signal(list)
    cancelRequested = Signal()
    importEnded = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("导入素材")
        self.resize(640, 480)
        self.paths = QListWidget()
        self.add_files_button = QPushButton("添加文件(&F)…")
        self.add_folder_button = QPushButton("添加文件夹(&D)…")
        self.remove_button = QPushButton("移除(&R)")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel("选择要导入的往年材料（.txt .md .docx）；文件夹会连同子文件夹一起导入。")
        self.status.setWordWrap(True)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.hide()
        self.start_button = QPushButton("开始导入(&S)")
        self.start_button.setDefault(True)
        self.cancel_button = QPushButton("取消导入(&C)")
        self.cancel_button.hide()
        self.close_button = QPushButton("关闭(&L)")
        choose = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            choose.addWidget(button)
        choose.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.start_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.paths, 1)
        layout.addLayout(choose)
        layout.addWidget(self.progress)
        layout.addWidget(self.report, 2)
        layout.addLayout(buttons)
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self._remove_selected)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel)
        self.close_button.clicked.connect(self.close)
        self._running = False
        self._step = ""  # what the last progress named: a file, or a step of the build
        self._update_buttons()

    def _start_folder(self) -> str:
        last = self.settings.import_folder
        return last if last and Path(last).is_dir() else documents_folder()

    def choose_files(self) -> None:
        """Ask for files to import (starting where materials came from last time, else in 文档)."""
        files, _ = QFileDialog.getOpenFileNames(self, "选择要导入的材料", self._start_folder(), FILE_FILTER)
        if files:
            self.settings.import_folder = str(Path(files[0]).parent)
        self.add_paths(files)

    def choose_folder(self) -> None:
        """Ask for a folder to import."""
        folder = QFileDialog.getExistingDirectory(self, "选择要导入的文件夹", self._start_folder())
        if folder:
            self.settings.import_folder = str(Path(folder).parent)
            self.add_paths([folder])

    def add_paths(self, paths: Sequence[str | Path]) -> None:
        """Add files or folders to the list (each once)."""
        present = set(self.selected_paths())
        for path in paths:
            if str(path) not in present:
                self.paths.addItem(str(path))
                present.add(str(path))
        self._update_buttons()

    def selected_paths(self) -> list[str]:
        """The files and folders chosen so far."""
        return [self.paths.item(i).text() for i in range(self.paths.count())]

    def _remove_selected(self) -> None:
        for item in self.paths.selectedItems():
            self.paths.takeItem(self.paths.row(item))
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self._running
        for widget in (self.add_files_button, self.add_folder_button, self.remove_button, self.paths):
            widget.setEnabled(idle)
        self.start_button.setVisible(idle)
        self.start_button.setEnabled(idle and self.paths.count() > 0)
        self.cancel_button.setVisible(self._running)
        self.close_button.setEnabled(idle)

    def start(self) -> None:
        """Ask for the chosen paths to be imported."""
        paths = self.selected_paths()
        if not paths or self._running:
            return
        self._running, self._step = True, ""
        self.report.clear()
        self.report.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("正在准备导入（首次导入需要载入分词词典，约一两秒）…")
        self._update_buttons()
        self.importRequested.emit(paths)

    def _cancel(self) -> None:
        from bigan.core.bank import INDEXING  # loaded by the worker running the import

        if self._step == INDEXING:
            self.status.setText("正在取消：新材料已导入；检索索引下次导入时再更新，在此之前照常检索…")
        else:
            self.status.setText("正在取消：读完当前文件后停止，素材库保持导入前的样子…")
        self.cancel_button.setEnabled(False)
        self.cancelRequested.emit()

    def on_progress(self, done: int, total: int, path: str) -> None:
        """A file was read, or the build moved on to a step of its own."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total}")
        self._step = path
        # A step of the build (waiting for another import, updating the index) ends in …; anything else is a file.
        self.status.setText(path if path.endswith("…") else f"正在导入：{Path(path).name}")

    def _end(self, status: str, lines: list[str]) -> None:
        self._running = False
        self.cancel_button.setEnabled(True)
        self.progress.hide()
        self.status.setText(status)
        self.report.setPlainText("\n".join(lines))
        self.report.setVisible(bool(lines))
        self._update_buttons()
        self.importEnded.emit()

    def on_finished(self, report: BuildReport) -> None:
        """The import ended: show what was imported and what was skipped, and why."""
        skipped = len(report.skipped)
        status = "导入完成。" if not skipped else f"导入完成，但有 {skipped} 个文件无法读取，见下方原因。"
        self._end(status, report_lines(report))

    def on_failed(self, message: str) -> None:
        """The import failed as a whole; the bank is unchanged."""
        self._end("导入失败，素材库保持原样。", [message])

    def on_cancelled(self) -> None:
        """The import was cancelled; the bank is unchanged."""
        self._end("已取消导入，素材库保持导入前的样子。", [])

    def running(self) -> bool:
        """Whether an import started from this dialog is under way."""
        return self._running

    def reject(self) -> None:
        """Esc or the close button: cancel a running import first."""
        if self._running:
            self._cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing while importing cancels the import instead."""
        if self._running:
            self._cancel()
            event.ignore()
            return
        super().closeEvent(event)
