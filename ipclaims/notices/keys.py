"""Keys, secrets and records (and notes on the sender's protocol, licence files, internal secrets said to be a security
risk): when what a notice says was put up is not a copy of an authored work.

Licence keys, cracks and activation codes, passwords and credentials, configuration or account details, collected records
or personal data can be the sender's without being a work (NOTICES.md: `work_identification` deficient when the notice
claims a name, mark or data right with no copyright work); the sender's own code, said to be copied, is a work whatever
secrets it also holds. The words here are shared with the rest of the work judgement (`ipclaims.notices.material`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ipclaims.notices.text import Sentence, Url

# What the sender says was put up is not a copy of an authored work but a secret, a key or a record: licence keys,
# cracks and activation codes; passwords, credentials, account, configuration or payment details; collected records
# or personal data. Such a thing can be the sender's without being a work (NOTICES.md: no copyright work named).
SECRET_MATERIAL = re.compile(
    r"\b(?:licen[cs]e|activation|serial|cd|api|access|secret)[\s-]?(?:keys?|codes?|numbers?|tokens?)\b"
    # "product keys", "product codes"; not "product code" (the product's source code: "Baidu's product code")
    r"|\bproduct[\s-]?(?:keys?|codes|numbers?|tokens?)\b"
    # keys that unlock the work (decryption, console or signing keys, "prod.keys"): the key, not the work it opens
    r"|\b(?:cryptographic|crypto|encryption|decryption|signing|master|console|device|title|prod)[\s.-]keys?\b"
    r"|\bkey[\s-]?gen|\bcracks\b|\ba crack\b|\bcrack (?:codes?|tools?|files?|patch)|\bcracking (?:of|tools?|programs?|software)"
    r"|\breset(?:s|ting)? (?:the )?trial|\blicen[cs]e servers?"
    r"|\bpasswords?\b|\bcredentials\b|\blog-?in (?:details|information|data)"
    r"|\b(?:account|configuration|config|database|payment|system|network|server|bank(?:ing)?) (?:information|info|details|data)\b"
    r"|\binternal (?:network |ip |server |host )?(?:address(?:es)?|ips?|urls|endpoints|domains?)\b"
    r"|\b(?:personal|health|genetic|medical|patient|customer|user|financial|enterprise|commercial|research) (?:data|records|information)\b"
    r"|\b(?:data|records) (?:collected|gathered|scraped|harvested)|\bcollected (?:\w+ ){0,2}(?:data|records)\b"
    r"|\b\d[\d,.]{0,15}(?: \d[\d,.]{0,15}){0,3} (?:\w+ ){0,2}records\b"  # bounded runs: linear on "1 1 1 ..."
)
# "Our proprietary source code", leaked or not, is a work described (NOTICES.md: named, described or linked).
OWN_CODE = re.compile(
    r"\b(?:our|my|its|the company's)\s+(?:own\s+)?(?:(?:proprietary|confidential|private|internal|closed[- ]source|copyrighted)\s+){0,3}"
    r"(?:source[- ]?code|code ?base)\b"
)
_SECRECY = re.compile(r"\bleak(?:s|ed|ing|age)?\b|\bsensitive\b|\bconfidential|\bnon-public|\bsecurity\b|\bspill")


# The sender says it made the thing ("we developed", "I created", "written by"): an authored work, whatever it holds.
AUTHORED = re.compile(
    r"\b(?:i|we|our (?:team|company|developers|engineers))\s+(?:have\s+|had\s+)?(?:\w+\s+)?"
    r"(?:created|developed|wrote|written|authored|designed|built|composed|drew|photographed)\b"
    r"|\b(?:created|developed|written|authored|designed|built)\b[^.;]{0,25}\bby\b"
)
WORK_KIND = re.compile(
    r"\b(?:source[\s-]?code|code ?base|codes?|coding|software|programs?|scripts?|firmware|documentation|manuals?|books?|textbooks?|"
    r"articles?|videos?|films?|music|songs?|images?|photos?|photographs?|artworks?|illustrations?|drawings?|designs?|fonts?|"
    r"themes?|templates?|courses?|lessons?|games?|apps?|maps?|charts?|diagrams?|paintings?|sculptures?|poems?|poetry|lyrics|"
    r"comics?|manga|e-?books?|podcasts?|episodes?|animations?|screenplays?|sheet music)\b"
)

# The material said to be a copy of the sender's work ("a copy of our installer"), or copied in general ("pirated").
_COPY_OF_OURS = re.compile(r"\bcop(?:y|ies|ied) (?:of |from )?(?:our|my)|\bmirror of (?:our|my)")
COPY_OF_WORK = re.compile(_COPY_OF_OURS.pattern + r"|\b(?:re-?posted|re-?uploaded|reproduc\w*|pirated|plagiari[sz]ed)\b")
# The sender's authored work said to be copied or owned, in so many words: never a notice about secrets alone.
COPIED_WORK = re.compile(
    r"\bcop(?:y|ies|ied|ying)\b[^.;]{0,40}\b(?:copyrighted|our|my)\b[^.;]{0,20}\b(?:code|software|program|work)"
    r"|\b(?:owns?|owned) (?:the|all|this|that) (?:\w+ )?(?:code|software|program)"
    r"|\b(?:created|developed|written|authored)(?: and owned)? by (?:us|me|our)\b"
)
# The code itself said to be someone's own: "the posted source code belongs to Acme Inc." (the code the subject, not
# "keys for the software belong to", nor "the source code repository belongs to a contractor").
_CODE_BELONGS = re.compile(
    r"(?:^|[^\w\s]\s*|(?<!\bfor )(?<!\bof )(?<!\bto )\b(?:the|this|our|its|and)\s+)(?:(?:posted|published|leaked|copied|uploaded)\s+)?"
    r"(?:source[\s-]?code|code ?base|software)\s+(?:(?:above|in question|at issue)\s+)?"
    r"(?:belongs? to|(?:is|are) owned by|(?:is|are) the (?:sole )?property of)"
    # the sender's, not the other side's ("the software belongs to the user, but the keys are ours")
    r"(?!\s+(?:the\s+)?(?:users?|uploaders?|posters?|infringers?|accounts?|account holders?|repository owners?|them|him|her)\b)"
)
# How the sender guards its work ("accessed with credentials", "protected by a licence key") is no description of the
# material.
GUARDED_BY = re.compile(
    r"\b(?:with|via|through|using|requires?|requiring|enters?|protected by|protection|validat\w*|secure)\W+(?:\w+\W+){0,3}$"
)


# How the material was got at ("hacked our gitlab user name and password and uploaded it"): the means, not the material.
# Only the sender's own login details hacked ("hacked our gitlab user name and password"), never "hacked license keys".
_BROKEN_INTO = re.compile(r"\bhack(?:ed|ing|s)?\s+(?:into\s+)?(?:our|my|the company's)\s+(?:[\w-]+\W+){0,4}$")
_LOGIN = re.compile(r"passwords?|credentials|log-?in")


def unguarded_secrets(low: str) -> Iterator[re.Match[str]]:
    """The secrets the text names as such, not as how the sender guards its work (`GUARDED_BY` just before) nor as
    what was hacked to get at it (`_BROKEN_INTO`)."""
    for m in SECRET_MATERIAL.finditer(low):
        before = low[max(0, m.start() - 60) : m.start()]
        broken_into = _LOGIN.match(m.group(0)) is not None and _BROKEN_INTO.search(before) is not None
        if not GUARDED_BY.search(before[-40:]) and not broken_into:
            yield m


def names_a_secret(low: str) -> bool:
    return any(unguarded_secrets(low))


# "Sensitive information" names a secret only when the notice says of nothing else what the material is: once it calls
# the material source code, "sensitive" qualifies the code (weak present by the code rule).
_SENSITIVE = re.compile(r"\bsensitive (?:information|data)\b")
_CODE_WORDS = re.compile(r"(?<![\w-])(?:source[\s-]?code|code ?base|software|programs?)(?![\w-])")


_QUOTED_OR_URL = re.compile(r"[\"“‘][^\"”’\n]{1,80}[\"”’]|\b[a-z][a-z0-9+.-]{1,15}://\S*")


# Whole tokens of a file name only: "GoldWave_Keygen", "office-crack", "skyfall_cracked"; not "crack-detection" (a word
# modifying the next one) nor a token inside a longer word.
_SECRET_NAME = re.compile(r"(?<![a-z0-9])(?:key[_-]?gen|crack(?:ed|s)?|licen[cs]e[_.-]?keys?|serial[_.-]?keys?)(?![a-z0-9]|-[a-z])")
# A licence file a product reads to unlock itself ("MailLicense.xml", "product.lic", "licenses.licx"): not an open-source
# LICENSE text (no extension, .md, .txt), which names terms, not a key.
_LICENCE_FILE = re.compile(r"licen[cs]es?\.(?:xml|lic|licx|key|dat|bin)$|\.(?:lic|licx)$")


def _only_licence_files(reported: list[Url]) -> list[Url]:
    """Every reported URL (on the platform) is a licence file (labelling convention: keys that unlock the work are not
    the work): the URLs, else an empty list."""
    files = [u for u in reported if _LICENCE_FILE.search(u.path.lower().rstrip("/"))]
    return files if files and len(files) == len(reported) else []


# The reported material as the subject that holds or hands out the secret: "the aforementioned web pages provide
# pirated license keys", "this gist contains activation codes"; `_HELD_DIRECTLY`: the secret is the object itself
# ("pirated licence keys"), not what a tool in it does ("a script which resets trials").
_MATERIAL_SUBJECT = re.compile(
    r"\b(?:(?:web )?pages?|repositor(?:y|ies)|repos?|gists?|files?|urls?|links?|projects?|posts?)\s+"
    r"(?:(?:above|below|listed|reported|in question|identified above|at issue)\s+)?"
    r"(?:provides?|providing|contains?|containing|includes?|including|offers?|offering|shares?|sharing|lists?|listing|"
    r"publish(?:es|ing)?|distribut(?:es?|ing)|hosts?|hosting)\s+((?:[\w'’-]+\s+){0,4})$"
)
_HELD_DIRECTLY = re.compile(
    r"^(?:(?!(?:scripts?|tools?|programs?|software|apps?|code|which|that|to|for|generat\w*|emulat\w*|bypass\w*|"
    r"resetting|cracking|patching|unlocking|extracting|computing|calculating|producing|creating)\b)"
    r"[\w'’-]+\s+){0,3}$"
)
# "a license key generator", "our password manager": the secret word names a kind of program, not the secret.
_KIND_OF_PROGRAM = re.compile(
    r"^\s*(?:generators?|managers?|checkers?|validators?|vaults?|tools?|scripts?|apps?|platforms?|systems?|modules?|plugins?|"
    r"librar(?:y|ies)|servers?|services?)\b"
)
# The material said to be, or to hold, the sender's own work in another sentence ("the repository below is our billing
# application"): the keys are found in a copy of the work.
_MATERIAL_IS_OURS = re.compile(
    r"\b(?:repositor(?:y|ies)|repos?|gists?|files?|projects?|pages?)\b[^.;]{0,40}?\b(?:is|are|contains?|includes?|holds?|"
    r"consists? of)\s+(?:\w+\s+){0,3}?(?:our|my|the company's)\b"
)


# A crack, a keygen or a trial reset is a tool made for the sender's program (labelling convention: a crack of a named
# program is a described work, weak); the keys that unlock a product are the thing itself. Other secrets (an API key,
# configuration data) are as often found inside a copy of the sender's code as handed out alone: not counted here.
_TOOL_FOR_IT = re.compile(r"crack|key[\s-]?gen|trial|licen[cs]e servers?")
_UNLOCK_KEY = re.compile(r"^(?:licen[cs]e|product|activation|serial|cd)[\s-]?(?:keys?|codes?|numbers?)$")


def _material_holds(low: str) -> tuple[int, int]:
    """How often the material is said (`_MATERIAL_SUBJECT`) to hold keys that unlock a product, and how often a crack,
    keygen or reset tool for it."""
    keys = tools = 0
    for m in unguarded_secrets(low):
        subject = _MATERIAL_SUBJECT.search(low[max(0, m.start() - 120) : m.start()])
        if not subject or _KIND_OF_PROGRAM.match(low[m.end() : m.end() + 20]):
            continue
        if _TOOL_FOR_IT.search(m.group(0)):
            tools += 1
        elif _UNLOCK_KEY.match(m.group(0)) and _HELD_DIRECTLY.match(subject.group(1)):
            keys += 1
    return keys, tools


def _material_is_secret(secret: list[Sentence]) -> bool:
    """The material is said to hold unlock keys more often than tools made for the sender's program."""
    held = [_material_holds(s.lower) for s in secret]
    keys = sum(k for k, _ in held)
    return keys > 0 and keys > sum(t for _, t in held)


