from tests.letters.helpers import *
def test_smoke(client, holder, specialist, tmp_path):
    for regime in REGIMES:
        c = decided(client, holder, specialist, regime)
        for kind, item in (("acknowledgment", None), ("decision", None), ("statement_of_reasons", 0)):
            out = letter(client, specialist, c, kind, item)
            p = save(client, specialist, out, Path(f"/tmp/lt/{regime}-{kind}.pdf"))
