"""The guided claim form: which fields each regime asks for, grouped by the legal element they feed, and the
conversion between the form's flat fields and intake's `ClaimIn` / `ClaimPatch`.

No legal rule lives here. Element codes, citations and whether an element is present come from `ipclaims.legal`
through intake (`intake.prepare`, the dry run); what is written here is the plain-words explanation of each element
and which inputs fill it, so the page can say what to do and where.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ipclaims import legal
from ipclaims.claims import intake
from ipclaims.claims.schemas import ClaimIn
from ipclaims.config import Settings
from ipclaims.errors import AppError
from ipclaims.models import Account, ClaimKind

# The forms offered: (regime, kind) → the title of the choice and who it is for.
FORMS: dict[tuple[str, str], tuple[str, str]] = {
    ("US_DMCA", "copyright"): ("US copyright notice (DMCA)", "Copyright infringement under the US Digital Millennium Copyright Act."),
    ("EU_DSA", "copyright"): ("EU notice: copyright (DSA)", "Illegal content under the EU Digital Services Act, for a copyright."),
    ("EU_DSA", "trademark"): ("EU notice: trademark (DSA)", "Illegal content under the EU Digital Services Act, for a trademark."),
    ("SG_CA2021", "copyright"): ("Singapore copyright notice", "Copyright infringement under Singapore's Copyright Act 2021."),
    ("TM_POLICY", "trademark"): ("Trademark report", "Counterfeits, confusing use or impersonation of your registered mark."),
}

# Each element in plain words, and the form sections whose inputs fill it (`#section-…` on the page).
ELEMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "signature": ("Sign the notice: type your full name as your electronic signature.", ("signature",)),
    "work_identification": ("Say which of your works is being copied: its title, and where the original can be seen.", ("work",)),
    "material_location": ("Give the exact address (URL) of each copy on this platform, not just the account or site.", ("items",)),
    "exact_location": ("Give the exact address (URL) of each piece of content you report.", ("items",)),
    "contact_information": ("Tell us how to reach you: an email address, a telephone number or a postal address.", ("you",)),
    "good_faith_statement": (
        "Confirm you believe in good faith the use is not allowed by you, your agent or the law.",
        ("statements",),
    ),
    "accuracy_authority_statement": (
        "Confirm that the notice is accurate and that you are allowed to act for the owner of the right.",
        ("statements",),
    ),
    "substantiated_explanation": ("Explain why the content is illegal, naming the right you rely on.", ("explanation",)),
    "notifier_identity": ("Give your name and email address.", ("you",)),
    "bona_fide_statement": ("Confirm that you believe the notice is accurate and complete.", ("statements",)),
    "complainant_identity": ("Give your name and address, and the owner's name if you act for someone else.", ("you",)),
    "sg_address_for_service": ("If you do not live in Singapore, give an address in Singapore where papers can be served.", ("sg",)),
    "removal_request_statement": ("Ask us to remove the copies or disable access to them.", ("statements",)),
    "mark": ("Name the mark: the word, or describe the logo.", ("mark",)),
    "registration": ("Give the registration number and the office that registered the mark.", ("mark",)),
    "goods_services": ("Give the Nice classes and the goods or services the registration covers.", ("mark",)),
    "infringement_description": (
        "Say how the use infringes: confusion, counterfeit, impersonation, username.",
        ("mark", "explanation"),
    ),
}

# The claim's top-level fields each section's inputs make (`notice_fields`): an element is fed by its sections' fields.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "signature": ("signature",),
    "work": ("works",),
    "items": ("items",),
    "you": ("complainant", "rights_owner"),
    "statements": ("statements",),
    "explanation": ("explanation",),
    "sg": ("sg_address_for_service", "complainant"),  # needed or not by the country of the complainant's address
    "mark": ("trademark",),
}


def element_fields(code: str) -> tuple[str, ...]:
    """The top-level claim fields an element is judged on, by the form's sections that fill it (`ELEMENTS`)."""
    sections = ELEMENTS.get(code, ("", ()))[1]
    return tuple(dict.fromkeys(top for section in sections for top in SECTION_FIELDS.get(section, ())))


STATEMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    # key → (the statement the box makes, regimes asking for it)
    "good_faith": (
        "I have a good-faith belief that the use described is not authorised by the owner, its agent, or the law.",
        ("US_DMCA", "TM_POLICY"),
    ),
    "accuracy": ("The information in this notice is accurate.", ("US_DMCA", "TM_POLICY")),
    "authority_under_penalty_of_perjury": (
        "Under penalty of perjury, I am the owner of the right, or authorised to act for the owner.",
        ("US_DMCA", "TM_POLICY"),
    ),
    "fair_use_considered": ("I have considered whether the use could be fair use before sending this notice.", ("US_DMCA",)),
    "bona_fide": ("I believe in good faith that the information and allegations in this notice are accurate and complete.", ("EU_DSA",)),
    "removal_requested": ("I require the platform to remove the copies or disable access to them.", ("SG_CA2021",)),
}

# The same form filled in by staff from a notice someone else sent (the import page): the staff member records what
# the notice says and attests nothing, so no label speaks to them as the sender. `_fields.html` falls back to the
# holder's own words for any key not here. `{party}`: who sends a notice, as the regime calls them (`PARTY`).
NOTICE_WORDS: dict[str, str] = {
    "you": "The {party}",
    "name": "{Party}'s full name, as in the notice",
    "organization_help": "Leave empty if the {party} writes as a private person.",
    "relationship": "The {party} is",
    "rights_owner": "Name of the owner the {party} acts for",
    "rights_owner_help": "Only if the {party} acts for someone else.",
    "fax": "Fax",
    "sg_help": "Needed if the {party} does not live in Singapore: where court papers can be delivered to them.",
    "work": "The work",
    "mark": "The trademark",
    "items": "What the notice reports",
    "items_label": "Addresses (URLs) of the reported copies",
    "explanation_label": "Why the notice says it infringes",
    "explanation_help": "The {party}'s explanation: which right is infringed and how.",
    "statements": "Statements the notice makes",
    "statements_help": "Tick each statement the notice makes, in these or equivalent words. You record what the {party} "
    "wrote; you attest nothing.",
    "signature_name": "Signer's name as written in the notice",
    "signature_help": "The name the notice is signed with (for example after /s/); leave it empty if the notice is unsigned.",
    "signature_date": "Date of the signature, if the notice gives one",
}

# The statements as the sender's notice makes them (`STATEMENTS` is the holder's own first-person attestation).
NOTICE_STATEMENTS: dict[str, str] = {
    "good_faith": "The {party} believes in good faith that the use is not authorised by the owner, its agent, or the law.",
    "accuracy": "The {party} says the information in the notice is accurate.",
    "authority_under_penalty_of_perjury": "The {party} says, under penalty of perjury, that they own the right or are authorised "
    "to act for its owner.",
    "fair_use_considered": "The {party} says they considered whether the use could be fair use.",
    "bona_fide": "The {party} believes in good faith that the information and allegations in the notice are accurate and complete.",
    "removal_requested": "The {party} asks the platform to remove the copies or disable access to them.",
}

# Who sends a notice, in the words of the regime's own law or policy: Singapore's Copyright Regulations speak of the
# complainant, the DSA of the individual or entity submitting a notice (the notifier), the trademark policy of the
# reporter; a § 512 notice comes from the complaining party, here the sender.
PARTY: dict[str, str] = {"US_DMCA": "sender", "EU_DSA": "notifier", "SG_CA2021": "complainant", "TM_POLICY": "reporter"}

# The claim's top-level fields as staff name them (what the import page says staff corrected): `{party}` as above.
FIELD_NAMES: dict[str, str] = {
    "complainant": "the {party}'s details",
    "rights_owner": "the owner the {party} acts for",
    "sg_address_for_service": "the Singapore address for service",
    "works": "the works",
    "trademark": "the trademark",
    "items": "the reported addresses (URLs)",
    "explanation": "the explanation",
    "statements": "the statements",
    "signature": "the signature",
    "on_behalf_of": "the claim's owner",
    "received_at": "the date received",
}


def _party_words(text: str, regime: str | None) -> str:
    party = PARTY.get(regime or "", "sender")
    return text.format(party=party, Party=party.capitalize())


def notice_words(regime: str | None) -> dict[str, str]:
    """`NOTICE_WORDS` for a notice of the regime: the party named as its law names them."""
    return {key: _party_words(text, regime) for key, text in NOTICE_WORDS.items()}


def field_name(regime: str | None, top: str) -> str:
    """A top-level claim field in staff words ("the complainant's details"), never its key."""
    known = FIELD_NAMES.get(top)
    return _party_words(known, regime) if known else top.replace("_", " ")


