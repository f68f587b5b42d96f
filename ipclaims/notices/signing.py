"""Who signed: the signing block of a notice (a form's name field, `/s/`, a labelled signature, a closing name).

A typed, `/s/` or redacted name in a signing position is a signature; a company name alone closing the notice, or a
person named only on an "Attn:" line, is deficient (NOTICES.md).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ipclaims.notices.doc import Doc
from ipclaims.notices.text import REDACTED, lines_with_offsets

_ORG = re.compile(
    r"\b(?:inc|llc|l\.l\.c|ltd|limited|gmbh|corp|corporation|co\.|company|pty|plc|llp|s\.r\.l|s\.a\.|"
    r"team|group|department|dept|legal|studios?|games|technolog(?:y|ies)|software|foundation|association|agency|"
    r"network|labs?|media|entertainment|publishing|holdings|services|solutions|university|gbr|srl|spa|"
    r"sas|sarl|pte|bhd|enterprises?|international|global|systems|support|office|desk|compliance)\b\.?"
    r"|\b(?-i:AG|AB|AS|SA|SL|BV|B\.V\.|KK|K\.K\.|Oy|KG|LP)\b",
    re.IGNORECASE,
)
VALEDICTION = re.compile(
    r"^[ \t*_>]*(?:(?:(?:yours|very) )*(?:sincerely|truly|faithfully|respectfully|cordially)(?: yours)?|"
    r"(?:(?:[a-z]+|&)[ \t,]+){0,3}regards|best(?: wishes)?|respectfully submitted|"
    r"cheers|thanks?(?: you)?(?: (?:again|in advance))?(?: for [^\n]{0,60})?|"
    r"truthfully|signed|sign(?:ed)? by|(?:submitted|prepared|filed|sent) by|"
    r"with thanks|thx|greetings|salutations|mit freundlichen grüßen|cordialement|"
    # "(?:[ \t]*[,.!:-]+)?[ \t*_]*", not "[ \t]*[,.!:-]*[ \t*_]*": two runs of blanks with nothing between them split a
    # line of blanks every way (quadratic: "Thanks" and 40,000 blanks took 15 s); the same strings, one way to match.
    r"atentamente|saludos|best wishes|all the best|(?:have|enjoy) a (?:nice|good|great|lovely) (?:day|weekend|week|evening))"
    r"(?:[ \t]*[,.!:，。！：-]+)?[ \t*_]*$",
    re.IGNORECASE | re.MULTILINE,
)
_SIG_LABEL = re.compile(
    r"^[ \t*_>]*(?:[(\[](?i:signed)[)\]]"  # a closed bracketed mark only: "(signed) [private]", not "(signed licence ...)"
    # a party's signature slot (possessive only for the party nouns), closed by ':' or the line's end
    r"|(?:(?:my|our)\s+)?(?:(?:owner|applicant|claimant|complainant|sender|requester)['’]s\s+"
    r"|(?:applicant|complainant|claimant|sender|requester|authori[sz]ed)\s+)"
    r"(?:(?:electronic|digital|legal|physical)\s+)?(?:signature|signed|sign)\b(?=[ \t*_]*(?:[:：]|$))"
    r"|(?:(?:my|our|the)\s+)?(?:(?:electronic|digital|legal|physical)\s+)?(?:(?:signature|signed|sign)\b|/s/)"
    r"(?:\s+(?:of|for) [^:\n]{0,40})?(?:\s+follows)?)[ \t*_]*[:：-]?[ \t*_]*(.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_SLASH_S = re.compile(
    r"(?<![\w/])/s/[ \t:]*([^\n/]{2,80})"
    r"|(?<![\w/:.\\-])s/(?=[ \t]*[\[A-Z])\s*([^\n/]{2,80})(?![^\n/]{0,80}/)"  # a bare s/, but not a sed `s/a/b/`
    r"|(?<![\w:/])//?\s*(?!(?i:signed)\b)(\[private\]|[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*//?(?!\w)",  # /Name/ or //Name//
    re.IGNORECASE,
)
_SIGNATURE_ATTACHED = re.compile(
    r"^[ \t*_>\[(]*(?:\d{1,2}[.)][ \t]*)?(?:please )?(?:see (?:the )?attached (?:\w+ )?for (?:my |the |a )?signature"
    r"|(?:my |the )?signature (?:is )?attached|(?:a )?signed (?:copy|version|letter|notice) (?:is )?attached"
    r"|attached (?:is|please find) (?:my|the|our) signature"
    r"|(?:this|the) (?:e-?mail|message|notice|letter) is (?:digitally )?signed (?:using|with|by) [^\n]{2,60})[ \t.!\])]*$",
    re.IGNORECASE | re.MULTILINE,
)
_INLINE_SIGNED = re.compile(
    r"(?<=[.;:!?] )[ \t]*(?:(?i:signed|signature|sign(?:ed)? by)(?:[ \t]*[:,-])?"  # blanks, then one optional mark: linear
    r"|(?i:(?:yours )?(?:sincerely|truly|faithfully|respectfully)|(?:best |kind |warm )?regards)[ \t]*,)[ \t]*"
    r"(\[(?i:private|redacted)\]|/s/[^\n]{2,60}|[A-Z][\w.'-]+(?:[ \t]+[A-Z][\w.'-]+){1,3})[ \t.]*$",
    re.MULTILINE,
)
# A closing word and the name on one line ("Best Regards, [private]", "Respectfully, Ines Duarte").
_LINE_VALEDICTION = re.compile(
    r"^[ \t*_>]*(?i:(?:yours )?(?:sincerely|truly|faithfully|respectfully)|(?:best |kind |warm )?regards)[ \t]*,[ \t]*"
    r"(\[(?i:private|redacted)\]|[A-Z][\w.'-]+(?:[ \t]+[A-Z][\w.'-]+){1,3})[ \t.]*$",
    re.MULTILINE,
)
_DASH_SIG = re.compile(r"^[ \t]*--[ \t]*(\S[^\n]{1,60})$|^[ \t]*--[ \t]*\n[ \t]*(?=\S)", re.MULTILINE)
# "[Signed]", "(signed)": the publisher's placeholder for a handwritten or image signature, read like a redaction.
_SIGNED_MARK = re.compile(r"^[ \t*_>]*[\[(]\s*(?:signed|signature|sig)\s*[\])][ \t*_.]*$", re.IGNORECASE)
# A mail signature's one-letter channel labels, without a colon: "P [private]", "W acme.example", "E [private]".
_LETTER_LABEL = re.compile(r"^[ \t*_]*[PTEMFW][ \t]+(?:\[|\+?\(?\d|\S+@|(?:www\.)?[\w-]+\.[a-z]{2,}\b)")
_ATTN = re.compile(r"^[ \t*_]*(?:attn|attention|c/o|contact(?: person)?)\s*[:.]", re.IGNORECASE)
_AUTHOR_LABEL = re.compile(
    r"^[ \t*_]*(?:name[^:\n]{0,30}(?:author|sender|signator|notifying|complainant)[^:\n]{0,30}|(?:your )?full (?:legal )?name|"
    r"name of (?:the )?(?:person|sender|signatory|author)[^:\n]{0,30})[ \t*_]*[:：][ \t*_]*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_CONTACT_NAME = re.compile(r"^[ \t*_]*(?:\d{1,2}\\?[.)][ \t]*)?(?:names?|contact(?: person| name)?)[ \t*_]*[:：]", re.IGNORECASE)
_ACKNOWLEDGED = re.compile(r"noted|received|understood|agreed|confirmed|will do", re.IGNORECASE)  # "Thanks, noted."
_NOT_NAME = re.compile(
    r"https?://|@|\d{3}|\b(?:the|this|that|please|should|would|thank|regards|dear|hello|hi|if|and i|we|our|is|are|have|will|"
    r"phone|tel|email|e-mail|fax|address|street|road|suite|title|position|date|copyright|dmca|notice|github)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Signing:
    status: str  # present | deficient | missing
    name: str | None
    start: int
    end: int
    note: str


def _clean(line: str) -> str:
    return line.strip().strip("*_>`").strip().rstrip(",.;")  # Markdown marks around a name are not the name


def is_org(line: str) -> bool:
    value = line.strip(" \t*_`")
    label = _LINE_LABEL.match(value)
    if label and _NAME_LABEL.fullmatch(label.group(1).strip()):
        value = value[label.end() :].strip(" \t*_")  # "Full Legal Name: [private]": the value is judged, not its label
    if "://" in value or "@" in value or re.match(r"(?i)(?:home ?page|web(?:site)?|url|e-?mail|phone|tel|fax)\b", value):
        return False  # a website, mail or phone line of the closing block, not a company name
    if len(value.split()) > 6 and value.endswith((".", "!", "?")) and not _LEGAL_FORM_END.search(value):
        return False  # a sentence, not a name ("..., Software Co., Ltd." ends a company's name, not a sentence)
    return bool(_ORG.search(value) or _CJK_ORG.search(value))


# A company's legal form closing the line, and the CJK words for a company (有限公司, 株式会社, 公司, 会社).
_LEGAL_FORM_END = re.compile(r"\b(?:inc|ltd|co|corp|llc|plc|gmbh)\.$", re.IGNORECASE)
_CJK_ORG = re.compile(r"(?:有限|股份)?公司|株式会社|会社|集团|工作室")
# A company's legal form written as a part of its own ("Acme, LLC").
LEGAL_FORM = re.compile(r"(?:inc|llc|ltd|limited|gmbh|corp|co|plc|llp|pty|pte|sa|ag|bv)\.?", re.IGNORECASE)


def line_parts(line: str) -> list[str]:
    """A line's comma-separated parts (" | " and " · " separate too), a legal form written after its own comma kept with
    the company's name ("Harbour Films, LLC")."""
    parts: list[str] = []
    for part in re.split(r",|[ \t]\|[ \t]|[ \t]·[ \t]", line):
        part = part.strip(" \t\r*_;")
        if not part:
            continue
        if parts and LEGAL_FORM.fullmatch(part):
            parts[-1] = f"{parts[-1]}, {part}"
        else:
            parts.append(part)
    return parts


