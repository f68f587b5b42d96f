"""The work and the material: `work_identification` and `material_location` of § 512(c)(3)(A), as NOTICES.md reads them.

The work is judged by what the notice claims, not by how it words it: a copyrightable thing (code, documents, media,
a named product) is a work, even when it is only shown by its copy; a claim to information, data, a mark or a service in
general is not. The material is located by specific URLs (or `owner/repository` names) wherever the sender put them.
"""

from __future__ import annotations

import re

from ipclaims.notices.channels import EMPTY_WORK_SLOT, NAMED_LIST, names_channels
from ipclaims.notices.doc import Doc, is_platform, url_depth
from ipclaims.notices.judges import Judgement, Status, judge, sranges
from ipclaims.notices.keys import (
    AUTHORED,
    COPIED_WORK,
    COPY_OF_WORK,
    OWN_CODE,
    SECRET_MATERIAL,
    WORK_KIND,
    about_secrets,
    material_not_a_work,
    names_a_secret,
    unguarded_secrets,
)
from ipclaims.notices.originals import account_first, own_original
from ipclaims.notices.text import Sentence, Url, lines_with_offsets

_WORK_NOUN = re.compile(
    r"\b(?:work|works|software|code|source|program|application|app|game|book|novel|course|video|film|movie|music|song|album|font|"
    r"theme|template|plugin|library|sdk|image|images|photo|photograph|artwork|illustration|documentation|manual|content|mod|tool|script|"
    r"website|design|article|text|project|repository|framework|engine|api|firmware|model|dataset|database|extension|client|bot|"
    r"lessons?|materials?|solutions?|assignments?|exam|questions?|tutorial|guide|screenshot|logo|asset|sprites?|textures?|"
    r"maps?|charts?|diagrams?|paintings?|sculptures?|poems?|poetry|lyrics|comics?|manga|e-?books?|podcasts?|episodes?|animations?)\b"
)
_NAME_OR_MARK_ONLY = re.compile(r"trademark|trade mark|brand name|®|™|personal (?:data|information)|privacy|\bgdpr\b|my (?:real )?name")
_COPYRIGHT = re.compile(
    r"copyright|©|\(c\)|urheberrecht|droit d'auteur|proprietary|authored|\bauthor\b|intellectual property|wrote|written|created|"
    r"developed|our (?:original )?(?:code|work)"
)
_STATEMENT = re.compile(r"good[\s-]*faith|perjur|described above|under penalty|accurate|fair use")

