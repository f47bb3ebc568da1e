"""The verklaring van vernietiging as a PDF: plain text lines in Helvetica, written directly
(no LibreOffice: the statement must be made on every server, also without it)."""

from .models import DestructionStatement

LINES_PER_PAGE = 60


def _escape(text: str) -> bytes:
    # WinAnsi covers the Dutch letters (ë, é, ï); anything else becomes '?'.
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(lines: list[str]) -> bytes:
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    objects: list[bytes] = []
    # 1 catalog, 2 pages, 3 font, then per page: page, content.
    kids = " ".join(f"{4 + 2 * n} 0 R" for n in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for n, page in enumerate(pages):
        stream = (
            b"BT /F1 10 Tf 50 800 Td 13 TL "
            + b" ".join(b"(" + _escape(line) + b") '" for line in page)
            + b" ET"
        )
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * n} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def statement_lines(statement: DestructionStatement) -> list[str]:
    content = statement.content
    destruction_list = statement.destruction_list
    lines = [
        "Verklaring van vernietiging",
        "Gemeente - team Woonoverlast",
        "",
        "Grondslag: Archiefwet 1995 art. 3 en 5; Archiefbesluit 1995 art. 6-8;",
        "Selectielijst gemeenten en intergemeentelijke organen 2020.",
        "",
        f"Lijst: {destruction_list} ({destruction_list.get_kind_display().lower()})",
        f"Voorgesteld op: {destruction_list.proposed_on:%d-%m-%Y}",
        f"Beoordeeld door: {statement.reviewed_by_name or '-'}",
        f"Goedgekeurd door (archivaris): {statement.approved_by_name}",
        f"Vernietigd op: {statement.made_at:%d-%m-%Y %H:%M}",
        "",
    ]
    if content.get("soort") == "inloggegevens":
        lines += [
            f"Inlog- en uitloggebeurtenissen uit het auditlog van voor {content['grens'][:10]}",
            f"(Selectielijst 2020, {content['selectielijst']}): {content['aantal']} vernietigd.",
        ]
        return lines
    period = content.get("periode") or ["-", "-"]
    lines += [
        f"Aantal casussen: {content['aantal']}; aantal bestanden: {content['bestanden']}",
        f"Periode (brondatum): {period[0]} t/m {period[1]}",
        "Per resultaat: "
        + ", ".join(f"{number}: {count}" for number, count in content["per_resultaat"].items()),
        "",
        "Referentie        Resultaat  Brondatum   Archiefactiedatum  Bestanden",
    ]
    for row in content["casussen"]:
        lines.append(
            f"{row['referentie']:<18}{row['resultaat']:<11}{row['brondatum']:<12}"
            f"{row['archiefactiedatum']:<19}{row['bestanden']}"
        )
    if content.get("uitgezonderd"):
        lines += ["", "Uitgezonderd (niet vernietigd):"]
        lines += list(content["uitgezonderd"])
    return lines


def statement_pdf(statement: DestructionStatement) -> bytes:
    return text_pdf(statement_lines(statement))
