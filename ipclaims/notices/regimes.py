"""Judging the EU_DSA, SG_CA2021 and TM_POLICY elements of a notice's text, and telling the regime and kind.

The codes come from `ipclaims.legal` (DOMAIN.md §2); a judge exists here for every code the legal tables list.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ipclaims.notices import contact
from ipclaims.notices import counter as c
from ipclaims.notices import judges as j
from ipclaims.notices import material as m
from ipclaims.notices.doc import Doc
from ipclaims.notices.judges import Judgement, judge, sranges
from ipclaims.notices.owner import principal
from ipclaims.notices.signing import find_signing
from ipclaims.notices.signoff import signoff
from ipclaims.notices.text import Sentence, normalise

Judge = Callable[[Doc], Judgement]

# --- regime and kind ----------------------------------------------------------------------------------------------

# The Regulation (EU) 2022/2065 by its names in the languages notices come in: the English short title, its
# renderings in German, French, Spanish, Italian and Dutch, the single-market long titles, and the number itself.
_DSA_NAME = (
    r"digital[ -]services[ -]act|2022/2065"
    r"|gesetz(?:es)? (?:über|ueber) digitale dienste|binnenmarkt f(?:ü|ue)r digitale dienste"
    r"|r[èe]glement (?:europ[ée]en )?sur les services num[ée]riques|march[ée] unique des services num[ée]riques"
    r"|(?:reglamento|ley) (?:europeo |europea )?de servicios digitales|mercado [úu]nico de servicios digitales"
    r"|(?:regolamento|legge) (?:europeo |europea )?sui servizi digitali|mercato unico dei servizi digitali"
    r"|digitale[- ]?dienstenverordening|verordening (?:inzake )?digitale diensten|eengemaakte markt voor digitale diensten"
)
# "DSA" standing alone as a word (not "DSA-GeeksClasses", "ML-DSA-87", a path's "/DSA/").
_DSA_ACRONYM = r"(?<![\w/%-])dsa(?![\w/%-])"
_ART_16 = r"\bart(?:icle|ikel|[íi]culo|icolo)?\.?[ \t]*16(?!\d)"
# The notice cites Art. 16 of the Regulation as what it is: "Article 16 of the DSA", "Art. 16 DSA", "Art. 16 Abs. 1 des
# Gesetzes über digitale Dienste (DSA)", "article 16 du règlement sur les services numériques", or "DSA, Art. 16".
# Only the article's own sub-parts and a connecting word may stand between: "Article 16 of our licence ... the DSA" and
# "article 16 of your hosting agreement (see also the DSA)" cite something else.
_ART_16_OF = (
    rf"{_ART_16}(?:[ \t]*(?:\(\d+\)|\((?:[a-z])\)|(?:abs|para|par|lit|nr|no)\.?[ \t]*\d+\w?))*[ \t,]*"
    r"(?:(?:of|des|der|du|del|della|dello|van|von|de)[ \t]+)?(?:(?:the|dem|le|la|el|il|de)[ \t]+)?(?:eu[ \t]+|eu-)?"
    r"(?:(?:regulation|verordnung|r[èe]glement|reglamento|regolamento|verordening)[ \t]+(?:\((?:eu|ue)\)[ \t]+)?(?:(?:no|nr)\.?[ \t]*)?)?"
)
_DSA_ART_16 = re.compile(rf"{_ART_16_OF}\(?(?:{_DSA_NAME}|{_DSA_ACRONYM})|(?:{_DSA_NAME}|{_DSA_ACRONYM})\)?[ \t,:-]{{0,4}}{_ART_16}")
_DSA_NAMED = re.compile(_DSA_NAME)
# The acronym as a law the notice is given under ("a notice under the DSA", "gemäß dem DSA", "conformément au DSA").
_UNDER_DSA = re.compile(
    r"\b(?:under|pursuant to|in accordance with|according to|as required by|gem[äa](?:ß|ss)|nach|im sinne des|"
    r"conform[ée]ment (?:au|à)|en vertu du|selon|conforme al|de acuerdo con|seg[úu]n|en virtud del|ai sensi del|"
    r"secondo|volgens|krachtens|op grond van)[ \t]+(?:(?:the|dem|des|der|el|il|de)[ \t]+)?(?:eu[ \t]+)?" + _DSA_ACRONYM
)
_DMCA_MARKS = re.compile(r"\b512\b|penalty of perjury")
# The Act or its Regulations by name and year ("the copyright regulations" alone is any country's law).
_SG_STRONG = re.compile(
    r"copyright act 2021|copyright regulations 2021|regulation 7[89]\b|regulation 80\b|reg\.? 78\b|reg\.? 80\b|singapore copyright"
)
_TRADEMARK = re.compile(r"trade ?marks?|trade mark|®|™|registration (?:no|number)|uspto|euipo|wipo|nice class|class \d{1,2}\b")
_COPYRIGHT = re.compile(r"copyright|dmca|512\(|copyrighted")
_COUNTER = re.compile(
    r"counter[\s-]?notic|counter[\s-]?notification|restoration notice|mistake or misidentification|misidentification of the material"
    r"|consent to the jurisdiction|accept service of process|put[\s-]?back|reinstate|restore (?:my|the|our)"
)


def detect_regime(doc: Doc, subject: str = "") -> str:
    # The message's Subject counts as the body's first line ("Subject: Meldung nach Art. 16 DSA" over a body that names
    # no law); a publisher's preface does not.
    body = (f"{normalise(subject)}\n" if subject else "") + doc.lower[doc.start :]
    # A Singapore address alone does not make a Singapore notice: the Act or its Regulations must be invoked.
    if _SG_STRONG.search(body):
        return "SG_CA2021"
    # A notice that cites Art. 16 of the Regulation as its basis is a DSA notice, § 512 marks or not; one that names the
    # Regulation (or gives itself as made under the DSA) with no § 512 marks is read as one too. A § 512 notice that
    # mentions the DSA in passing ("a trusted flagger under article 22 of the DSA") stays a § 512 notice.
    if _DSA_ART_16.search(body):
        return "EU_DSA"
    if (_DSA_NAMED.search(body) or _UNDER_DSA.search(body)) and not _DMCA_MARKS.search(body):
        return "EU_DSA"
    marks = len(_TRADEMARK.findall(body))
    copyrights = len(_COPYRIGHT.findall(body))
    if marks >= 2 and copyrights == 0:
        return "TM_POLICY"
    return "US_DMCA"


def detect_kind(doc: Doc) -> str:
    body = doc.lower[doc.start :]
    hits = {m.group(0) for m in _COUNTER.finditer(body)}
    strong = any(h.startswith(("counter", "restoration", "mistake", "misidentification", "consent to")) for h in hits)
    return "counter_notice" if strong and len(hits) >= 1 and _counter_beats_takedown(body) else "claim"


def _counter_beats_takedown(body: str) -> bool:
    # A takedown quoting "counter notice" once (e.g. "the user may file a counter notice") stays a takedown.
    counter = len(re.findall(r"counter[\s-]?notic|mistake or misidentification|consent to the jurisdiction|service of process", body))
    takedown = len(
        re.findall(r"not authori[sz]ed by the copyright owner|penalty of perjury, that the information in this notification", body)
    )
    return counter >= 2 or (counter >= 1 and takedown == 0)


# --- EU_DSA, Art. 16(2) ----------------------------------------------------------------------------------------------

# The words of an explanation of illegality, in English and in the languages DSA notices come in (DE, FR, ES, IT, NL):
# the right relied on, its owner or licence, and the content called infringing or unlawful.
_EXPLAIN = re.compile(
    r"copyright|trade ?mark|infring|illegal|unlawful|right|owner|licen[cs]|author|protected|piracy|counterfeit"
    r"|urheberrecht|nutzungsrecht|rechteinhaber|schutzrecht|markenrecht|rechtswidrig|rechtsverletz|verletz|lizenz|raubkopie"
    r"|droit d'auteur|droits d'auteur|illicite|contrefa[çc]on|titulaire"
    r"|derechos? de autor|il[íi]cit|ilegal|titular"
    r"|diritto d'autore|diritti d'autore|illecit|licenza|titolare"
    r"|auteursrecht|onrechtmatig|illegaal|inbreuk|licentie|rechthebbende"
)
# A line labelled as the explanation ("Explanation:", "Begründung:", "Motif :", "Motivo:", "Motivazione:", "Toelichting:").
_EXPLAIN_LABEL = re.compile(
    r"^[ \t*_>#-]*(?:\d{1,2}[.)][ \t]*)?(?:explanation|reasons?|grounds|justification|begr(?:ü|ue)ndung|erl(?:ä|ae)uterung|motifs?"
    r"|explication|justificaci[óo]n|motivo|motivazione|spiegazione|toelichting|motivering)\b[^:\n]{0,40}[ \t*_]*:"
)


def _explanation(doc: Doc) -> Judgement:
    labelled = _labelled_explanation(doc)
    if labelled:
        return judge("substantiated_explanation", "present", doc, sranges(labelled, 2), "the explanation the notice labels as such")
    found = [
        s for s in doc.find(_EXPLAIN) if len(s.text.split()) >= 6 and not GOOD_BONA.search(s.lower) and not _CONTACT_LINE.match(s.lower)
    ]
    if found:
        return judge("substantiated_explanation", "present", doc, sranges(found, 2), "the right relied on and why the content is illegal")
    short = doc.find(_EXPLAIN)
    if short:
        return judge("substantiated_explanation", "deficient", doc, sranges(short, 1), "the explanation is not substantiated")
    return judge("substantiated_explanation", "missing", doc, [], "no explanation of why the content is illegal")


# A line of contact details ("Contact: rights@meridian.example, ..."): "rights@" names no right.
_CONTACT_LINE = re.compile(r"[ \t*_>-]*(?:contact|kontakt|e-?mail|phone|tel|address)\b[^:\n]{0,20}:")


def _labelled_explanation(doc: Doc) -> list[Sentence]:
    """The sentence under an explanation label that says what right is relied on, and the next sentence of its paragraph
    ("Begründung: Die Datei ist eine Kopie unserer Partitur ... Eine Lizenz wurde nicht erteilt.")."""
    for i, s in enumerate(doc.sentences):
        if _EXPLAIN_LABEL.match(s.lower) and len(s.text.split()) >= 6 and _EXPLAIN.search(s.lower):
            paragraph_end = doc.text.find("\n\n", s.end)
            nxt = doc.sentences[i + 1 : i + 2]
            return [s] + [n for n in nxt if paragraph_end < 0 or n.start < paragraph_end]
    return []


# Good faith / bona fide in the same languages ("in gutem Glauben", "de bonne foi", "de buena fe", "in buona fede",
# "te goeder trouw").
GOOD_BONA = re.compile(
    r"bona[\s-]*fide|good[\s-]*faith|in gutem glauben|nach bestem wissen und gewissen|de bonne foi|de buena fe|in buona fede"
    r"|te goeder trouw"
)
# Art. 16(2)(d) DSA: the notice's information and allegations believed accurate AND complete; either alone falls short.
_ACCURATE = re.compile(
    r"(?<!in)accura|(?<!in)correct|\btrue\b|truthful"
    r"|(?<!un)richtig|(?<!un)zutreffend|(?<!in)korrekt|wahrheitsgem"
    r"|(?<!in)exact|\bver[ií]dic|\besatt|\bjuist"
)
_COMPLETE = re.compile(
    r"\bcomplete\b|\bcompleteness|\bexhaustive|\bfull and (?:accurate|correct|true)|nothing (?:has been |was )?(?:left out|omitted)"
    r"|(?<!un)vollst(?:ä|ae)ndig|\bcompl[èe]t(?:e|es|a|as|o|os|i)\b|\bvolledig"
)
_NOTICE_ACCURATE = re.compile(
    r"\b(?:information|allegations?|statements?|notice|notification|contents?)\b[^.]{0,80}\b(?:is|are) (?:true|accurate|complete|correct)"
    r"|\b(?:angaben|informationen|meldung|inhalte?)\b[^.]{0,80}\b(?:sind|ist) (?:richtig|zutreffend|vollst(?:ä|ae)ndig|korrekt)"
    r"|\b(?:informations|notification|all[ée]gations)\b[^.]{0,80}\b(?:sont|est) (?:exacte|compl[èe]te|correcte)"
    r"|\b(?:informaci[óo]n|notificaci[óo]n|alegaciones)\b[^.]{0,80}\b(?:es|son) (?:exact|complet|correct|ver[íi]dic)"
    r"|\b(?:informazioni|segnalazione|notifica)\b[^.]{0,80}\b(?:sono|è) (?:esatt|complet|corrett|accurat)"
    r"|\b(?:informatie|melding|kennisgeving)\b[^.]{0,80}\b(?:is|zijn) (?:juist|volledig|correct)"
)


def _notifier_identity(doc: Doc) -> Judgement:
    signing = find_signing(doc)
    name = [(signing.start, signing.end)] if signing.status == "present" and signing.end else []
    closing = signoff(doc) if not name else None
    if closing:
        name = [(closing.start, closing.end)]  # "Katrin Vogel, Rheinklang Musikverlag GmbH, k.vogel@...": the name opens it
    emails = [(f.start, f.end) for f in doc.emails] + [(f.start, f.end) for f in doc.labelled_redactions(re.compile(r"e-?mail"))]
    if name and emails:
        return judge("notifier_identity", "present", doc, name + emails[:1], "name and email address given")
    if name or emails:
        return judge("notifier_identity", "deficient", doc, name + emails[:1], "the name or the email address is missing")
    return judge("notifier_identity", "missing", doc, [], "neither name nor email address")


def _bona_fide(doc: Doc) -> Judgement:
    found = doc.find(GOOD_BONA)
    both = [s for s in found if _ACCURATE.search(s.lower) and _COMPLETE.search(s.lower)]
    if both:
        return judge("bona_fide_statement", "present", doc, sranges(both, 1), "bona fide belief the notice is accurate and complete")
    # Good faith in one sentence and the notice affirmed accurate and complete in another ("I act in good faith." then
    # "The information in this notice is accurate and complete."): the belief is stated, in two steps.
    affirmed = [s for s in doc.find(_NOTICE_ACCURATE) if not s.lower.rstrip(" *").endswith("?")]
    complete = [s for s in affirmed if _ACCURATE.search(s.lower) and _COMPLETE.search(s.lower)]
    if found and complete:
        return judge(
            "bona_fide_statement",
            "present",
            doc,
            sranges(found, 1) + sranges(complete, 1),
            "good faith, and the notice affirmed accurate and complete",
        )
    partial = [s for s in found if _ACCURATE.search(s.lower) or _COMPLETE.search(s.lower)] + affirmed
    if found and partial:
        return judge(
            "bona_fide_statement",
            "deficient",
            doc,
            sranges(found, 1) + sranges([s for s in partial if s not in found[:1]], 1),
            "good faith is stated and the notice called accurate or complete, but not both (Art. 16(2)(d))",
        )
    if found:
        return judge(
            "bona_fide_statement",
            "deficient",
            doc,
            sranges(found, 1),
            "good faith is stated, but not that the notice is accurate and complete",
        )
    return judge("bona_fide_statement", "missing", doc, [], "no bona fide statement")


DSA: dict[str, Judge] = {
    "substantiated_explanation": _explanation,
    "exact_location": lambda d: m.material_location(d, "exact_location"),
    "notifier_identity": _notifier_identity,
    "bona_fide_statement": _bona_fide,
}

# --- SG_CA2021, reg 78(4) / reg 80(4) -----------------------------------------------------------------------------------

_SG_ADDRESS = re.compile(r"singapore\s*\(?\d{6}\)?|\bsingapore\b")
_SERVICE_ADDRESS = re.compile(r"address for service|service address")


def _identity(code: str, *, owner: bool = False) -> Judge:
    """reg 78(4)(a) / 80(4)(a): name and address; for a takedown (`owner`), also the rights owner's when the sender is
    its agent or licensee."""

    def run(doc: Doc) -> Judgement:
        signing = find_signing(doc)
        name = [(signing.start, signing.end)] if signing.status == "present" and signing.end else []
        acting = principal(doc) if owner else None
        owners = acting.address.start if acting and acting.address else -1  # the owner's address is not the sender's
        found = [f for f in doc.addresses if f.start != owners] + doc.labelled_redactions(re.compile(r"address"))
        addresses = [(f.start, f.end) for f in found]
        given = name + addresses[:2] + (acting.ranges if acting else [])
        gaps = [gap for gap, have in (("the name is missing", name), ("the address is missing", addresses)) if not have]
        gaps += [acting.gap] if acting and acting.gap else []
        if not gaps:
            return judge(code, "present", doc, given, "name and address given" + (", and the rights owner's" if acting else ""))
        if given:
            return judge(code, "deficient", doc, given, "; ".join(gaps))
        return judge(code, "missing", doc, [], "neither name nor address")

    return run


def _sg_service(doc: Doc) -> Judgement:
    service = doc.find(_SERVICE_ADDRESS)
    sg_lines = [f for f in doc.addresses if _SG_ADDRESS.search(f.value.lower())]
    if service or sg_lines:
        ranges = sranges(service, 1) + [(f.start, f.end) for f in sg_lines[:1]]
        return judge("sg_address_for_service", "present", doc, ranges, "a Singapore address is given")
    if doc.addresses:
        return judge("sg_address_for_service", "missing", doc, [], "the address is outside Singapore and no address for service is given")
    # No address at all: residence is unknown, only the identity element reports it (DOMAIN.md §2). The words judged
    # (CONTRACT.md: a present element quotes at least one span) are the sender's identification, which gives none:
    # the signing block, else the first line of the sender's first sentence (at most _OPENING characters: a sentence
    # may run on through a list of URLs).
    signing = find_signing(doc)
    own = [(signing.start, signing.end)] if signing.status == "present" and signing.end > signing.start else []
    first = next((x for x in doc.sentences if x.end > doc.start and x.text.strip()), None)
    start = max(first.start, doc.start) if first is not None else doc.start
    line_end = doc.text.find("\n", start)
    end = min(first.end if first is not None else len(doc.text), line_end if line_end > start else len(doc.text), start + _OPENING)
    return judge("sg_address_for_service", "present", doc, own or [(start, end)], "no address given; residence unknown")


_OPENING = 200


def _phone_and_email(code: str) -> Judge:
    def run(doc: Doc) -> Judgement:
        phones = [(f.start, f.end) for f in doc.phones] + [
            (f.start, f.end) for f in doc.labelled_redactions(re.compile(r"phone|tel\b|mobile"))
        ]
        emails = [(f.start, f.end) for f in doc.emails] + [(f.start, f.end) for f in doc.labelled_redactions(re.compile(r"e-?mail"))]
        if phones and emails:
            return judge(code, "present", doc, phones[:1] + emails[:1], "telephone and email given")
        if phones or emails:
            return judge(code, "deficient", doc, (phones + emails)[:2], "telephone or email is missing")
        return judge(code, "missing", doc, [], "no telephone or email")

    return run


_REMOVAL = re.compile(r"\b(?:remove|removal|take ?down|taken down|disable|delete|block)")


def _removal_request(doc: Doc) -> Judgement:
    found = [s for s in doc.find(_REMOVAL) if not s.lower.strip(" *").endswith("?")]
    if found:
        return judge("removal_request_statement", "present", doc, sranges(found, 1), "removal is requested")
    return judge("removal_request_statement", "missing", doc, [], "no request to remove or disable access")


_NOT_INFRINGING = re.compile(
    r"not (?:an )?infring|does not infringe|no infringement|is not a copy|own(?:ed)? (?:by )?(?:me|us)|licen[cs]ed"
)
_SG_COURTS = re.compile(
    r"courts? of (?:the republic of )?singapore|singapore(?:an)? courts?|singapore jurisdiction|jurisdiction of singapore"
)
_OTHER_COURTS = re.compile(r"jurisdiction|courts?\b")


def _sg_jurisdiction(doc: Doc) -> Judgement:
    """reg 80(4)(g): submission to the Singapore courts; consent to another country's courts does not fill it."""
    consent = [s for s in doc.find(_OTHER_COURTS) if c.CONSENT.search(s.lower) and not j.NEGATED.search(s.lower)]
    singapore = [s for s in consent if _SG_COURTS.search(s.lower)]
    if singapore:
        return judge("jurisdiction_consent", "present", doc, sranges(singapore, 1), "submits to the Singapore courts")
    if consent:
        return judge("jurisdiction_consent", "deficient", doc, sranges(consent, 1), "consents to other courts, not to the Singapore courts")
    return judge("jurisdiction_consent", "missing", doc, [], "no submission to the Singapore courts")