# Claims that name no copyright work: information or data as such, "our IP", a company's products or services.
_NON_WORK_CLAIM = re.compile(
    r"\b(?:confidential|proprietary|internal|private|sensitive|secret|classified|personal|customer|business)\s+"
    r"(?:and\s+\w+\s+)?(?:\w+\s+){0,2}(?:information|data|details|credentials)"
    r"|\btrade secrets?\b|\bproperties of\b"
    # "proprietary intellectual property owned by Acme" (no work named); not when a colon goes on to name it ("...: the
    # Northwind engine")
    r"|\bproprietary (?:intellectual property|materials?|assets)\b(?![^.\n:]{0,120}:\s)"
    r"(?![^.\n]{0,80}\b(?:courses?|software|programs?|games?|books?|manuals?|apps?|applications?|engines?|videos?|films?|fonts?|themes?|templates?|plugins?|librar(?:y|ies))\b)"
    r"|\b(?:our|its|their|my|the company'?s?) (?:ip|intellectual property|products|services|platform|business)\b"
    r"(?! (?:\w+ )?(?:department|team|counsel|group|office|legal|lawyers?|attorneys?|manager|unit|desk))"
)
# A copyrightable thing (code, documents, media, course materials, the sender's repository), said to be the sender's.
_CONCRETE_WORK = re.compile(
    r"\b(?:source[\s-]?code|code ?base|codes?|software|programs?|scripts?|algorithms?|firmware|documentation|docs|documents?|manuals?|"
    r"specifications?|slides?|lectures?|books?|textbooks?|chapters?|novels?|articles?|videos?|films?|movies?|music|songs?|"
    r"recordings?|images?|photos?|photographs?|pictures?|artworks?|illustrations?|drawings?|designs?|graphics|icons?|sprites?|"
    r"textures?|models?|fonts?|themes?|templates?|exercises?|assignments?|homework|solutions?|exams?|tutorials?|courses?|lessons?|"
    r"repo|repository|repositories|project|website|pages?|app|application|game|files?|back-?end|front-?end|"
    # the rest of 17 U.S.C. § 102(a)'s categories: pictorial, graphic and sculptural, dramatic, audiovisual, sound
    r"maps?|charts?|diagrams?|paintings?|sculptures?|poems?|poetry|lyrics|comics?|manga|e-?books?|podcasts?|episodes?|"
    r"animations?|screenplays?|plays|choreograph\w*|architectural (?:plans?|drawings?|works?)|sheet music)\b"
)
# Whose it is: a possessive or an ownership word just before the noun, or "owned by", "we wrote" just after it.
_OWNED_BEFORE = re.compile(
    r"(?:\b(?:our|my|its|their|his|her)\b|'s?\b|-owned\b|\b(?:proprietary|copyrighted|original|internal|private|confidential|company|"
    r"firm|corporate|own|copyright(?=\s+(?:materials?|works?|content)\b))\b)(?:[\s,]+(?:and\s+)?[\w&-]+){0,3}[\s,]*(?:\(\s*)?$"
)
# Matched at the end of the work's noun (`.match(text, pos)`), not searched in a copy of the rest of the sentence: a
# list of 40,000 URL lines is one sentence, and each "game" or "images" in its paths copied the rest of it.
_OWNED_AFTER = re.compile(
    r"\s*(?:\w+\s+){0,2}(?:(?:is|are|was|were)\s+)?(?:owned by|belong|(?:that |which )?(?:we|i) (?:wrote|developed|created|made)"
    r"|(?:are|is) (?:the )?(?:intellectual )?property of"
    r"|contains? (?:a |an |our |the )?(?:clear )?copyright (?:notice|notification|header))"
)
# "likely copies", "may contain": a copy that is only suspected identifies nothing.
_HEDGED = re.compile(r"\b(?:likely|probably|possibly|may|might|could|suspect|presumably|appears? to)\b")
# A service or catalogue in general, reached by a tool (a downloader, an add-on, a bypass) rather than copied.
_SERVICE_WORK = re.compile(
    r"\b(?:subscription|streaming|online|video|on-?demand|paid|premium|learning)\s+(?:\w+\s+){0,3}(?:service|platform|site|library|catalog(?:ue)?)"
    r"|\b(?:entire|whole) (?:library|catalog(?:ue)?)|\b(?:its|their|our|the) (?:tv |television |live )?channels\b"
    r"|\blive (?:tv|channels|broadcasts?|events|sports)\b"
    r"|\binstructors'? copyrights|\bits copyrights\b"
)
_TOOL = re.compile(
    r"\bdownload(?:er|ing)\b|\bdownload(?:s|ing)? (?:\w+ ){0,2}(?:videos?|courses?|content|streams?|lessons?|episodes?)"
    r"|\bscrap(?:e|er|es|ing)\b|\bbypass|\bcircumvent|\bcrack|\bunlock|\bripp(?:er|ing)\b|\binterfac(?:e|es|ing)\b|\bexploits?\b"
    r"|\biptv\b|\bunauthori[sz]ed (?:streams?|access)\b"
)
_TOOL_ON_MEDIA = re.compile(
    r"\b(?:allow|allows|allowing|enable|enables|enabling|lets?|letting|used to|designed to|facilitat\w*)\b[^.;]{0,30}"
    r"\b(?:download|scrap|bypass|circumvent|rip|access)\w*\b[^.;]{0,60}\b(?:videos?|courses?|content|streams?|channels?|"
    r"music|books?|lessons?|episodes?|shows?)\b"
)
_TITLED = re.compile(
    r"(?<!\w)[\"“'‘](?![a-z]{2,6}[\"”'’])[^\"”'’\n]{3,80}[\"”'’](?!\w)"
    r"|\b(?:called|named|titled|entitled|(?<!also )known as)\b|\bv(?:ersion)?\s?\d+(?:\.\d+)+"
)
# The work is identified through its copy: the notice says the material is (or contains) the sender's work.
_COPY_OF = re.compile(
    r"\b(?:direct|exact|complete|full|verbatim|identical|whole) cop(?:y|ies)|\bcop(?:y|ies|ied) of (?:our|my)|\bcopied (?:from )?(?:our|my)"
    r"|\bin (?:its |their )?entirety|\bmirror of (?:our|my)|\b(?:i am|i'm|we are) the (?:only |sole |original )?(?:authors?|creators?) of"
    r"|\b(?:re-?posted|re-?uploaded|reproduc(?:ed|es|ing|e)|pirated|leaked|plagiari[sz]ed|stolen|stole)\b"
    r"|\bdistribut(?:es|ed|ing|e)\b(?! (?:\w+ ){0,2}(?:channels?|streams?|services?|signals?|broadcasts?))"
    # "is (or contains) ... code", not "is injured by the code" (the code acts, it is not said to be the copy)
    r"|\b(?:contains?|consists? of|includes?|is|are) (?:(?!by\b)\w+ ){0,4}"
    r"(?:source code|code|algorithm)s?\b"
)
# A proper name before a work noun ("EA's SimCity video game", "the Brightline photo editor").
_PROPER_WORK = re.compile(
    r"\b(?!(?:Our|The|This|That|My|Their|Its|His|Her|A|An|These|Those|Your|We|I)\b)[A-Z][\w'’.-]*(?:\s+[A-Z0-9][\w'’.-]*){0,4}"
    r"\s+(?:video game|game|app|application|software|book|novel|course|plugin|library|theme|template|framework|engine|sdk|font|"
    r"album|film|movie|program|tool|extension|photo editor|editor|series|manual|guide|textbook)s?\b"
)
_OWNER_WORDS = re.compile(r"\b(?:our|my|we|i|us)\b|'s\b|copyright|owned|wrote|developed|created|authored|publish")
# A letter's defined term ('hereinafter referred to as "ACME"') is a label for a party, not a work's title.
_DEFINED_TERM = re.compile(
    r"(?:hereinafter|referred to as|collectively|together)[^\"]{0,30}\"[^\"]{1,60}\""
    # where the copy sits, not what the work is called: "an account named ...", "the project named ..."
    r"|\b(?:account|user|username|repository|repo|project|folder|file|directory|profile|fork|branch|page)s?\s+(?:\w+\s+)?"
    r"(?:called|named|titled)\b"
    r"|[\"']\s*\[\s*(?:private|redacted)\s*\]\s*[\"']"  # a quoted redaction is no title
    r"|\b(?:propert(?:y|ies) of|owned by|belongs? to|on behalf of)\s+\"[^\"\n]{1,60}\""  # a quoted owner is a party
    r"|\"[^\"\n]*(?:/[^\"\n]*|\.[a-z0-9]{1,5})\""  # nor is a quoted path or file name
)
# A letter's labelled identification line ("Copyrighted work: ...", "Title of the work: ...") with a value after it.
_WORK_LABEL = re.compile(
    r"^[ \t*_>-]*(?:\d{1,2}[.)]\s*)?(?:(?:identification|title|name|description) of\s+)?(?:the\s+)?"
    r"(?:copyrighted|original|infringed|protected)\s+works?(?:\(s\))?(?:\s+[^:\n]{0,40}?)?\s*:\s*\S",
    re.MULTILINE,
)
# A labelled work that is a whole product line: "Software (various)", "all titles", "multiple products".
_CATALOGUE = re.compile(r"\b(?:various|all|multiple|several|numerous|assorted|many)\b(?! of the following)")
# The notice lists its works ("a representative list ... is included as Appendix A", "List of titles:").
_REPRESENTATIVE = re.compile(r"representative list|list of (?:the )?(?:copyrighted |protected |infringed )?(?:works|titles)\b")
# Information as such ("sensitive information about the site", "information relating to our systems"): what the form's
# answer on the original work describes when it names no work.
_INFORMATION = re.compile(
    r"\b(?:sensitive|confidential|secret|private|internal|non-public|proprietary)\s+(?:\w+\s+){0,2}(?:information|data|details)\b"
    r"|\binformation (?:referring|relating|related|regarding|about|concerning)\b"
)