TEXT_FIELDS = (
    "complainant.name",
    "complainant.organization",
    "complainant.email",
    "complainant.phone",
    "complainant.fax",
    "complainant.address.street",
    "complainant.address.city",
    "complainant.address.region",
    "complainant.address.postal_code",
    "complainant.address.country",
    "complainant.relationship",
    "rights_owner",
    "sg_address_for_service",
    "works.0.title",
    "works.0.description",
    "works.0.registration_number",
    "works.0.reference_work_id",
    "explanation",
    "trademark.mark",
    "trademark.registration_number",
    "trademark.registry",
    "trademark.goods_services",
    "trademark.infringement_type",
    "signature.name",
    "signature.date",
)
LIST_FIELDS = ("works.0.urls", "items", "trademark.jurisdictions", "trademark.nice_classes")
# The registries the form's select offers (claims/_fields.html); the import page offers a notice's own as read too.
REGISTRIES = (
    ("USPTO", "USPTO (United States)"),
    ("EUIPO", "EUIPO (European Union)"),
    ("UKIPO", "UKIPO (United Kingdom)"),
    ("IPOS", "IPOS (Singapore)"),
    ("WIPO_MADRID", "WIPO (Madrid system)"),
    ("other", "Another national office"),
)


def form_for(regime: str | None, kind: str | None) -> tuple[str, str] | None:
    if regime is None or kind is None or (regime, kind) not in FORMS:
        return None
    return regime, kind


def statements_for(regime: str, *, from_notice: bool = False) -> list[tuple[str, str]]:
    """The regime's statements as (key, the box's words): the holder's attestation, or what a sender's notice says."""
    return [
        (key, _party_words(NOTICE_STATEMENTS[key], regime) if from_notice else text)
        for key, (text, regimes) in STATEMENTS.items()
        if regime in regimes
    ]


def sections_for(regime: str, kind: str) -> set[str]:
    shown = {"you", "items", "explanation", "statements", "signature"}
    shown.add("mark" if kind == ClaimKind.TRADEMARK else "work")
    if regime == "SG_CA2021":
        shown.add("sg")
    return shown


def blank_values() -> dict[str, str]:
    return {name: "" for name in (*TEXT_FIELDS, *LIST_FIELDS)} | {f"statements.{k}": "" for k in STATEMENTS}


def values_from_form(form: Mapping[str, Any]) -> dict[str, str]:
    """What was typed, as strings, for re-showing: nothing typed is ever lost."""
    values = blank_values()
    for name in values:
        raw = form.get(name)
        values[name] = raw.strip() if isinstance(raw, str) and not name.startswith("statements.") else ("true" if raw else "")
    return values


def _lines(text: str) -> list[str]:
    """A list typed as lines or commas ("US, EU" or one per line)."""
    return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


