"""The content fetcher over https, against a real local TLS server with certificates made here by `openssl`: a CA
trusted through IPCLAIMS_CONTENT_CA_FILE, a certificate from elsewhere refused, redirects and size limits as over
http, and the connection pinned to the checked address while SNI and the certificate check still name the host."""

from __future__ import annotations

import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from ipclaims.config import get_settings
from ipclaims.integrations import content, fetcher
from ipclaims.models import utcnow
from tests import images
from tests.conftest import Actor
from tests.hooks.test_content_fetch import claim_for, fetches, register_rocket

ROCKET = images.encode(images.photo("rocket"), "PNG")
LIMIT = 600_000


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _issue(ca: str, name: str, san: str, cwd: Path) -> None:
    """A server key and certificate `name`.pem for `san`, signed by the CA `ca` (ca.pem/ca.key)."""
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=cwd)
    (cwd / f"{name}.ext").write_text(
        f"subjectAltName={san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
        "-out", f"{name}.pem", "-days", "2", "-sha256", "-extfile", f"{name}.ext", cwd=cwd,
    )  # fmt: skip


def _ca(name: str, cwd: Path) -> None:
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
        "-sha256", "-subj", f"/CN=ipclaims test {name}", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-addext", "subjectKeyIdentifier=hash", cwd=cwd,
    )  # fmt: skip


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ca (trusted by the tests), rogue (a CA nobody trusts), and server certificates each signed by one of them."""
    d = tmp_path_factory.mktemp("pki")
    _ca("ca", d)
    _ca("rogue", d)
    _issue("ca", "store", "DNS:store.test,DNS:cdn.platform.test", d)  # trusted, for the names the fetcher asks for
    _issue("rogue", "impostor", "DNS:store.test,DNS:cdn.platform.test", d)  # right names, untrusted issuer
    _issue("ca", "by-address", "IP:127.0.0.1,DNS:other.test", d)  # trusted, but for the address, not the host
    return d


@dataclass
class TLSServer:
    port: int
    requests: list[str] = field(default_factory=list)
    sni: list[str | None] = field(default_factory=list)


def _handler(server: TLSServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append(f"{self.headers.get('Host')} {self.path}")
            name = "/" + unquote(self.path).rsplit("/", 1)[-1]  # /media/NAME, or /media?u=<item URL ending in NAME>
            if name.endswith("/good"):
                self._send(200, ROCKET, {"Content-Type": "image/png", "Content-Length": str(len(ROCKET))})
            elif name.endswith("/hop"):
                self._send(302, b"", {"Location": "/media/good", "Content-Length": "0"})
            elif name.endswith("/off-list"):
                self._send(302, b"", {"Location": "https://evil.test/steal", "Content-Length": "0"})
            elif name.endswith("/to-platform"):  # an allowed host, but it resolves to a loopback address
                self._send(302, b"", {"Location": f"https://cdn.platform.test:{server.port}/media/good", "Content-Length": "0"})
            elif name.endswith("/big-declared"):
                self._send(200, b"\x89PNG", {"Content-Type": "image/png", "Content-Length": str(LIMIT * 4)})
            elif name.endswith("/big"):  # no length: HTTP/1.0, the body runs to the connection's end
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                try:
                    for _ in range(64):
                        self.wfile.write(b"\x89PNG" + b"\0" * 16_380)
                except OSError:
                    pass  # the fetcher hung up once it had read past the limit
            else:
                self._send(404, b"no such item", {"Content-Length": "12"})

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def tls_server(pki: Path, cert: str) -> Iterator[TLSServer]:
    """A TLS server on 127.0.0.1 presenting `cert`, recording each request and the SNI name each client sent."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server = TLSServer(httpd.server_address[1])
    httpd.RequestHandlerClass = _handler(server)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki / f"{cert}.pem", pki / f"{cert}.key")
    context.sni_callback = lambda sock, name, ctx: server.sni.append(name)  # type: ignore[assignment,func-returns-value]
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


# Every name the fetcher may contact resolves to the loopback server: the connection goes to the checked address.
ANSWERS = {"store.test": ["127.0.0.1"], "cdn.platform.test": ["127.0.0.1"], "evil.test": ["127.0.0.1"]}


@pytest.fixture
def https_fetcher(pki: Path, set_env: Callable[..., None]) -> Callable[[int], fetcher.Fetcher]:
    def make(port: int, ca_file: Path | None = None) -> fetcher.Fetcher:
        set_env(
            IPCLAIMS_CONTENT_URL_TEMPLATE=f"https://store.test:{port}/media?u={{url}}",
            IPCLAIMS_CONTENT_ALLOW_PRIVATE="true",  # the store (only it) may be on a private address
            IPCLAIMS_CONTENT_CA_FILE=str(ca_file or pki / "ca.pem"),
            IPCLAIMS_PLATFORM_HOSTS="cdn.platform.test",
            IPCLAIMS_MAX_UPLOAD_BYTES=str(LIMIT),
            IPCLAIMS_CONTENT_FETCH_TIMEOUT_SECONDS="5",
        )
        return fetcher.Fetcher.from_settings(get_settings(), resolve=lambda host, port: ANSWERS[host])

    return make


