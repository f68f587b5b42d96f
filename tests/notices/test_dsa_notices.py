"""Table tests: a DSA Art. 16 notice is told by the ways it names itself (EN, DE, FR, ES, IT, NL), a § 512 notice that
mentions the DSA in passing stays one, and a German notice's explanation, bona fide statement and notifier are found
(DOMAIN.md §2, EU_DSA). Short synthetic notices in our own words."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice

URL = "https://github.com/copyhub/scores/blob/main/wellen.pdf"
SWORN = (
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law. I swear, "
    "under penalty of perjury, that the information in this notification is accurate and that I am authorized to act "
    "on behalf of the owner."
)


@pytest.mark.parametrize(
    "head",
    [
        "Meldung gemäß Art. 16 des Gesetzes über digitale Dienste (DSA)",
        "Notice under Article 16 of the DSA",
        "Notice under Art. 16 DSA",
        "Art. 16 Abs. 1 DSA: Meldung rechtswidriger Inhalte",
        "Notice pursuant to Article 16(1) of Regulation (EU) 2022/2065",
        "Notice under the Digital Services Act",
        "Notification au titre de l'article 16 du règlement sur les services numériques",
        "Notificación conforme al artículo 16 del Reglamento de Servicios Digitales",
        "Segnalazione ai sensi dell'articolo 16 del regolamento sui servizi digitali",
        "Segnalazione ai sensi della legge sui servizi digitali",
        "Melding op grond van artikel 16 van de Digitale-dienstenverordening",
        "We send this notice under the DSA",
    ],
)
def test_a_notice_naming_itself_a_dsa_notice_is_read_as_one(head: str) -> None:
    text = f"{head}.\n\nThe file {URL} copies our score.\n\nKatrin Vogel\nk.vogel@rheinklang.example\n"
    assert read_notice(text).regime == "EU_DSA"


@pytest.mark.parametrize(
    "passing",
    [
        "We are a trusted flagger under Article 22 of the DSA.",
        "This notice is sent under 17 U.S.C. § 512(c) and, where it applies, the EU Digital Services Act (DSA).",
        "See article 16 of our licence; the Digital Services Act also applies to you.",
        "Our repository DSA-Notes was copied file by file.",  # a repository's name, not the Regulation
        # another instrument's article 16 in the same sentence as the DSA (a review's cases)
        "Article 16 of our licence forbids any redistribution, and as a trusted flagger under the DSA we ask for priority.",
        "Clause 4 and Article 16 of the Berne Convention aside, we are a trusted flagger under the DSA.",
        "Under article 16 of your hosting agreement you must respond within 48 hours (see also the DSA).",
    ],
)
def test_a_dmca_notice_mentioning_the_dsa_in_passing_stays_one(passing: str) -> None:
    text = f"{passing}\n\nThe file {URL} copies our score.\n\n{SWORN}\n\nKatrin Vogel\nk.vogel@rheinklang.example\n"
    assert read_notice(text).regime == "US_DMCA"


GERMAN = (
    "Betreff: Meldung gemäß Art. 16 des Gesetzes über digitale Dienste (DSA)\n\n"
    "Sehr geehrte Damen und Herren,\n\n"
    "hiermit melde ich folgende rechtswidrige Inhalte:\n\n"
    f"{URL}\n\n"
    "Begründung: Die Datei ist eine vollständige Kopie unserer Partitur „Wellen am Rhein“, an der die Rheinklang "
    "Musikverlag GmbH die ausschließlichen Nutzungsrechte hält. Eine Lizenz wurde nicht erteilt.\n\n"
    "Ich erkläre in gutem Glauben, dass die Angaben in dieser Meldung richtig und vollständig sind.\n\n"
    "Mit freundlichen Grüßen\n"
    "Katrin Vogel, Rheinklang Musikverlag GmbH, k.vogel@rheinklang.example\n"
)


@pytest.mark.parametrize("regime", [None, "EU_DSA"])
def test_a_german_dsa_notice_has_every_element(regime: str | None) -> None:
    reading = read_notice(GERMAN, regime=regime)
    assert reading.regime == "EU_DSA"
    assert {j.code: j.status for j in reading.judgements} == {
        "substantiated_explanation": "present",
        "exact_location": "present",
        "notifier_identity": "present",
        "bona_fide_statement": "present",
    }
    explanation = reading.judgement("substantiated_explanation").evidence[0].quote
    assert explanation.startswith("Begründung: Die Datei ist eine vollständige Kopie")
    assert "in gutem Glauben" in reading.judgement("bona_fide_statement").evidence[0].quote
    assert reading.fields["statements"]["bona_fide"] is True


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Ich erkläre in gutem Glauben, dass die Angaben richtig und vollständig sind.", "present"),
        ("Ich erkläre in gutem Glauben, dass die Angaben richtig sind.", "deficient"),  # not said complete
        ("Je déclare de bonne foi que les informations de cette notification sont exactes et complètes.", "present"),
        ("Declaro de buena fe que la información es exacta y completa.", "present"),
        ("Dichiaro in buona fede che le informazioni sono esatte e complete.", "present"),
        ("Ik verklaar te goeder trouw dat de informatie juist en volledig is.", "present"),
    ],
)
def test_the_bona_fide_statement_in_the_notifiers_language(statement: str, expected: str) -> None:
    text = GERMAN.replace("Ich erkläre in gutem Glauben, dass die Angaben in dieser Meldung richtig und vollständig sind.", statement)
    assert read_notice(text, regime="EU_DSA").judgement("bona_fide_statement").status == expected


def test_the_german_notices_work_and_notifier_fields() -> None:
    fields = read_notice(GERMAN).fields
    assert fields["works"][0]["title"] == "Wellen am Rhein"
    assert fields["works"][0]["description"].startswith("Die Datei ist eine vollständige Kopie")  # without "Begründung:"
    assert fields["complainant"] == {
        "name": "Katrin Vogel",
        "organization": "Rheinklang Musikverlag GmbH",
        "email": "k.vogel@rheinklang.example",
    }


def test_a_contact_line_is_no_explanation() -> None:
    # "rights@" in an address names no right relied on.
    text = (
        f"Notice under Article 16 of the DSA.\n\nThe file {URL} copies our score without a licence.\n\n"
        "I state in good faith that this notice is accurate and complete.\n\n"
        "Contact: rights@rheinklang.example, +49 30 1234567, Seestrasse 4, 10115 Berlin\n"
    )
    quotes = [s.quote for s in read_notice(text, regime="EU_DSA").judgement("substantiated_explanation").evidence]
    assert quotes and not any("rights@" in q for q in quotes)
