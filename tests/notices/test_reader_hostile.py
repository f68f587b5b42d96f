"""The reader stays linear on hostile text: long runs without spaces, a line of blanks, a repository slug whose name
never ends. Each of these took seconds at 20,000 characters and grew with the square of the length (regexes that
backtrack over a run at every start), so a 900 kB paste on the import page held a worker for an hour."""

from __future__ import annotations

import time

import pytest

from ipclaims.notices.reader import read_notice

N = 60_000  # quadratic: ~18 s each before the fix; linear: well under a second

HOSTILE = {
    "word run": "a" * N,
    "digit run": "1" * N,
    "brackets": "[" * N + "]",
    "blank line": " " * N + "x",
    "slug without end": "a/" + "b" * N,
    "slug then slash": "x a/" + "b" * N + "/",
    "repository slug of digits": "repository a/" + "1" * N + "/",
    # one long line of redactions: each used to rescan its whole line (the contact and labelled-value readers)
    "a line of redactions": "[REDACTED] " * (N // 10),
    "labelled redactions on one line": "Phone: [private] " * (N // 16),
    # numbers apart by spaces before "records" (the secrets rule), a run of commas after a listed work's URL (the
    # letter's work list), and sed-like `s/A` runs (the /s/ signature)
    "spaced digits after a secret": "We claim copyright. Our passwords leaked. " + "1 " * (N // 2),
    "a work list with comma runs": "Our works are at https://example.com/a and https://example.com/b\n"
    + "".join(f'- "Title" https://example.com/{"ab"[i % 2]} and ' + ", " * 270 + "x\n" for i in range(N // 560)),
    "s/ runs": "s/A" * (N // 3),
    # the closing rules of the fourth round: a line of blanks after a full stop before a closing word, closing words
    # with commas, "I am" runs, dash runs, lone carriage returns, a message "signed using" a long run
    "blanks before a closing": ". " + " " * N + "Sincerely, Ann Lee",
    "closing word runs": ". Sincerely, " * (N // 13),
    "i am runs": "I am Ann Lee Ann Lee " * (N // 20),
    "dash runs": "-" * N + "\n-[private]",
    "carriage returns": "\r" * N + "x",
    "signed using a run": "This message is signed using " + "x" * N,
    "sensitive information runs": "sensitive information. " * (N // 23) + "x-programs " * 10,
    # a good-faith sentence cut by a very long URL list, many such sentences, and "was not removed by" runs
    "good faith before a long url list": "I have a good faith belief that the pages\n" + "- https://e.com/a\n" * (N // 18),
    "good faith lines and urls": "I believe the pages\nhttps://e.com/a\n" * (N // 35),
    "not removed runs": "was not removed by " * (N // 19),
    # company-name lines that end in an abbreviation, one after another, and a very long line ending in one
    "company lines": "Acme Inc.\nBeta Ltd.\n" * (N // 20),
    "long line ending in inc": "A" * N + " Inc.\nSan Francisco",
    # a counter notice's statutory slot looked for over many lines, and "I live in" labels
    "mistake, redaction, consent lines": "removed by mistake\n[private]\nI consent to the jurisdiction\n" * (N // 60),
    "live in runs": "I live in: [private] " * (N // 20),
    "signature for runs": "\nSignature for " + "x " * (N // 2),
    "signed placeholder runs": "[Signed]\n" * (N // 9),
    # the work's label and lead-in, the signing date's line and the //Name// signature (fields.py, extract.py)
    "work label runs": "Our original original " * (N // 22) + "work:",
    "work lead-in runs": "The copyrighted " + "original " * (N // 9) + "work is",
    "a line of dates": "Date: " + "Mon, 3 March 2015 " * (N // 18),
    "dates with signed lead-ins": "\n".join(["Signed on Berlin, 3 March 2015 at 10:00 in " + "A" * 40] * (N // 80)),
    "double slash runs": "//" + "Aa " * (N // 3) + "//",
    # a signer's name tidied (a bar, a chain of redactions, "on behalf of") and a labelled organisation
    "a signing field of blanks": "**Please type your full legal name below to sign this request.**\n\nJo " + " " * N + "x |\n",
    "a chain of redactions": "Regards,\n" + "[private] - " * (N // 12) + "x\n",
    "an organisation label of blanks": "Company name: Acme" + " " * N + "x\n",
    "a closing of commas and blanks": "Regards,\n" + ",  \t" * (N // 4) + "llc x\n",
    "an organisation label in a long line": "Company of the author: " + "company x " * (N // 10) + "\n",
    "dotted date runs": "Date: " + "1." * (N // 2) + "\n",
    "behalf runs": "Regards,\nJo Doe" + " (for and on behalf" * (N // 19) + "\n",
    # a closing word or a signing mark, then a line of blanks that never reaches the name: the blanks before and after
    # an optional mark used to be split every way (15 s at 40,000 characters)
    "a closing word then blanks": "Hello.\n\nthanks" + " " * N + "x\n",
    "submitted by then blanks": "submitted by" + " " * N + "x",
    "inline signed then blanks": "Hello. signed" + " " * N + "x",
    # the publisher's preface followed by a "--" rule instead of "---": its end was searched with `(?:.|\n)` under
    # DOTALL, two ways to take every newline, and a real 4 kB notice never finished
    # the fifth round's phrases repeated on one line: a refusal's opening, information "relating to", rights held
    "no circumstances runs": "under no circumstances " * (N // 24) + "address",
    "information about runs": "**Please provide a detailed description of the original copyrighted work.**\n\n"
    + "sensitive information relating to " * (N // 35)
    + "\n\n**What files should be taken down?**\n\nhttps://github.com/a/b/blob/c/d\n",
    "rights held runs": "I swear under penalty of perjury this is accurate. " + "we hold the rights to " * (N // 22),
    "sworn opening runs": "I, Ann Lee of " + "x " * (N // 2) + "certify",
    "sworn opening names": "I, " + "Ann " * (N // 4) + "certify",
    "bracketed signed runs": "(signed " * (N // 8),
    "a preface without its rule": "Before disabling any content, GitHub\n- asked\n\n--\n\n" + "Dear Sir,\n\n" * 120,
    # the sixth round: a works heading then a line of blanks ending in a lower-case word (the named list), a last line
    # of a URL glued to a run of underscores (the URL list closing the notice), capitalised words before "channels"
    "a works heading then blanks": "Copyrighted works:\n" + " " * N + "x\n",
    "a url glued to underscores": "We own it.\n\nhttp://a" + "_" * N + " x",
    "capitalised words before channels": "We own the " + "Alpha " * (N // 6) + "television channels.",
    "capitalised list before channels": "We own the " + "Alpha, Beta and " * (N // 16) + "TV channels.",
    # the seventh round: the later form's prompts that end in a full stop, each a block, with a redaction under each
    # (every redaction asked whether it answers the infringer's question, each time over every block: 11 s at 170 kB)
    "full-stop prompts": "Hello,\n\n" + "So that we can get back to you, please provide your address.\n\n[private]\n\n" * (3 * N // 77),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_is_read_in_linear_time(name: str) -> None:
    started = time.perf_counter()
    read_notice(HOSTILE[name])
    assert time.perf_counter() - started < 5.0, name
