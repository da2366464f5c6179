"""File commands of the main window: 打开, 保存, 另存为, and the question about unsaved changes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui import files

UNTITLED = "未命名"


class DraftFiles:
    """Mixed into MainWindow: reads and writes the draft through gui.files, keeps title and last file current."""

    def _set_path(self, path: Path | None) -> None:
        self.path = path
        self.setWindowTitle(f"{path.name if path else UNTITLED}[*] — 笔杆")
        self.setWindowModified(self.editor.document().isModified())

    def open_file(self, path: str | Path) -> bool:
        """Load a draft file into the editor."""
        try:
            text = files.read_draft(path)
        except files.DraftFileError as exc:
            self.show_info("打开", str(exc), QMessageBox.Icon.Warning)
            return False
        self.editor.set_draft(text)
        self._set_path(Path(path))
        self.settings.last_file = str(Path(path).resolve())
        self.statusBar().showMessage(f"已打开 {Path(path).name}", 3000)
        return True

    def ask_open_path(self) -> str:
        """Ask which draft to open ("" if cancelled)."""
        path, _ = QFileDialog.getOpenFileName(
            self, "打开", str(self.path.parent if self.path else ""), files.OPEN_FILTER
        )
        return path

    def ask_save_path(self) -> str:
        """Ask where to save the draft ("" if cancelled)."""
        start = str(self.path) if self.path else f"{UNTITLED}.txt"
        path, _ = QFileDialog.getSaveFileName(self, "另存为", start, files.SAVE_FILTER)
        return path

    def ask_unsaved(self) -> str:
        """Ask what to do with unsaved changes: "save", "discard" or "cancel"."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            "笔杆",
            "当前文稿有未保存的修改，是否保存？",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def maybe_save(self) -> bool:
        """Give unsaved changes a chance to be saved; False when the user cancels."""
        if not self.editor.document().isModified():
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def open_draft(self) -> None:
        """打开: choose a draft file."""
        if not self.maybe_save():
            return
        path = self.ask_open_path()
        if path:
            self.open_file(path)

    def save(self) -> bool:
        """保存 to the current file (asks for one the first time)."""
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        """另存为."""
        path = self.ask_save_path()
        if not path:
            return False
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".txt")
        return self._write(target)

    def _write(self, path: Path) -> bool:
        try:
            files.write_draft(path, self.editor.draft_text())
        except files.DraftFileError as exc:
            self.show_info("保存", str(exc), QMessageBox.Icon.Warning)
            return False
        self.editor.document().setModified(False)
        self._set_path(path)
        self.settings.last_file = str(path.resolve())
        self.statusBar().showMessage(f"已保存到 {path}", 4000)
        return True