_SG_MISTAKE = re.compile(r"mistake|misidentif|mis-identif|in error\b|erroneous|wrongly")


def _sg_mistake(doc: Doc) -> Judgement:
    """reg 80(4)(f): a good-faith belief of mistake or misidentification, or that the copy is not infringing; no oath is
    required (a false statement is an offence under s 324 instead)."""
    found = [s for s in doc.find(_SG_MISTAKE) if not s.lower.strip(" *").endswith("?")]
    found += [s for s in doc.find(_NOT_INFRINGING) if not s.lower.strip(" *").endswith("?")]
    believed = [s for s in found if j.GOOD_FAITH.search(s.lower) or re.search(r"\bbelie(?:f|ve)", s.lower)]
    if believed:
        return judge(
            "mistake_statement", "present", doc, sranges(believed, 2), "good-faith belief of mistake, or that it is not infringing"
        )
    if found:
        return judge(
            "mistake_statement",
            "deficient",
            doc,
            sranges(found, 2),
            "mistake or non-infringement is claimed, but not as a good-faith belief",
        )
    return judge("mistake_statement", "missing", doc, [], "no statement of mistake, misidentification or non-infringement")


def _accuracy(doc: Doc) -> Judgement:
    found = [s for s in doc.find(j.ACCURACY) if not s.lower.strip(" *").endswith("?")]
    if found:
        return judge("accuracy_statement", "present", doc, sranges(found, 1), "the information is stated to be accurate")
    return judge("accuracy_statement", "missing", doc, [], "no statement that the information is accurate")


