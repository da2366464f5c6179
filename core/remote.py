"""The client of an office bank served by `bigan serve`: the server ranks with the same matcher, over HTTP JSON.

Every request has a short timeout and ignores proxy settings (the server is on the office LAN). After a failure
the server is left alone for a while, so a writer whose network is down never waits on every heading.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
from dataclasses import dataclass

from bigan.core.match import OFFICE, Context, Match, Source

TIMEOUT = 2.0
RETRY_AFTER = 30.0
MATCH_PATH = "/-/bigan/match.json"
INFO_PATH = "/-/bigan/info.json"


class RemoteUnavailable(Exception):
    """The server did not answer (down, unreachable, too slow, or not a 笔杆 server); the message is Chinese."""


@dataclass(frozen=True)
class RemoteInfo:
    """What a server says about the bank it serves."""

    version: int
    published_at: str
    published_by: str
    newest_year: int | None
    entries: int
    documents: int


def _reason(exc: BaseException) -> str:
    """Why a request failed, in words for the writer."""
    cause = getattr(exc, "reason", exc)
    if isinstance(cause, ConnectionRefusedError):
        return "对方没有运行服务"
    if isinstance(cause, TimeoutError) or "timed out" in str(cause):
        return "等待超时"
    if isinstance(cause, socket.gaierror):
        return "找不到这台主机"
    if isinstance(cause, ValueError):
        return "服务的回答看不懂"
    return str(cause)


def match_to_wire(m: Match) -> dict[str, object]:
    """A match as the server sends it: every field, so the client rebuilds it whole."""
    return {
        "text": m.text,
        "template": m.template,
        "kind": m.kind,
        "score": m.score,
        "terms": m.terms,
        "freq": m.freq,
        "source": {"title": m.source.title, "heading": m.source.heading, "file": m.source.file, "year": m.source.year},
        "entry_id": m.entry_id,
        "heading": m.heading,
        "role": m.role,
    }


def match_from_wire(data: dict[str, object], bank: str = OFFICE) -> Match:
    """A match rebuilt from the server's JSON, marked with the bank it came from."""
    source = data.get("source") or {}
    assert isinstance(source, dict)
    year = source.get("year")
    return Match(
        text=str(data["text"]),
        template=str(data.get("template") or data["text"]),
        kind=str(data.get("kind") or "paragraph"),
        score=float(data.get("score") or 0.0),  # type: ignore[arg-type]
        terms=[str(t) for t in data.get("terms") or []],  # type: ignore[union-attr]
        freq=int(data.get("freq") or 1),  # type: ignore[call-overload]
        source=Source(
            str(source.get("title") or ""),
            str(source.get("heading") or ""),
            str(source.get("file") or ""),
            int(year) if isinstance(year, int) else None,
        ),
        entry_id=int(data.get("entry_id") or 0),  # type: ignore[call-overload]
        heading=str(data.get("heading") or ""),
        role=str(data.get("role") or ""),
        bank=bank,
    )


class RemoteBank:
    """An office bank on a server; safe to share between threads (it holds no connection)."""

    def __init__(self, url: str, timeout: float = TIMEOUT, retry_after: float = RETRY_AFTER) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.retry_after = retry_after
        self._down_until = 0.0
        import urllib.request  # only when a server is attached: it brings in http.client and email

        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _get(self, path: str, params: list[tuple[str, str]]) -> object:
        if time.monotonic() < self._down_until:
            raise RemoteUnavailable("刚才连不上，稍后再试")
        query = urllib.parse.urlencode(params)
        try:
            with self._opener.open(f"{self.url}{path}?{query}", timeout=self.timeout) as response:
                body = response.read()
            return json.loads(body.decode("utf-8"))
        except urllib.error.HTTPError as exc:
            self._down_until = time.monotonic() + self.retry_after
            raise RemoteUnavailable(f"服务返回 {exc.code}，可能不是笔杆的单位素材库服务") from None
        except (OSError, ValueError) as exc:
            self._down_until = time.monotonic() + self.retry_after
            raise RemoteUnavailable(_reason(exc)) from None

    @property
    def down(self) -> bool:
        """Whether the last request failed recently (requests wait until the pause is over)."""
        return time.monotonic() < self._down_until

    def reset(self) -> None:
        """Forget a past failure, so the next request goes out at once."""
        self._down_until = 0.0

    def info(self) -> RemoteInfo:
        """The version, publication and size of the served bank."""
        data = self._get(INFO_PATH, [])
        if not isinstance(data, dict):
            raise RemoteUnavailable("服务的回答看不懂")
        return RemoteInfo(
            int(data.get("version") or 0),
            str(data.get("published_at") or ""),
            str(data.get("published_by") or ""),
            data.get("newest_year") if isinstance(data.get("newest_year"), int) else None,
            int(data.get("entries") or 0),
            int(data.get("documents") or 0),
        )

    def match(
        self, heading: str, limit: int = 10, context: Context | None = None, newest_year: int | None = None
    ) -> list[Match]:
        """Ranked passages for a heading from the server's bank, marked 单位."""
        context = context or Context()
        params = [("q", heading), ("limit", str(limit))]
        params += [("path", p) for p in context.path]
        for name, value in (("level", context.level), ("kind", context.kind), ("year", context.year)):
            if value:
                params.append((name, str(value)))
        if newest_year:
            params.append(("newest", str(newest_year)))
        data = self._get(MATCH_PATH, params)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise RemoteUnavailable("服务的回答看不懂")
        return [match_from_wire(r) for r in results if isinstance(r, dict) and r.get("text")]