def about_secrets(claims: list[Sentence], owned_work: list[Sentence], copies: list[Sentence], reported: list[Url]) -> list[Sentence]:
    """Sentences saying the material is a secret, a key or a record, when they outnumber those saying it is a copy of
    the sender's authored work (a work sentence that speaks of a leak or secrecy is about the secret, not the work).
    A title or a URL is no description ("Cracking the Interview"); a sender saying it made the work is never this."""
    secret = [s for s in claims if names_a_secret(_QUOTED_OR_URL.sub(" ", s.lower))]
    if not any(_CODE_WORDS.search(_QUOTED_OR_URL.sub(" ", s.lower)) for s in claims):
        named_secret = set(secret)
        secret += [s for s in claims if s not in named_secret and _SENSITIVE.search(s.lower)]
    # The reported files' own names ("GoldWave_Keygen", "office-crack") say what the material is, as a sentence would.
    named = 1 if any(_SECRET_NAME.search(u.path.lower()) for u in reported) else 0
    made = _any_says(claims, AUTHORED, COPIED_WORK, _CODE_BELONGS, OWN_CODE, _CODE_AS_WELL, _IS_CODE) or any(
        _HOLDS_CODE.search(s.lower) and not _SECRECY.search(s.lower) for s in claims
    )
    if made or not secret:
        return []
    secret_at = {s.start for s in secret}
    copied = [s for s in copies if COPY_OF_WORK.search(s.lower)]
    # A sentence whose subject is the material ("the above web pages provide pirated licence keys for our software")
    # says what was put up; what the sender says of its software elsewhere ("our software is closed-source") does not
    # outweigh it, unless a sentence calls the material a copy of the sender's work ("and a copy of our installer") or
    # another says the material is the sender's own ("the repository below is our billing application").
    if (
        _material_is_secret(secret)
        and not _any_says([s for s in claims if s.start not in secret_at], _MATERIAL_IS_OURS)
        and not any(s.start not in secret_at or _COPY_OF_OURS.search(s.lower) for s in copied)
    ):
        return secret
    if len(secret) + named < 2:
        return []
    # Where the copy sits ("repositories of our data", "the project") or how much was taken is no description of a work.
    authored = owned_work + copied
    work = {s.start for s in authored if s.start not in secret_at and not _SECRECY.search(s.lower)}
    return secret if len(secret) + named > len(work) else []


