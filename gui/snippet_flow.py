"""The 素材 flow: passages for the heading under the cursor or for a search, marked 已用, inserted on request."""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from bigan.core.outline import Heading
from bigan.gui.editor import Editor
from bigan.gui.snippets import SnippetsPane
from bigan.gui.workers import BankBuilder, BankQueries

if TYPE_CHECKING:
    from bigan.core.match import Context, Matcher
    from bigan.core.reuse import DraftUsage

SNIPPET_LIMIT = 10
_YEAR = re.compile(r"(?:19|20)\d{2}")
EDIT_DELAY_MS = 300
# Headings of the draft whose passages are fetched ahead, nearest the cursor first, while the writer reads.
LOOK_AHEAD = 80
AHEAD_DELAY_MS = 500
NO_HEADING = "把光标放到标题所在的一节，这里会列出往年材料中同类标题下的段落。"


@dataclass(frozen=True)
class Found:
    """A query's passages, for each whether the draft already holds it, and notices about office banks."""

    matches: list
    used: list[bool]
    notices: list[str] = field(default_factory=list)


class UsageCache:
    """The draft digested for the 已用 marks once per revision, shared by the worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision = -1
        self._usage: DraftUsage | None = None

    def usage(self, revision: int, draft: str) -> DraftUsage:
        """The digest of this revision of the draft (made on first use)."""
        with self._lock:
            if self._usage is not None and self._revision == revision:
                return self._usage
        from bigan.core.reuse import DraftUsage

        usage = DraftUsage(draft)
        with self._lock:
            self._revision, self._usage = revision, usage
        return usage

    def ready(self, revision: int) -> DraftUsage | None:
        """The digest of this revision if a worker has made it already, else None."""
        with self._lock:
            return self._usage if self._revision == revision else None


def find(
    matcher: Matcher, query: str, usage: DraftUsage, context: Context | None = None, known: list | None = None
) -> Found:
    """On a worker: the passages for a heading or search (`known` when fetched before), and which of them the
    draft already uses."""
    matches = known if known is not None else matcher.match(query, limit=SNIPPET_LIMIT, context=context)
    notices = getattr(matcher, "notices", [])
    return Found(matches, [usage.uses(m.text) for m in matches], list(notices))


def heading_context(headings: list[Heading], index: int, title: str) -> Context:
    """What the draft says about headings[index]: the headings above it, its level, the draft's kind and year."""
    from bigan.core.match import Context

    path: list[str] = []
    level = headings[index].level
    for above in reversed(headings[:index]):
        if above.level < level:
            path.insert(0, above.label)
            level = above.level
    years = [int(y) for y in _YEAR.findall(title)]
    return Context(tuple(path), headings[index].level, title, max(years) if years else None)