def _person_title_company(value: str) -> bool:
    """A person's own line: the name, then the title and the company, each after a comma ("Jane Roe, General Counsel,
    Acme, LLC"): the typed name signs. A company's name alone, its legal form after a comma, has no person's name and
    title in front ("Acme, LLC", "Chang Sha Ding Cheng, Software Co., Ltd.", "Paul, Weiss, Rifkind, ... LLP")."""
    parts = line_parts(value)
    if not 3 <= len(parts) <= 6 or any(len(p.split()) > 6 for p in parts):
        return False
    return len(parts[0].split()) >= 2 and is_person(parts[0]) and is_org(parts[-1])


_LEGAL_FORM_AFTER_COMMA = re.compile(r",[ \t]*(?:inc|llc|ltd|limited|gmbh|corp|co|plc|llp|pty|pte|sa|ag|bv)\.?$", re.IGNORECASE)
_LINE_LABEL = re.compile(r"^[*_ \t]*([^\W\d_][\w .'-]{0,24}?)[*_ \t]*[:：]")
_NAME_LABEL = re.compile(r"(?i)(?:(?:full|legal|signer'?s?) )*name|signed|signature|sign|s|/s")
# ... or a slash before a redacted name ("/[private]", "/#[private]#/"), the mark of an electronic signature with the name removed.
_LIST_MARK = re.compile(r"^(?:\d{1,2}\\?[.)]|\(\d{1,2}\)|[-*•])\s+|^(?:-|–|—|~)[ \t]*(?=\S)|^/[ \t#*]*(?=\[(?i:private|redacted)\])")