# What information about a site, system, server or customers is about ("information relating to the site's code") is not
# a work the answer names; information about anything else ("about our online course Learn Rust Fast") names that work.
_INFORMATION_ABOUT = re.compile(
    r"\binformation (?:referring|relating|related|regarding|about|concerning)\b(?: to| on)?"
    r"(?=[^.,;:\n]{0,60}\b(?:(?:web)?sites?|systems?|servers?|customers?|clients?|users?|networks?|infrastructure)\b)[^.,;:\n]{0,60}"
)
# A version or copy of something is a copy of a work, whatever else it is ("a cracked version of our mod").
_VERSION_OF = re.compile(r"\b(?:versions?|cop(?:y|ies)|builds?|editions?|releases?) of\b")
_SYSTEM = re.compile(r"\b(?:system|platform|application|tool|utility|mod|plugin)s?\b")  # a program by another name


def _answer_is_information(answer: str) -> tuple[int, int] | None:
    """The form's answer describing the original work speaks of information, data or a secret and of nothing the sender
    wrote or owns as a work (code, software, a document, a version or copy of one, a title): the sentence of the answer
    that says so (offsets in the answer), else None."""
    found = _INFORMATION.search(answer) or next(unguarded_secrets(answer), None)
    if not found:
        return None
    authored = AUTHORED.search(answer) or COPIED_WORK.search(answer) or OWN_CODE.search(answer) or COPY_OF_WORK.search(answer)
    rest = SECRET_MATERIAL.sub(" ", _INFORMATION_ABOUT.sub(" ", answer))
    work = WORK_KIND.search(rest) or _SYSTEM.search(rest) or _VERSION_OF.search(answer)
    if authored or work or _TITLED.search(_DEFINED_TERM.sub("", answer)):
        return None
    start = max((answer.rfind(c, 0, found.start()) for c in ".!?\n"), default=-1) + 1
    ends = [e for e in (answer.find(c, found.end()) for c in ".!?\n") if e >= 0]
    end = min(ends) + 1 if ends else len(answer)
    while start < end and answer[start].isspace():
        start += 1
    return start, end


