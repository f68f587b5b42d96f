"""Fetching an item's reported media from the platform's content store, without becoming an SSRF vector.

A notifier chooses the item URL, so the URL this fetches is attacker-influenced. The rules:

* The request URL comes from IPCLAIMS_CONTENT_URL_TEMPLATE, whose placeholders are filled percent-encoded (`{url}`:
  the item URL encoded whole, `{host}`: its host, `{item_id}`), so an item URL can never change the store's host,
  port or path structure.
* Only the template's host and IPCLAIMS_PLATFORM_HOSTS are contacted, over http(s) on any port the URL names.
* The host is resolved here, every address checked, and the connection made to the checked address (the `Host`
  header and TLS SNI/certificate check still name the host), so a DNS answer that changes between check and connect
  (rebinding) cannot move the request. Loopback, private, shared and unique-local addresses are refused unless
  IPCLAIMS_CONTENT_ALLOW_PRIVATE is set, and then only for the template's host (an internal store); link-local
  (cloud metadata at 169.254.169.254), multicast, unspecified and reserved addresses are refused always.
* Certificates are verified against the system's CAs and those of IPCLAIMS_CONTENT_CA_FILE (an internal store's
  private CA), for the host named; one that does not verify fails the attempt. Nothing turns verification off.
* Redirects are followed by hand, at most IPCLAIMS_CONTENT_FETCH_MAX_REDIRECTS, each target checked as the first.
* No environment proxy; each connect and read waits at most IPCLAIMS_CONTENT_FETCH_TIMEOUT_SECONDS, and the whole
  fetch at most four times that; the body is refused once it passes IPCLAIMS_MAX_UPLOAD_BYTES while streaming.
  What the bytes are is decided by the upload validation, never by the answer's Content-Type.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from ipclaims.config import Settings

Resolver = Callable[[str, int], list[str]]
USER_AGENT = "ipclaims-content-fetcher/1"
MAX_HEADER_URL = 8000


class FetchRefused(Exception):
    """Not allowed, or the answer can never be the item's media: not retried."""


class FetchFailed(Exception):
    """A network failure or an answer worth asking again (5xx, 429): retried with backoff."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    path: str


def source_url(template: str, item_url: str, item_id: str) -> str:
    """The store's URL for one item: every placeholder filled percent-encoded (nothing of the item URL is left raw)."""
    try:
        host = (urlsplit(item_url).hostname or "").lower()
    except ValueError:  # an item URL no parser can read (`http://[::1`): its host is unknown, `{url}` still carries it
        host = ""
    return template.format(url=quote(item_url, safe=""), host=quote(host, safe=""), item_id=quote(item_id, safe=""))


def template_host(template: str) -> str | None:
    """The host the template names (it must be literal, not a placeholder), or None when the template is unusable."""
    try:
        probe = source_url(template, "https://example.invalid/x", "0")
    except (KeyError, IndexError, ValueError):
        return None
    parts = urlsplit(probe)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    return parts.hostname.lower()


