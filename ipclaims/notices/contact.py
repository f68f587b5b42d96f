"""`contact_information` of § 512(c)(3)(A)(iv), as NOTICES.md reads it: a working channel (postal address, telephone or
email), redacted or not, in a slot the notice gives the sender's details — a labelled line, the form's contact answer,
a closing block beyond the signer's name and title, the place a contact sentence points at, a numbered item of the
statutory list, a letterhead. A line about the other side's details is not the sender's. The counter-notice judges
(`counter.py`) share the pointer and refusal readings.
"""

from __future__ import annotations

import bisect
import itertools
import re

from ipclaims.notices.doc import EMAIL, PLATFORM_HOSTS, POSTCODE_CITY, STREET, Doc, Found
from ipclaims.notices.judges import Judgement, judge, sranges
from ipclaims.notices.signing import VALEDICTION, find_signing, is_org
from ipclaims.notices.text import OTHER_SIDE, REDACTED, Sentence, find_urls, lines_with_offsets

_CONTACT_LABEL = re.compile(
    r"e-?mail|mail\b|phone|tel\b|telephone|mobile|fax|address|contact|reach (?:me|us)|wechat|whatsapp|skype"
    r"|(?<![\w'’\\/-])[tepmf][ \t]?:(?=[ \t])"  # a mail signature's one-letter labels: "t: [private] e: [private]"
)
_CONTACT_REFUSED = re.compile(
    r"(?:will not|won't|cannot|can't|do not|don't|refuse to|decline to|prefer not to|not going to)\s+(?:\w+\s+){0,3}"
    r"(?:provide|give|share|disclose|include|reveal|publish)[^.\n]{0,50}(?:address|phone|telephone|contact|number)"
    r"|\bno (?:physical |postal )?address (?:will|shall|is going to) be"
    # the address forbidden to reach the other side: "under no circumstances can you give them my address"
    r"|\b(?:under no circumstances|in no (?:case|event)|on no account)\b(?=[^.\n]{0,100}\b(?:address|phone|telephone)\b)"
    r"[^.\n]{0,60}?\b(?:provide|give|share|disclose|reveal|pass|forward|release)(?:s|d|n|ed|en)?\b"
)


def contact_channels(doc: Doc) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = [(f.start, f.end) for f in doc.emails + doc.phones + doc.addresses]
    ranges += [(f.start, f.end) for f in doc.labelled_redactions(_CONTACT_LABEL, senders_only=True)]
    block = doc.contact_block()
    if block and not doc.in_excluded(block.a_start):
        answer = block.answer(doc.text).strip(" \t\r\n*_-")
        if answer and has_channel(answer):
            ranges.append((block.a_start, block.a_end))
    return sorted(set(ranges))


_CONTACT_POINTER = re.compile(
    r"contact(?:ed)? (?:information|info|details)|signature below"
    r"|(?:may|can|could) be (?:contacted|reached)|(?:contact|reach) (?:me|us)(?: directly)? (?:at|as follows)\b"
    r"|notifying party|contact:|"
    # the old filing guide's prompt: "Provide information on which GitHub may contact you, including your email address"
    r"(?:on )?which \w+ (?:may|can|could) contact you|"
    r"address,? (?:and )?(?:tele)?phone|my (?:address|contact)|(?:see|noted|listed|given) (?:below|above)"
    # a heading announcing the sender's own details ("My personal info:")
    r"|\bmy (?:personal )?(?:info|details)\b|\bmy personal information\b"
    # a reply address asked for in the sentence, redacted: "please send written compliance to [private]", "or reply with
    # any queries to [private]" (a request, not "I write in response to your email to [private]")
    r"|(?:^|\b(?:please|kindly)[ \t]+|\b(?:please|kindly)\b[^.\n\[]{0,120}?,?[ \t]+or[ \t]+)(?:(?:reply|respond)\b[^.\n\[]{0,50}"
    r"|(?:send|direct)\b[^.\n\[]{0,30}\b(?:queries|questions|correspondence|responses?|replies|compliance|confirmation)\b"
    r"[^.\n\[]{0,30})\b(?:to|at)[ \t]+(?=\[[ \t]*private[ \t]*\](?![ \t]*,[ \t]*(?:who|the (?:user|owner|account))))"
)