SG_NOTICE: dict[str, Judge] = {
    "complainant_identity": _identity("complainant_identity", owner=True),
    "sg_address_for_service": _sg_service,
    "contact_information": _phone_and_email("contact_information"),
    "work_identification": m.work_identification,
    "material_location": m.material_location,
    "removal_request_statement": _removal_request,
    "signature": j.signature,
}
SG_RESTORATION: dict[str, Judge] = {
    "subscriber_identity": _identity("subscriber_identity"),
    "sg_address_for_service": _sg_service,
    "subscriber_contact": _phone_and_email("subscriber_contact"),
    "material_identification": c.material_identification,
    "mistake_statement": _sg_mistake,
    "jurisdiction_consent": _sg_jurisdiction,
    "accuracy_statement": _accuracy,
    "signature": j.signature,
}

# --- TM_POLICY ------------------------------------------------------------------------------------------------------------

MARK = re.compile(
    r"(?:trade ?mark|mark)\s*(?:is\s+|:\s*)?[\"“']([^\n\"”']{2,60})[\"”']"
    r"|(?:trade ?mark|mark)\s*(?:is|:)\s+([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4})"
    r"|[\"“']([^\n\"”']{2,40})[\"”']\s*(?:®|™|trade ?mark|mark)|(\b[A-Z][\w-]{1,30})\s*[®™]"
)
REG_NO = re.compile(r"(?:registration|reg\.?)\s*(?:no\.?|number|#)\s*[:.]?\s*([A-Z]{0,4}[\d][\d ,./-]{3,20}\d)", re.IGNORECASE)
REGISTRY = re.compile(r"\b(uspto|euipo|ukipo|ipos|wipo|madrid|cnipa|jpo|kipo|dpma|inpi|cipo|ip australia)\b", re.IGNORECASE)
NICE = re.compile(r"\b(?:nice\s+)?class(?:es)?\s*(?:no\.?)?\s*:?\s*(\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})*)", re.IGNORECASE)
_GOODS = re.compile(r"goods|services|products|software|clothing|apparel|covering|registered for")
_TM_TYPE = re.compile(r"\b(?:confus|counterfeit|fake|imperson|pretend|username|user name|passing off|mislead|likelihood of)")


