"""Before Qt starts: is there a display to open the window on? If not, say so in Chinese instead of Qt aborting."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

EXIT_NO_DISPLAY = 3
# Libraries Qt's xcb platform loads, and the Debian/Ubuntu/Kylin/UOS package that ships each.
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
NO_DISPLAY = (
    "笔杆无法打开窗口：没有找到图形显示。\n"
    "请在桌面环境中运行；通过 SSH 登录时请用 ssh -X，或先启动虚拟显示（如 Xvfb :99 & export DISPLAY=:99）。\n"
    "不需要窗口时，可以直接用命令行：python main.py --help"
)


def _plugin(name: str) -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    path = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / name
    return path if path.exists() else None


def missing_library() -> str | None:
    """The first library Qt's xcb platform needs that cannot be loaded (its file name), or None."""
    plugin = _plugin("libqxcb.so")
    candidates = [str(plugin)] if plugin is not None else []
    for library in [*candidates, "libxcb-cursor.so.0"]:
        try:
            ctypes.CDLL(library, mode=os.RTLD_LAZY)
        except OSError as exc:
            found = str(exc).split(":", 1)[0].strip()
            return Path(found).name if found else library
    return None


def x_server_answers(display: str) -> bool | None:
    """Whether the X server named by DISPLAY accepts a connection (None when libxcb itself is missing)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)


def install_hint(library: str) -> str:
    """The command that installs a missing library on Debian-based systems."""
    package = XCB_PACKAGES.get(library)
    return f"sudo apt install {package}" if package else f"安装提供 {library} 的系统包"


def display_problem(environ: dict[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why no window can open, in Chinese, or None when a display looks usable (Linux only; elsewhere None)."""
    environ = dict(os.environ) if environ is None else environ
    platform = platform or sys.platform
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return None
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return NO_DISPLAY
    if environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        if x_server_answers(environ["DISPLAY"]) is False:
            return (
                f"笔杆无法打开窗口：连接不上图形显示 DISPLAY={environ['DISPLAY']}"
                "（显示服务没有运行，或本用户无权使用它）。\n请在桌面环境中运行，或检查 DISPLAY 设置。"
            )
        library = missing_library()
        if library is not None:
            return (
                f"笔杆无法打开窗口：缺少 Qt 图形界面需要的系统库 {library}。\n"
                f"请安装后再运行：{install_hint(library)}\n"
                "（README 列出了 Qt 需要的全部系统包。）"
            )
    return None


def _fatal_handler(kind: object, context: object, message: str) -> None:
    """Qt messages before the window exists: a fatal one (no platform plugin) ends here, in Chinese, not in abort()."""
    from PySide6.QtCore import QtMsgType

    if kind == QtMsgType.QtFatalMsg:
        print(f"笔杆无法打开窗口：Qt 无法连接到图形显示（{message.strip().splitlines()[0]}）", file=sys.stderr)
        print("请确认在桌面环境中运行，或检查 DISPLAY 设置；README 列出了 Qt 需要的系统包。", file=sys.stderr)
        sys.stderr.flush()
        os._exit(EXIT_NO_DISPLAY)
    if kind != QtMsgType.QtDebugMsg:
        print(message, file=sys.stderr)


def guard_qt_start() -> None:
    """Turn Qt's fatal start-up errors into a Chinese message and a clean exit (installed before QApplication)."""
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_fatal_handler)


def release_qt_messages() -> None:
    """Give Qt's messages back to Qt once the window is up."""
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(None)