def is_person(line: str) -> bool:
    value = _LIST_MARK.sub("", _clean(line))  # a closing name may be the last item of a numbered list
    if _CONTACT_HEADING.match(value):
        return False  # "4. Contact Information": a heading, not a name
    if VALEDICTION.match(value):
        return False  # "Sincerely" under "My signature follows:" is the closing, the name is under it
    label = _LINE_LABEL.match(value)
    if label and _NAME_LABEL.fullmatch(label.group(1)) and REDACTED.match(value[label.end() :].strip(" \t*_")):
        return True  # "Name: [private], Acme Co., Inc.": the name slot holds a person's redacted name, the company follows
    if _LEGAL_FORM_AFTER_COMMA.search(value):
        # "Harbour Prints, LLC": a company with its legal form after a comma; unless a name and a title come first
        return _person_title_company(value)
    if label and not _NAME_LABEL.fullmatch(label.group(1)):
        return False  # "Voice: [private]", "Tél: +33 ...", "UK: [private]": a contact line of the block, not a name
    if REDACTED.fullmatch(value) or REDACTED.match(value):
        return True
    if not value or len(value) > 60 or _NOT_NAME.search(value):
        return False
    parts = re.split(r"\s*[,|–—(]\s*|\s+-\s+", value)
    if any(_ACKNOWLEDGED.fullmatch(part.strip(" .!")) for part in parts):  # a reply's few words, no "Name, Title"
        return False
    value = parts[0].strip()
    words = value.split()
    if not 1 <= len(words) <= 5 or is_org(value) or words[0].isdigit():
        return False  # nor "12 Harbour Row": a street line opens with its number
    if len(words) == 1:
        # A single word: a non-Latin name or a handle; a lone English word is not a name.
        return not value.isascii() or (value[:1].isupper() and len(value) >= 3 and value.isalpha())
    return all(
        w[:1].isupper() or not w[:1].isalpha() or w.lower() in ("van", "de", "der", "von", "da", "di", "le", "la", "bin", "al")
        for w in words
    )