# The material said to hold the sender's source code ("This repository contains the source code of a web application
# developed for ..."): a work described, whatever secrets are also in it (unless the sentence itself calls the code a
# leak or sensitive: then it is the secret that is claimed).
# "This not only includes the unmodified code base, but private sensitive credentials as well": the code is put up too.
_CODE_AS_WELL = re.compile(r"\bnot only (?:\w+\s+){0,4}(?:source[\s-]?code|code ?base)\b")
# The material said to be code, in so many words ("This is the source code and API keys for flugy.com", "a full dump of
# the proprietary codebase that runs our site", "this is Acme proprietary code"): a work described, with its secrets.
_IS_CODE = re.compile(
    r"\b(?:this|it|that|which|repository|repo) is (?!not\b|no\b)(?:the |a |an |our )?(?:(?:full|complete|entire) )?"
    r"(?:(?:dump|copy) of (?:the |our )?)?"
    r"(?:[\w'’-]+ ){0,2}(?:(?:proprietary|private|closed[- ]source) )?(?:source[\s-]?code|code ?base)\b"
)
# Negated ("this is not the source code of X", "it does not contain any code base for X", "has no source code of X")
# it says the material is NOT code: the same guard as `_IS_CODE`'s, on the verb and on the words after it.
_HOLDS_CODE = re.compile(
    r"(?<!\bnot )(?<!n't )(?<!\bnever )\b(?:contains?|consists? of|includes?|is|are|has)\s+"
    r"(?:(?!(?:not|no|none|never|neither)\b)\w+\s+){0,3}(?:source[\s-]?code|code ?base)\s+(?:of|for)\b"
)


