"""Whether a message's `From` may choose a verified rights holder as a claim's owner: pure, no database.

A `From` header is whatever the sender wrote. The inbox sits behind the platform's own relay, which checks SPF,
DKIM and DMARC and stamps its verdict as an `Authentication-Results` header (RFC 8601) under its authserv-id; a relay
removes any such header that already claims its id (RFC 8601 §5), so only the topmost header with a trusted id
(IPCLAIMS_INBOX_AUTHSERV_ID, comma-separated; empty: trust none) is believed. Read in this order:

1. the relay's `dmarc` result for the From domain: `pass` vouches for it, `fail` doubts it;
2. else a `dkim=pass` whose signing domain (`header.d`, else `header.i`) or an `spf=pass` whose envelope domain
   (`smtp.mailfrom`) is of the From's organisation vouches for it (DKIM-aligned mail from a mailing service whose
   bounce domain is its own); a `dkim=fail` or `spf=fail`/`softfail` for the From's organisation doubts it;
3. else, for mail that came in over SMTP, the envelope sender (`MAIL FROM`): of another organisation than the From
   (not the From domain, a subdomain of it, or a domain under the same registrable name) doubts it, and so does SMTP
   mail without the trusted relay's header at all when an authserv-id is configured (it did not come through the
   relay). A saved message (an import, an upload) has no envelope: nothing more is known, as before;
4. an address that chooses the owner other than the From's (a forwarded notice's original sender, an email read from
   the text) counts only when the From is of its organisation or of the platform's own domains (the support desk
   forwarding what it was sent): another organisation's forward vouches for nothing.

"Organisation" is the registrable name as `lookalike.name_and_suffix` reads it (the label before the public suffix,
two-level suffixes such as `co.uk` known): an approximation of the Public Suffix List, which the project does not
ship. A doubt only matters when the From names a domain verified on a rights holder (`owners`): the claim then goes
to the address's notifier account, with no trusted-flagger term, and staff see the doubt as an `impersonation` flag.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from ipclaims.integrations import lookalike
from ipclaims.mailroom.reading import address_of
from ipclaims.mailroom.screen import headers

HEADER = "Authentication-Results"
SPF_FAILED = frozenset({"fail", "softfail"})
_PAIR = re.compile(r'([A-Za-z0-9_.\-/]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;"]+)')
_MAX_HEADERS = 50  # a hostile message may carry thousands; the relay's own is at the top


@dataclass(frozen=True)
class Result:
    """One `method=result` of an Authentication-Results header, with its `ptype.property=value` pairs."""

    method: str
    result: str
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Results:
    authserv_id: str
    results: tuple[Result, ...]
    text: str  # the header as received, unfolded: what staff are shown


@dataclass(frozen=True)
class Doubt:
    """Why the From may not choose a verified owner: `reason` for staff, `evidence` kept with the flag."""

    reason: str
    evidence: dict[str, Any]


def _without_comments(value: str) -> str:
    """The header without RFC 5322 comments (nested parentheses, outside quoted strings)."""
    out: list[str] = []
    depth, quoted, escaped = 0, False, False
    for char in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(char)
            continue
        if char == "\\":
            escaped = True
            if depth == 0:
                out.append(char)
        elif quoted:
            quoted = char != '"'
            out.append(char)
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth == 0:
            quoted = char == '"'
            out.append(char)
    return "".join(out)


def _split(value: str) -> list[str]:
    """`;`-separated parts, a `;` inside a quoted string kept."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def results(value: str) -> Results | None:
    """An `Authentication-Results` header read (RFC 8601 §2.2): the authserv-id (lower case, without its version)
    and each result; None for a header with no authserv-id."""
    text = " ".join(value.split())
    pieces = _split(_without_comments(text))
    head = pieces[0].split()
    if not head:
        return None
    found: list[Result] = []
    for piece in pieces[1:]:
        pairs = [(k.lower(), v[1:-1].replace('\\"', '"') if v.startswith('"') else v) for k, v in _PAIR.findall(piece)]
        if not pairs:
            continue  # "none": no result
        (method, result), rest = pairs[0], pairs[1:]
        properties = {k: v.strip().lower() for k, v in rest if "." in k}
        found.append(Result(method.split("/", 1)[0], result.strip().lower(), properties))
    return Results(head[0].strip().rstrip(".").lower(), tuple(found), text[:1000])


def trusted_results(parsed: EmailMessage | None, ids: frozenset[str]) -> Results | None:
    """The topmost `Authentication-Results` stamped under a trusted authserv-id, if any."""
    if parsed is None or not ids:
        return None
    try:
        values = parsed.get_all(HEADER) or []
    except Exception:  # a header the email package cannot decode: as absent
        return None
    for value in values[:_MAX_HEADERS]:
        try:
            read = results(str(value))
        except Exception:
            continue
        if read is not None and read.authserv_id in ids:
            return read
    return None


def domain_of(value: str | None) -> str | None:
    """The domain of an address (`user@domain`, `@domain`) or of a bare domain, normalised."""
    if not value:
        return None
    domain = lookalike.normalise(value.strip().strip("<>").rsplit("@", 1)[-1])
    return domain if "." in domain else None


def organisation(domain: str) -> str:
    name, suffix = lookalike.name_and_suffix(domain)
    return f"{name}.{suffix}" if suffix else name


