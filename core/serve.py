"""`bigan serve`: a published office bank served read-only by Datasette, with 笔杆's search page and match API.

Datasette opens the file immutable (read-only, no locks). Bound to 127.0.0.1 by default; bound to the LAN it shows
every passage, title and file name in the bank to anyone who can reach the port, read-only and without a login.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import ipaddress
import socket
import sys
from pathlib import Path

from bigan.core.bank import BankError
from bigan.core.bank_reader import open_immutable
from bigan.core.paths import RESOURCES

TEMPLATES = RESOURCES / "datasette" / "templates"
SQL_TIME_LIMIT_MS = 2000


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).is_loopback
    return False


def _port_free(host: str, port: int) -> str | None:
    """None when the port can be bound, else why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def datasette_app(path: Path):  # type: ignore[no-untyped-def]
    """The Datasette instance serving the bank file with the plugin and templates (startup hooks already run)."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from bigan.core import serve_plugin

    if not pm.is_registered(serve_plugin):
        pm.register(serve_plugin, name="bigan-office")
    serve_plugin.serve_bank(path)
    ds = Datasette(
        immutables=[str(path)],
        template_dir=str(TEMPLATES),
        metadata={
            "title": "单位素材库",
            "description_html": '只读。<a href="/-/bigan">按标题检索素材</a>（与笔杆桌面程序同样的排序），'
            "或在下面浏览各表、用 SQL 查询。",
        },
        settings={"sql_time_limit_ms": SQL_TIME_LIMIT_MS, "default_page_size": 50},
    )
    asyncio.run(ds.invoke_startup())
    return ds


def serve(file: str | Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve a published bank until interrupted; returns the exit status (2, with a Chinese reason, if it cannot)."""
    if importlib.util.find_spec("datasette") is None or importlib.util.find_spec("uvicorn") is None:
        if getattr(sys, "frozen", False):
            needed = "打包版不含 Datasette，请在装有 Python 的电脑上用源码安装后运行"
        else:
            needed = '请先安装 Datasette：python -m pip install -e ".[server]"'
        print(f"错误：提供单位素材库服务需要 Datasette，{needed}", file=sys.stderr)
        return 2
    path = Path(file).resolve()
    try:
        open_immutable(path).close()
    except BankError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    why = _port_free(host, port)
    if why is not None:
        print(f"错误：无法在 {host}:{port} 上提供服务（{why}），请换一个端口（--port）", file=sys.stderr)
        return 2
    import uvicorn

    ds = datasette_app(path)
    if not _loopback(host):
        print(
            f"注意：服务对局域网开放（{host}:{port}）：能连到这个端口的任何人都能看到素材库里的全部段落文字、"
            "文档标题和原文件名，并可下载整个文件；只读，不需要登录。",
            file=sys.stderr,
        )
    shown = f"[{host}]" if ":" in host else host
    print(f"单位素材库服务：http://{shown}:{port}/-/bigan （按 Ctrl+C 停止）", flush=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
    return 0