# The form's answer on the original work describes the owner ("Acme Inc. is a Canadian media company headquartered
# in ..."), not a work: no kind of work, title or version of one is named in it.
_OWNER_DESCRIBED = re.compile(
    r"\b(?:is|are|was) (?:a|an|the|one of the) (?:(?!(?:our|my|its|their|his|her)\b)[\w,&-]+ ){0,6}?(?:company|companies|"
    r"conglomerate|corporation|firm|group|organi[sz]ation|broadcaster|agency|manufacturer|retailer|bank|institution)\b"
    # the noun ends the phrase ("... a media company headquartered in"), not a modifier ("an internal company project")
    r"(?=\s*(?:[,.;:()]|$|(?:headquartered|based|located|founded|incorporated|registered|that|which|who|with|in|of|from|and|"
    r"operating|specia\w+)\b))"
)


# Kinds of work an answer describing the owner may still name ("it publishes the Tern Bay novels", "our programmes").
_MORE_KINDS = re.compile(
    r"\b(?:novels?|albums?|recordings?|programmes?|programs?|news|bulletins?|broadcasts?|shows?|series|episodes?|films?|"
    r"newspapers?|magazines?|journals?|databases?|photography|catalogues?|titles?|works?|content|products?|publications?)\b"
)


def _answer_is_owner(answer: str) -> bool:
    if not _OWNER_DESCRIBED.search(answer):
        return False
    named = (
        WORK_KIND.search(answer)
        or _CONCRETE_WORK.search(answer)
        or _MORE_KINDS.search(answer)
        or _SYSTEM.search(answer)
        or _VERSION_OF.search(answer)
        or _COPY_OF.search(answer)
    )
    return not (named or _TITLED.search(_DEFINED_TERM.sub("", answer)))