def _set(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node: Any = target
    for i, part in enumerate(parts[:-1]):
        nxt: Any = [] if parts[i + 1].isdecimal() else {}
        if isinstance(node, list):
            index = int(part)
            while len(node) <= index:
                node.append(nxt)
            node = node[index]
        else:
            node = node.setdefault(part, nxt)
    last = parts[-1]
    node[last] = value


def notice_fields(values: Mapping[str, str], regime: str, kind: str) -> dict[str, Any]:
    """The claim fields (CONTRACT.md request shape) the typed values make; blank inputs are absent, not empty."""
    out: dict[str, Any] = {"regime": regime, "kind": kind}
    shown = sections_for(regime, kind)
    for name in TEXT_FIELDS:
        value = values.get(name, "")
        if not value:
            continue
        section = "work" if name.startswith("works.") else "mark" if name.startswith("trademark.") else ""
        if section and section not in shown:
            continue
        _set(out, name, value)
    if "work" in shown and (urls := values.get("works.0.urls", "").split()):
        _set(out, "works.0.urls", urls)
    if "mark" in shown:
        if jurisdictions := _lines(values.get("trademark.jurisdictions", "")):
            _set(out, "trademark.jurisdictions", [j.upper() for j in jurisdictions])
        if classes := _lines(values.get("trademark.nice_classes", "")):
            _set(out, "trademark.nice_classes", [int(c) if c.isdecimal() else c for c in classes])
    statements = {key: True for key, _ in statements_for(regime) if values.get(f"statements.{key}")}
    if statements:
        out["statements"] = statements
    urls = [line for line in (values.get("items", "") or "").splitlines() if line.strip()]
    out["items"] = [{"url": url.strip(), **({"work": 0} if "works" in out else {})} for url in urls]
    return out


@dataclass
class Checked:
    """The dry run of intake on the typed values: its report (None when the form itself is malformed) and errors
    by input name."""

    report: legal.Completeness | None
    errors: dict[str, str] = field(default_factory=dict)
    prepared: intake.Draft | None = None


def input_name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "items":
        return "items"
    if len(parts) >= 2 and parts[0] == "trademark" and parts[1] in ("nice_classes", "jurisdictions"):
        return f"trademark.{parts[1]}"
    if len(parts) >= 3 and parts[0] == "works" and parts[2] == "urls":
        return "works.0.urls"
    return ".".join(parts)


def check(actor: Account, values: Mapping[str, str], regime: str, kind: str, settings: Settings, *, for_submit: bool) -> Checked:
    """Intake's own checks on the typed values, storing nothing (`intake.prepare` builds rows in memory only).

    The dry run tolerates a form with no URL yet (a placeholder item with no URL: `material_location` missing, as
    intake says of it); a submit does not, since intake needs at least one item."""
    fields = notice_fields(values, regime, kind)
    if not fields["items"]:
        if for_submit:
            return Checked(report=None, errors={"items": "Give the address (URL) of at least one copy you report."})
        fields["items"] = [{}]
    try:
        data = ClaimIn.model_validate_json(json.dumps(fields))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            errors.setdefault(input_name(err.get("loc", ())), plain(err.get("msg", "not valid")))
        return Checked(report=None, errors=errors)
    prepared = intake.prepare(actor, data, settings)
    if isinstance(prepared, AppError):
        return Checked(report=None, errors={"items": prepared.detail})
    return Checked(report=prepared.report, prepared=prepared)


def plain(message: str) -> str:
    if "valid integer" in message:
        return "Use whole numbers between 1 and 45, separated by commas."
    if "valid date" in message or "date" in message.lower():
        return "Use a date like 2026-12-05."
    return message[:1].upper() + message[1:] + "."


def element_rows(report: legal.Completeness) -> list[dict[str, str]]:
    """The report's elements with their plain words and the section to fix them in, in the regime's order."""
    rows = []
    for e in report.elements:
        plain, sections = ELEMENTS.get(e.code, (e.detail, ()))
        rows.append(
            {
                "code": e.code,
                "status": e.status.value,
                "citation": e.citation,
                "detail": e.detail,
                "plain": plain,
                "section": sections[0] if sections else "",
            }
        )
    return rows


def element_guide(regime: str) -> list[dict[str, str]]:
    """Every element of the regime with its citation, as the law module lists them (a check of an empty notice)."""
    report = legal.check_claim(regime, {}, legal.CheckContext())
    return element_rows(report)


def values_from_notice(notice: Mapping[str, Any]) -> dict[str, str]:
    """A stored claim's fields (`claims.notice.to_notice`) as the form's inputs, to show and supplement it."""
    values = blank_values()

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    def get(path: str) -> Any:
        node: Any = notice
        for part in path.split("."):
            if isinstance(node, list):
                node = node[int(part)] if part.isdecimal() and int(part) < len(node) else None
            elif isinstance(node, Mapping):
                node = node.get(part)
            else:
                return None
        return node

    for name in TEXT_FIELDS:
        values[name] = text(get(name))
    values["works.0.urls"] = "\n".join(get("works.0.urls") or [])
    values["trademark.jurisdictions"] = ", ".join(get("trademark.jurisdictions") or [])
    values["trademark.nice_classes"] = ", ".join(str(c) for c in get("trademark.nice_classes") or [])
    values["items"] = "\n".join(text(i.get("url")) for i in notice.get("items") or [] if i.get("url"))
    for key in STATEMENTS:
        values[f"statements.{key}"] = "true" if get(f"statements.{key}") else ""
    return values


def patch_fields(
    before: Mapping[str, str], after: Mapping[str, str], regime: str, kind: str, items: list[tuple[str, str]]
) -> dict[str, Any]:
    """What a supplement changes, as `ClaimPatch` fields: only the top-level fields whose inputs changed (objects
    merge on the server, lists replace). `items`: the claim's (id, url) pairs, so an unchanged URL keeps its item."""
    changed = {name.split(".")[0] for name in after if after.get(name, "") != before.get(name, "")}
    fields = notice_fields(after, regime, kind)
    patch: dict[str, Any] = {}
    for top in changed - {"items"}:
        if top in fields:
            patch[top] = fields[top]
    if "items" in changed:
        by_url = {url: item_id for item_id, url in items}
        patch["items"] = [{**item, **({"id": by_url[item["url"]]} if item["url"] in by_url else {})} for item in fields["items"]]
    return patch