def _next_lines(doc: Doc, pos: int, limit: int = 5) -> list[tuple[int, int, str]]:
    out = []
    for start, end, line in lines_with_offsets(doc.text, pos):
        if line.strip(" \t*_"):
            out.append((start, end, line))
            if len(out) >= limit:
                break
    return out


def _judge_lines(lines: list[tuple[int, int, str]], what: str) -> Signing | None:
    """The first name-like line under a closing: a person (or redaction) is a signature; an organisation is not."""
    org: tuple[int, int, str] | None = None
    for start, end, line in lines:
        if _ATTN.match(line):
            continue
        if _SIGNED_MARK.match(line):
            return Signing("present", "", start, end, f"a signature placeholder {what}")
        if is_person(line):
            return Signing("present", _clean(line), start, end, f"signed {what}")
        if is_org(line) and org is None and len(line) < 90:
            org = (start, end, line)
            continue
        if org is None and len(line.strip()) > 90:
            break
    if org:
        return Signing("deficient", _clean(org[2]), org[0], org[1], "only a company name closes the notice")
    return None


def find_signing(doc: Doc) -> Signing:
    found = doc.memo.get("signing")
    if not isinstance(found, Signing):
        found = _find_signing(doc)
        doc.memo["signing"] = found
    return found


def _find_signing(doc: Doc) -> Signing:
    text = doc.text
    # 1. The web form's signing field.
    block = doc.sign_block()
    if block and block.answer(text).strip(" \t\r\n*_-"):
        lines = [x for x in _next_lines(doc, block.a_start, 3) if x[0] < block.a_end]
        people = [x for x in lines if is_person(x[2]) or REDACTED.search(x[2])]
        if lines:
            start, end, line = (people or lines)[0]
            status = "deficient" if is_org(line) and not is_person(line) and not REDACTED.search(line) else "present"
            note = "only a company name is typed as the signature" if status == "deficient" else "name typed in the signing field"
            return Signing(status, _clean(line), start, end, note)
    # 1b. A mail signature under the "-- " delimiter.
    for match in _DASH_SIG.finditer(text, doc.start):
        name, start, end = match.group(1), match.start(), match.end()
        if name is None:
            following = _next_lines(doc, match.end(), 1)
            if not following:
                continue
            # the name's own line is the signing line: a redacted name there is the signer, not contact details below it
            start, end, name = following[0]
        if is_person(name):
            return Signing("present", _clean(name), start, end, "a name under the signature delimiter")
    # 2. `/s/ Name` or `/Name/`.
    for match in _SLASH_S.finditer(text, doc.start):
        name = (match.group(1) or match.group(2) or match.group(3) or "").strip().strip("*_`").strip()
        if name:
            return Signing("present", name, match.start(), match.end(), "an /s/ signature")
    # 2a. "See attached for signature": the signed page the publisher did not show, read like an image placeholder.
    for match in _SIGNATURE_ATTACHED.finditer(text, doc.start):
        return Signing("present", "", match.start(), match.end(), "the signature is attached (not shown)")
    # 2b. "Signed, Jane Roe" or "Signature: [private]" closing a line of text ("I sign this electronically. Signed, ...").
    for match in itertools.chain(_INLINE_SIGNED.finditer(text, doc.start), _LINE_VALEDICTION.finditer(text, doc.start)):
        name = _clean(match.group(1))
        if is_org(name) and not is_person(name) and not REDACTED.search(name):
            return Signing("deficient", name, match.start(), match.end(), "only a company name closes the notice")
        return Signing("present", name, match.start(), match.end(), "signed at the end of a line")
    # 3. A labelled signature ("Signature: Jane Roe").
    for match in _SIG_LABEL.finditer(text, doc.start):
        value = match.group(1).strip(" \t*_`")
        if value and (is_person(value) or REDACTED.search(value)):
            return Signing("present", _clean(value), match.start(), match.end(), "a labelled signature")
        if value and is_org(value):
            return Signing("deficient", _clean(value), match.start(), match.end(), "only a company name is given as the signature")
        if not value:
            found = _judge_lines(_next_lines(doc, match.end() + 1, 2), "under the signature label")
            if found:
                return found
    # 3b. The notice names its author in a labelled line ("Name of the author of the notice: ...").
    for match in _AUTHOR_LABEL.finditer(text, doc.start):
        value = match.group(1).strip(" \t*_`")
        if _under_contact_heading(doc, match.start()) and _FULL_NAME_LABEL.match(match.group(0)):
            continue  # "Contact information: / Full legal name: ..." is the first line of the contact details, not a signing
        if value and (is_person(value) or REDACTED.match(value)):
            return Signing("present", _clean(re.split(r",", value)[0]), match.start(), match.end(), "the notice names its author")
    # 3c. The statute's signature item quoted as a heading ("8. An electronic signature of the copyright owner, or a
    # person authorized to act on behalf of the owner ...") with the name under it: that slot is signed.
    for match in _SIG_ITEM.finditer(text, doc.start):
        under = _next_lines(doc, match.end() + 1, 1)
        # only a redacted name or a signature mark: a typed line under a quoted checklist is as often its next item
        if under and (REDACTED.fullmatch(_clean(under[0][2])) or _SIGNED_MARK.match(under[0][2])):
            start, end, line = under[0]
            return Signing("present", _clean(line), start, end, "signed under the signature item")
    # 4. A valediction and the name under it (the last one in the notice).
    closings = [m for m in VALEDICTION.finditer(text, doc.start)]
    for closing in reversed(closings):
        found = _judge_lines(_next_lines(doc, closing.end() + 1, 4), "under the closing")
        if found:
            return found
    # 5. No closing word: a name standing alone on one of the last lines.
    tail = _tail_lines(doc, 10)
    under_contact = {start for start, _, _ in _names_under_contact_heading(doc)}
    last = tail[-3:]
    for i, (start, end, line) in reversed(list(enumerate(last))):
        if _ATTN.match(line) or _CONTACT_NAME.match(line) or start in under_contact or _STATEMENT_LINE.search(line):
            break  # a line above the sworn statement is not one closing the notice
        if _LETTER_LABEL.match(line) and any(_LETTER_LABEL.match(other) for j, (_, _, other) in enumerate(last) if abs(i - j) == 1):
            continue  # "P [private]" beside "W acme.example": a mail signature's labelled channels, not a name
        if is_person(line) and (REDACTED.search(line) or len(line.split()) >= 2):
            return Signing("present", _clean(line), start, end, "a name closes the notice")
    under_company = _redacted_under_company(tail)
    if under_company:
        start, end, line = under_company
        return Signing("present", _clean(line), start, end, "a redacted name under the company in the closing block")
    opening_line = _redacted_after_body(tail)
    if opening_line and opening_line[0] not in under_contact:
        start, end, line = opening_line
        return Signing("present", _clean(line), start, end, "a redacted name opens the closing block")
    sworn = _SWORN_OPENING.search(text, doc.start)
    if sworn:
        name = sworn.group(1)
        return Signing("present", _clean(name), sworn.start(1), sworn.end(1), "the signer names themself opening a sworn declaration")
    attn = [(s, e, line) for s, e, line in lines_with_offsets(text, doc.start) if _ATTN.match(line)]
    attn += [
        (s, e, line)
        for s, e, line in lines_with_offsets(text, doc.start)
        if _CONTACT_NAME.match(line) and (is_person(line.split(":", 1)[-1]) or REDACTED.search(line))
    ]
    attn += _names_under_contact_heading(doc)
    if attn:
        s, e, line = attn[-1]
        return Signing("deficient", _clean(line), s, e, "the only person named is on an Attn:/contact line, not signing")
    for start, end, line in reversed(tail[-3:]):
        if is_org(line) and len(line) < 80:
            return Signing("deficient", _clean(line), start, end, "only a company name closes the notice")
    heading = _company_contact_block(doc, tail)
    if heading:
        start, end, line, signer = heading
        if signer:
            return Signing("present", _clean(line), start, end, "a name signs above the company's contact block")
        return Signing("deficient", _clean(line), start, end, "only a company's contact block stands where a signature would be")
    self_named = _SELF_NAMED.search(text, doc.start)
    named_last = _closing_self_named(doc, tail)
    if named_last:
        # named in the notice's last lines ("... and my full name is [private]. Thanks."): a closing, which signs
        name = _clean(named_last.group(1) or named_last.group(2))
        return Signing("present", name, named_last.start(), named_last.end(), "the sender names themself closing the notice")
    if self_named:
        return Signing(
            "deficient",
            _clean(self_named.group(1) or self_named.group(2)),
            self_named.start(),
            self_named.end(),
            "the sender is named only in the opening, nothing signs",
        )
    return Signing("missing", None, 0, 0, "no signature or name closes the notice")


