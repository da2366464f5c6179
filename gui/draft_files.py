"""Draft files from the window: 打开, 保存, 另存为, 导出 Word, their questions, recent files, autosave and recovery."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox, QWidget

from core import draft as drafts
from core.recovery import Recovery, RecoveryCopy
from gui import files
from gui.editor import Editor
from gui.files import ExportFaults, SaveRequest
from gui.questions import UNTITLED, Questions
from gui.recovery_dialog import RecoveryDialog
from gui.settings import Settings
from gui.workers import FileJobs

FEED_MS = 250


def _same_file(a: Path, b: Path | None) -> bool:
    return b is not None and a.resolve() == b.resolve()


class DraftFiles(QObject):
    """Reads and writes the editor's draft with core.draft on a worker; a Recovery keeps a copy while editing."""

    pathChanged = Signal(object)
    opened = Signal(str)
    saved = Signal(str)
    failed = Signal(str)
    status = Signal(str, int)

    def __init__(self, editor: Editor, settings: Settings, questions: Questions, parent: QWidget) -> None:
        super().__init__(parent)
        self.editor = editor
        self.settings = settings
        self.questions = questions
        self.dialog_parent = parent
        self.path: Path | None = None
        self.stamp: drafts.FileStamp | None = None
        self.notes: list[str] = []
        self.jobs = FileJobs(self)
        try:
            self.recovery = Recovery()
        except OSError:  # the data directory cannot be written: keep copies in the temp directory instead
            self.recovery = Recovery(directory=Path(tempfile.gettempdir()) / "bigan-recovery")
        self.recovery_dialog: RecoveryDialog | None = None
        self._requests: dict[int, SaveRequest | tuple[Path, bool]] = {}
        self._accepted: dict[Path, ExportFaults] = {}
        self._fed_edits = editor.edits
        self._changed_at = time.monotonic()
        self._recovery_error = ""
        self._feed_timer = QTimer(self)
        self._feed_timer.setInterval(FEED_MS)
        self._feed_timer.timeout.connect(self._feed_recovery)
        self.jobs.finished.connect(self._finished)
        self.jobs.failed.connect(self._failed)
        editor.textEdited.connect(self._note_change)
        editor.document().modificationChanged.connect(self._modification_changed)

    @property
    def busy(self) -> bool:
        """Whether a file is being read or written."""
        return self.jobs.busy

    def start(self, draft_path: str | Path | None) -> None:
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
        self.pathChanged.emit(path)

    def display_name(self) -> str:
        """The draft's file name, or 未命名."""
        return self.path.name if self.path else UNTITLED

    def _status(self, text: str, ms: int = 4000) -> None:
        self.status.emit(text, ms)

    # -- where the writer was

    def remember_place(self) -> None:
        """Note the cursor and scroll position of the open draft, to come back to them."""
        if self.path is not None:
            bar = self.editor.verticalScrollBar()
            self.settings.set_place(str(self.path.resolve()), self.editor.textCursor().position(), bar.value())

    def _restore_place(self, path: Path) -> None:
        place = self.settings.place(str(path.resolve()))
        if place is None:
            return
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(min(place[0], self.editor.document().characterCount() - 1))
        self.editor.setTextCursor(cursor)
        bar = self.editor.verticalScrollBar()
        QTimer.singleShot(0, self, lambda: bar.setValue(place[1]))

    # -- opening

    def open_draft(self) -> None:
        """打开: choose a draft file (.docx, .txt, .md)."""
        if not self.maybe_save(self.open_draft):
            return
        path = self.questions.ask_open_path()
        if path:
            self.open_file(path)

    def open_recent(self, path: str) -> None:
        """Open a draft from 最近打开 (after offering to save the current one)."""
        if not Path(path).is_file():
            self._status(f"找不到“{Path(path).name}”，已从最近打开中移除", 5000)
            self.settings.remove_recent(path)
            return
        if self.maybe_save(lambda: self.open_recent(path)):
            self.open_file(path)

    def open_file(self, path: str | Path, adopt: bool = False) -> bool:
        """Read a draft file on a worker and show it (adopt: only take the file's stamp); False when busy."""
        path = Path(path)
        job = self.jobs.submit(lambda: drafts.load(path), f"打开“{path.name}”")
        if not job:
            self._status("正在读写文件，请稍候")
            return False
        self._requests[job] = (path, adopt)
        if not adopt:
            self.remember_place()
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
        self.settings.add_recent(str(path.resolve()))
        self._restore_place(path)
        self._status(f"已打开 {path.name}")
        if opened.notes:
            self.questions.show_info("打开", f"已打开“{path.name}”。\n\n" + "\n".join(opened.notes))
        self.opened.emit(str(path))

    def start_new(self, text: str) -> None:
        """Replace the editor's content with a new, untitled draft, the cursor under its first heading."""
        self.remember_place()
        self.editor.set_draft(text)
        self.stamp, self.notes = None, []
        self._set_path(None)
        self.recovery.saved()
        self.recovery.source = None
        self.settings.last_file = ""
        headings = self.editor.headings
        if headings:
            self.editor.go_to_line(headings[0].line + 1)

    # -- saving

    def maybe_save(self, then: Callable[[], object] | None = None) -> bool:
        """True when the caller may go on now; False when cancelled, or while a save runs that calls `then`."""
        if not self.editor.document().isModified():
            return True
        answer = self.questions.ask_unsaved(self.display_name())
        if answer == "save":
            self.save(then=then)
        return answer == "discard"

    def save(self, *, then: Callable[[], object] | None = None) -> bool:
        """保存 to the draft's file (asks where the first time); `then` runs once written; False if not started."""
        if self.path is None:
            return self.save_as(then=then)
        return self._submit(SaveRequest(self.editor.draft_text(), self.path, self.stamp, then=then))

    def save_as(self, *, then: Callable[[], object] | None = None) -> bool:
        """另存为: .docx by default, or .txt / .md."""
        chosen = self.questions.ask_save_path(self.path, self.editor.line_text(0))
        if not chosen:
            return False
        target = files.with_suffix(chosen)
        expected = self.stamp if _same_file(target, self.path) else None
        return self._submit(SaveRequest(self.editor.draft_text(), target, expected, then=then))

    def export_word(self) -> bool:
        """导出 Word: write a GB/T 9704 .docx copy; the draft keeps its own file."""
        chosen = self.questions.ask_save_path(self.path, self.editor.line_text(0), "导出 Word", word_only=True)
        if not chosen:
            return False
        target = Path(chosen)
        if target.suffix.lower() != ".docx":
            target = target.with_name(target.name + ".docx")
        if _same_file(target, self.path):
            return self.save()
        return self._submit(SaveRequest(self.editor.draft_text(), target, export=True))

    def _submit(self, request: SaveRequest) -> bool:
        accepted = self._accepted.get(request.path.resolve())
        request.revision = self.editor.edits
        job = self.jobs.submit(lambda: request.run(accepted), f"保存“{request.path.name}”")
        if not job:
            self._status("正在读写文件，请稍候再保存")
            return False
        self._requests[job] = request
        self._status(f"正在保存 {request.path.name}…", 0)
        return True

    def _saved(self, request: SaveRequest, result: drafts.FileStamp | ExportFaults) -> None:
        if isinstance(result, ExportFaults):
            self._status("")
            if not self.questions.ask_export(result, request.path, request.export):
                self._status("没有保存，请修改后再保存" if not request.export else "没有导出", 5000)
                return
            self._accepted[request.path.resolve()] = result
            request.checked = True
            self._submit(request)
            return
        if request.export:
            self._status(f"已导出 {request.path}")
        else:
            self.stamp, self.notes = result, []
            self._set_path(request.path)
            if self.editor.edits == request.revision:
                self.editor.document().setModified(False)
                self.recovery.saved(request.path)
            else:
                self.recovery.source = request.path
            self.settings.last_file = str(request.path.resolve())
            self.settings.add_recent(str(request.path.resolve()))
            self._status(f"已保存到 {request.path}")
        self.saved.emit(str(request.path))
        if request.then is not None:
            request.then()

    def _finished(self, job: int, result: object) -> None:
        request = self._requests.pop(job, None)
        if isinstance(request, SaveRequest):
            self._saved(request, result)  # type: ignore[arg-type]
        elif request is not None:
            self.editor.setReadOnly(False)
            self._opened(*request, result)  # type: ignore[arg-type]

    def _failed(self, job: int, error: drafts.DraftError) -> None:
        request = self._requests.pop(job, None)
        self.editor.setReadOnly(False)
        self._status("")
        if isinstance(request, SaveRequest):
            if isinstance(error, (drafts.ChangedOnDiskError, drafts.LosesContentError)):
                answer = self.questions.ask_overwrite(str(error))
                if answer == "overwrite":
                    request.force = True
                    self._submit(request)
                elif answer == "save_as":
                    self.save_as(then=request.then)
                return
            self._feed_recovery()
            self.recovery.flush()
            self.questions.show_info("保存失败", f"{error}\n\n编辑器里的文稿没有丢失。", QMessageBox.Icon.Warning)
        elif request is not None and not request[1]:
            self.questions.show_info("打开失败", str(error), QMessageBox.Icon.Warning)
        self.failed.emit(str(error))

    # -- autosave and recovery

    def _note_change(self) -> None:
        self._changed_at = time.monotonic()

    def _feed_recovery(self) -> None:
        """Give the recovery copy the current text when it changed (its own thread writes it when due)."""
        if self.editor.edits != self._fed_edits and self.editor.document().isModified():
            self._fed_edits = self.editor.edits
            self.recovery.update(self.editor.draft_text(), self._changed_at)
        error = self.recovery.last_error
        if error != self._recovery_error:
            self._recovery_error = error
            if error:
                self._status(error, 10000)

    def _modification_changed(self, modified: bool) -> None:
        if not modified:
            self.recovery.saved()

    def offer_recovery(self, copies: list[RecoveryCopy], draft_path: str | Path | None = None) -> RecoveryDialog:
        """Offer drafts left by a crash (not modal: 以后再说 keeps them); the usual draft opens if none is taken."""
        dialog = RecoveryDialog(copies, self.dialog_parent)
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

    def close(self) -> None:
        """Clean close: remember the place, stop autosaving and remove the recovery copy."""
        self.remember_place()
        self._feed_timer.stop()
        self.recovery.close()