# A kind of work said to be what the sender's IP, product or service consists of ("the source code for my intellectual
# property", "the images of our products"): a work described, whatever else the sentence calls it.
_KIND_OF_IP = re.compile(
    r"\b(?:source[\s-]?code|code ?base|software|programs?|images?|photos?|photographs?|designs?|documents?|drawings?|videos?)\s+"
    r"(?:for|of|behind|in)\s+(?:my|our|its|their|the company's)\s+(?:\w+\s+)?(?:ip|intellectual property|"
    r"products?|platform|services?|business|website|site)\b"
)
# Reported files that are themselves images, sound, video, books or fonts: the work is of that kind, shown through its
# copy (NOTICES.md: a work identified only by pointing at the infringing copy is present). Not office documents or
# PDFs: those are as often the information a notice claims as a work.
_MEDIA_FILE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?|psd|epub|mobi|mp3|wav|flac|ogg|mp4|mkv|avi|mov|ttf|otf|woff2?)$")
# A programme named before the heading ("owns the series Harbour Lights"): the works are named, if not under it.
_NAMED_PROGRAMME = re.compile(r"\b(?i:series|programmes?|programs?|shows?|films?|movies?|titles?)[ \t]+[\"“]?[A-Z][a-z]")


def _unnamed_programmes(doc: Doc) -> tuple[int, int] | None:
    """The span of a heading that promises programmes and gives only a link (`EMPTY_WORK_SLOT`), when neither the heading
    quotes a title ('our programmes "Morning Round" and ... on the following URLs:') nor a sentence before it names one."""
    empty = EMPTY_WORK_SLOT.search(doc.text, doc.start)
    if not empty or _NAMED_PROGRAMME.search(doc.text, doc.start, empty.start()):
        return None
    heading = doc.lower[max(doc.start, doc.text.rfind("\n", doc.start, empty.start()) + 1) : empty.end()]
    return None if _TITLED.search(_DEFINED_TERM.sub("", heading)) else (empty.start(), empty.end())


_ORIGINAL_BLOCK = re.compile(r"original (?:copyrighted )?work|description of the (?:original|copyrighted)")


def _claims(doc: Doc) -> list[Sentence]:
    """The sender's own sentences, not the form's printed questions and statements."""
    return [s for s in doc.sentences if not s.text.lstrip().startswith("**") and not _STATEMENT.search(s.lower)]


# The statute's list of exclusive rights ("the exclusive rights to reproduce, distribute and publicly display") names
# what the owner may do, not what the material is: no copy said to be made.
_RIGHTS_TO = re.compile(r"\brights? to (?:[\w-]+,? (?:and |or )?){0,4}$")


def _unhedged(found: list[Sentence], pattern: re.Pattern[str]) -> list[Sentence]:
    out = []
    for s in found:
        for m in pattern.finditer(s.lower):
            before = s.lower[max(0, m.start() - 60) : m.start()]
            if not _HEDGED.search(before[-40:]) and not _RIGHTS_TO.search(before):
                out.append(s)
                break
    return out


def _owned(found: list[Sentence], pattern: re.Pattern[str]) -> list[Sentence]:
    """Sentences where a match of `pattern` is said to be the sender's (and not only suspected)."""
    out = []
    for s in found:
        for m in pattern.finditer(s.lower):
            before = s.lower[max(0, m.start() - 60) : m.start()]
            if _HEDGED.search(before[-40:]):
                continue
            if _OWNED_BEFORE.search(before) or _OWNED_AFTER.match(s.lower, m.end()):
                out.append(s)
                break
    return out