_CONSENT_SENTENCE = re.compile(r"jurisdiction|district court|judicial district")
_CONSENT_ADDRESS = re.compile(r"(?:in which|where) my (?:address|residence) is(?: located)?")
_ABOUT_OTHER_SIDE = re.compile(r"(?:for|of) the (?:user|uploader|infringer|poster|account)|infringer|alleged")


# The sender's details kept from others ("do not pass my details on to the uploader"): no pointer at them.
_KEEP_MY_DETAILS = re.compile(
    r"\b(?:do not|don't|never|not to|please don't)\s+(?:\w+\s+){0,2}(?:share|pass|forward|give|disclose|send|publish|"
    r"provided?|reveal(?:ed)?)\b"
    r"[^.\n]{0,30}\bmy (?:personal |contact )?(?:details|info|information|address|data)\b[^.\n]*"
)


def pointed_redactions(doc: Doc) -> list[tuple[int, int]]:
    """Redacted values in the slot a contact sentence or heading points at, or a redacted block of several lines."""
    out: list[tuple[int, int]] = []
    for s in doc.find(_CONTACT_POINTER):
        if _ABOUT_OTHER_SIDE.search(s.lower):
            continue
        if not _CONTACT_POINTER.search(_KEEP_MY_DETAILS.sub(" ", s.lower)):
            continue  # "Please do not pass my details on to the uploader" points at no details
        if _CONSENT_SENTENCE.search(s.lower) and not _CONTACT_POINTER.search(_CONSENT_ADDRESS.sub(" ", s.lower)):
            continue  # "...the district in which my address is located" is the consent to jurisdiction, no pointer
        reach = 3000 if "below" in s.lower else 500
        # A closing word between the pointer and a redacted line makes that line the signature, not the details.
        closing = VALEDICTION.search(doc.text, s.end, s.end + reach)
        reach = closing.start() - s.end if closing else reach
        after = [r for r in doc.redactions_between(s.start, s.end + reach) if not doc.in_excluded(r.start)]
        if after:
            out += [(s.start, s.end)] + [(r.start, r.end) for r in after[:3]]
    runs = [r for r in doc.redactions if _redacted_line(doc, r.start)]
    starts = [r.start for r in runs]
    signing = find_signing(doc)
    for first, second in itertools.pairwise(runs):
        between = doc.text[first.end : second.start]
        if any(signing.start <= r.start < signing.end for r in (first, second)):
            continue  # the signer's redacted name and the line next to it (a title): closing_redactions decides
        if between.count("\n") <= 2 and not between.strip(" \t\r\n*_,") and not doc.in_excluded(first.start):
            if _signs_off(doc, first.start, second.end, runs, starts) or _answers_other_heading(doc, first.start):
                continue
            out += [(first.start, first.end), (second.start, second.end)]
            break
    return out


def _signs_off(doc: Doc, start: int, end: int, runs: list[Found], starts: list[int]) -> bool:
    """Two bare redacted lines right after a sentence of the body or a labelled signature, with no third one: a name and
    title signing off a letter (or a quoted message), not a block of contact details (a letterhead comes before the
    body)."""
    i = bisect.bisect_left(starts, end)  # the next redacted line (found by bisection: linear over many pairs)
    if i < len(runs) and not doc.text[end : runs[i].start].strip(" \t\r*_,") and doc.text[end : runs[i].start].count("\n") <= 2:
        return False
    before = [line.strip(" \t*_>") for _, _, line in lines_with_offsets(doc.text, max(doc.start, start - 600), start)]
    before = [line for line in before if line]
    if before and _SIGNATURE_LABEL.match(before[-1]) and REDACTED.search(before[-1]):
        return True  # under "Signature: [private]": the signer's printed name and title
    return bool(before) and before[-1].endswith((".", "!", "?", "…")) and len(before[-1]) > 40