def read(body: Any) -> bytes:
    out = b""
    while chunk := body.read(1 << 16):
        out += chunk
    return out


def test_a_store_with_a_certificate_from_the_configured_ca_is_fetched_pinned_with_sni(
    pki: Path, https_fetcher: Callable[[int], fetcher.Fetcher]
) -> None:
    with tls_server(pki, "store") as server:
        f = https_fetcher(server.port)
        assert f.open(f"https://store.test:{server.port}/media/good", read) == ROCKET
        assert f.open(f"https://store.test:{server.port}/media/hop", read) == ROCKET  # a redirect on the same host
    # The connection went to 127.0.0.1, yet TLS named the host: SNI and the Host header say store.test.
    assert server.sni == ["store.test"] * 3
    assert server.requests == [f"store.test:{server.port} {p}" for p in ("/media/good", "/media/hop", "/media/good")]


def test_without_the_ca_the_same_certificate_is_not_trusted(pki: Path, https_fetcher: Callable[..., fetcher.Fetcher]) -> None:
    with tls_server(pki, "store") as server:
        f = https_fetcher(server.port, ca_file=pki / "rogue.pem")  # a CA file, but not the one that signed it
        with pytest.raises(fetcher.FetchFailed, match="CERTIFICATE_VERIFY_FAILED"):
            f.open(f"https://store.test:{server.port}/media/good", read)
    assert server.requests == []  # nothing was asked over the untrusted connection


def test_a_certificate_from_an_untrusted_issuer_is_refused(pki: Path, https_fetcher: Callable[[int], fetcher.Fetcher]) -> None:
    with tls_server(pki, "impostor") as server:
        f = https_fetcher(server.port)
        with pytest.raises(fetcher.FetchFailed, match="CERTIFICATE_VERIFY_FAILED"):
            f.open(f"https://store.test:{server.port}/media/good", read)
    assert server.requests == []


def test_the_certificate_must_name_the_host_not_the_pinned_address(pki: Path, https_fetcher: Callable[[int], fetcher.Fetcher]) -> None:
    # Trusted, and valid for 127.0.0.1 — the address actually dialled — but not for store.test: refused.
    with tls_server(pki, "by-address") as server:
        f = https_fetcher(server.port)
        with pytest.raises(fetcher.FetchFailed, match=r"CERTIFICATE_VERIFY_FAILED.*(Hostname mismatch|doesn't match|not valid for)"):
            f.open(f"https://store.test:{server.port}/media/good", read)
    assert server.requests == [] and server.sni == ["store.test"]


@pytest.mark.parametrize(
    "path, why",
    [
        ("off-list", "host evil.test is not the content store nor a platform host"),
        ("to-platform", "cdn.platform.test: 127.0.0.1 is a private or loopback address"),
        ("big-declared", f"larger than the {LIMIT:,}-byte limit"),
        ("big", f"larger than the {LIMIT:,}-byte limit"),
    ],
)
def test_refusals_over_https(pki: Path, https_fetcher: Callable[[int], fetcher.Fetcher], path: str, why: str) -> None:
    with tls_server(pki, "store") as server:
        f = https_fetcher(server.port)
        with pytest.raises(fetcher.FetchRefused, match=why):
            f.open(f"https://store.test:{server.port}/media/{path}", read)
    assert server.requests == [f"store.test:{server.port} /media/{path}"]  # the redirect's target was never contacted


def test_the_worker_fetches_and_matches_over_https(
    client: Any, holder: Actor, specialist: Actor, pki: Path, https_fetcher: Callable[[int], fetcher.Fetcher]
) -> None:
    work_id = register_rocket(client, holder)
    claim = claim_for(client, holder, "good", "off-list")
    with tls_server(pki, "store") as server:
        f = https_fetcher(server.port)
        assert content.fetch_content(utcnow(), get_settings(), f) == {"content_fetched": 1, "content_fetch_failed": 1}
    seen = client.get(f"/api/v1/claims/{claim['id']}", headers=specialist.headers).json()
    good, off = seen["items"]
    assert good["matches"][0]["verdict"] == "match" and good["matches"][0]["work_id"] == work_id
    rows = fetches(client, specialist, claim["id"])
    assert rows[good["id"]]["status"] == "fetched" and rows[good["id"]]["source_url"].startswith(f"https://store.test:{server.port}/")
    assert rows[off["id"]]["status"] == "refused" and "evil.test" in rows[off["id"]]["last_error"]


def test_a_missing_ca_file_is_refused_at_start_up(set_env: Callable[..., None], tmp_path: Path) -> None:
    set_env(IPCLAIMS_CONTENT_CA_FILE=str(tmp_path / "absent.pem"))
    with pytest.raises(ValueError, match="IPCLAIMS_CONTENT_CA_FILE"):
        get_settings()
    (tmp_path / "notes.pem").write_text("not a certificate\n")
    set_env(IPCLAIMS_CONTENT_CA_FILE=str(tmp_path / "notes.pem"))
    with pytest.raises(ValueError, match="not PEM certificates"):
        get_settings()