def work_identification(doc: Doc) -> Judgement:
    code = "work_identification"
    originals = doc.role_urls("original")
    specific_originals = [u for u in originals if u.path.strip("/") or "?" in u.url]
    block = doc.block(_ORIGINAL_BLOCK)
    answer = block.answer(doc.text) if block else ""
    claims = _claims(doc)
    work_sentences = [s for s in claims if _WORK_NOUN.search(s.lower)]
    copyright_sentences = [s for s in work_sentences if _COPYRIGHT.search(s.lower)]
    titled = [s for s in work_sentences if _TITLED.search(_DEFINED_TERM.sub("", s.lower)) or _PROPER_WORK.search(s.text)]
    copies = _unhedged(claims, _COPY_OF)
    concrete = _owned(claims, _CONCRETE_WORK)
    service = [s for s in claims if _SERVICE_WORK.search(s.lower)] or [s for s in claims if _TOOL_ON_MEDIA.search(s.lower)]
    labelled = [s for s in claims if _WORK_LABEL.search(s.lower) or _REPRESENTATIVE.search(s.lower)]
    values = [(a, b, line) for a, b, line in lines_with_offsets(doc.lower, doc.start) if _WORK_LABEL.search(line)]
    catalogue = [(a, b) for a, b, line in values if _CATALOGUE.search(line.split(":", 1)[-1])]
    owned_titles = [s for s in titled if _OWNER_WORDS.search(_DEFINED_TERM.sub("", s.lower))]
    # A specific original linked or named, or the material called a copy of the work ("a full copy of the game"): a crack
    # or copy of a named work (labelling convention: a described work), so the reported file's name ("Skyfall-crack")
    # does not count as one more sentence about keys.
    copy_of_work = any(_VERSION_OF.search(s.lower) or COPY_OF_WORK.search(s.lower) for s in copies)
    about_original = bool(specific_originals or owned_titles or copy_of_work)
    secrets = about_secrets(claims, _owned(concrete, WORK_KIND), copies, [] if about_original else doc.role_urls("reported"))
    if secrets:
        return judge(code, "deficient", doc, sranges(secrets, 2), "the material is keys, secrets or records, not a copy of a work")
    # The form's own answer on the original work names a kind of work ("the company's application source code, in
    # legacy libraries"): a work described, whatever the other answers say about confidential data.
    described = bool(block) and bool(WORK_KIND.search(answer.lower())) and not names_a_secret(answer.lower())
    not_a_work = material_not_a_work(claims, [u for u in doc.role_urls("reported") if doc.on_platform(u)], bool(owned_titles or described))
    if not_a_work:
        return judge(code, "deficient", doc, not_a_work[0], not_a_work[1])
    information = _answer_is_information(answer.lower()) if block and not specific_originals else None
    if block and information:
        # the words judged: the answer's sentence naming the information or secret (lowering kept the offsets, or the
        # whole answer is quoted)
        same = len(answer.lower()) == len(answer)
        span = (block.a_start + information[0], block.a_start + information[1]) if same else (block.a_start, block.a_end)
        return judge(
            code,
            "deficient",
            doc,
            [span],
            "the form's description of the work names information or a secret, not a work",
        )
    if block and not (specific_originals or copies or concrete or owned_titles or labelled) and _answer_is_owner(answer.lower()):
        return judge(
            code,
            "deficient",
            doc,
            [(block.a_start, min(block.a_end, block.a_start + 400))],
            "the form's answer describes the owner, not a work",
        )
    if catalogue and len(catalogue) == len(values) and not specific_originals:
        return judge(code, "deficient", doc, catalogue[:2], "the work is given as a product line in general ('various')")
    named_list = bool(NAMED_LIST.search(answer if block else doc.text[doc.start :])) or any(
        names_channels(s.text) for s in claims if "channels" in s.lower
    )
    if service and not copies and not labelled and not named_list and any(_TOOL.search(s.lower) for s in claims):
        return judge(
            code, "deficient", doc, sranges(service, 2), "a service or catalogue in general, reached by a tool; no copied work named"
        )
    empty = _unnamed_programmes(doc)
    media = [u for u in doc.role_urls("reported") if _MEDIA_FILE.search(u.path.lower())]
    if empty and not (specific_originals or owned_titles or labelled or named_list or media):
        note = "the programmes the notice announces are never named: only URLs follow"
        return judge(code, "deficient", doc, [empty], note)
    non_work = [s for s in claims if _NON_WORK_CLAIM.search(s.lower)]
    made = [s for s in claims if (AUTHORED.search(s.lower) and WORK_KIND.search(s.lower)) or _KIND_OF_IP.search(s.lower)]
    if non_work and not (concrete or copies or specific_originals or owned_titles or labelled or made or described or media or named_list):
        return judge(code, "deficient", doc, sranges(non_work, 2), "only information, data or IP in general is claimed, no work named")
    if labelled:
        return judge(code, "present", doc, sranges(labelled, 2), "the notice labels the work it identifies")
    if block and len(answer.split()) >= 3:
        return judge(code, "present", doc, [(block.a_start, min(block.a_end, block.a_start + 400))], "the form describes the work")
    if originals:
        return judge(code, "present", doc, [(u.start, u.end) for u in originals[:3]], "the original work is linked")
    titled_works = [s for s in titled if not _NAME_OR_MARK_ONLY.search(s.lower)]
    if titled_works:
        return judge(code, "present", doc, sranges(titled_works), "the work is named")
    mark_only = [s for s in doc.find(_NAME_OR_MARK_ONLY) if not s.text.lstrip().startswith("**")]
    claims_copyright = [s for s in claims if _COPYRIGHT.search(s.lower)]
    if mark_only and not copyright_sentences and not claims_copyright:
        return judge(code, "deficient", doc, sranges(mark_only), "a name, mark or data right is claimed, no copyright work")
    if concrete or copies:
        return judge(code, "present", doc, sranges(concrete or copies), "the sender's own work, shown through its copy (weak)")
    if copyright_sentences or work_sentences:
        return judge(code, "present", doc, sranges(copyright_sentences or work_sentences), "the work is named or described")
    reported = doc.role_urls("reported")
    if reported:
        return judge(code, "present", doc, [(u.start, u.end) for u in reported[:1]], "the work is identified only by its copy")
    return judge(code, "missing", doc, [], "no copyrighted work is named or described")


