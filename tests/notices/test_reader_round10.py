"""Table tests for the tenth round's rules (issue 20), in short synthetic texts of our own: the material said in so many
words to hand out keys; source code said to belong to the sender; a broadcaster's channels named after "including";
the prongs of a belief named after "for use"; a reply address given in the sentence and redacted; copyright materials
listed in brackets; a heading that promises programmes and gives only links. Each new reading stands beside the
ordinary notice it must not catch."""

from __future__ import annotations

import pytest

from tests.notices.synthetic import form, judged, letter

CLOSE = "Regards,\nMira Okafor\nmira@quillworks.example"
SOFTWARE = "Quillworks is the developer of Quill Antivirus and Quill Backup. Our software is closed-source and sold at quillworks.example."
GISTS = "https://gist.github.com/someone/0a1b2c3d\nhttps://gist.github.com/other/4e5f6a7b"

KEYS_HANDED_OUT = [
    # the material itself is said to hand out keys: the keys, not the programs described elsewhere, are what was put up
    (form(SOFTWARE, GISTS, "The reported pages provide pirated license keys for our software.\n\n"), "deficient"),
    (form(SOFTWARE, GISTS, "This gist contains stolen activation codes for Quill Backup.\n\n"), "deficient"),
    # a crack or trial reset is a tool made for the named program (a described work, weak), not the key itself
    (form(SOFTWARE, GISTS, "Each repository contains a crack for Quill Antivirus.\n\n"), "present"),
    (form(SOFTWARE, GISTS, "The repository contains a script which resets the trial of Quill Backup.\n\n"), "present"),
    # the material also called a copy of the sender's program: a work is identified
    (
        form(SOFTWARE, GISTS, "The reported pages provide license keys and a pirated copy of our installer, reproduced in full.\n\n"),
        "present",
    ),
    # keys only mentioned as the way the program is protected: the material is not said to hold them
    (form(SOFTWARE, GISTS, "Our programs are protected with license keys; the gists copy our installer scripts.\n\n"), "present"),
]


@pytest.mark.parametrize(("text", "status"), KEYS_HANDED_OUT)
def test_material_said_to_hand_out_keys_is_no_copy_of_the_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


def test_the_keys_judgement_quotes_the_sentence_about_the_material() -> None:
    got, evidence = judged(
        form(SOFTWARE, GISTS, "The reported pages provide pirated license keys for our software.\n\n"), "work_identification"
    )
    assert got == "deficient"
    assert "provide pirated license keys" in evidence


LEAK = "https://github.com/someone/dump/blob/main/server.py"
BELONGS = [
    # keys and code taken together; the code is said to be the sender's own: a work described (weak)
    (
        letter(
            f"Someone took our access keys and the source code from one of our servers and posted them at {LEAK}. The access "
            "keys and the posted source code belong to Quillworks Ltd.",
            CLOSE,
        ),
        "present",
    ),
    # the same letter without the code's owner: keys and a server's contents, no work said to be anyone's
    (
        letter(
            f"Someone took our access keys and the server passwords from one of our servers and posted them at {LEAK}. The "
            "access keys are secret credentials.",
            CLOSE,
        ),
        "deficient",
    ),
]


@pytest.mark.parametrize(("text", "status"), BELONGS)
def test_source_code_said_to_belong_to_the_sender_is_a_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


PLAYLIST = "https://gist.github.com/someone/9a8b7c6d/raw"
AGENT = "Signalguard acts for Northwind Media to protect its copyrights and trademarks associated with its television channels"
CHANNELS = [
    # a broadcaster's channels named one by one after "including": named works (labelling convention: a weak present)
    (
        letter(
            f"{AGENT}, including but not limited to Northwind One, Northwind Kids, Northwind Sport 2, Tideway Films "
            f'(collectively, the "Channels"). The following URL gives unauthorised access to the Channels: {PLAYLIST}',
            CLOSE,
        ),
        "present",
    ),
    # the channels in general, never named: a service reached by a tool, no work
    (
        letter(
            f'{AGENT} (the "Channels"). The following URL gives unauthorised access to the Channels through an IPTV playlist: {PLAYLIST}',
            CLOSE,
        ),
        "deficient",
    ),
]