# A heading announcing the works or material ("an illegal release of the following:", "Infringing files:"), not one
# that asks for or gives a reply address ("send any response about the files to:", "the owner of the works:").
_OTHER_HEADING = re.compile(
    r"\b(?:release|cop(?:y|ies)|versions?|leak|dump)s? of the following\b"
    r"|^(?:the )?(?:allegedly )?(?:infringing|copied|stolen|pirated|leaked|reported) "
    r"(?:files?|works?|materials?|content|urls?|links?)\W*$"
)
_REPLY_HEADING = re.compile(r"\b(?:to|at|from|by)\W*$|\b(?:owner|sender|author|send|write|reach|respon\w*|repl\w*|found)\b")


def _answers_other_heading(doc: Doc, pos: int) -> bool:
    """Redacted lines right under the addressee ("GitHub DMCA Agent", "To: ..."), the platform's own address emptied
    by the publisher, or under a heading that announces something else ("an illegal release of the following:"): not
    the sender's details."""
    for _, _, line in reversed(list(lines_with_offsets(doc.text, max(doc.start, pos - 300), pos))):
        value = line.strip(" \t*_>")
        if value and not REDACTED.search(value):
            low = value.lower()
            heading = low.rstrip(" :")
            if value.endswith(":") and _OTHER_HEADING.search(heading) and not _REPLY_HEADING.search(heading):
                return not (_CONTACT_LABEL.search(low) or _CONTACT_POINTER.search(low))
            # the addressee by its role ("GitHub DMCA Agent", "To: ..."), not any line that names the platform
            return bool(_RECIPIENT.search(value)) and len(value) <= 60
    return False


def _redacted_line(doc: Doc, pos: int) -> bool:
    """The line holding `pos` is nothing but redactions (and punctuation); judged once per line."""
    line_start, line_end = doc.line_span(pos)
    key = f"redacted-line:{line_start}"
    if key not in doc.memo:
        doc.memo[key] = not doc.redaction_free(doc.text[line_start:line_end]).strip(" \t\r*_,.:-")
    return doc.memo[key] is True


def has_channel(answer: str) -> bool:
    """A form's contact answer that holds a channel: a redaction, an email, a phone number or a street address."""
    return bool(
        REDACTED.search(answer)
        or EMAIL.search(answer)
        or STREET.search(answer)
        or POSTCODE_CITY.search(answer)
        or len(re.sub(r"\D", "", answer)) >= 7
    )


# A refusal that carves out the other side ("shared with anyone except the complainant", "you may forward it to the
# claimant") keeps the details for the complainant: no refusal to give them.
_CARVED_OUT = re.compile(
    r"\b(?:except|other than|save|but|only)\b(?:\s+(?:to|with|for))?\s+(?:the\s+)?(?:complainant|claimant|copyright (?:owner|holder))"
    r"|\b(?:may|can|could|should|please)\b(?!\s+not\b)[^.\n]{0,20}\b(?:forward|pass|give|send|provide|disclose)\b[^.\n]{0,30}"
    r"\bto the (?:complainant|claimant)\b"
)


def contact_refusals(doc: Doc) -> list[Sentence]:
    return [s for s in doc.find(_CONTACT_REFUSED) if not _CARVED_OUT.search(s.lower)]


def _line_at(doc: Doc, pos: int) -> tuple[int, int]:
    return doc.line_span(pos)


