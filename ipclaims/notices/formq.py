"""The questions of GitHub's web form in a notice's text — a bold `**question**` line (the older `__question__`
spelling too) over the sender's answer — and which question asks what. The fields' reading (`extract`) and the
sender's standing (`standing`) both read a notice's answers through these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipclaims.notices.doc import Doc

QUESTION = re.compile(r"^[ \t]*(?:\*\*(.+?)\*\*|__(.+?)__)[ \t\r]*$", re.MULTILINE)
WORK_Q = re.compile(
    r"original (?:copyrighted )?work|what work was|work (?:was |that was )?allegedly infringed|description of the (?:original|copyrighted)"
)
WORK_URL_Q = re.compile(r"original work referenced above is available online")
REPORTED_Q = re.compile(
    r"files should be taken down|what files|file urls|url\(s\) (?:are|is) infringing|urls? for each file"
    r"|infringing (?:files|material|urls?)|urls? (?:[\w ]{0,30} )?that (?:is|are) infringing"
)
LICENSE_Q = re.compile(r"licen[cs]e")
OWNER_Q = re.compile(r"are you the copyright (?:owner|holder)")
# "So that we can get back to you, please provide either your telephone number or physical address": the sender's own.
CONTACT_Q = re.compile(r"get back to you|your telephone number or (?:physical|postal|mailing) address")


@dataclass(frozen=True)
class Answer:
    question: str
    start: int
    end: int


def answers(text: str, start: int = 0) -> list[Answer]:
    """Each question from `start` on, lower-cased with its spacing made single, and the span of its answer: up to the
    next question, or the end of the text."""
    found = [m for m in QUESTION.finditer(text, start)]
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        out.append(Answer(" ".join((m.group(1) or m.group(2)).lower().split()), m.end(), end))
    return out


def answers_to(doc: Doc, pattern: re.Pattern[str], exclude: re.Pattern[str] | None = None) -> list[Answer]:
    """The answers in the notice (from `doc.start`) to questions that `pattern` finds and `exclude` does not."""
    return [a for a in answers(doc.text, doc.start) if pattern.search(a.question) and not (exclude and exclude.search(a.question))]
