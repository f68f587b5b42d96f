"""Field tests shared by the regimes (DOMAIN.md §2, "Which request fields feed which element": shared tests).

Two layers: small tests on one value that return a problem sentence (None when the value is good enough), and
element checks that several regimes reuse verbatim (signature, statements, item location, works, the Singapore
address for service). The convention throughout: `None` (JSON null) is absent, a mapping or list whose entries are
all absent is absent, and anything else that was sent is *given* — a blank string included — so it can only be
`deficient`, never `missing`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from ipclaims.legal.base import CheckContext, CheckFn, Finding, deficient, missing, present

Problem = str | None
ValueTest = Callable[[object], Problem]

# DOMAIN.md §2 (US/TM contact): a postal address is street, city and country.
POSTAL_FIELDS: tuple[str, ...] = ("street", "city", "country")
# Singapore is a city-state: for the reg 78(4)(a) / 80(4)(a) identity a street and a country locate the person.
SG_POSTAL_FIELDS: tuple[str, ...] = ("street", "country")
SINGAPORE_COUNTRY_VALUES = frozenset({"SG", "SGP", "SINGAPORE"})
MIN_PHONE_DIGITS = 6
# str.isspace() over the whole string: every Unicode space, as `any(ch.isspace() for ch in raw)` was.
_WHITESPACE = re.compile(r"\s")


# --- access -----------------------------------------------------------------------------------------------------


def lookup(value: object, *path: str) -> Any:
    """Walk nested mappings; anything missing or of the wrong shape on the way reads as absent."""
    for key in path:
        # A plain dict (every notice the API builds) answers without the ABC's isinstance, the slow part here.
        if type(value) is not dict and not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def is_absent(value: object) -> bool:
    if value is None:
        return True
    kind = type(value)
    if kind is str:  # the usual leaf: one type check instead of an ABC's
        return False
    if kind is dict or isinstance(value, Mapping):
        return all(is_absent(v) for v in value.values())  # type: ignore[attr-defined]
    if isinstance(value, list | tuple):
        return all(is_absent(v) for v in value)
    return False


def has_text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def is_true(value: object) -> bool:
    # Only an explicit JSON true makes a statement; "yes", 1 or a missing key do not (the notifier must attest).
    return value is True


# --- one-value tests (None = good) ------------------------------------------------------------------------------


def given_text(value: object, the: str, absent: str) -> tuple[Problem, str]:
    """The one absent / not text / blank check every text value starts with: its problem (`absent`, or "`the` is not
    text", or "`the` is blank") and the text stripped, empty unless the problem is None."""
    if is_absent(value):
        return absent, ""
    if not isinstance(value, str):
        return f"{the} is not text", ""
    text = value.strip()
    return (None if text else f"{the} is blank"), text


def text_problem(label: str) -> ValueTest:
    def test(value: object) -> Problem:
        return given_text(value, label, f"{label} is not given")[0]

    return test


def email_problem(value: object) -> Problem:
    problem, text = given_text(value, "the email address", "no email address is given")
    if problem is not None:
        return problem
    # The same address is checked by two or three elements and again before mail is queued; the answer depends on
    # the text alone. Only address-sized text is remembered, so the cache stays small whatever clients send.
    return _email_syntax_problem(text) if len(text) <= MAX_CACHED_EMAIL else _email_syntax_problem.__wrapped__(text)


MAX_CACHED_EMAIL = 320  # RFC 5321: 64-octet local part, @, 255-octet domain


@functools.lru_cache(maxsize=4096)
def _email_syntax_problem(text: str) -> Problem:
    try:
        # Syntax only: DOMAIN.md §2 "a usable email passes email-validator without DNS".
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return f"the email address {text!r} is not usable ({str(exc).rstrip('.')})"
    return None


def phone_problem(value: object, label: str = "telephone number") -> Problem:
    problem, text = given_text(value, f"the {label}", f"no {label} is given")
    if problem is not None:
        return problem
    digits = sum(ch in "0123456789" for ch in text)
    if digits < MIN_PHONE_DIGITS:
        return f"the {label} {text!r} has fewer than {MIN_PHONE_DIGITS} digits"
    return None


def address_problem(value: object, required: Sequence[str] = POSTAL_FIELDS) -> Problem:
    if is_absent(value):
        return "no postal address is given"
    if not isinstance(value, Mapping):
        return "the postal address is not in the expected form (street, city, region, postal_code, country)"
    lacking = [key for key in required if not has_text(value.get(key))]
    if lacking:
        return f"the postal address has no {_join(lacking, 'or')}"
    return None


def sg_address_problem(value: object) -> Problem:
    return address_problem(value, SG_POSTAL_FIELDS)


def signature_problem(value: object) -> Problem:
    # DOMAIN.md §2: "A signature is a non-blank signature.name"; a typed "/s/ Name" is an electronic signature.
    if is_absent(value):
        return "the notice is not signed"
    if not isinstance(value, Mapping):
        return "the signature is not in the expected form (name, date)"
    return given_text(value.get("name"), "the signature name", "the signature has no name")[0]


def singapore_residence(address: object) -> bool | None:
    """True resident, False resident elsewhere, None unknown (no address or no country given)."""
    country = lookup(address, "country")
    if not has_text(country):
        return None
    return str(country).strip().upper() in SINGAPORE_COUNTRY_VALUES


def url_problem(value: object, ctx: CheckContext) -> Problem:
    """Why one item URL does not locate specific material on this platform (DOMAIN.md §2, "specific URL")."""
    problem, raw = given_text(value, "the URL", "no URL is given")
    if problem is not None:
        return problem
    if _WHITESPACE.search(raw):
        return "not a URL (it contains spaces)"
    try:
        parts = urlsplit(raw)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return "not a URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "not an http(s) URL (it must start with https:// or http://)"
    if not host:
        return "no host name in the URL"
    host = host.rstrip(".")
    reasons: list[str] = []
    if ctx.platform_hosts and not on_platform(host, ctx.platform_hosts):
        reasons.append(f"host {host} is not on this platform ({_join(sorted(ctx.platform_hosts), 'or')})")
    # "My whole channel" is not enough (§ 512(c)(3)(A)(iii)). DOMAIN.md §2 defines a specific URL as one with a path
    # beyond `/`: `/watch?v=...` is specific, while `/?v=...` (a query on the home page) and `/#top` are not.
    if not parts.path.strip("/"):
        reasons.append("a whole-site address, not a specific item")
    return " and ".join(reasons) or None


def on_platform(host: str, platform_hosts: frozenset[str]) -> bool:
    """The host is one of IPCLAIMS_PLATFORM_HOSTS (DOMAIN.md §2: "on a host in IPCLAIMS_PLATFORM_HOSTS").

    Exact names, compared case-insensitively and without a trailing dot: a sub-domain is another host (a mobile
    or CDN host belongs on the list by name), so the setting alone decides what is on the platform.
    """
    host = host.lower().rstrip(".")
    return any(host == listed.lower().rstrip(".") for listed in platform_hosts)


# --- element checks shared by several regimes --------------------------------------------------------------------


def all_of(what: str, cure: str, ok: str, requirements: Sequence[tuple[object, ValueTest]]) -> Finding:
    """An element made of several fields: none given → missing; some given but short → deficient."""
    if all(is_absent(value) for value, _ in requirements):
        return missing(f"Nothing is given for {what}. {cure}")
    problems = [p for value, test in requirements if (p := test(value)) is not None]
    if problems:
        return deficient(f"{sentence('; '.join(problems))}. {cure}")
    return present(ok)


def signature_element(who: str) -> CheckFn:
    def check(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
        sig = lookup(notice, "signature")
        problem = signature_problem(sig)
        cure = f"Sign with the full name of {who} (signature.name; a typed “/s/ Full Name” is an electronic signature)."
        if problem is None:
            return present(f"Signed by {str(lookup(sig, 'name')).strip()}.")
        if is_absent(sig):
            return missing(f"The notice is not signed. {cure}")
        return deficient(f"{sentence(problem)}. {cure}")

    return check


def statement_element(key: str, wording: str) -> CheckFn:
    def check(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
        if is_true(lookup(notice, "statements", key)):
            return present(f"Statement made: {wording}.")
        return missing(f"The statement that {wording} is not made. Confirm it (statements.{key} = true).")

    return check


def paired_statement(main_key: str, perjury_key: str, *, made: str, without_perjury: str, without_main: str) -> CheckFn:
    """A statement that must be made *under penalty of perjury*: either half alone is deficient, neither is missing."""
    both = f"statements.{main_key} and statements.{perjury_key} = true"

    def check(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
        has_main = is_true(lookup(notice, "statements", main_key))
        has_perjury = is_true(lookup(notice, "statements", perjury_key))
        if has_main and has_perjury:
            return present(f"Statement made: {made}.")
        if has_main:
            return deficient(f"{without_perjury} Required: {made} ({both}).")
        if has_perjury:
            return deficient(f"{without_main} Required: {made} ({both}).")
        return missing(f"The required statement is not made: {made} ({both}).")

    return check


def item_location(url: object, ctx: CheckContext) -> tuple[bool, str]:
    # Asked twice per item at intake (the location element, then the item's own row) and again on every PATCH; the
    # answer depends on the URL and the platform hosts alone. Only URL-sized text is remembered.
    if isinstance(url, str) and len(url) <= MAX_CACHED_URL:
        return _item_location(url, ctx)
    return _item_location.__wrapped__(url, ctx)


MAX_CACHED_URL = 2048


@functools.lru_cache(maxsize=8192)
def _item_location(url: object, ctx: CheckContext) -> tuple[bool, str]:
    problem = url_problem(url, ctx)
    if problem is None:
        return True, "specific URL on this platform"
    return False, problem


def location_element(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """Every reported item must be locatable by its URL; the detail names the items (1-based) that are not."""
    items = lookup(notice, "items")
    entries: Sequence[object] = items if isinstance(items, list | tuple) else ()
    urls = [lookup(item, "url") for item in entries]
    cure = (
        "Give the exact URL of each item on this platform (for example the page of the video or listing itself); "
        "a whole site, channel or profile is not enough."
    )
    if all(is_absent(u) for u in urls):
        return missing(f"No reported item has a URL. {cure}")
    by_reason: dict[str, list[int]] = {}
    for position, url in enumerate(urls, start=1):
        locatable, reason = item_location(url, ctx)
        if not locatable:
            by_reason.setdefault(reason, []).append(position)
    if not by_reason:
        if len(urls) == 1:
            return present("The item URL is specific.")
        return present(f"All {len(urls)} reported item URLs are specific.")
    parts = [f"{_positions(positions)}: {reason}" for reason, positions in by_reason.items()]
    short = sum(len(p) for p in by_reason.values())
    counted = f"{short} of {len(urls)} reported item{'s' if len(urls) != 1 else ''}"
    return deficient(f"{counted} cannot be located — {'; '.join(parts)}. {cure} Items with a specific URL can be acted on meanwhile.")


def work_identification_element(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    works = lookup(notice, "works")
    cure = "Name the work (works[].title) or describe it (works[].description); a representative list is enough."
    if is_absent(works):
        return missing(f"No work is identified. {cure}")
    entries = works if isinstance(works, list | tuple) else ()
    described = [w for w in entries if has_text(lookup(w, "title")) or has_text(lookup(w, "description"))]
    if not described:
        return deficient(f"The works listed have no title or description. {cure}")
    count = len(described)
    return present(f"{count} work{'s' if count != 1 else ''} identified.")


def sg_service_address_element(party: str) -> CheckFn:
    """reg 78(4)(b) / 80(4)(b): a Singapore address for service, needed only when the party lives elsewhere.

    When no country is given residence is unknown; that gap belongs to the identity element (DOMAIN.md §2: "only
    complainant_identity reports it"), so this element must not report it a second time.
    """

    def check(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
        address = lookup(notice, party, "address")
        service = lookup(notice, "sg_address_for_service")
        resident = singapore_residence(address)
        cure = "Give an address in Singapore where documents can be served (sg_address_for_service)."
        if resident:
            return present("Resident in Singapore; no separate address for service is needed.")
        if has_text(service):
            return present("A Singapore address for service is given.")
        if resident is None:
            return present(
                f"Residence unknown (no country in {party}.address); the {party}'s address is reported under "
                "identity. An address for service will be needed if the address is outside Singapore."
            )
        if is_absent(service):
            return missing(f"The {party} lives outside Singapore and gives no Singapore address for service. {cure}")
        return deficient(f"The Singapore address for service is blank or not text. {cure}")

    return check


def sg_contact_element(party: str) -> CheckFn:
    """reg 78(4)(c) / 80(4)(c): telephone and email, and the fax number if the party has one."""

    def check(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
        who = lookup(notice, party)
        phone, email, fax = lookup(who, "phone"), lookup(who, "email"), lookup(who, "fax")
        requirements: list[tuple[object, ValueTest]] = [(phone, phone_problem), (email, email_problem)]
        if not is_absent(fax):
            requirements.append((fax, lambda v: phone_problem(v, "fax number")))
        return all_of(
            "the telephone number and email address",
            f"Give a telephone number ({party}.phone) and a usable email address ({party}.email); "
            f"a fax number ({party}.fax) only if you have one.",
            "Telephone and email given" + (" (and fax)." if not is_absent(fax) else "."),
            requirements,
        )

    return check


def nonblank_text_element(path: str | tuple[str, ...], what: str, cure: str) -> CheckFn:
    keys = (path,) if isinstance(path, str) else path

    def check(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
        value = lookup(notice, *keys)
        if is_absent(value):
            return missing(f"{sentence(what)} is not given. {cure}")
        problem = text_problem(what)(value)
        if problem is not None:
            return deficient(f"{sentence(problem)}. {cure}")
        return present(f"{sentence(what)} is given.")

    return check


# --- wording ----------------------------------------------------------------------------------------------------


def _join(words: Sequence[str], last: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _positions(positions: Sequence[int]) -> str:
    """'item 3' / 'items 1–4, 7': compact enough for a 1,000-item notice."""
    runs: list[str] = []
    start = prev = positions[0]
    for p in [*positions[1:], None]:
        if p is not None and p == prev + 1:
            prev = p
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if p is not None:
            start = prev = p
    noun = "item" if len(positions) == 1 else "items"
    return f"{noun} {', '.join(runs)}"