def _mark(doc: Doc) -> Judgement:
    m = MARK.search(doc.text, doc.start)
    if m:
        return judge("mark", "present", doc, [(m.start(), m.end())], "the mark is named")
    found = doc.find(re.compile(r"trade ?mark"))
    if found:
        return judge("mark", "deficient", doc, sranges(found, 1), "a trademark is mentioned but the mark is not named")
    return judge("mark", "missing", doc, [], "no mark named")


def _registration(doc: Doc) -> Judgement:
    number = REG_NO.search(doc.text, doc.start)
    registry = REGISTRY.search(doc.text, doc.start)
    ranges = [(m.start(), m.end()) for m in (number, registry) if m]
    if number and registry:
        return judge("registration", "present", doc, ranges, "registration number and registry")
    if ranges:
        return judge("registration", "deficient", doc, ranges, "the registration number or registry is missing")
    return judge("registration", "missing", doc, [], "no registration")


def _goods(doc: Doc) -> Judgement:
    classes = NICE.search(doc.text, doc.start)
    goods = [s for s in doc.find(_GOODS) if "class" in s.lower or "registered" in s.lower or "cover" in s.lower]
    if classes and goods:
        return judge("goods_services", "present", doc, [(classes.start(), classes.end()), *sranges(goods, 1)], "classes and goods")
    if classes or goods:
        return judge(
            "goods_services",
            "deficient",
            doc,
            ([(classes.start(), classes.end())] if classes else []) + sranges(goods, 1),
            "classes or goods missing",
        )
    return judge("goods_services", "missing", doc, [], "no classes or goods")