_SIG_ITEM = re.compile(
    r"^[ \t*_>]*(?:\(?\d{1,2}[.)][ \t]*)?(?i:an?[ \t]+)?(?i:physical[ \t]+or[ \t]+electronic|electronic|physical|digital)[ \t]+"
    # the item may wrap over lines, not past a blank one
    r"(?i:signature)[ \t]+(?i:of)\b(?:[^\n]|\n(?![ \t]*\n)){0,300}?[.:][ \t*_]*$",
    re.MULTILINE,
)


# "I, Jane Roe of Acme, certify under penalty of perjury that ...": a declaration opened by the declarant's name is signed
# by it (labelling convention of the second set), unlike a name dropped in passing.
_SWORN_OPENING = re.compile(
    r"\b(?i:i),[ \t]+(\[(?i:private|redacted)\]|[A-Z][\w.'-]+(?:[ \t]+[A-Z][\w.'-]+){1,3})(?:[ \t]+(?i:of|for|from)[ \t][^,.\n]{1,60})?,?"
    r"[ \t]+(?i:(?:do[ \t]+)?(?:hereby[ \t]+)?(?:certify|declare|swear|state|affirm))\b[^.\n]{0,80}?(?i:penalty of perjury|under oath)"
)


def _closing_self_named(doc: Doc, tail: list[tuple[int, int, str]]) -> re.Match[str] | None:
    """The sender naming themself in the notice's last lines, after its statements ("... and my full name is [private].
    Thanks."): a closing, which signs."""
    if not tail:
        return None
    after = max((m.end() for m in _STATEMENT_LINE.finditer(doc.text, doc.start)), default=-1)
    if after < 0:
        return None
    last = [m for m in _SELF_NAMED.finditer(doc.text, max(after, tail[-2 if len(tail) > 1 else -1][0]))]
    return last[-1] if last else None