class SnippetFlow(QObject):
    """Keeps the snippets pane in step with the editor's current heading; inserts the card asked for."""

    status = Signal(str, int)

    def __init__(
        self,
        editor: Editor,
        pane: SnippetsPane,
        queries: BankQueries,
        builder: BankBuilder,
        db_path: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.pane = pane
        self.queries = queries
        self.builder = builder
        self.db_path = db_path
        self.jobs: dict[int, tuple[str, str, str | None]] = {}
        self.shown_query: str | None = None
        self.usages = UsageCache()
        # Passages by heading and context, for the bank as it is now: a heading asked before shows at once.
        self.answers: dict[str, list] = {}
        self.look_ahead = LOOK_AHEAD
        self._ahead: deque[tuple[str, str, Context | None]] = deque()
        self._ahead_job: tuple[int, str] = (0, "")
        self._draft: tuple[int, str] = (-1, "")
        self._heading_index: int | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.request)
        editor.headingChanged.connect(self._heading_changed)
        self.ahead_timer = QTimer(self)
        self.ahead_timer.setSingleShot(True)
        self.ahead_timer.setInterval(AHEAD_DELAY_MS)  # not while the writer is typing a heading or the title
        self.ahead_timer.timeout.connect(self._plan_ahead)
        editor.headingsChanged.connect(lambda _: self.ahead_timer.start())
        pane.insertRequested.connect(self.insert)
        pane.searchRequested.connect(self.search)
        pane.searchCleared.connect(lambda: self.request(force=True))
        queries.finished.connect(self._query_finished)
        queries.failed.connect(self._query_failed)

    def _heading_changed(self, heading: Heading | None) -> None:
        index = self.editor.current_index()
        moved = index != self._heading_index
        self._heading_index = index
        if moved and not self.editor.outline_pending():
            # Asked at once, before the window repaints the moved cursor: the worker answers while it paints.
            self.timer.stop()
            self.request()
        elif moved:
            self.timer.start(0)  # the outline is re-read first, so the heading's line is current
        else:
            self.timer.start(EDIT_DELAY_MS)

    def request(self, force: bool = False) -> None:
        """Ask the workers for passages for the heading under the cursor (unless a search is shown)."""
        if self.pane.searching():
            return
        heading = self.editor.current_heading()
        if heading is None:
            self.shown_query = None
            self.queries.cancel("snippets")
            self.pane.show_message("素材", NO_HEADING)
            return
        index = self.editor.current_index()
        query, context = self._asked(index if index is not None else -1, heading)
        key = f"{query}\n{context}"
        if key == self.shown_query and not force:
            return
        self.shown_query = key
        self._submit(f"相关素材 · {heading.label}", query, context, key)

    def _asked(self, index: int, heading: Heading) -> tuple[str, Context | None]:
        """The query for a heading of the outline: its line as typed, with the draft's context."""
        query = self.editor.line_text(heading.line).strip()
        title = self.editor.line_text(0).strip()
        return query, heading_context(self.editor.headings, index, title) if index >= 0 else None

    def _plan_ahead(self) -> None:
        """Line up the outline's headings not fetched yet, nearest the cursor first, and start on them."""
        headings = self.editor.headings
        here = self.editor.current_index() or 0
        order = sorted(range(len(headings)), key=lambda i: abs(i - here))[: self.look_ahead]
        asked = [(f"{q}\n{c}", q, c) for q, c in (self._asked(i, headings[i]) for i in order) if q]
        outline = {key for key, _, _ in asked}
        self.answers = {k: v for k, v in self.answers.items() if k in outline}  # headings since rewritten go
        self._ahead = deque(item for item in asked if item[0] not in self.answers)
        if self._ahead:
            self._fetch_ahead()

    def _fetch_ahead(self) -> None:
        while self._ahead and self._ahead[0][0] in self.answers:
            self._ahead.popleft()
        if not self._ahead or not self.db_path.exists() or self.builder.busy:
            return
        key, query, context = self._ahead.popleft()
        revision, draft = self._current_draft()
        usages = self.usages
        job = self.queries.submit("ahead", lambda matcher: find(matcher, query, usages.usage(revision, draft), context))
        self._ahead_job = (job, key)

    def fetching_ahead(self) -> bool:
        """Whether headings of the outline are still being fetched ahead (or wait for the outline to settle)."""
        return bool(self._ahead) or self._ahead_job[0] != 0 or self.ahead_timer.isActive()

    def refresh(self) -> None:
        """Ask again for what is shown (the bank changed)."""
        self.answers.clear()
        self._plan_ahead()
        if self.pane.searching():
            self.search(self.pane.filter.text().strip())
        else:
            self.request(force=True)

    def search(self, text: str) -> None:
        """Show passages for a search typed in the pane's box."""
        self.shown_query = None
        self._submit(f"搜索：{text}", text)

    def _current_draft(self) -> tuple[int, str]:
        if self._draft[0] != self.editor.edits:  # the text is read here, on the UI thread, once per change
            self._draft = (self.editor.edits, self.editor.draft_text())
        return self._draft

    def _submit(self, title: str, query: str, context: Context | None = None, key: str | None = None) -> None:
        if not self.db_path.exists():
            self.queries.cancel("snippets")
            if self.builder.busy:
                self.pane.show_message(title, "正在建立素材库，完成后这里会列出相关段落。")
            else:
                self.pane.show_message(title, "还没有素材库。请用“素材 › 导入素材”导入往年的材料。")
            self.shown_query = None
            return
        revision, draft = self._current_draft()
        known = self.answers.get(key) if key is not None else None
        usage = self.usages.ready(revision)
        if known is not None and usage is not None:
            self.queries.cancel("snippets")
            self.jobs = {}
            self.pane.show_results(title, known, query, [usage.uses(m.text) for m in known])
            return
        usages = self.usages
        job = self.queries.submit(
            "snippets", lambda matcher: find(matcher, query, usages.usage(revision, draft), context, known)
        )
        self.jobs = {job: (title, query, key)}

    def _query_finished(self, kind: str, job: int, result: object) -> None:
        if kind == "ahead" and isinstance(result, Found) and self._ahead_job[0] == job:
            if not result.notices:
                self.answers[self._ahead_job[1]] = result.matches
            self._ahead_job = (0, "")
            self._fetch_ahead()
        if kind == "snippets" and job in self.jobs and isinstance(result, Found):
            title, query, key = self.jobs.pop(job)
            if key is not None and not result.notices:
                self.answers[key] = result.matches
            self.pane.show_results(title, result.matches, query, result.used)
            if result.notices:
                self.status.emit("；".join(result.notices), 8000)

    def _query_failed(self, kind: str, job: int, message: str) -> None:
        if kind == "ahead":
            self._ahead.clear()
            self._ahead_job = (0, "")
        if kind == "snippets" and job in self.jobs:
            title, _, _ = self.jobs.pop(job)
            self.shown_query = None
            self.pane.show_message(title, f"无法读取素材库：{message}")

    def insert(self, text: str) -> None:
        """Insert a passage under the current heading and return to the editor."""
        self.editor.insert_passage(text)
        self.editor.setFocus()
        self.status.emit("已插入素材，按 Tab 跳到待填项", 4000)
