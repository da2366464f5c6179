"""The questions the window asks (save? overwrite? which file?) and its non-blocking notes; replaced in tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from gui import files
from gui.files import ExportFaults
from gui.settings import Settings

UNTITLED = "未命名"

Choice = tuple[str, str, QMessageBox.ButtonRole]


def documents_folder() -> str:
    """The user's documents folder (where office writers keep their files), else the home folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def question_box(parent: QWidget | None, title: str, text: str, choices: list[Choice]) -> QMessageBox:
    """A question with labelled buttons (each with its Alt accelerator, e.g. 不保存(&N)); the first is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    for label, answer, role in choices:
        button = box.addButton(label, role)
        button.setProperty("answer", answer)
        if box.defaultButton() is None:
            box.setDefaultButton(button)
    return box


def answer_of(box: QMessageBox) -> str:
    """The answer the clicked button stands for ("cancel" when the box was closed otherwise)."""
    clicked = box.clickedButton()
    answer = clicked.property("answer") if clicked is not None else None
    return str(answer) if answer else "cancel"


UNSAVED_CHOICES: list[Choice] = [
    ("保存(&S)", "save", QMessageBox.ButtonRole.AcceptRole),
    ("不保存(&N)", "discard", QMessageBox.ButtonRole.DestructiveRole),
    ("取消(&C)", "cancel", QMessageBox.ButtonRole.RejectRole),
]
OVERWRITE_CHOICES: list[Choice] = [
    ("另存为(&A)…", "save_as", QMessageBox.ButtonRole.AcceptRole),
    ("覆盖(&O)", "overwrite", QMessageBox.ButtonRole.DestructiveRole),
    ("取消(&C)", "cancel", QMessageBox.ButtonRole.RejectRole),
]


class Questions:
    """Asks the user, remembering the folder last used for drafts; notes are shown without blocking."""

    def __init__(self, parent: QWidget, settings: Settings) -> None:
        self.parent = parent
        self.settings = settings
        self.boxes: list[QMessageBox] = []

    def _ask(self, title: str, text: str, choices: list[Choice]) -> str:
        box = question_box(self.parent, title, text, choices)
        box.exec()
        return answer_of(box)

    def start_folder(self) -> str:
        """Where file dialogs open: the folder last used, else the documents folder."""
        last = self.settings.last_folder
        return last if last and Path(last).is_dir() else documents_folder()

    def _remember(self, path: str) -> None:
        if path:
            self.settings.last_folder = str(Path(path).parent)

    def ask_open_path(self) -> str:
        """Ask which draft to open ("" if cancelled)."""
        path, _ = QFileDialog.getOpenFileName(self.parent, "打开", self.start_folder(), files.OPEN_FILTER)
        self._remember(path)
        return path

    def ask_save_path(
        self, current: Path | None, title_line: str, title: str = "另存为", word_only: bool = False
    ) -> str:
        """Ask where to save the draft, a .docx unless another type is chosen ("" if cancelled)."""
        if current is not None:
            start = str(current.with_suffix(files.DEFAULT_SUFFIX))
        else:
            start = str(Path(self.start_folder()) / files.suggested_name(title_line, UNTITLED))
        filters = files.WORD_FILTER if word_only else files.SAVE_FILTER
        path, chosen = QFileDialog.getSaveFileName(self.parent, title, start, filters, files.WORD_FILTER)
        self._remember(path)
        return str(files.with_suffix(path, chosen)) if path else ""

    def ask_unsaved(self, name: str) -> str:
        """Ask what to do with unsaved changes: "save", "discard" or "cancel"."""
        return self._ask("笔杆", f"“{name}”有未保存的修改，是否保存？", UNSAVED_CHOICES)

    def ask_overwrite(self, message: str) -> str:
        """The file changed on disk or holds what a draft cannot keep: "overwrite", "save_as" or "cancel"."""
        return self._ask("保存", message, OVERWRITE_CHOICES)

    def ask_export(self, faults: ExportFaults, path: Path, export: bool = False) -> bool:
        """Warn that a Word file would go out with unfilled fields or numbering faults; True: save (export) anyway."""
        verb = "导出" if export else "保存"
        text = (
            f"文稿中还有 {faults.describe()}，{verb}的“{path.name}”会带着这些问题。\n可以用“检查”（F7）逐条查看并修正。"
        )
        choices: list[Choice] = [
            ("返回修改(&B)", "back", QMessageBox.ButtonRole.RejectRole),
            (f"仍然{verb}(&W)", "export", QMessageBox.ButtonRole.AcceptRole),
        ]
        return self._ask("导出 Word" if export else "保存", text, choices) == "export"

    def ask_confirm(self, title: str, text: str, yes: str) -> bool:
        """Ask to go ahead with something that takes a while or replaces a file; True to go ahead."""
        choices: list[Choice] = [
            (yes, "yes", QMessageBox.ButtonRole.AcceptRole),
            ("取消(&C)", "cancel", QMessageBox.ButtonRole.RejectRole),
        ]
        return self._ask(title, text, choices) == "yes"

    def ask_files(self, title: str, filters: str, many: bool = False) -> list[str]:
        """Ask for one file (or several) to read; [] if cancelled."""
        if many:
            paths, _ = QFileDialog.getOpenFileNames(self.parent, title, self.start_folder(), filters)
        else:
            path, _ = QFileDialog.getOpenFileName(self.parent, title, self.start_folder(), filters)
            paths = [path] if path else []
        if paths:
            self._remember(paths[0])
        return paths

    def show_info(self, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
        """A message box that does not block the event loop."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.parent)
        box.button(QMessageBox.StandardButton.Ok).setText("确定(&O)")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _: self.boxes.remove(box) if box in self.boxes else None)
        self.boxes.append(box)
        box.open()
        return box

    def open_texts(self) -> list[str]:
        """The texts of the notes still open."""
        return [box.text() for box in self.boxes if box.isVisible()]