# "My name is Jane Roe", "I, Jane Roe, am ...": the sender names themself in the text, not in a signing position.
_SELF_NAMED = re.compile(
    r"\b(?i:my (?:full |legal |real )*name is|i,)"
    r"[ \t]+(\[(?i:private|redacted)\]|[A-Z][\w.'-]+(?:[ \t]+[A-Z][\w.'-]+){1,3})"
    r"(?=[ \t]*[,.;(\r\n]|[ \t]*$|[ \t]+(?i:and|am|tel|phone|e-?mail)\b)"
    r"|\b(?i:i am)[ \t]+(\[(?i:private|redacted)\]|[A-Z][\w.'-]+(?:[ \t]+[A-Z][\w.'-]+){1,3}),"
)


_CONTACT_HEADING = re.compile(
    r"^[ \t*_]*(?:\d{1,2}[.)][ \t]*)?(?:(?:my|our) )?contact(?: us| me)?"
    r"(?: information| info| details| for (?:enquiries|inquiries|questions))?[ \t*_]*(?::[ \t*_]*)?$",
    re.IGNORECASE,
)


_FULL_NAME_LABEL = re.compile(r"^[ \t*_]*(?:your )?full (?:legal )?name[ \t*_]*[:：]", re.IGNORECASE)


def _under_contact_heading(doc: Doc, pos: int) -> bool:
    above = [line for _, _, line in lines_with_offsets(doc.text, max(doc.start, pos - 200), pos) if line.strip()]
    return bool(above) and bool(_CONTACT_HEADING.match(above[-1]))