def _infringement(doc: Doc) -> Judgement:
    found = doc.find(_TM_TYPE) or [s for s in doc.find(re.compile(r"infring|unauthori[sz]ed use|without (?:permission|authori)"))]
    if found:
        return judge("infringement_description", "present", doc, sranges(found, 2), "how the use infringes")
    return judge("infringement_description", "missing", doc, [], "no description of the infringement")


def _tm_contact(doc: Doc) -> Judgement:
    signing = find_signing(doc)
    name = [(signing.start, signing.end)] if signing.status == "present" and signing.end else []
    emails = [(f.start, f.end) for f in doc.emails] + [(f.start, f.end) for f in doc.labelled_redactions(re.compile(r"e-?mail"))]
    addresses = [(f.start, f.end) for f in doc.addresses] + [(f.start, f.end) for f in doc.labelled_redactions(re.compile(r"address"))]
    if name and emails and addresses:
        return judge("contact_information", "present", doc, name + emails[:1] + addresses[:1], "name, email and address")
    if name or emails or addresses:
        return judge("contact_information", "deficient", doc, name + emails[:1] + addresses[:1], "name, email or address missing")
    return judge("contact_information", "missing", doc, [], "no contact details")


def _tm_accuracy(doc: Doc) -> Judgement:
    found = [s for s in doc.find(j.ACCURACY) if not s.lower.strip(" *").endswith("?")]
    if found:
        return judge("accuracy_authority_statement", "present", doc, sranges(found, 1), "the information is accurate")
    return judge("accuracy_authority_statement", "missing", doc, [], "no accuracy statement")


