"""Check flows of the main window: the review in a worker, re-run after typing pauses, selecting and fixing."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer

from core.checks import KINDS, Finding, apply_fixes
from core.review import Review, review
from gui.check_panel import CheckPanel
from gui.workers import thread_checker

CHECK_DELAY_MS = 2000


def _text_review(text: str, note: str) -> Review:
    result = review(text, kinds=tuple(k for k in KINDS if k != "copied"))
    result.notes.append(note)
    return result


class DraftChecks:
    """Mixed into MainWindow: runs core.review.review over the draft in the pool and applies the panel's fixes."""

    def _init_checks(self) -> None:
        self.check_panel = CheckPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.check_panel)
        self.check_panel.hide()
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._auto_check)
        self._check_jobs: dict[int, str] = {}
        self._checked_edits = -1

    def run_check(self) -> int:
        """检查 (F7): show the panel and check the whole draft in the background; returns the job id."""
        job = self.start_check()
        self.check_panel.show()
        self.check_panel.raise_()
        return job

    def start_check(self) -> int:
        """Check the draft as it is now; an older check still running is dropped."""
        self._check_timer.stop()
        text = self.editor.draft_text()
        if self.builder.busy:
            job = self.queries.submit("check", lambda: _text_review(text, "正在建立素材库，稍后再查重"), plain=True)
        elif not self.db_path.exists():
            job = self.queries.submit("check", lambda: review(text, None), plain=True)
        else:
            job = self.queries.submit("check", lambda checker: review(text, checker=checker), opener=thread_checker)
        self._check_jobs = {job: text}
        self._checked_edits = self._edits
        self.check_panel.set_running(True)
        return job

    def _check_finished(self, job: int, result: Review) -> None:
        text = self._check_jobs.pop(job, None)
        if text is not None:
            self.check_panel.show_review(result, text)
            self.checkFinished.emit(len(result.findings))

    def _check_failed(self, job: int, message: str) -> None:
        if self._check_jobs.pop(job, None) is not None:
            self.check_panel.show_error(message)

    def _schedule_check(self) -> None:
        if self.check_panel.isVisible():
            self._check_timer.start()

    def _auto_check(self) -> None:
        if self.check_panel.isVisible() and self._edits != self._checked_edits:
            self.start_check()

    def _check_panel_shown(self, visible: bool) -> None:
        if visible and self._edits != self._checked_edits and not self._check_jobs:
            self.start_check()

    def select_finding(self, finding: Finding, focus: bool = False) -> None:
        """Select a finding's span in the editor (line 1 is the title); focus moves there when asked."""
        self.editor.select_span(finding.line - 1, finding.start, finding.end)
        if focus:
            self.editor.setFocus()

    def fix_findings(self, findings: list[Finding]) -> int:
        """Apply the fixes of findings whose lines are unchanged since the check, as one undoable edit; re-check."""
        text = self.editor.draft_text()
        lines, checked = text.split("\n"), self.check_panel.checked_text.split("\n")
        last = min(len(lines), len(checked))
        usable = [
            f for f in findings if f.fix is not None and f.line <= last and lines[f.line - 1] == checked[f.line - 1]
        ]
        fixed = apply_fixes(text, usable, tuple({f.kind for f in usable})) if usable else text
        if fixed != text:
            self.editor.replace_lines(lines, fixed.split("\n"))
            self.statusBar().showMessage(f"已修正 {len(usable)} 处，可用 Ctrl+Z 撤销", 4000)
        else:
            self.statusBar().showMessage("文稿在检查后已改动，已重新检查，请再试一次", 4000)
        self.start_check()
        return len(usable) if fixed != text else 0
