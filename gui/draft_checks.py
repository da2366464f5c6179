"""The 检查 flow: the review in a worker, re-run after typing pauses, selecting findings and fixing them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from core.checks import KINDS, Finding, apply_fixes
from gui.check_panel import CheckPanel
from gui.editor import Editor
from gui.workers import BankBuilder, BankQueries, thread_checker

if TYPE_CHECKING:
    from core.review import Review

CHECK_DELAY_MS = 2000


def _text_review(text: str, note: str) -> Review:
    from core.review import review

    result = review(text, kinds=tuple(k for k in KINDS if k != "copied"))
    result.notes.append(note)
    return result


class DraftChecks(QObject):
    """Runs core.review.review over the editor's draft in the pool and applies the panel's fixes."""

    finished = Signal(int)
    status = Signal(str, int)

    def __init__(
        self,
        editor: Editor,
        panel: CheckPanel,
        queries: BankQueries,
        builder: BankBuilder,
        db_path: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.panel = panel
        self.queries = queries
        self.builder = builder
        self.db_path = db_path
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_DELAY_MS)
        self.timer.timeout.connect(self._auto_check)
        self.jobs: dict[int, str] = {}
        self._checked_edits = -1
        queries.finished.connect(self._query_finished)
        queries.failed.connect(self._query_failed)
        panel.checkRequested.connect(self.start)
        panel.findingActivated.connect(self.select_finding)
        panel.fixRequested.connect(self.fix_findings)
        panel.visibilityChanged.connect(self._panel_shown)
        editor.textEdited.connect(self._schedule)

    def run(self) -> int:
        """检查 (F7): show the panel and check the whole draft in the background; returns the job id."""
        job = self.start()
        self.panel.show()
        self.panel.raise_()
        return job

    def start(self) -> int:
        """Check the draft as it is now; an older check still running is dropped."""
        from core.review import review  # with the bank lookups it needs: loaded on the first check

        self.timer.stop()
        text = self.editor.draft_text()
        if self.builder.busy:
            job = self.queries.submit("check", lambda: _text_review(text, "正在建立素材库，稍后再查重"), plain=True)
        elif not self.db_path.exists():
            job = self.queries.submit("check", lambda: review(text, None), plain=True)
        else:
            job = self.queries.submit("check", lambda checker: review(text, checker=checker), opener=thread_checker)
        self.jobs = {job: text}
        self._checked_edits = self.editor.edits
        self.panel.set_running(True)
        return job

    def recheck_if_shown(self) -> None:
        """Check again when the panel is open (the bank changed, so the 雷同 share may have)."""
        if self.panel.isVisible():
            self.start()

    def _query_finished(self, kind: str, job: int, result: object) -> None:
        if kind != "check":
            return
        from core.review import Review

        text = self.jobs.pop(job, None)
        if text is not None and isinstance(result, Review):
            self.panel.show_review(result, text)
            self.finished.emit(len(result.findings))

    def _query_failed(self, kind: str, job: int, message: str) -> None:
        if kind == "check" and self.jobs.pop(job, None) is not None:
            self.panel.show_error(message)

    def _schedule(self) -> None:
        if self.panel.isVisible():
            self.timer.start()

    def _auto_check(self) -> None:
        if self.panel.isVisible() and self.editor.edits != self._checked_edits:
            self.start()

    def _panel_shown(self, visible: bool) -> None:
        if visible and self.editor.edits != self._checked_edits and not self.jobs:
            self.start()

    def select_finding(self, finding: Finding, focus: bool = False) -> None:
        """Select a finding's span in the editor (paragraph 1 is the title); focus moves there when asked."""
        self.editor.select_span(finding.line - 1, finding.start, finding.end)
        if focus:
            self.editor.setFocus()

    def fix_findings(self, findings: list[Finding]) -> int:
        """Apply the fixes of findings whose lines are unchanged since the check, as one undoable edit; re-check."""
        text = self.editor.draft_text()
        lines, checked = text.split("\n"), self.panel.checked_text.split("\n")
        last = min(len(lines), len(checked))
        usable = [
            f for f in findings if f.fix is not None and f.line <= last and lines[f.line - 1] == checked[f.line - 1]
        ]
        fixed = apply_fixes(text, usable, tuple({f.kind for f in usable})) if usable else text
        if fixed != text:
            self.editor.replace_lines(lines, fixed.split("\n"))
            self.status.emit(f"已修正 {len(usable)} 处，可用 Ctrl+Z 撤销", 4000)
        else:
            self.status.emit("文稿在检查后已改动，已重新检查，请再试一次", 4000)
        self.start()
        return len(usable) if fixed != text else 0