@pytest.mark.parametrize(("text", "status"), CHANNELS)
def test_channels_named_after_including_are_named_works(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


WORK = "Our novel Tern Bay, which I wrote, is copied at https://github.com/someone/books/blob/main/tern-bay.md."
SWORN = "I swear, under penalty of perjury, that the information in this notice is accurate and that I am authorized to act for the owner."
PRONGS = [
    # who did not authorise is named after the use the sentence speaks of
    (
        f"Hello,\n\n{WORK}\n\nI have a good faith belief that the novel has not been authorized for use as part of the "
        f"files by the copyright owner, its agent, or the law.\n\n{SWORN}\n\n{CLOSE}\n",
        "present",
    ),
    # the same sentence with the owner alone: still deficient
    (
        f"Hello,\n\n{WORK}\n\nI have a good faith belief that the novel has not been authorized for use as part of the "
        f"files by the copyright owner.\n\n{SWORN}\n\n{CLOSE}\n",
        "deficient",
    ),
    # "for use" after the prongs still ends them: the law named later in the sentence is about something else
    (
        f"Hello,\n\n{WORK}\n\nI have a good faith belief that the novel is not authorized by the copyright owner for use "
        f"on the site, which breaks the law.\n\n{SWORN}\n\n{CLOSE}\n",
        "deficient",
    ),
]


@pytest.mark.parametrize(("text", "status"), PRONGS)
def test_prongs_named_after_for_use_count(text: str, status: str) -> None:
    got, evidence = judged(text, "good_faith_statement")
    assert got == status, evidence


STATEMENTS = "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law. " + SWORN
REPLY_TO = [
    # the reply address is given in the sentence and redacted by the publisher: a channel (redacted channels count)
    (
        f"Dear Sir or Madam:\n\n{WORK}\n\n{STATEMENTS}\n\nPlease confirm that you have removed the novel, or reply with "
        "any queries to [private].\n\nSincerely,\n\n[private]\n\n[private]\n",
        "present",
    ),
    # no address given anywhere: a closing name and title are no channel
    (
        f"Dear Sir or Madam:\n\n{WORK}\n\n{STATEMENTS}\n\nPlease confirm that you have removed the novel, or reply at "
        "your earliest convenience.\n\nSincerely,\n\n[private]\n\n[private]\n",
        "missing",
    ),
]


@pytest.mark.parametrize(("text", "status"), REPLY_TO)
def test_a_redacted_reply_address_is_a_channel(text: str, status: str) -> None:
    got, evidence = judged(text, "contact_information")
    assert got == status, evidence


EX_EMPLOYEE = "A former employee of Quillworks working on the Harbour project has posted"
BRACKETED = [
    # copyright materials listed in brackets, source code first: the sender's code is a work, whatever else is listed
    (
        letter(
            f"{EX_EMPLOYEE} Quillworks copyright materials (source code, configurations and other sensitive information) "
            "on his account: https://github.com/someone/harbour",
            CLOSE,
        ),
        "present",
    ),
    # only the sensitive information: no work
    (
        letter(f"{EX_EMPLOYEE} confidential business information on his account: https://github.com/someone/harbour", CLOSE),
        "deficient",
    ),
]


@pytest.mark.parametrize(("text", "status"), BRACKETED)
def test_copyright_materials_in_brackets_are_the_senders_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


HEADING = (
    "Northwind Media has rights in the content it broadcasts. The content in which its rights are infringed includes the "
    "following programme(s) broadcast on the Channel, on the following URLs:\n\n"
)
EMPTY_SLOT = [
    # the programmes promised are never named: only the link follows
    (letter(f"{HEADING}https://github.com/someone/tv/blob/main/live.m3u", CLOSE), "deficient"),
    (
        letter(f"{HEADING} \n\nhttps://github.com/someone/apps/blob/main/tv.apk\nhttps://github.com/someone/apps/blob/main/tv2.apk", CLOSE),
        "deficient",
    ),
    # a redacted line where the programmes go fills the slot (labelling convention: a redaction in the slot counts)
    (letter(f"{HEADING}[private]\n\nhttps://github.com/someone/tv/blob/main/live.m3u", CLOSE), "present"),
    # a programme named in its slot
    (letter(f"{HEADING}Harbour Lights, season 2\n\nhttps://github.com/someone/tv/blob/main/live.m3u", CLOSE), "present"),
]


@pytest.mark.parametrize(("text", "status"), EMPTY_SLOT)
def test_programmes_promised_but_never_named_are_no_work(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


# A fresh-eyes review's texts (each read wrongly by a first draft of this round's rules, or the case it was written to
# catch): keys named as a kind of program or found inside the sender's own application; a colon ending a sentence
# about infringement; third parties' redacted names; three-item channel lists and channels that are no broadcaster's;
# "copyright" in "copyright infringing"; titles in the file names, the heading or beside the links; CRLF mail.

REVIEW_STATEMENTS = (
    "I have a good faith belief that use of the material is not authorized by the copyright owner, "
    "its agent, or the law.\n"
    "I swear, under penalty of perjury, that the information in this notification is accurate and "
    "that I am authorized to act on behalf of the owner.\n"
    "\n"
    "/s/ Jane Doe\n"
)


def _review(body: str) -> str:
    return f"Dear GitHub,\n\n{body}{REVIEW_STATEMENTS}"


REVIEWED = [
    (
        _review(
            "The repository below publishes serial numbers for our software. These license keys for the "
            "software belong to Acme Inc. and may not be shared.\n"
            "\n"
            "https://github.com/badguy/keys/blob/main/keys.txt\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "deficient",
    ),
    (
        _review(
            "The repository at the URL below is our company's internal billing application. The files "
            "contain the API keys and database passwords for our production systems.\n"
            "\n"
            "https://github.com/badguy/billing\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "present",
    ),
    (
        _review(
            "The repository hosts our password manager, KeyVault, which is sold under a commercial licence.\n"
            "\n"
            "https://github.com/badguy/keyvault\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "present",
    ),
    (
        _review(
            "The repository contains code generating valid license keys for Acme Studio, our commercial photo editor.\n"
            "\n"
            "https://github.com/badguy/acme-gen\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "present",
    ),
    (
        _review(
            "The repository contains our proprietary trading algorithm. The files contain API keys for our "
            "brokerage account.\n"
            "\n"
            "https://github.com/badguy/trader\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "present",
    ),
    (
        _review(
            "The repository below publishes our customer records and the database passwords of our servers. "
            "The source code repository belongs to a former contractor, who uploaded the customer records "
            "after his contract ended.\n"
            "\n"
            "https://github.com/badguy/acme-dump\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "deficient",
    ),
    (
        "Dear GitHub,\n"
        "\n"
        "The repository https://github.com/badguy/acme-clone/blob/main/src/engine.c is a copy of our "
        "Acme engine source code.\n"
        "\n"
        "Contact: legal@acme.example\n"
        "\n"
        "I have a good faith belief that the use of this material infringes our copyright and is not "
        "permitted: the copyright owner is Acme, and the law protects its work.\n"
        "I swear, under penalty of perjury, that the information in this notification is accurate and "
        "that I am authorized to act on behalf of the owner.\n"
        "\n"
        "/s/ Jane Doe\n",
        "good_faith_statement",
        "deficient",
    ),
    (
        "Dear GitHub,\n"
        "\n"
        "The repository https://github.com/badguy/acme-clone/blob/main/src/engine.c is a copy of our "
        "Acme engine source code.\n"
        "\n"
        "Contact: legal@acme.example\n"
        "\n"
        "I have a good faith belief that the use of this material is not authorized for use as part of "
        "that repository by the copyright owner, its agent, or the law.\n"
        "I swear, under penalty of perjury, that the information in this notification is accurate and "
        "that I am authorized to act on behalf of the owner.\n"
        "\n"
        "/s/ Jane Doe\n",
        "good_faith_statement",
        "present",
    ),
    (
        "Dear GitHub,\n"
        "\n"
        "The file https://github.com/badguy/acme-clone/blob/main/src/engine.c is a copy of our Acme "
        "engine source code. Please reply with any queries to [private].\n"
        "\n"
        "I have a good faith belief that use of the material is not authorized by the copyright owner, "
        "its agent, or the law.\n"
        "I swear, under penalty of perjury, that the information in this notification is accurate and "
        "that I am authorized to act on behalf of the owner.\n"
        "\n"
        "Jane Doe\n",
        "contact_information",
        "present",
    ),
    (
        "Dear GitHub,\n"
        "\n"
        "The repository https://github.com/badguy/acme-clone/blob/main/src/engine.c is a copy of our "
        "Acme engine source code. Please forward this notice to [private], who runs the account.\n"
        "\n"
        "I have a good faith belief that use of the material is not authorized by the copyright owner, "
        "its agent, or the law.\n"
        "I swear, under penalty of perjury, that the information in this notification is accurate and "
        "that I am authorized to act on behalf of the owner.\n"
        "\n"
        "Jane Doe\n",
        "contact_information",
        "missing",
    ),
    (
        "Dear GitHub,\n"
        "\n"
        "The repository https://github.com/badguy/acme-clone/blob/main/src/engine.c is a copy of our "
        "Acme engine source code. I asked him to take it down and send the files back to [private] but he refused.\n"
        "\n"
        "I have a good faith belief that use of the material is not authorized by the copyright owner, "
        "its agent, or the law.\n"
        "I swear, under penalty of perjury, that the information in this notification is accurate and "
        "that I am authorized to act on behalf of the owner.\n"
        "\n"
        "Jane Doe\n",
        "contact_information",
        "missing",
    ),
    (
        _review(
            "I write on behalf of Northstar Media Group, which owns and operates television channels, "
            "including but not limited to Northstar One, Northstar Kids, and Northstar Sport. The "
            "repository below is an IPTV add-on that lets users stream our live channels without a subscription.\n"
            "\n"
            "https://github.com/badguy/iptv-addon\n"
            "\n"
            "Contact: legal@northstar.example\n"
            "\n"
        ),
        "work_identification",
        "present",
    ),
    (
        _review(
            "I write on behalf of Northstar Media Group, which owns and operates television channels, "
            "including but not limited to Northstar One, Northstar Kids and Northstar Sport. The repository "
            "below is an IPTV add-on that lets users stream our live channels without a subscription.\n"
            "\n"
            "https://github.com/badguy/iptv-addon\n"
            "\n"
            "Contact: legal@northstar.example\n"
            "\n"
        ),
        "work_identification",
        "present",
    ),
    (
        _review(
            "The repository below publishes confidential business information of Acme Corp. It has also "
            "been spread through other channels, such as Telegram, Discord, Reddit and several forums.\n"
            "\n"
            "https://github.com/badguy/acme-leak\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "deficient",
    ),
    (
        _review(
            "Confidential business information of Acme Corp has been published without permission. Please "
            "take down this copyright infringing repository:\n"
            "\n"
            "https://github.com/badguy/acme-leak\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "deficient",
    ),
    (
        _review(
            "Confidential customer data of Acme Corp was posted in the project below. We report a copyright "
            "violation in the project files.\n"
            "\n"
            "https://github.com/badguy/acme-leak\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "deficient",
    ),
    (
        _review(
            "The following films, owned by Acme Pictures, are made available on the following URLs:\n"
            "https://github.com/badguy/movies/blob/main/Harbour.Lights.2019.1080p.mkv\n"
            "https://github.com/badguy/movies/blob/main/The.Last.Ferry.2021.720p.mp4\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "present",
    ),
    (
        _review(
            'Our programmes "Morning Round" and "Late Talk" are among the following programmes streamed on '
            "the following URLs:\n"
            "https://github.com/badguy/tv/blob/main/stream1.m3u\n"
            "https://github.com/badguy/tv/blob/main/stream2.m3u\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "present",
    ),
    (
        _review(
            "Acme TV owns the following programmes, broadcast on Acme One, which are streamed on the following URLs:\n"
            "https://github.com/badguy/tv/blob/main/stream1.m3u  (Morning Round, episode 12)\n"
            "https://github.com/badguy/tv/blob/main/stream2.m3u  (Late Talk, episode 3)\n"
            "\n"
            "Contact: legal@acme.example\n"
            "\n"
        ),
        "work_identification",
        "present",
    ),
    (
        "Dear Sir/Madam,\r\n"
        "\r\n"
        "We act for Acme TV. We have found the following programme(s) broadcast on the Channel, on the "
        "following URLs:\r\n"
        "https://github.com/badguy/tv/blob/main/stream1.m3u\r\n"
        "https://github.com/badguy/tv/blob/main/stream2.m3u\r\n"
        "\r\n"
        "Contact: legal@acme.example\r\n"
        "\r\n"
        "I have a good faith belief that use of the material is not authorized by the copyright owner, "
        "its agent, or the law.\r\n"
        "I swear, under penalty of perjury, that the information in this notification is accurate and "
        "that I am authorized to act on behalf of the owner.\r\n"
        "\r\n"
        "/s/ Jane Doe\r\n",
        "work_identification",
        "deficient",
    ),
]


@pytest.mark.parametrize(("text", "code", "status"), REVIEWED)
def test_the_reviews_texts(text: str, code: str, status: str) -> None:
    got, evidence = judged(text, code)
    assert got == status, evidence


# A second review's texts (the whole session's change): "for use" with no "by" after it still ends the prongs; "their
# channels, such as" social media names no broadcast; a crack-free key notice that also names server details; working
# keys; software said to belong to the other side; a programme named before the heading; a request reported, not made.
SECOND_REVIEW = [
    (
        f"Hello,\n\n{WORK}\n\nI have a good faith belief that the novel is not authorized for use on this site and infringes "
        f"the rights of the copyright owner, its agent and the law.\n\n{SWORN}\n\n{CLOSE}\n",
        "good_faith_statement",
        "deficient",
    ),
    (
        letter(
            "Confidential business information of Quillworks Ltd has been published at https://github.com/someone/leak and "
            "spread through their channels, such as Telegram, Discord, Reddit and several forums.",
            CLOSE,
        ),
        "work_identification",
        "deficient",
    ),
    (
        form(SOFTWARE, GISTS, "The reported pages provide pirated license keys and server details for our software.\n\n"),
        "work_identification",
        "deficient",
    ),
    (form(SOFTWARE, GISTS, "The reported pages provide working license keys for Quill Backup.\n\n"), "work_identification", "deficient"),
    (
        form(
            SOFTWARE,
            GISTS,
            "The reported pages provide license keys for Quill Backup. The software belongs to the user, but the keys are ours.\n\n",
        ),
        "work_identification",
        "deficient",
    ),
    (
        letter(
            "Northwind Media owns the series Harbour Lights, which it broadcasts. We found the following programme(s) "
            "broadcast on the Channel, on the following URLs:\n\nhttps://github.com/someone/tv/blob/main/live.m3u",
            CLOSE,
        ),
        "work_identification",
        "present",
    ),
    (
        f"Dear Sir or Madam:\n\n{WORK}\n\n{STATEMENTS}\n\nWe asked the user to remove the novel or respond to [private] within "
        "a week.\n\nSincerely,\n\n[private]\n\n[private]\n",
        "contact_information",
        "missing",
    ),
]


@pytest.mark.parametrize(("text", "code", "status"), SECOND_REVIEW)
def test_the_second_reviews_texts(text: str, code: str, status: str) -> None:
    got, evidence = judged(text, code)
    assert got == status, evidence
