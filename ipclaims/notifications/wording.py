"""Names and grounds the mail and the letters both print (DOMAIN.md §4): one source, so a notifier never reads two
citations for one notice. Here, below letters, because letters may import notifications and not the reverse."""

from __future__ import annotations

REGIME_NAMES = {
    "US_DMCA": "DMCA (17 U.S.C. § 512)",
    "EU_DSA": "Digital Services Act (Reg. (EU) 2022/2065)",
    "SG_CA2021": "Copyright Act 2021 (Singapore)",
    "TM_POLICY": "Trademark policy",
}
LEGAL_GROUNDS = {
    "US_DMCA": "Copyright infringement notified under 17 U.S.C. § 512(c)",
    "EU_DSA": "Illegal content (infringement of an intellectual property right) notified under Regulation (EU) 2022/2065, Art. 16",
    "SG_CA2021": "Copyright infringement notified under the Copyright Act 2021 (Singapore), ss 313–324",
    "TM_POLICY": "Trademark infringement under our trademark policy (15 U.S.C. §§ 1114, 1125; Reg. (EU) 2017/1001 Art. 9)",
}


def rejected_after_request(from_status: str | None) -> bool:
    """A rejection cites missing elements as "not supplied after our request" only when one was made: the claim left
    `needs_info` (§ 512(c)(3)(B)(ii)). One rejected straight from review had no request."""
    return from_status == "needs_info"
