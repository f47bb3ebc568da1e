"""python manage.py maatregelen --jaar 2024 [--peildatum 2024-12-31] [--indeling wijk|woningtype]
[--format csv|xlsx|tekst] [--output PAD]

The maatregelen of a year counted from the step dates (woonoverlast.measures.reports), with
the argument checks and Dutch messages of the tabel51 command.
"""

from django.core.management.base import CommandError

from reports.management.commands.tabel51 import FORMATS
from reports.management.commands.tabel51 import Command as Tabel51Command
from woonoverlast.common import spreadsheets
from woonoverlast.measures.reports import BY_NONE, GROUPINGS, MeasuresReport, measures_per_year


class Command(Tabel51Command):
    help = (
        "Telt de maatregelen van een jaar (gestart, voornemen, besluit, bezwaar, dwangsom "
        "verbeurd, beëindigd) per soort, op de datum van elke stap. Standaard CSV naar de "
        "standaarduitvoer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--jaar", metavar="JJJJ", help="Het jaar, bijvoorbeeld 2024 (verplicht)."
        )
        parser.add_argument(
            "--peildatum",
            metavar="JJJJ-MM-DD",
            help="Tel de stappen tot en met deze datum (ook DD-MM-JJJJ). Standaard 31 december.",
        )
        parser.add_argument(
            "--indeling",
            metavar="wijk|woningtype",
            default=BY_NONE,
            help="Ook per wijk of per woningtype uitsplitsen.",
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            metavar="csv|xlsx|tekst",
            default="csv",
            help="csv (standaard), xlsx (Excel) of tekst.",
        )
        parser.add_argument("--output", metavar="PAD", help="Schrijf naar dit bestand.")

    def handle(self, *args, jaar, peildatum, indeling, file_format, output, **options):
        year, as_of = self._period(jaar, peildatum)
        by = (indeling or "").strip().lower()
        if by not in GROUPINGS:
            raise CommandError(f"Onbekende indeling '{by}'. Kies wijk of woningtype.")
        file_format = (file_format or "").strip().lower()
        if file_format not in FORMATS:
            raise CommandError(f"Onbekend formaat '{file_format}'. Kies csv, xlsx of tekst.")
        if file_format == "xlsx" and not output and self._stdout_is_terminal():
            raise CommandError(
                "Een xlsx-bestand is binair en hoort niet in de terminal. Geef --output PAD op."
            )
        report = measures_per_year(year, as_of, by=by)
        if file_format == "xlsx":
            content = spreadsheets.xlsx_bytes(report.title, report.header, report.table())
        elif file_format == "csv":
            content = spreadsheets.csv_bytes(report.header, report.table())
        else:
            content = as_text(report).encode("utf-8")
        self._write(content, output, binary=file_format == "xlsx")


def as_text(report: MeasuresReport) -> str:
    rows = [[str(value) for value in row] for row in report.table()]
    header = report.header
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    texts = len(header) - 6

    def line(values):
        cells = [
            value.ljust(width) if index < texts else value.rjust(width)
            for index, (value, width) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "-" * len(line(header))
    lines = [report.title, report.subtitle, "", line(header), rule]
    lines += [line(row) for row in rows[:-1]] + [rule, line(rows[-1])]
    return "\n".join(lines) + "\n"
