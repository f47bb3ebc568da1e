"""python manage.py tabel51 --jaar 2023 [--peildatum 2023-12-31] [--format csv|xlsx|tekst]
[--output PAD] [--doorlopend]

CSV (the published format) to standard output unless --output is given. Every argument is
checked here with a Dutch message (argparse's own messages are English), and argparse's own
complaints (an unknown option, a missing value) are put into Dutch as well.
"""

import re
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports import exports, tabel51
from reports.period import check_period, parse_date
from reports.prose import long_date, totals_in_words
from woonoverlast.common.validation import Errors

FORMATS = ("csv", "xlsx", "tekst")

# argparse's English messages and their Dutch version.
ARGPARSE_MESSAGES = [
    (re.compile(r"^unrecognized arguments: (.*)$"), "onbekende argumenten: {0}"),
    (re.compile(r"^argument (\S+): expected one argument$"), "bij {0} hoort een waarde"),
    (re.compile(r"^the following arguments are required: (.*)$"), "verplicht: {0}"),
    (re.compile(r"^argument (\S+): ignored explicit argument (.*)$"), "{0} krijgt geen waarde"),
    (re.compile(r"^ambiguous option: (\S+) could match (.*)$"), "{0} is niet eenduidig: {1}"),
]


def dutch(message: str) -> str:
    for pattern, translation in ARGPARSE_MESSAGES:
        match = pattern.match(message)
        if match:
            return translation.format(*match.groups())
    return f"ongeldige argumenten ({message})"


class Command(BaseCommand):
    help = (
        "Maakt Tabel 5.1 (woonoverlast per wijk en woningtype, lopend en afgerond) van een jaar "
        "uit de actuele registratie. Standaard CSV in het formaat van het jaarverslag naar de "
        "standaarduitvoer."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            text = dutch(message)
            if parser.called_from_command_line:
                parser.print_usage(sys.stderr)
                parser.exit(2, f"{parser.prog}: fout: {text}\n")
            raise CommandError(text)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        # Everything as text, checked in handle(), so that every message is Dutch.
        parser.add_argument(
            "--jaar",
            metavar="JJJJ",
            help="Het jaar waarin de casussen geregistreerd zijn, bijvoorbeeld 2023 (verplicht).",
        )
        parser.add_argument(
            "--peildatum",
            metavar="JJJJ-MM-DD",
            help="De datum waarop de status van elke casus telt (ook DD-MM-JJJJ). "
            "Standaard 31 december van het jaar; niet voor 1 januari van het jaar.",
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            metavar="csv|xlsx|tekst",
            default="csv",
            help="csv (standaard, het formaat van het jaarverslag), xlsx (Excel, opgemaakt als "
            "de tabel) of tekst (de tabel en de totalen in woorden).",
        )
        parser.add_argument(
            "--output",
            metavar="PAD",
            help="Schrijf naar dit bestand in plaats van naar de standaarduitvoer. Verplicht "
            "voor xlsx als de uitvoer een terminal is.",
        )
        parser.add_argument(
            "--doorlopend",
            action="store_true",
            help="Voeg de doorlopende casussen toe (geregistreerd vóór het jaar en op 1 januari "
            "nog open): bij csv en tekst als tweede tabel na een lege regel, bij xlsx als "
            "tweede tabblad.",
        )

    def handle(self, *args, jaar, peildatum, file_format, output, doorlopend, **options):
        year, as_of = self._period(jaar, peildatum)
        file_format = (file_format or "").strip().lower()
        if file_format not in FORMATS:
            raise CommandError(f"Onbekend formaat '{file_format}'. Kies csv, xlsx of tekst.")
        if file_format == "xlsx" and not output and self._stdout_is_terminal():
            raise CommandError(
                "Een xlsx-bestand is binair en hoort niet in de terminal. Geef --output PAD op "
                "of stuur de uitvoer door naar een bestand (> tabel.xlsx)."
            )

        table = tabel51.compute(year, as_of)
        tables = [table]
        if doorlopend:
            tables.append(tabel51.carried_over(year, as_of))

        if file_format == "xlsx":
            content = exports.xlsx_bytes(tables)
        elif file_format == "csv":
            content = "\n".join(exports.csv_text(t) for t in tables).encode("utf-8")
        else:
            content = "\n".join(_as_text(t) for t in tables).encode("utf-8")
        self._write(content, output, binary=file_format == "xlsx")

    def _period(self, jaar, peildatum):
        if jaar is None or not str(jaar).strip():
            raise CommandError("Geef het jaar op met --jaar, bijvoorbeeld --jaar 2023.")
        text = str(jaar).strip()
        if not re.fullmatch(r"\d{4}", text):
            raise CommandError(
                f"'{text}' is geen geldig jaar. Geef vier cijfers, bijvoorbeeld 2023."
            )
        year = int(text)
        as_of = None
        if peildatum is not None:
            as_of = parse_date(peildatum)
            if as_of is None:
                raise CommandError(
                    f"'{peildatum}' is geen geldige peildatum. Gebruik JJJJ-MM-DD "
                    "(bijvoorbeeld 2023-12-31) of DD-MM-JJJJ."
                )
        errors = Errors()
        check_period(errors, year, as_of, year_field="jaar", as_of_field="peildatum")
        try:
            errors.raise_if_any()
        except ValidationError as error:
            messages = [m for field in error.message_dict.values() for m in field]
            raise CommandError(" ".join(messages)) from None
        return year, as_of or tabel51.default_as_of(year)

    def _stdout_is_terminal(self) -> bool:
        stream = getattr(self.stdout, "_out", self.stdout)
        return bool(getattr(stream, "isatty", lambda: False)())

    def _write(self, content: bytes, output: str | None, *, binary: bool) -> None:
        if output:
            path = Path(output)
            try:
                path.write_bytes(content)
            except OSError as error:
                raise CommandError(
                    f"Kan niet schrijven naar {output}: {error.strerror or error}."
                ) from None
            self.stderr.write(f"Geschreven naar {path}.")
            return
        stream = getattr(self.stdout, "_out", self.stdout)
        if binary:
            buffer = getattr(stream, "buffer", None)
            if buffer is None:
                raise CommandError("Geef --output PAD op voor een xlsx-bestand.")
            buffer.write(content)
            buffer.flush()
            return
        stream.write(content.decode("utf-8"))
        stream.flush()


def _as_text(table: tabel51.Table) -> str:
    """The table aligned in columns, then (for the year table) the totals in words."""
    header = ["Wijk", *exports.CSV_HEADER[1:]]
    rows = [[row.name, *map(str, row.cells), str(row.total)] for row in table.all_rows]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def line(values):
        first = values[0].ljust(widths[0])
        rest = (value.rjust(width) for value, width in zip(values[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    lines = [exports.title(table), exports.subtitle(table), "", line(header)]
    lines.append("-" * len(line(header)))
    lines.extend(line(row) for row in rows[:-1])
    lines.append("-" * len(line(header)))
    lines.append(line(rows[-1]))
    if table.kind == tabel51.YEAR:
        lines += ["", totals_in_words(table)]
    else:
        lines += ["", f"Peildatum: {long_date(table.as_of)}."]
    return "\n".join(lines) + "\n"