_WHOLE_ACCOUNT = re.compile(
    r"\ball (?:of )?(?:the |his |her |their |its )?(?:repositor|repos\b|projects|content|code|files|materials?)[^.\n]{0,60}"
    r"(?:account|user|profile|organi[sz]ation|owner)|\b(?:entire|whole|complete) (?:account|profile|organi[sz]ation|user)"
)
_PARTIAL = re.compile(
    r"\b(?:various|some|certain|several|a few|multiple) (?:of (?:the|our) )?(?:\w+ )?(?:files|documents|parts|portions|snippets)\b"
    r"|\bfiles (?:held|located|contained) in\b"
    # hedged: "some or all of the material at this URL" does not say what in it is the sender's
    r"|\bsome or all (?:of )?(?:the |this |that )?(?:material|content|code|files)\b"
)
_WHOLE_REPO = re.compile(
    r"\b(?:entire|whole|complete|full)\b|\ball (?:of )?(?:the |its |our )?(?:code|files|content|source)|\b(?:copy|fork|clone|mirror) of"
    r"|\bfolder|\bdirectory|\bpath\b|/blob/|/tree/"
)
_AVATAR = re.compile(r"avatar|profile (?:picture|image|photo)|username|user name|handle")
_PLACEHOLDER = re.compile(
    r"(?:unknown|your|example|sample|placeholder|infringing)[-_]?(?:user(?:name)?|owner|account|repo(?:sitory)?(?:[-_]?name)?|project)"
    r"|user[-_]?name|repo(?:sitory)?[-_]name|x{3,}"
)


def _placeholder(url: Url) -> bool:
    parts = url.path.strip("/").lower().split("/")
    # a repository's own URL only: a file under it ("/blob/main/dawn.jpg") is a place whatever the names
    return url.host in ("github.com", "www.github.com") and len(parts) == 2 and all(_PLACEHOLDER.fullmatch(p) for p in parts)


_RESERVED = {"orgs", "users", "settings", "marketplace", "topics", "search", "sponsors"}


def location_status(doc: Doc, reported: list[Url]) -> tuple[Status, list[tuple[int, int]], str]:
    specific = [u for u in reported if _specific(u)]
    partial = doc.find(_PARTIAL)
    if specific and partial and all(url_depth(u) <= 2 for u in specific) and not doc.find(_WHOLE_REPO):
        return (
            "deficient",
            sranges(partial, 1) + [(u.start, u.end) for u in specific[:2]],
            "only some files of the repository, not said which",
        )
    if specific:
        return "present", [(u.start, u.end) for u in specific[:5]], f"{len(specific)} specific URL(s) of the material"
    profiles = [u for u in reported if u.path.strip("/")]
    if profiles and all(_placeholder(u) for u in profiles):
        return "deficient", [(u.start, u.end) for u in profiles[:3]], "the repository URL is a placeholder, not the material's"
    if profiles:
        if doc.find(_AVATAR):
            return "present", [(u.start, u.end) for u in profiles[:3]], "the profile itself is the material"
        whole = doc.find(_WHOLE_ACCOUNT)
        ranges = [(u.start, u.end) for u in profiles[:3]] + sranges(whole, 1)
        return "deficient", ranges, "a whole account is named, not the material on it"
    if reported:
        return "deficient", [(u.start, u.end) for u in reported[:3]], "only a whole site is named"
    general = doc.find(re.compile(r"\b(?:repositor(?:y|ies)|repos?|account|website|site|platform|page)\b"))
    if general:
        return "deficient", sranges(general, 1), "the material is described only in general terms, no URL"
    return "missing", [], "no location of the material is given"