def _beyond_name_and_title(doc: Doc, lines: list[tuple[int, int]], titled: bool) -> list[tuple[int, int]]:
    """Redacted closing lines that are more than a name and its title: a bare redacted name leaves room for one more
    redacted line (the title); beyond that, or once the name line carries its title, they are the sender's details."""
    allowance = 1 if titled else 2
    return lines if len(lines) > allowance else []


_SIGNATURE_LABEL = re.compile(r"^[ \t*_]*(?:electronic |digital |e-)?signature[ \t*_]*:", re.IGNORECASE)
_SIGN_MARKS = re.compile(r"/s/|\(signed\)|\[signed\]|\bsigned\b|\bsignature\b", re.IGNORECASE)


def _carries_title(doc: Doc, line: str) -> bool:
    """A redacted name line that says more than the name ("[private], Analyst"); `/s/` marks are not a title."""
    return bool(_SIGN_MARKS.sub("", doc.redaction_free(line)).strip(" \t*_,.:;-/|()[]"))


def closing_redactions(doc: Doc) -> list[tuple[int, int]]:
    """Redacted lines closing the notice that stand for contact details, not only for the signer's name and title."""
    out: list[tuple[int, int]] = []
    signing = find_signing(doc)
    if signing.end:
        a, b = _line_at(doc, signing.start)
        sign_line = doc.text[a:b]
        tail_end = min(len(doc.text), signing.end + 300)
        tail = [r for r in doc.redactions if signing.end <= r.start < tail_end]
        tail_lines = sorted({_line_at(doc, r.start) for r in tail})
        titled = _carries_title(doc, sign_line) or (bool(tail_lines) and _title_between(doc, b, tail_lines[0][0]))
        if tail_lines and _SIGNATURE_LABEL.match(sign_line) and REDACTED.search(sign_line):
            # "Signature: [private]" is the signature itself: the name and title printed under it are not details
            out += _beyond_name_and_title(doc, tail_lines, _title_between(doc, b, tail_lines[0][0]))
        elif tail_lines:
            out += _beyond_name_and_title(doc, [(a, b), *tail_lines], titled) if REDACTED.search(sign_line) else tail_lines
    # The last run of short lines (a letter's closing block): redacted lines in it beyond a name and title.
    run: list[tuple[int, int]] = []
    for a, b, line in reversed(list(lines_with_offsets(doc.text, doc.start))):
        value = line.strip(" \t*_")
        if not value:
            continue
        if len(value) > 90 or (value.endswith(".") and len(value.split()) > 8):
            break
        if len(value.split()) > 8 and _prose(value):
            if run:
                break  # the body above the closing block
            continue  # a hard-wrapped footer below it ("This message is confidential ...")
        if REDACTED.search(value) and not OTHER_SIDE.search(value.lower()) and not _SIGNATURE_LABEL.match(value):
            run.append((a, b))  # "Contact for the uploader: [private]" in the closing block is not the sender's line
    run.sort()
    # Only the name line's own title uses up the title slot: a later redacted line that carries words ("[private] -
    # Acme Ltd") is that slot (a redacted title beside the company), not a detail beyond it.
    titled = bool(run) and _carries_title(doc, doc.text[run[0][0] : run[0][1]].strip(" \t*_"))
    titled = titled or (len(run) >= 2 and _title_between(doc, run[0][1], run[1][0]))
    out += _beyond_name_and_title(doc, run, titled)
    return sorted(set(out))


