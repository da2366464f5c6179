"""The window's layout: pane widths that rebalance on resize, panes shown or hidden, remembered per screen size."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QWidget

from gui.settings import Settings

OUTLINE_WIDTHS = (130, 340)
SNIPPETS_WIDTHS = (220, 560)
DEFAULT_SHARES = {"outline": 0.16, "snippets": 0.30}
CHECK_SHARE, CHECK_HEIGHTS = 0.26, (120, 280)
DEFAULT_SIZE = (1440, 900)


class BalancedSplitter(QSplitter):
    """A splitter that says when it has been resized, so the layout can rebalance its panes."""

    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Resize as usual, then tell."""
        super().resizeEvent(event)
        self.resized.emit()


def _clamp(value: float, bounds: tuple[int, int]) -> int:
    return int(min(max(value, bounds[0]), bounds[1]))


class PaneLayout(QObject):
    """Keeps outline, snippets and editor widths in proportion, the editor never narrower than its page line."""

    def __init__(
        self,
        window: QMainWindow,
        splitter: BalancedSplitter,
        panes: dict[str, QWidget],
        check_panel: QDockWidget,
        settings: Settings,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.splitter = splitter
        self.panes = panes
        self.check_panel = check_panel
        self.settings = settings
        self.shares = dict(DEFAULT_SHARES)
        self.hidden: set[str] = set()
        self._check_sized = False
        panes["outline"].setMinimumWidth(OUTLINE_WIDTHS[0])
        panes["snippets"].setMinimumWidth(SNIPPETS_WIDTHS[0])
        splitter.setChildrenCollapsible(False)
        splitter.resized.connect(self.rebalance)
        splitter.splitterMoved.connect(self._moved)
        check_panel.visibilityChanged.connect(self._check_shown)

    def screen_key(self) -> str:
        """The size of the screen the window is on, e.g. "1366x768": layouts are remembered per screen size."""
        screen = self.window.screen()
        size = screen.availableGeometry().size() if screen is not None else None
        return f"{size.width()}x{size.height()}" if size is not None else "default"

    # -- widths

    def editor_room(self) -> int:
        """The width the editor gets when the other visible panes are at their narrowest."""
        handles = self.splitter.handleWidth() * (self.splitter.count() - 1)
        others = sum(
            bounds[0]
            for name, bounds in (("outline", OUTLINE_WIDTHS), ("snippets", SNIPPETS_WIDTHS))
            if name not in self.hidden
        )
        return self.splitter.width() - others - handles

    def rebalance(self) -> None:
        """Give each visible pane its share of the width, within its bounds; the rest, at least its minimum, to the
        editor."""
        handles = self.splitter.handleWidth() * (self.splitter.count() - 1)
        total = self.splitter.width() - handles
        editor_min = self.panes["editor"].minimumSizeHint().width()
        editor_min = max(editor_min, self.panes["editor"].minimumWidth())
        outline = 0 if "outline" in self.hidden else _clamp(self.shares["outline"] * total, OUTLINE_WIDTHS)
        snippets = 0 if "snippets" in self.hidden else _clamp(self.shares["snippets"] * total, SNIPPETS_WIDTHS)
        short = editor_min - (total - outline - snippets)
        if short > 0 and snippets:
            give = min(short, snippets - SNIPPETS_WIDTHS[0])
            snippets, short = snippets - give, short - give
        if short > 0 and outline:
            give = min(short, outline - OUTLINE_WIDTHS[0])
            outline, short = outline - give, short - give
        self.splitter.setSizes([outline, snippets, max(total - outline - snippets, editor_min)])

    def _moved(self, position: int, index: int) -> None:
        sizes = self.splitter.sizes()
        total = sum(sizes) or 1
        for name, size in zip(("outline", "snippets"), sizes):
            if name not in self.hidden and size:
                self.shares[name] = size / total

    # -- showing and hiding

    def set_visible(self, name: str, visible: bool) -> None:
        """Show or hide the outline or the snippets pane."""
        if visible:
            self.hidden.discard(name)
        else:
            self.hidden.add(name)
        self.panes[name].setVisible(visible)
        self.rebalance()

    def is_visible(self, name: str) -> bool:
        """Whether a pane is shown."""
        return name not in self.hidden

    def _check_shown(self, visible: bool) -> None:
        if visible and not self._check_sized:
            self._check_sized = True
            QTimer.singleShot(0, self, self.size_check_panel)

    def size_check_panel(self) -> None:
        """Give the 检查 panel about a quarter of the window's height (it must not crowd out the editor)."""
        height = _clamp(self.window.height() * CHECK_SHARE, CHECK_HEIGHTS)
        self.window.resizeDocks([self.check_panel], [height], Qt.Orientation.Vertical)

    # -- remembering

    def restore(self) -> None:
        """Take the window geometry, pane widths, hidden panes and the 检查 panel as last left on this screen size."""
        key = self.screen_key()
        geometry = self.settings.screen_bytes("geometry", key)
        if geometry is None or not self.window.restoreGeometry(geometry):
            screen = self.window.screen()
            room = screen.availableGeometry().size() if screen is not None else None
            width, height = DEFAULT_SIZE
            if room is not None:
                width, height = min(width, int(room.width() * 0.94)), min(height, int(room.height() * 0.92))
            self.window.resize(width, height)
        saved = self.settings.layout(key)
        shares = saved.get("shares")
        if isinstance(shares, dict):
            for name in DEFAULT_SHARES:
                value = shares.get(name)
                if isinstance(value, (int, float)) and 0 < value < 0.6:
                    self.shares[name] = float(value)
        hidden = saved.get("hidden")
        for name in ("outline", "snippets"):
            self.set_visible(name, not (isinstance(hidden, list) and name in hidden))
        docks = self.settings.screen_bytes("docks", key)
        if docks is not None and self.window.restoreState(docks):
            self._check_sized = True
        self.rebalance()

    def save(self) -> None:
        """Remember the layout for this screen size."""
        key = self.screen_key()
        self.settings.set_layout(key, {"shares": self.shares, "hidden": sorted(self.hidden)})
        self.settings.set_screen_bytes("geometry", key, QByteArray(self.window.saveGeometry()))
        self.settings.set_screen_bytes("docks", key, QByteArray(self.window.saveState()))
