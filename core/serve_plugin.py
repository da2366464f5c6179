"""The Datasette plugin `bigan serve` registers: a search page, and the match and info JSON the desktop app asks.

The served file is ranked by the same Matcher as on the desktop, in worker threads that each hold their own
read-only, immutable connection; a republished file (its size or time changed) is reopened on the next request.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response

from bigan.core.bank_reader import BankReader
from bigan.core.cli import KIND_LABELS
from bigan.core.match import Context, Matcher, role_name
from bigan.core.publish import published_meta
from bigan.core.remote import match_to_wire

WORKERS = 2
MAX_LIMIT = 50
_executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="bigan-match")
_local = threading.local()
_bank: dict[str, Path] = {}


def serve_bank(path: Path) -> None:
    """Name the bank file the plugin answers from, and open it once so the first request is quick."""
    _bank["path"] = path
    _executor.submit(_matcher).result()


def _matcher() -> Matcher:
    path = _bank["path"]
    info = os.stat(path)
    stamp = (info.st_size, info.st_mtime_ns)
    held = getattr(_local, "held", None)
    if held is not None and held[0] == stamp:
        return held[1]
    if held is not None:
        held[1].close()
    matcher = Matcher(reader=BankReader(path, immutable=True))
    _local.held = (stamp, matcher, matcher.reader.newest_year)
    return matcher


def _info() -> dict[str, object]:
    matcher = _matcher()
    meta = published_meta(matcher.reader.conn)
    return {
        "version": int(meta.get("office_version", 0) or 0),
        "published_at": meta.get("published_at", meta.get("built_at", "")),
        "published_by": meta.get("published_by", ""),
        "newest_year": _local.held[2],
        "entries": matcher.reader.entries,
        "documents": matcher.reader.documents,
    }


def _match(heading: str, limit: int, context: Context, newest: int | None) -> list:
    matcher = _matcher()
    # The asking desktop's newest year over all its banks, so plan headings mean the same year as at home.
    matcher.reader.newest_year = newest or _local.held[2]
    return matcher.match(heading, limit, context)


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return min(max(number, low), high)


def _request_match(request) -> tuple[str, int, Context, int | None]:  # type: ignore[no-untyped-def]
    args = request.args
    heading = (args.get("q") or "").strip()
    limit = _int(args.get("limit"), 1, MAX_LIMIT) or 10
    context = Context(
        path=tuple(args.getlist("path")),
        level=_int(args.get("level"), 1, 4),
        kind=args.get("kind") or "",
        year=_int(args.get("year"), 1900, 2200),
    )
    return heading, limit, context, _int(args.get("newest"), 1900, 2200)


async def _in_worker(fn, *args):  # type: ignore[no-untyped-def]
    return await asyncio.get_running_loop().run_in_executor(_executor, fn, *args)


async def match_json(request, datasette):  # type: ignore[no-untyped-def]
    """GET /-/bigan/match.json?q=标题&limit=N[&path=…&level=…&kind=…&year=…&newest=…]: ranked passages."""
    heading, limit, context, newest = _request_match(request)
    results = await _in_worker(_match, heading, limit, context, newest) if heading else []
    return Response.json({"query": heading, "results": [match_to_wire(m) for m in results]})


async def info_json(request, datasette):  # type: ignore[no-untyped-def]
    """GET /-/bigan/info.json: version, publication and size of the served bank."""
    return Response.json(await _in_worker(_info))


async def search_page(request, datasette):  # type: ignore[no-untyped-def]
    """GET /-/bigan?q=标题: the search page colleagues use in a browser."""
    heading, limit, context, newest = _request_match(request)
    found = await _in_worker(_match, heading, limit, context, newest) if heading else []
    results = [
        {
            "text": m.text,
            "title": m.source.title,
            "heading": m.source.heading,
            "year": m.source.year,
            "kind": KIND_LABELS.get(m.kind, m.kind),
            "freq": m.freq,
            "role": role_name(m.role),
        }
        for m in found
    ]
    info = await _in_worker(_info)
    page = await datasette.render_template(
        "bigan_search.html", {"q": heading, "results": results, "info": info}, request=request
    )
    return Response.html(page)


@hookimpl
def register_routes(datasette):  # type: ignore[no-untyped-def]
    """The plugin's pages."""
    return [
        (r"^/-/bigan/?$", search_page),
        (r"^/-/bigan/match\.json$", match_json),
        (r"^/-/bigan/info\.json$", info_json),
    ]


@hookimpl
def menu_links(datasette, actor, request):  # type: ignore[no-untyped-def]
    """A link to the search page in Datasette's menu."""
    return [{"href": datasette.urls.path("/-/bigan"), "label": "按标题检索素材"}]
