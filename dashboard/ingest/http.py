"""One way to read a source: a live URL or a local file holding what that URL returned.

``fetch_pages`` follows a source's paging (FindTreatment ``page``/``totalPages``, ClinicalTrials.gov
``nextPageToken``) through a ``next_url`` function supplied by the adapter. A local file stands in for
the live URL: it holds either **one saved page** (a JSON object) or **a JSON list of saved pages**
(each the object one request returned), and is parsed exactly as the live pages would be.

Errors are plain sentences: HTTP 429 (after honouring ``Retry-After`` up to twice), 5xx, timeouts,
an HTML page where JSON was expected. The HTTP layer is injectable (``HttpClient``) so tests never
touch the network.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from dashboard.config import user_agent

DEFAULT_TIMEOUT = 30.0
MAX_PAGES = 200
MAX_BYTES = 50 * 1024 * 1024
MAX_RETRY_WAIT = 60.0


class FetchError(RuntimeError):
    """A source could not be read; the message says why in plain words (``status``: the HTTP status, if any)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Response:
    status: int
    text: str
    headers: dict[str, str]
    url: str = ""


class HttpClient(Protocol):
    def get(self, url: str, *, timeout: float) -> Response: ...


class RequestsClient:
    """The real HTTP layer (requests), with the project's user agent."""

    def __init__(self) -> None:
        import requests

        self._requests = requests
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent(), "Accept": "application/json, text/csv, */*"})

    def get(self, url: str, *, timeout: float) -> Response:
        requests = self._requests
        try:
            r = self.session.get(url, timeout=timeout)
        except requests.Timeout:
            raise FetchError(f"timed out after {timeout:g} s waiting for {url}") from None
        except requests.RequestException as exc:
            raise FetchError(f"could not reach {url}: {exc.__class__.__name__}") from None
        if len(r.content) > MAX_BYTES:
            raise FetchError(f"the response from {url} is larger than {MAX_BYTES // (1024 * 1024)} MB")
        return Response(r.status_code, r.text, dict(r.headers), r.url)


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _retry_after(headers: dict[str, str]) -> float | None:
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def get_text(
    url: str,
    *,
    client: HttpClient | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = 2,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """GET a URL and return its body; 429 and 503 are retried (Retry-After honoured, at most 60 s)."""
    client = client or RequestsClient()
    attempt = 0
    while True:
        resp = client.get(url, timeout=timeout)
        if resp.status == 200:
            return resp.text
        wait = _retry_after(resp.headers)
        if resp.status in (429, 503) and attempt < retries:
            attempt += 1
            sleep(min(wait if wait is not None else 2.0 * attempt, MAX_RETRY_WAIT))
            continue
        if resp.status == 429:
            hint = f" (the server asked to wait {wait:g} s)" if wait is not None else ""
            raise FetchError(f"HTTP 429 Too Many Requests from {url}{hint}; try again later", 429)
        if resp.status >= 500:
            raise FetchError(f"HTTP {resp.status}: the server at {url} had an error; try again later", resp.status)
        raise FetchError(f"HTTP {resp.status} from {url}", resp.status)


def decode_json(text: str, where: str) -> Any:
    """JSON from a body; an HTML page (a login wall, an error or maintenance page) is named as such."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] == "<":
        raise FetchError(f"{where} returned an HTML page instead of JSON (an error or maintenance page?)")
    if not stripped:
        raise FetchError(f"{where} returned an empty body instead of JSON")
    try:
        return json.loads(stripped)
    except ValueError as exc:
        raise FetchError(f"{where} did not return valid JSON ({exc.msg} at line {exc.lineno})") from None


def read_local(path: str) -> str:
    p = Path(path).expanduser()
    try:
        if p.stat().st_size > MAX_BYTES:
            raise FetchError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB")
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FetchError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise FetchError(f"{path} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise FetchError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror}") from None


def read_text(from_: str, *, client: HttpClient | None = None, timeout: float = DEFAULT_TIMEOUT) -> str:
    """The body at a URL, or the content of a local file."""
    return get_text(from_, client=client, timeout=timeout) if is_url(from_) else read_local(from_)


def fetch_pages(
    from_: str,
    next_url: Callable[[str, Any], str | None],
    *,
    first_url: Callable[[str], str] = lambda u: u,
    client: HttpClient | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_pages: int = MAX_PAGES,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Any]:
    """Every page of a JSON source, from a live URL (following ``next_url``) or a saved local file.

    A local file is one saved page (a JSON object) or a list of saved pages. A live fetch that fails on
    any page raises ``FetchError``: a partial download must not look like a complete one.
    """
    if not is_url(from_):
        data = decode_json(read_local(from_), from_)
        return list(data) if isinstance(data, list) else [data]
    pages: list[Any] = []
    url: str | None = first_url(from_)
    while url:
        if len(pages) >= max_pages:
            raise FetchError(f"stopped after {max_pages} pages; narrow the query or raise --max-pages")
        text = get_text(url, client=client, timeout=timeout, sleep=sleep)
        page = decode_json(text, url)
        pages.append(page)
        url = next_url(url, page)
    return pages
