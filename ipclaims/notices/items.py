"""Which of the URLs a notice reports are the material to take down (the claim's `items`), and which only point at it:
the platform can act on its own pages alone, so beside them a page elsewhere (the sender's site, its terms) is no item;
where the web form's answer lists the files, the repository they are in, named in another answer, is not reported
whole, and a URL cited on the licence (the licence file, the commit that removed it) is evidence; a repository's
issues, pull requests or graphs beside the repository are talk about it, not its content. Split from `extract`, which
finds the reported URLs these are chosen from.
"""

from __future__ import annotations

from ipclaims.notices.doc import Doc
from ipclaims.notices.formq import LICENSE_Q, answers_to
from ipclaims.notices.spans import Spans
from ipclaims.notices.text import url_key

# The pages of a repository that discuss or chart it ("owner/repo/issues/1", ".../graphs/contributors"); never its
# commits, which a sender may report as copies ("All commits and urls specified are infringing").
_TALK = frozenset(("issues", "pull", "pulls", "graphs", "stargazers", "watchers", "actions"))


def _repository(key: str) -> str:
    return "/".join(key.split("/")[:3])


def _talk_page(key: str) -> bool:
    parts = key.split("/")
    return len(parts) > 3 and parts[3].split("#")[0].split("?")[0] in _TALK


def material_only(doc: Doc, items: list[str], answered: set[str]) -> list[str]:
    """The reported URLs that are the material itself; `answered`: those the form's take-down answers name."""
    on = doc.on_platform_url
    if any(on(u) for u in items):
        items = [u for u in items if on(u)]
    keys = {u: url_key(u) for u in items}
    listed = {keys[u] for u in items if u in answered and on(u)}
    if listed:
        licence = Spans(answers_to(doc, LICENSE_Q))
        cited = {url_key(u.url) for u in doc.urls if licence.holds(u.start)}
        items = [u for u in items if u in answered or not (keys[u] in cited or any(k.startswith(keys[u] + "/") for k in listed))]
    repositories = {_repository(keys[u]) for u in items if on(u) and not _talk_page(keys[u])}
    return [u for u in items if not (on(u) and _talk_page(keys[u]) and _repository(keys[u]) in repositories)]
