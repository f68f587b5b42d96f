"""PDFs for the message tests: a hand-made one whose text lines are exactly the ones given, and one laid out by
WeasyPrint (as a letter is made) where the layout decides where a long URL wraps."""

from __future__ import annotations

from html import escape


def pdf_with_lines(*lines: str) -> bytes:
    """A one-page PDF whose text layer is `lines`, one under the other (Helvetica), with a correct xref table."""
    shown = " T* ".join("({}) Tj".format(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")) for line in lines)
    stream = f"BT /F1 12 Tf 14 TL 72 720 Td {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def laid_out_pdf(*paragraphs: str, width_mm: int = 70) -> bytes:
    """Paragraphs laid out in a narrow column by WeasyPrint: a URL longer than the column wraps where the layout
    breaks it (after `//`, `/`, `-`, or anywhere in a long run of letters)."""
    from weasyprint import HTML  # the letters' renderer; imported here so that the other tests do not load it

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    css = f"@page {{ size: {width_mm + 20}mm 297mm; margin: 10mm }} body {{ font: 10pt sans-serif; overflow-wrap: anywhere }}"
    return bytes(HTML(string=f"<html><head><style>{css}</style></head><body>{body}</body></html>").write_pdf())