# Notes documenting how the sender's service talks ("the reported pages contained protocol documentation based on our
# app", "these gists document its unofficial API"): a description of the service, not a copy of a work (labelling
# convention: unofficial API notes are the owner's service in general). Not the sender's own notes ("our protocol
# documentation"), which are a work.
_PROTOCOL_NOTES = re.compile(
    r"\bprotocol (?:documentation|notes|write-?ups?)\b"
    r"|\b(?:documentation|notes|write-?ups?|descriptions?) (?:of|on|about|for) (?:the |its |their )?(?:[\w'’-]+ ){0,2}"
    r"(?:protocols?|unofficial apis?|private apis?|undocumented apis?)\b"
    r"|\bdocument(?:s|ing|ed)? (?:the |its |their )?(?:[\w'’-]+ ){0,2}(?:protocols?|unofficial apis?|private apis?|undocumented apis?)\b"
)
_OWN_BEFORE = re.compile(r"\b(?:our|my)\s+(?:[\w'’-]+\s+){0,3}$")
# The notes are themselves a work of the sender's, copied: a book, a course, a manual, copied word for word.
_NOTES_AS_WORK = re.compile(
    r"\b(?:books?|courses?|lessons?|lectures?|manuals?|handbooks?|guides?|chapters?|textbooks?)\b"
    r"|\bcop(?:y|ied|ies)\b|\breproduc|\bverbatim\b|\bword for word\b|\bin full\b"
)