def _names_under_contact_heading(doc: Doc) -> list[tuple[int, int, str]]:
    """A redacted or typed name right under a "Contact information:" heading (or labelled "Full legal name:" there): a
    contact line, not a signature."""
    out = []
    lines = [x for x in lines_with_offsets(doc.text, doc.start) if x[2].strip(" \t*_")]
    for (_, _, line), nxt in itertools.pairwise(lines):
        if _CONTACT_HEADING.match(line) and (REDACTED.fullmatch(_clean(nxt[2])) or is_person(nxt[2]) or _FULL_NAME_LABEL.match(nxt[2])):
            out.append(nxt)
    return out


# A sentence that announces a value on the next line ("... at the following email address.", "... listed below."): the
# redacted line under it is that value (an address, a URL), not the signer's name.
_POINTS_AT_VALUE = re.compile(
    r"\b(?:following|below|as follows|e-?mail|address|phone|telephone|number|url|link|website|account|handle)\b[^\w]*$",
    re.IGNORECASE,
)


def _redacted_after_body(tail: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    """The first line after the body's last sentence is a bare redacted value: the signer's name opening the closing
    block (the details, if any, follow it), as a typed name would."""
    for (_, _, line), nxt in itertools.pairwise(tail):
        value = line.strip(" \t*_>")
        if (
            len(value) > 40
            and value.endswith((".", "!", "?"))
            and not _POINTS_AT_VALUE.search(value)
            and REDACTED.fullmatch(_clean(nxt[2]))
        ):
            return nxt
    return None


def _redacted_under_company(tail: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    """The closing block opens with the company and a bare redacted line under it: the signer's name, redacted. A block
    the sworn statement still follows is the sender's details given in the body, not a signing block."""
    for i, ((_, _, line), nxt) in enumerate(itertools.pairwise(tail)):
        if is_org(line) and not REDACTED.search(line) and REDACTED.fullmatch(_clean(nxt[2])):
            if any(_STATEMENT_LINE.search(later) for _, _, later in tail[i + 2 :]):
                return None
            return nxt
    return None


_STATEMENT_LINE = re.compile(
    r"\bi (?:hereby )?swear\b|\bgood[ -]faith belief\b|information in this (?:notification|notice|letter) is accurate", re.IGNORECASE
)


# A line that is only a URL (a bullet or list mark before it at most): an item of the material's list.
_URL_LINE = re.compile(r"[ \t*_>•-]*+(?:\d{1,4}[.)][ \t]*+)?(?:https?://|www\.)\S+")


_LIST_HEADING = re.compile(
    r":[ \t*_]*$|\b(?:repositor(?:y|ies)|repos|forks?|links?|urls?|files?|infring\w*|materials?|list|below|following|copies)\b",
    re.IGNORECASE,
)


def _tail_lines(doc: Doc, count: int) -> list[tuple[int, int, str]]:
    """The last `count` non-blank lines, before a list of three or more URLs that ends the notice (the material listed
    after the signing block: the block is what closes the letter)."""
    lines = [(s, e, line) for s, e, line in lines_with_offsets(doc.text, doc.start) if line.strip(" \t*_-")]
    end = len(lines)
    while end and _URL_LINE.fullmatch(lines[end - 1][2].rstrip(" \t*_")):
        end -= 1
    if len(lines) - end >= 3:
        # and the list's own heading ("Infringing repositories:", "Affected forks below"), no name
        while end and _LIST_HEADING.search(lines[end - 1][2]) and not REDACTED.search(lines[end - 1][2]):
            end -= 1
        lines = lines[:end]
    return lines[-count:]


def _company_contact_block(doc: Doc, tail: list[tuple[int, int, str]]) -> tuple[int, int, str, bool] | None:
    """A company name heading a block of contact details (address, mail, phone, labelled redacted lines) near the end:
    the company, not a person, stands where the signature would be (NOTICES.md: a company name as the only signature).
    The last item says a person's line just above the company signs instead."""
    channels = sorted(f.start for f in doc.emails + doc.phones + doc.addresses)
    for i, (start, end, line) in enumerate(tail):
        if not is_org(line) or len(line) >= 80:
            continue
        if i and (is_person(tail[i - 1][2]) or REDACTED.search(tail[i - 1][2])):
            return (*tail[i - 1], True)  # a person (or a redacted name) just above the company: that line is the signature
        block = tail[i + 1 : i + 5]
        if not block or block[0][0] - end > 200:
            continue
        labelled = [ln for _, _, ln in block if _LINE_LABEL.match(ln) and REDACTED.search(ln)]
        reached = [c for c in channels if end <= c <= block[-1][1]]
        if len(labelled) >= 2 or reached:
            return start, end, line, False
    return None