def _prose(line: str) -> bool:
    """A line of running text (a hard-wrapped letter's body), not a closing block's name, title or address line, nor a
    question or label: most of its words are lower-case."""
    if line.rstrip(" \t*_").endswith((":", "?")):
        return False  # a form's question or a label announcing the block
    words = REDACTED.sub(" ", line).split()
    return sum(1 for w in words if w[:1].islower()) >= max(6, len(words) // 2 + 1)


def _title_between(doc: Doc, start: int, end: int) -> bool:
    """A plain line (a title or the company) between the signer's redacted name and a later redacted line: that line
    fills the title slot, so the redacted line after it is the sender's details ("[private] / Acme Ltd / [private])."""
    for _, _, line in lines_with_offsets(doc.text, start, end):
        value = line.strip(" \t*_>-|")
        if value and len(value) <= 60 and not find_urls(value) and not value.endswith((":", "?")) and "@" not in value:
            return True
    return False


_NUMBERED_REDACTED = re.compile(r"^[ \t*_]*(?:\d{1,2}[.)]|\(\d{1,2}\))[ \t]*(?:\[\s*private\s*\][ \t,;]*)+$", re.IGNORECASE | re.MULTILINE)


def numbered_redactions(doc: Doc) -> list[tuple[int, int]]:
    """A numbered item of the statutory list that holds only a redacted value, before the last item (which signs): the
    slot where the list puts the sender's details, emptied by the publisher."""
    found = [(m.start(), m.end()) for m in _NUMBERED_REDACTED.finditer(doc.text, doc.start)]
    last = doc.text.rstrip().rfind("\n")
    return [r for r in found if r[0] <= last and not doc.in_excluded(r[0])][:2]


# Where a letter's body begins: its salutation or subject line.
_LETTER_OPENS = re.compile(
    r"^[ \t*_>]*(?:dear\b|to whom\b|hello\b|hi\b|greetings\b|good (?:morning|afternoon|day)\b|subject\s*:|re\s*:)",
    re.IGNORECASE,
)


def letterhead_redactions(doc: Doc) -> list[tuple[int, int]]:
    """A letterhead above the salutation that holds the sender's company and redacted lines (its address, emptied by the
    publisher): contact details (labelling convention: a redacted letterhead is a weak present). Not the platform's own
    name and address, which some letters put above the salutation."""
    head: list[tuple[int, int, str]] = []
    for a, b, line in lines_with_offsets(doc.text, doc.start):
        if _LETTER_OPENS.match(line):
            break
        if line.strip():
            head.append((a, b, line))
        if len(head) > 8:
            return []
    else:
        return []
    platform = _platform_names(doc)
    if any(_RECIPIENT.search(line) or platform.search(line) for _, _, line in head):
        return []  # an addressee block ("To:", "Attn: Copyright Agent", the platform's name): not the sender's head
    redacted = [(a, b) for a, b, line in head if _redacted_line(doc, a)]
    company = [line for _, _, line in head if not REDACTED.search(line) and is_org(line)]
    # a name and an address at least: one redacted line beside a company is as often only the signer's name
    return redacted[:3] if len(redacted) >= 2 and company else []


_RECIPIENT = re.compile(r"^[ \t*_>]*(?:to|attn|attention|c/o|via)\b[ \t.:]|\b(?:copyright|dmca|designated) agent\b", re.IGNORECASE)


def _platform_names(doc: Doc) -> re.Pattern[str]:
    """The platform the notice goes to by name: a word of one of its hosts ("GitHub", "GitLab"), any case."""
    hosts = doc.platform_hosts or frozenset(PLATFORM_HOSTS)
    names = sorted({part for host in hosts for part in host.split(".")[-2:-1] if len(part) >= 4})
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE) if names else re.compile(r"(?!)")


def contact_information(doc: Doc, code: str = "contact_information") -> Judgement:
    ranges = contact_channels(doc)
    if not ranges:
        ranges = closing_redactions(doc)
    if not ranges:
        ranges = pointed_redactions(doc)
    if not ranges:
        ranges = numbered_redactions(doc)
    if not ranges:
        ranges = letterhead_redactions(doc)
    if ranges:
        return judge(code, "present", doc, ranges[:5], "a contact channel is given")
    refused = doc.find(_CONTACT_REFUSED)
    if refused:
        return judge(code, "deficient", doc, sranges(refused, 1), "the sender refuses to give contact details")
    return judge(code, "missing", doc, [], "no postal address, telephone or email appears")
