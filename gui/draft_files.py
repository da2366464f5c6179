"""File flows of the main window: 打开, 保存, 另存为, 导出 Word, their questions, autosave and crash recovery."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core import draft as drafts
from core.recovery import Recovery, RecoveryCopy
from gui import files
from gui.files import ExportFaults, SaveRequest
from gui.recovery_dialog import RecoveryDialog
from gui.workers import FileJobs

UNTITLED = "未命名"
FEED_MS = 250


def _same_file(a: Path, b: Path | None) -> bool:
    return b is not None and a.resolve() == b.resolve()


class DraftFiles:
    """Mixed into MainWindow: drafts are read and written by core.draft on a worker; a Recovery keeps a copy."""

    def _init_files(self) -> None:
        self.path: Path | None = None
        self.stamp: drafts.FileStamp | None = None
        self.notes: list[str] = []
        self.file_jobs = FileJobs(self)
        try:
            self.recovery = Recovery()
        except OSError:  # the data directory cannot be written: keep copies in the temp directory instead
            self.recovery = Recovery(directory=Path(tempfile.gettempdir()) / "bigan-recovery")
        self.recovery_dialog: RecoveryDialog | None = None
        self._requests: dict[int, SaveRequest | tuple[Path, bool]] = {}
        self._accepted: dict[Path, ExportFaults] = {}
        self._edits = 0
        self._fed_edits = 0
        self._changed_at = time.monotonic()
        self._recovery_error = ""
        self._feed_timer = QTimer(self)
        self._feed_timer.setInterval(FEED_MS)
        self._feed_timer.timeout.connect(self._feed_recovery)

    def _start_files(self, draft_path: str | Path | None) -> None:
        """Begin autosaving; offer left-behind copies first, else open the given or last draft."""
        copies = self.recovery.pending()
        self.recovery.start()
        self._feed_timer.start()
        if copies:
            self._set_path(None)
            QTimer.singleShot(0, self, lambda: self.offer_recovery(copies, draft_path))
        else:
            self._load_initial(draft_path)

    def _load_initial(self, draft_path: str | Path | None) -> None:
        candidate = draft_path or self.settings.last_file
        if candidate and Path(candidate).is_file():
            self.open_file(candidate)
        else:
            self._set_path(None)

    def _set_path(self, path: Path | None) -> None:
        self.path = path
        self.setWindowTitle(f"{path.name if path else UNTITLED}[*] — 笔杆")
        self.setWindowModified(self.editor.document().isModified())

    def _status(self, text: str, ms: int = 4000) -> None:
        self.statusBar().showMessage(text, ms)

    # -- questions (replaced in tests)

    def ask_open_path(self) -> str:
        """Ask which draft to open ("" if cancelled)."""
        start = str(self.path.parent) if self.path else ""
        path, _ = QFileDialog.getOpenFileName(self, "打开", start, files.OPEN_FILTER)
        return path

    def ask_save_path(self, title: str = "另存为", word_only: bool = False) -> str:
        """Ask where to save the draft, a .docx unless another type is chosen ("" if cancelled)."""
        if self.path:
            start = str(self.path.with_suffix(files.DEFAULT_SUFFIX))
        else:
            start = files.suggested_name(self.editor.line_text(0), UNTITLED)
        filters = files.WORD_FILTER if word_only else files.SAVE_FILTER
        path, chosen = QFileDialog.getSaveFileName(self, title, start, filters, files.WORD_FILTER)
        return str(files.with_suffix(path, chosen)) if path else ""

    def _ask(self, title: str, text: str, choices: list[tuple[str, str, QMessageBox.ButtonRole]]) -> str:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, self)
        buttons = {box.addButton(label, role): answer for label, answer, role in choices}
        box.setDefaultButton(next(iter(buttons)))
        box.exec()
        return buttons.get(box.clickedButton(), "cancel")

    def ask_unsaved(self) -> str:
        """Ask what to do with unsaved changes: "save", "discard" or "cancel"."""
        role = QMessageBox.ButtonRole
        name = self.path.name if self.path else UNTITLED
        return self._ask(
            "笔杆",
            f"“{name}”有未保存的修改，是否保存？",
            [
                ("保存", "save", role.AcceptRole),
                ("不保存", "discard", role.DestructiveRole),
                ("取消", "cancel", role.RejectRole),
            ],
        )

    def ask_overwrite(self, message: str) -> str:
        """The file changed on disk or holds what a draft cannot keep: "overwrite", "save_as" or "cancel"."""
        role = QMessageBox.ButtonRole
        return self._ask(
            "保存",
            message,
            [
                ("另存为…", "save_as", role.AcceptRole),
                ("覆盖", "overwrite", role.DestructiveRole),
                ("取消", "cancel", role.RejectRole),
            ],
        )

    def ask_export(self, faults: ExportFaults, path: Path) -> bool:
        """Warn that a Word file would go out with unfilled fields or numbering faults; True: 仍然导出."""
        role = QMessageBox.ButtonRole
        text = (
            f"文稿中还有 {faults.describe()}，导出的“{path.name}”会带着这些问题。\n可以用“检查”（F7）逐条查看并修正。"
        )
        choices = [("返回修改", "back", role.RejectRole), ("仍然导出", "export", role.AcceptRole)]
        return self._ask("导出 Word", text, choices) == "export"

    # -- opening

    def open_draft(self) -> None:
        """打开: choose a draft file (.docx, .txt, .md)."""
        if not self.maybe_save(self.open_draft):
            return
        path = self.ask_open_path()
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path, adopt: bool = False) -> bool:
        """Read a draft file on a worker and show it (adopt: only take the file's stamp); False when busy."""
        path = Path(path)
        job = self.file_jobs.submit(lambda: drafts.load(path), f"打开“{path.name}”")
        if not job:
            self._status("正在读写文件，请稍候")
            return False
        self._requests[job] = (path, adopt)
        if not adopt:
            self.editor.setReadOnly(True)
            self._status(f"正在打开 {path.name}…", 0)
        return True

    def _opened(self, path: Path, adopt: bool, opened: drafts.OpenedDraft) -> None:
        self.stamp, self.notes = opened.stamp, opened.notes
        if adopt:
            return
        self.editor.set_draft(files.editor_text(opened))
        self._set_path(path)
        self.recovery.saved(path)
        self._accepted.clear()
        self.settings.last_file = str(path.resolve())
        self._status(f"已打开 {path.name}")
        if opened.notes:
            self.show_info("打开", f"已打开“{path.name}”。\n\n" + "\n".join(opened.notes))
        self.fileOpened.emit(str(path))

    # -- saving

    def maybe_save(self, then: Callable[[], object] | None = None) -> bool:
        """True when the caller may go on now; False when cancelled, or while a save runs that calls `then`."""
        if not self.editor.document().isModified():
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            self.save(then)
        return answer == "discard"

    def save(self, then: Callable[[], object] | None = None) -> bool:
        """保存 to the draft's file (asks where the first time); `then` runs once written; False if not started."""
        if self.path is None:
            return self.save_as(then)
        return self._submit_save(SaveRequest(self.editor.draft_text(), self.path, self.stamp, then=then))

    def save_as(self, then: Callable[[], object] | None = None) -> bool:
        """另存为: .docx by default, or .txt / .md."""
        chosen = self.ask_save_path()
        if not chosen:
            return False
        target = files.with_suffix(chosen)
        expected = self.stamp if _same_file(target, self.path) else None
        return self._submit_save(SaveRequest(self.editor.draft_text(), target, expected, then=then))

    def export_word(self) -> bool:
        """导出 Word: write a GB/T 9704 .docx copy; the draft keeps its own file."""
        chosen = self.ask_save_path("导出 Word", word_only=True)
        if not chosen:
            return False
        target = Path(chosen)
        if target.suffix.lower() != ".docx":
            target = target.with_name(target.name + ".docx")
        if _same_file(target, self.path):
            return self.save()
        return self._submit_save(SaveRequest(self.editor.draft_text(), target, export=True))

    def _submit_save(self, request: SaveRequest) -> bool:
        accepted = self._accepted.get(request.path.resolve())
        request.revision = self._edits
        job = self.file_jobs.submit(lambda: request.run(accepted), f"保存“{request.path.name}”")
        if not job:
            self._status("正在读写文件，请稍候再保存")
            return False
        self._requests[job] = request
        self._status(f"正在保存 {request.path.name}…", 0)
        return True

    def _saved(self, request: SaveRequest, result: drafts.FileStamp | ExportFaults) -> None:
        if isinstance(result, ExportFaults):
            self._status("")
            if not self.ask_export(result, request.path):
                self._status("没有导出，请修改后再保存", 5000)
                return
            self._accepted[request.path.resolve()] = result
            request.checked = True
            self._submit_save(request)
            return
        if request.export:
            self._status(f"已导出 {request.path}")
        else:
            self.stamp, self.notes = result, []
            self._set_path(request.path)
            if self._edits == request.revision:
                self.editor.document().setModified(False)
                self.recovery.saved(request.path)
            else:
                self.recovery.source = request.path
            self.settings.last_file = str(request.path.resolve())
            self._status(f"已保存到 {request.path}")
        self.fileSaved.emit(str(request.path))
        if request.then is not None:
            request.then()

    def _file_finished(self, job: int, result: object) -> None:
        request = self._requests.pop(job, None)
        if isinstance(request, SaveRequest):
            self._saved(request, result)
        elif request is not None:
            self.editor.setReadOnly(False)
            self._opened(*request, result)

    def _file_failed(self, job: int, error: drafts.DraftError) -> None:
        request = self._requests.pop(job, None)
        self.editor.setReadOnly(False)
        self._status("")
        if isinstance(request, SaveRequest):
            if isinstance(error, (drafts.ChangedOnDiskError, drafts.LosesContentError)):
                answer = self.ask_overwrite(str(error))
                if answer == "overwrite":
                    request.force = True
                    self._submit_save(request)
                elif answer == "save_as":
                    self.save_as(request.then)
                return
            self._feed_recovery()
            self.recovery.flush()
            self.show_info("保存失败", f"{error}\n\n编辑器里的文稿没有丢失。", QMessageBox.Icon.Warning)
        elif request is not None and not request[1]:
            self.show_info("打开失败", str(error), QMessageBox.Icon.Warning)
        self.fileFailed.emit(str(error))

    # -- autosave and recovery

    def _note_change(self) -> None:
        self._edits += 1
        self._changed_at = time.monotonic()

    def _feed_recovery(self) -> None:
        """Give the recovery copy the current text when it changed (its own thread writes it when due)."""
        if self._edits != self._fed_edits and self.editor.document().isModified():
            self._fed_edits = self._edits
            self.recovery.update(self.editor.draft_text(), self._changed_at)
        error = self.recovery.last_error
        if error != self._recovery_error:
            self._recovery_error = error
            if error:
                self._status(error, 10000)

    def _modification_changed(self, modified: bool) -> None:
        self.setWindowModified(modified)
        if not modified:
            self.recovery.saved()

    def offer_recovery(self, copies: list[RecoveryCopy], draft_path: str | Path | None = None) -> RecoveryDialog:
        """Offer drafts left by a crash (not modal: 以后再说 keeps them); the usual draft opens if none is taken."""
        dialog = RecoveryDialog(copies, self)
        dialog.restoreChosen.connect(self.restore_copy)
        dialog.discardChosen.connect(lambda chosen: self._drop_copies(chosen, draft_path))
        dialog.postponed.connect(lambda: self._load_initial(draft_path))
        self.recovery_dialog = dialog
        dialog.open()
        return dialog

    def _drop_copies(self, copies: list[RecoveryCopy], draft_path: str | Path | None) -> None:
        for copy in copies:
            self.recovery.discard(copy)
        self._load_initial(draft_path)

    def restore_copy(self, copy: RecoveryCopy) -> None:
        """Continue a left-behind draft: its text, marked unsaved, tied to its file if that still exists."""
        self.editor.set_draft(copy.text)
        self.recovery.restore(copy)
        self.editor.document().setModified(True)
        source = copy.source if copy.source is not None and copy.source.is_file() else None
        self.stamp, self.notes = None, []
        self._set_path(source)
        if source is not None:
            self.open_file(source, adopt=True)
        self._status("已恢复上次未保存的草稿，请及时保存", 8000)

    def close_files(self) -> None:
        """Clean close: stop autosaving and remove the recovery copy."""
        self._feed_timer.stop()
        self.recovery.close()