def _target(url: str, allowed: frozenset[str]) -> Target:
    if len(url) > MAX_HEADER_URL:
        raise FetchRefused("the URL is too long")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"scheme {parts.scheme or '(none)'!r} is not fetched")
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        raise FetchRefused("the URL has no host, or carries credentials")
    if host not in allowed:
        raise FetchRefused(f"host {host} is not the content store nor a platform host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefused(f"bad port: {exc}") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if any(c in path for c in "\r\n "):
        raise FetchRefused("the URL's path has characters a request line cannot carry")
    return Target(url, parts.scheme, host, port, path)


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"cannot resolve {host}: {exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_address(address: str, *, private_ok: bool) -> str | None:
    """Why this address may not be contacted, or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return f"{ip} is a link-local, multicast, unspecified or reserved address"
    if (ip.is_loopback or ip.is_private or not ip.is_global) and not private_ok:
        return f"{ip} is a private or loopback address (IPCLAIMS_CONTENT_ALLOW_PRIVATE is off for this host)"
    return None


def tls_context(ca_file: str = "") -> ssl.SSLContext:
    """The system's trusted CAs, and those of `ca_file` when given; certificates and host names always verified."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=str(Path(ca_file).expanduser()))
    return context


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, address: str, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = address
        self._ctx = context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._ctx.wrap_socket(raw, server_hostname=self.host)  # the certificate must name the host


class _Body:
    """The answer's body as a stream that refuses to run past the size limit or the whole fetch's deadline."""

    def __init__(self, response: http.client.HTTPResponse, limit: int, deadline: float) -> None:
        self.response, self.limit, self.deadline, self.read_so_far = response, limit, deadline, 0

    def read(self, size: int = -1) -> bytes:
        if time.monotonic() > self.deadline:
            raise FetchFailed("the fetch took longer than its time limit")
        chunk = self.response.read(min(size, 1 << 16) if size and size > 0 else 1 << 16)
        self.read_so_far += len(chunk)
        if self.read_so_far > self.limit:
            raise FetchRefused(f"the body is larger than the {self.limit:,}-byte limit (IPCLAIMS_MAX_UPLOAD_BYTES)")
        return chunk


@dataclass
class Fetcher:
    allowed: frozenset[str]
    private_hosts: frozenset[str]  # hosts that may resolve to private addresses (the store, when configured)
    timeout: float
    max_redirects: int
    limit: int
    resolve: Resolver = system_resolver
    context: ssl.SSLContext | None = None

    @classmethod
    def from_settings(cls, settings: Settings, resolve: Resolver = system_resolver) -> Fetcher:
        """The fetcher the settings describe; IPCLAIMS_CONTENT_CA_FILE's CAs are trusted beside the system's."""
        store = template_host(settings.content_url_template)
        allowed = settings.platform_host_set | ({store} if store else set())
        private = frozenset({store}) if store and settings.content_allow_private else frozenset()
        return cls(
            allowed=frozenset(allowed),
            private_hosts=private,
            timeout=settings.content_fetch_timeout_seconds,
            max_redirects=settings.content_fetch_max_redirects,
            limit=settings.max_upload_bytes,
            resolve=resolve,
            context=tls_context(settings.content_ca_file),
        )

    def _connect(self, target: Target) -> http.client.HTTPConnection:
        addresses = self.resolve(target.host, target.port)
        if not addresses:
            raise FetchFailed(f"{target.host} resolves to no address")
        for address in addresses:  # every answer must pass: a mixed answer is how rebinding hides
            why = check_address(address, private_ok=target.host in self.private_hosts)
            if why:
                raise FetchRefused(f"{target.host}: {why}")
        if target.scheme == "https":
            return _PinnedHTTPS(target, addresses[0], self.timeout, self.context or ssl.create_default_context())
        return _PinnedHTTP(target, addresses[0], self.timeout)

    def open(self, url: str, consume: Callable[[_Body], Any]) -> Any:
        """GET `url` (following allowed redirects) and hand the 200 body to `consume`, which reads it as a stream."""
        deadline = time.monotonic() + 4 * self.timeout
        target = _target(url, self.allowed)
        for _ in range(self.max_redirects + 1):
            conn = self._connect(target)
            try:
                conn.request("GET", target.path, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
                response = conn.getresponse()
                status = response.status
                if status in (301, 302, 303, 307, 308):
                    location = response.getheader("Location")
                    if not location:
                        raise FetchRefused(f"HTTP {status} without a Location")
                    target = _target(urljoin(target.url, location), self.allowed)
                    continue
                if status == 200:
                    declared = response.getheader("Content-Length")
                    if declared and declared.isdecimal() and int(declared) > self.limit:
                        raise FetchRefused(f"the body is larger than the {self.limit:,}-byte limit (IPCLAIMS_MAX_UPLOAD_BYTES)")
                    return consume(_Body(response, self.limit, deadline))
                if status == 429 or status >= 500:
                    raise FetchFailed(f"HTTP {status}")
                raise FetchRefused(f"HTTP {status}")
            except (OSError, http.client.HTTPException) as exc:
                raise FetchFailed(f"{type(exc).__name__}: {exc}") from None
            finally:
                conn.close()
        raise FetchRefused(f"more than {self.max_redirects} redirects")