def _specific(url: Url) -> bool:
    depth = url_depth(url)
    if url.host in ("github.com", "www.github.com"):
        parts = url.path.strip("/").lower().split("/")
        if parts[0] in _RESERVED:
            return depth >= 3
        # "github.com/unknown-user/unknown-repository", "github.com/your-username/your-repo": a form's placeholder
        return depth >= 2 and not _placeholder(url)
    if url.host.endswith(".github.io"):
        return True
    if is_platform(url):
        return depth >= 1
    if _ACCOUNT_PATH.match(url.path):
        return False  # a user's page on another platform ("/user/name", "/@name", "/channel/id"): a whole account
    return depth >= 1 or bool(url.url.split("?", 1)[1:])


# An account's own page on a platform other than GitHub's (whose one-segment paths are its accounts).
_ACCOUNT_PATH = re.compile(r"^/(?:@[^/.]+|(?:users?|channels?|profiles?|people|members?|accounts?|creators?)/[^/.]+)/?$", re.IGNORECASE)


def material_urls(doc: Doc) -> list[Url]:
    """The URLs that locate the material. When none of the reported ones is specific, the sender put them elsewhere
    (in the original-work answer, "the content is at the following URL"): the specific platform URLs given anywhere,
    except where the text says the sender's own original is ("my repository", "I published it at": `originals.own_original`;
    a fork of one's own repository is the usual case on GitHub)."""
    reported = doc.role_urls("reported")
    if any(_specific(u) for u in reported):
        return reported
    elsewhere = [u for u, role in doc.url_roles if role != "reported" and doc.on_platform(u) and _specific(u) and not own_original(doc, u)]
    # the reported account named ("the user https://github.com/thief"): only what is in it, not the sender's own
    # repository in another account given as the original work
    accounts = {_account(u) for u in reported if doc.on_platform(u)} - {""}
    if accounts:
        elsewhere = [u for u in elsewhere if _account(u) in accounts]
    return sorted(reported + elsewhere, key=lambda u: u.start)


def _account(url: Url) -> str:
    """The account a URL is in, where paths start with one (GitHub's); else ""."""
    return url.path.strip("/").split("/")[0].lower() if account_first(url.url) else ""


# A repository named as `owner/name` without its URL: alone on a list line, "owner/name on GitHub", "repository owner/name".
_SLUG = r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[0-9._-]*[A-Za-z][A-Za-z0-9._-]*"  # one way to match: linear
_REPO_SLUG = re.compile(
    rf"^[ \t]*(?:(?:[-*•]|\d{{1,3}}[.)])[ \t]*)?`?({_SLUG})`?[ \t]*$"
    rf"|(?<![\w/.@-])({_SLUG})`?\s+(?:on|at|in)\s+github\b"
    rf"|\b(?:repository|repo)\s*(?:named\s+|called\s+|:\s*)?[`\"'“]?({_SLUG})(?![\w/])",
    re.MULTILINE | re.IGNORECASE,
)
_NOT_SLUG = re.compile(r"^(?:and/or|and|or|tcp|i/o|n/a|he/she|his/her|s/he|w/)", re.IGNORECASE)


def repo_slugs(doc: Doc) -> list[tuple[int, int]]:
    out = []
    for m in _REPO_SLUG.finditer(doc.text, doc.start):
        group = next(g for g in (1, 2, 3) if m.group(g))
        value = m.group(group)
        if _NOT_SLUG.match(value) or "//" in value or value.count("/") != 1 or doc.in_excluded(m.start(group)):
            continue
        out.append((m.start(group), m.end(group)))
    return out


def material_location(doc: Doc, code: str = "material_location") -> Judgement:
    urls = material_urls(doc)
    status, ranges, note = location_status(doc, urls)
    if status != "present" and not any(_specific(u) for u in urls):
        slugs = repo_slugs(doc)
        if slugs:
            return judge(code, "present", doc, slugs[:5], f"{len(slugs)} repository name(s) given as owner/name")
    return judge(code, status, doc, ranges, note)
