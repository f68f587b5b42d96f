"""Table tests for the eleventh round's rules (issue 20), in short synthetic texts of our own: a cracked version of a
named program is a copy of it; "product code" is code, not a product key; what was hacked to reach the code is not the
material; code put up "not only" with credentials; signatures written as "The signature of my ... name: [private]",
"/#[private]#/", a closing "My name is [private] tel: ..." and a closing word with full-width punctuation; a user's page
on a configured platform as a whole account. Each new reading stands beside the ordinary notice it must not catch."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice
from tests.notices.synthetic import GOOD_FAITH, SWORN, form, judged, letter

CLOSE = "Regards,\nMira Okafor\nmira@quillworks.example"
SOFTWARE = "Quill Backup, our desktop backup program, sold at https://quillworks.example/backup."
REPOS = "https://github.com/someone/quill-backup-pro\nhttps://github.com/other/quill-backup-free"

TPM = "Our technical measures include license key verification and periodic activation checks.\n\n"
WORK = [
    # a cracked version of the named program is a copy of it (weak present), not a key, whatever keys guard it
    (form(SOFTWARE, REPOS, TPM + "These repositories distribute cracked versions of Quill Backup.\n\n"), "present"),
    (form(SOFTWARE, REPOS, TPM + "They are now releasing cracked copies of our program.\n\n"), "present"),
    # the keys themselves handed out stay deficient
    (form(SOFTWARE, REPOS, TPM + "The reported repositories provide pirated license keys for our software.\n\n"), "deficient"),
    # "product code" is the product's source code, not a product key
    (
        letter(
            "The files at https://github.com/someone/dump/blob/main/core.c are copies of Quillworks' product code, which has "
            "never been published.\n\nProduct code owned by Quillworks",
            CLOSE,
        ),
        "present",
    ),
    # the password was the way in, the uploaded code is the material
    (
        form("It is not posted online: someone hacked our gitlab user name and password and uploaded it to github.", REPOS),
        "present",
    ),
    # hacked keys or passwords handed out are still the secret
    (form(SOFTWARE, REPOS, "The repositories share hacked license keys for Quill Backup.\n\n"), "deficient"),
    (form("Hackers published the hacked account passwords and credentials of our staff.", REPOS), "deficient"),
    # a form answer that names only passwords is still no work
    (form("The user name and password of our gitlab server.", REPOS), "deficient"),
    # the code put up "not only" with credentials: the code is a work described
    (
        letter(
            "The repository https://github.com/someone/quill-mobile holds our mobile app. This not only includes the "
            "unmodified code base, but private sensitive credentials as well.\n\nUses our App ID and iOS credentials: "
            "https://github.com/someone/quill-mobile/blob/main/ios/Info.plist",
            CLOSE,
        ),
        "present",
    ),
    # the material said to be the code, in so many words, with the keys in it
    (
        letter(
            "Someone posted https://github.com/someone/quill-site. This is the source code and API keys for quillworks.example. "
            "Our private API keys were published without our consent.",
            CLOSE,
        ),
        "present",
    ),
    (
        letter(
            "The repository https://github.com/someone/quill-site holds the API keys for quillworks.example. "
            "Our private API keys were published without our consent.",
            CLOSE,
        ),
        "deficient",
    ),
    # credentials alone, no code: still the secret
    (
        letter(
            "The file https://github.com/someone/conf/blob/main/.env holds our database passwords and credentials. Leaked "
            "credentials put our customers at risk.",
            CLOSE,
        ),
        "deficient",
    ),
]


@pytest.mark.parametrize(("text", "status"), WORK)
def test_cracked_copies_product_code_and_the_way_in_are_no_secret(text: str, status: str) -> None:
    got, evidence = judged(text, "work_identification")
    assert got == status, evidence


KEYS = (
    "The repository https://github.com/someone/quill-site holds the API keys for quillworks.example. {said} "
    "Our private API keys were published without our consent."
)


@pytest.mark.parametrize(
    ("said", "status"),
    [
        # the material said NOT to be code (any negation the code-is-described rules read): still only the keys
        ("This is not the source code of quillworks.example.", "deficient"),
        ("It does not contain the source code of our site.", "deficient"),
        ("The repository has no source code of ours in it.", "deficient"),
        # said to be code, it is the work described, with the keys in it
        ("It is the source code of quillworks.example.", "present"),
        ("It contains the full source code for our site.", "present"),
    ],
)
def test_material_said_not_to_be_code_is_not_described_as_code(said: str, status: str) -> None:
    got, evidence = judged(letter(KEYS.format(said=said), CLOSE), "work_identification")
    assert got == status, evidence


BODY = "Our photographs are copied at https://github.com/someone/pics/tree/main/harbour without licence."
HEAD = f"Hello,\n\n{BODY}\n\n{GOOD_FAITH}\n\n{SWORN}\n\n"
SIGNED = [
    (HEAD + "Contact: [private]\n\nThe signature of my legal first and last name: [private]\n", "present"),
    (HEAD + "My electronic signature follows:\n\nSincerely,\n\n/#[private]#/\nharbourpics.example\n", "present"),
    (HEAD + "My name is [private] tel:[private]\n", "present"),
    (HEAD + "My name is [private]\r\nEmail: [private]\r\n", "present"),
    (HEAD + "Best Regards！\n\n[private]\n\n[logo]\n\n----------\n\n手机： [private]\n邮箱： [private]\n网站： example.cn\n", "present"),
    # still a company name alone, and still nothing at all
    (HEAD + "Sincerely,\n\nHarbour Pictures Ltd.\n", "deficient"),
    (HEAD, "missing"),
    # named only in the opening, nothing closing: deficient as before
    (f"My name is Jane Roe\nI write about our photographs.\n\n{BODY}\n\n{GOOD_FAITH}\n\n{SWORN}\n", "deficient"),
]


@pytest.mark.parametrize(("text", "status"), SIGNED)
def test_signature_written_in_other_ways(text: str, status: str) -> None:
    got, evidence = judged(text, "signature")
    assert got == status, evidence


ACCOUNT = (
    "To the designated agent,\n\nI own the photographs at https://harbour.example/gallery. The user account "
    "{url} posts them; please disable the whole account.\n\nContact: jane@harbour.example\n\n"
    f"{GOOD_FAITH}\n\n{SWORN}\n\nJane Roe\n"
)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://videos.example.com/user/thief123", "deficient"),
        ("https://videos.example.com/@thief123", "deficient"),
        ("https://videos.example.com/channel/UC123abc", "deficient"),
        # a specific video on the same platform is the material
        ("https://videos.example.com/watch/abc123", "present"),
        ("https://videos.example.com/user/thief123/videos/abc123", "present"),
        # a file link that merely sits under such a path (a file host's "/u/", "/members/x.jpg")
        ("https://videos.example.com/u/AbC123xy", "present"),
        ("https://videos.example.com/members/harbour-at-dawn.jpg", "present"),
    ],
)
def test_a_users_page_on_the_configured_platform_is_a_whole_account(url: str, status: str) -> None:
    reading = read_notice(ACCOUNT.format(url=url), kind="claim", platform_hosts=("videos.example.com",))
    assert reading.judgement("material_location").status == status


PLACED = "I own the photographs of Harbour Lights. The entire repository is infringing:\n\n{url}\n\nContact: jane@harbour.example"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        # a form's placeholder for the repository the sender could not name: no place is given
        ("https://github.com/unknown-user/unknown-repository", "deficient"),
        ("https://github.com/your-username/your-repository", "deficient"),
        # a file under names that look like placeholders is still a place; so are ordinary names
        ("https://github.com/myname/project/blob/main/dawn.jpg", "present"),
        ("https://github.com/theproject/myrepo", "present"),
        # ordinary repositories whose names merely contain such words
        ("https://github.com/username-lab/repo-tools", "present"),
        ("https://github.com/harbourfan/project", "present"),
    ],
)
def test_a_placeholder_repository_url_locates_nothing(url: str, status: str) -> None:
    got, evidence = judged(letter(PLACED.format(url=url), CLOSE), "material_location")
    assert got == status, evidence