TM: dict[str, Judge] = {
    "mark": _mark,
    "registration": _registration,
    "goods_services": _goods,
    "material_location": m.material_location,
    "infringement_description": _infringement,
    "contact_information": _tm_contact,
    "good_faith_statement": j.good_faith_statement,
    "accuracy_authority_statement": _tm_accuracy,
    "signature": j.signature,
}

US_NOTICE: dict[str, Judge] = {
    "signature": j.signature,
    "work_identification": m.work_identification,
    "material_location": m.material_location,
    "contact_information": contact.contact_information,
    "good_faith_statement": j.good_faith_statement,
    "accuracy_authority_statement": j.accuracy_authority_statement,
}
US_COUNTER: dict[str, Judge] = {
    "signature": j.signature,
    "material_identification": c.material_identification,
    "mistake_statement": c.mistake_statement,
    "subscriber_contact": c.subscriber_contact,
    "jurisdiction_consent": c.jurisdiction_consent,
    "service_acceptance": c.service_acceptance,
}

NOTICE_JUDGES: dict[str, dict[str, Judge]] = {"US_DMCA": US_NOTICE, "EU_DSA": DSA, "SG_CA2021": SG_NOTICE, "TM_POLICY": TM}
COUNTER_JUDGES: dict[str, dict[str, Judge]] = {"US_DMCA": US_COUNTER, "SG_CA2021": SG_RESTORATION}