def aligned(domain: str | None, from_domain: str) -> bool:
    """Whether `domain` is the From domain, under it, or of the same registrable name (DMARC's relaxed alignment)."""
    return domain is not None and (domain == from_domain or organisation(domain) == organisation(from_domain))


def _said(r: Result) -> str:
    return " ".join([f"{r.method}={r.result}", *(f"{k}={v}" for k, v in r.properties.items())])


def _verdict(found: Results, from_domain: str) -> tuple[bool, Result] | None:
    """(vouched, the result that says so), or None when the relay said nothing about the From's domain."""
    for r in found.results:
        if r.method == "dmarc" and r.result in ("pass", "fail"):
            named = r.properties.get("header.from")
            if named is None or domain_of(named) == from_domain:
                return r.result == "pass", r
    signed = [(r, domain_of(r.properties.get("header.d") or r.properties.get("header.i"))) for r in found.results if r.method == "dkim"]
    spf = [(r, domain_of(r.properties.get("smtp.mailfrom"))) for r in found.results if r.method == "spf"]
    for r, domain in signed + spf:
        if r.result == "pass" and aligned(domain, from_domain):
            return True, r
    for r, domain in signed + spf:
        failed = r.result == "fail" or (r.method == "spf" and r.result in SPF_FAILED)
        if failed and aligned(domain, from_domain):
            return False, r
    return None


def doubt(
    raw: bytes, envelope: Mapping[str, Any] | None, address: str | None, ids: frozenset[str], own: frozenset[str] = frozenset()
) -> Doubt | None:
    """Why `address`, the one that chooses the owner, is not vouched for, or None: the message's own `From` is
    checked (else `address` itself, for a message without one), and an `address` other than the From's (the original
    sender of a forwarded notice, an email read from the text) only counts when the From is of its organisation or of
    the platform's own (`own`: the domains of the designated agent's and the platform's addresses).

    `envelope`: the SMTP envelope of mail that came in over SMTP, None for a saved message. `ids`: the trusted
    authserv-ids (lower case; empty: no Authentication-Results is believed)."""
    found = _from_doubt(raw, envelope, address, ids)
    if isinstance(found, Doubt):
        return found
    shown_from, from_domain = found
    chooser = domain_of(address)
    if shown_from is None or from_domain is None or chooser is None or aligned(chooser, from_domain):
        return None
    if any(aligned(from_domain, domain) for domain in own):
        return None  # the platform's own desk forwarding what it was sent
    return Doubt(
        f"the owner would be chosen by {address}, an address the message only quotes (a forwarded notice, or the text), "
        f"but the message is from {shown_from}: another organisation's forward does not vouch for it",
        {"check": "forwarded", "from": shown_from, "quoted_sender": address},
    )


def _from_doubt(
    raw: bytes, envelope: Mapping[str, Any] | None, address: str | None, ids: frozenset[str]
) -> Doubt | tuple[str | None, str | None]:
    """Why the message's own `From` (else `address`) is not vouched for, or (that From, its domain)."""
    parsed = headers(raw)
    shown_from = None
    if parsed is not None:
        try:
            shown_from = address_of(str(parsed.get("From") or "") or None)
        except Exception:  # an undecodable From: as absent
            shown_from = None
    from_address = shown_from or address
    from_domain = domain_of(from_address)
    if from_domain is None:
        return shown_from, None
    found = trusted_results(parsed, ids)
    if found is not None and (verdict := _verdict(found, from_domain)) is not None:
        vouched, result = verdict
        if vouched:
            return shown_from, from_domain
        return Doubt(
            f"the platform's relay ({found.authserv_id}) reports {_said(result)} for the From domain {from_domain} "
            "(Authentication-Results): the From address is not the rights holder's own",
            {"check": "authentication-results", "authserv_id": found.authserv_id, "result": _said(result), "header": found.text},
        )
    if found is not None:  # the relay checked the mail and nothing passed for the From's domain (none, neutral, errors)
        return Doubt(
            f"the platform's relay ({found.authserv_id}) reports no pass for the From domain {from_domain} "
            "(Authentication-Results: no aligned DKIM, SPF or DMARC pass): nothing vouches for the From address",
            {"check": "no-pass", "authserv_id": found.authserv_id, "header": found.text},
        )
    if envelope is None:
        return shown_from, from_domain
    mail_from = envelope.get("mail_from")
    envelope_domain = domain_of(mail_from) if isinstance(mail_from, str) else None
    if envelope_domain is not None and not aligned(envelope_domain, from_domain):
        configure = "" if ids else "; no relay's Authentication-Results is trusted (IPCLAIMS_INBOX_AUTHSERV_ID is not set)"
        return Doubt(
            f"the SMTP envelope sender {str(mail_from)[:320]} is of another domain than the From address {from_address}"
            f"{configure}: the From address is not vouched for",
            {"check": "envelope", "mail_from": str(mail_from)[:320], "from_domain": from_domain, "authserv_ids": sorted(ids)},
        )
    if ids and found is None:
        return Doubt(
            f"the message carries no Authentication-Results of the platform's relay ({', '.join(sorted(ids))}): it did not "
            f"come through the relay, and nothing vouches for the From address {from_address}",
            {"check": "no-relay-results", "authserv_ids": sorted(ids)},
        )
    return shown_from, from_domain