def _protocol_notes(claims: list[Sentence]) -> list[Sentence]:
    """Sentences calling the material someone's notes on the sender's protocol or unofficial API, when no sentence says
    the sender made or had copied a work (then the notes are of that work)."""
    found = []
    for s in claims:
        m = _PROTOCOL_NOTES.search(s.lower)
        if m and not _OWN_BEFORE.search(s.lower[max(0, m.start() - 60) : m.start()]) and not _NOTES_AS_WORK.search(s.lower):
            found.append(s)
    return [] if found and _any_says(claims, AUTHORED, COPIED_WORK) else found


# The material is claimed as the company's internal secret and a risk to its security ("These are the bank's internal
# secrets and pose security risks to it and its users"), not as a copyrighted work: unless copyright in it is claimed
# ("This copyright belongs to the bank", "the copyrights of these systems are owned by us") or the sender's own code,
# product or a work it made is named.
_SECURITY_CLAIM = re.compile(
    r"\b(?:poses?|posing|is|are|constitutes?|presents?) (?:a |an )?(?!(?:no|not|any|little|zero)\b)(?:[\w-]+ )?security risks?\b"
    r"|\binternal secrets?\b"
)
_COPYRIGHT_IN_IT = re.compile(
    r"\bcopyrights? (?:of|in|to) (?:these|this|those|that|the|it|them|its|their)\b"
    r"|\bcopyrights? (?:\w+ ){0,2}(?:belongs?|is owned|are owned)\b"
    r"|\b(?:holds?|owns?|own|has|have) (?:the |all )?copyrights?\b|\bcopyrighted\b|\bcopyright[- ]protected\b"
)
_OWN_PRODUCT = re.compile(
    r"\b(?:our|my)\s+(?:[\w'’-]+\s+){0,3}(?:apps?|applications?|software|programs?|games?|products?|platforms?|systems?)\b"
)


def _security_claim(claims: list[Sentence]) -> list[Sentence]:
    """Sentences claiming the material as an internal secret or a security risk, when no sentence claims copyright in
    it, names the sender's own code or product, or says the sender made or had copied a work."""
    found = [s for s in claims if _SECURITY_CLAIM.search(s.lower)]
    return [] if found and _any_says(claims, _COPYRIGHT_IN_IT, _OWN_PRODUCT, OWN_CODE, AUTHORED, COPIED_WORK) else found


def _any_says(claims: list[Sentence], *said: re.Pattern[str]) -> bool:
    """Some sentence says one of these (what stands a rule down: the sender made, had copied or owns the work)."""
    return any(p.search(s.lower) for s in claims for p in said)


def material_not_a_work(claims: list[Sentence], reported: list[Url], names_a_work: bool) -> tuple[list[tuple[int, int]], str] | None:
    """What the notice says was put up is notes on the sender's protocol, an internal secret or a security risk (unless
    the notice names or describes a work of the sender's: `names_a_work`), or only licence files on the platform
    (`reported`): the words or URLs judged and why, else None."""
    notes = [] if names_a_work else _protocol_notes(claims)
    if notes:
        return [(s.start, s.end) for s in notes[:2]], "the material is notes on the sender's protocol, not a copy of a work"
    risk = [] if names_a_work else _security_claim(claims)
    if risk:
        return [(s.start, s.end) for s in risk[:2]], "the material is claimed as an internal secret or a security risk, not as a work"
    # licence files a product reads to unlock itself, unless the notice says the sender made or had copied the code in
    # them (a licence file said to reproduce the sender's code is that code)
    licences = _only_licence_files(reported)
    if licences and not _any_says(claims, AUTHORED, COPIED_WORK, OWN_CODE):
        return [(u.start, u.end) for u in licences[:3]], "every reported file is a licence file: a key, not a copy of the work"
    return None
