"""The 提纲 flow: the outline follows the editor; clicks jump, drags and Alt+↑/↓ move sections, 升级/降级 shift them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.outline import Heading
from gui.editor import Editor
from gui.outline_model import OutlineModel
from gui.outline_view import OutlineView


class OutlineFlow(QObject):
    """Keeps the outline pane and the editor in step and carries out the structural edits asked for."""

    status = Signal(str, int)

    def __init__(self, editor: Editor, model: OutlineModel, view: OutlineView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.model = model
        self.view = view
        editor.headingsChanged.connect(self._headings_changed)
        editor.headingChanged.connect(self._heading_changed)
        view.headingActivated.connect(self._jump)
        model.moveRequested.connect(self.move)

    def _headings_changed(self, headings: list[Heading]) -> None:
        self.model.set_headings(headings)
        self.view.follow(self.editor.current_index())

    def _heading_changed(self, heading: Heading | None) -> None:
        self.view.follow(self.editor.current_index())

    def _jump(self, line: int) -> None:
        self.editor.go_to_line(line)
        self.editor.setFocus()

    def move(self, source: int, dest: int) -> bool:
        """Move the section headed on line `source` before line `dest` (-1: to the end of the draft)."""
        moved = self.editor.move_block(source, dest)
        if moved:
            self.status.emit("已移动本节并重新编号，可用 Ctrl+Z 撤销", 3000)
        else:
            self.status.emit("无法移到这里：一节只能放在同级标题之间", 3000)
        return moved

    def _target_line(self) -> int | None:
        line = self.view.current_heading_line() if self.view.hasFocus() else None
        if line is None:
            heading = self.editor.current_heading()
            line = heading.line if heading is not None else None
        if line is None:
            self.status.emit("光标不在任何一节中", 3000)
        return line

    def move_section(self, step: int) -> bool:
        """本节上移 / 下移: swap the current section with its previous or next sibling."""
        line = self._target_line()
        return line is not None and self.editor.move_heading(line, step)

    def shift(self, step: int) -> bool:
        """升级 (step -1) / 降级 (step 1) the current section's heading with its sub-headings, renumbered."""
        line = self._target_line()
        if line is None or not self.editor.shift_heading(line, step):
            return False
        self.status.emit("已升级本节标题并重新编号" if step < 0 else "已降级本节标题并重新编号", 3000)
        return True
