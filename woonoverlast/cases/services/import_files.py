"""Importing cases from the team's spreadsheets (CSV as Excel writes it, or XLSX).

All or nothing: every row is checked, also by the rules of the services that register and
close a case, and when any row has a problem nothing is imported and every problem is reported
with its row number (the row number Excel shows: the header is row 1). This module reads the
file; the rows are written in bulk by the service beside it (imports.cases_register_many):
thousands of rows per second. `manage.py casussen_importeren` and the API's column names use it.
"""

import csv
import datetime
import difflib
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from woonoverlast.accounts.roles import Role
from woonoverlast.audit.models import AuditRoute
from woonoverlast.audit.recorder import audit_context
from woonoverlast.bulk import collector_paused

from .. import services
from ..choices import ClosingReason, HousingType
from ..models import Case, Category, District
from ..validators import FREE_TEXT_MAX_LENGTH

REQUIRED_COLUMNS = ("wijk", "woningtype", "geregistreerd_op")
OPTIONAL_COLUMNS = (
    "referentie",
    "afgerond_op",
    "categorie",
    "omschrijving",
    "casemanager",
    "straat",
    "huisnummer",
    "toevoeging",
    "postcode",
)
# Service argument names in the words of the spreadsheet, for the error messages.
COLUMN_OF_ARGUMENT = {
    "reference": "referentie",
    "district": "wijk",
    "housing_type": "woningtype",
    "registered_on": "geregistreerd_op",
    "on": "afgerond_op",
    "description": "omschrijving",
    "casemanager": "casemanager",
    "street": "straat",
    "house_number": "huisnummer",
    "house_number_addition": "toevoeging",
    "postcode": "postcode",
}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_HOUSE_NUMBER = re.compile(r"^(\d{1,5})\s*-?\s*([A-Za-z0-9]{0,6})$")
_HOUSING_TYPES = frozenset(HousingType.values)


@dataclass
class ImportProblem:
    row: int | None  # None: the file as a whole
    message: str

    def __str__(self):
        return f"Rij {self.row}: {self.message}" if self.row else self.message


class ImportFailed(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problemen")
        self.problems = problems


@dataclass
class ParsedRow:
    row: int
    register: dict = field(default_factory=dict)
    closed_on: datetime.date | None = None
    problems: list[str] = field(default_factory=list)


# -- reading the file ------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV (gescheiden door lijstscheidingsteken)" is Windows-1252.
        return raw.decode("cp1252", errors="replace")


# The csv module refuses fields over 131,072 characters with a bare error; fields up to this
# size are read, and parse_row then says in Dutch which one is too long (FREE_TEXT_MAX_LENGTH).
CSV_FIELD_SIZE_LIMIT = 16 * 1024 * 1024

UNCLOSED_QUOTE = (
    'een veld begint met een aanhalingsteken (") dat {where}. Daardoor zouden de rijen '
    "daarna als tekst in dat veld worden gelezen. Sluit het aanhalingsteken of haal het weg "
    "en importeer het bestand opnieuw."
)


def _read_csv(path: Path) -> list[list]:
    """The rows of a CSV file. A quote that is opened and not closed where the row ends
    makes the csv module read the following rows as part of one field: such a file is
    refused, naming the row where it happens, instead of importing fewer rows."""
    text = _decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_SIZE_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: list[list] = []
    columns = 0
    while True:
        row_number, first_line_number = len(table) + 1, reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return table
        except csv.Error as error:
            if "end of data" in str(error):
                where = "niet meer wordt gesloten"
            else:
                where = f"niet goed wordt afgesloten ({error})"
            raise ImportFailed(
                [ImportProblem(row_number, UNCLOSED_QUOTE.format(where=where))]
            ) from error
        columns = columns or len(cells)
        # A field over several lines is allowed (Excel writes one for a cell with line
        # breaks), but not when one of its lines holds a whole row of the file.
        if reader.line_num > first_line_number and any(
            line.count(delimiter) >= columns - 1 > 0
            for cell in cells
            for line in cell.splitlines()[1:]
        ):
            where = f"pas op regel {reader.line_num} van het bestand wordt gesloten"
            raise ImportFailed([ImportProblem(row_number, UNCLOSED_QUOTE.format(where=where))])
        table.append(cells)


def _read_xlsx(path: Path) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFailed(
            [ImportProblem(None, f"Het bestand is geen leesbaar Excel-bestand ({error}).")]
        ) from error
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_rows(path: Path) -> list[tuple[int, dict]]:
    """The data rows as (row number, {column: value}), with lower-case column names."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        table = _read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        table = _read_csv(path)
    else:
        raise ImportFailed(
            [ImportProblem(None, f"Onbekend bestandstype '{suffix}': gebruik .csv of .xlsx.")]
        )
    if not table:
        raise ImportFailed([ImportProblem(None, "Het bestand is leeg.")])

    header = [str(cell or "").strip().lower() for cell in table[0]]
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        problems.append(ImportProblem(1, f"Verplichte kolom ontbreekt: {', '.join(missing)}."))
    doubled = sorted({column for column in header if column and header.count(column) > 1})
    if doubled:
        problems.append(ImportProblem(1, f"Kolom staat er meer dan eens in: {', '.join(doubled)}."))
    if problems:
        raise ImportFailed(problems)

    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            # A CSV file's cells are all text: stripped here without a call per cell.
            column: cell.strip() if type(cell) is str else _cell_value(cell)
            for column, cell in zip(header, cells, strict=False)
            if column
        }
        if any(value not in ("", None) for value in values.values()):
            rows.append((number, values))
    return rows


def _cell_value(cell):
    """A cell as parse_row takes it: a date cell as it is, anything else as text."""
    return cell if isinstance(cell, datetime.date) else _cell_text(cell)


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# -- parsing values --------------------------------------------------------------------------


def parse_date(value) -> datetime.date:
    """A date as 2023-03-01 or 01-03-2023, or a date cell from Excel."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return _parse_date_text(str(value).strip())


# A file's dates repeat (a year has 365): each text is parsed once. An error is not kept, it
# is raised again for every row that has it.
@functools.lru_cache(maxsize=4096)
def _parse_date_text(text: str) -> datetime.date:
    try:
        if match := _ISO_DATE.match(text):
            year, month, day = match.groups()
        elif match := _DUTCH_DATE.match(text):
            day, month, year = match.groups()
        else:
            raise ValueError
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(
            f"'{text}' is geen geldige datum (gebruik jjjj-mm-dd of dd-mm-jjjj)."
        ) from None


def _category_key(name: str) -> str:
    return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", name.strip().lower()))


class Lookups:
    """The reference data a file's names are matched against, loaded once per import."""

    def __init__(self):
        self.districts = {d.name.lower(): d for d in District.objects.all()}
        self.categories = {}
        for category in Category.objects.all():
            self.categories[_category_key(category.name)] = category
            self.categories[category.code] = category
        self._category_lists: dict[str, list[Category]] = {}
        self.users = {}
        User = get_user_model()
        workers = User.objects.filter(
            is_active=True, groups__name__in=[Role.CASEMANAGER, Role.TEAMLEIDER]
        ).distinct()
        for user in workers:
            for key in (user.username, user.email, user.get_full_name()):
                if key:
                    self.users[key.lower()] = user

    def district(self, name: str) -> District:
        try:
            return self.districts[name.lower()]
        except KeyError:
            message = f"onbekende wijk '{name}'."
            close = difflib.get_close_matches(name.lower(), self.districts, n=1, cutoff=0.75)
            if close:
                message += f" Bedoelt u {self.districts[close[0]].name}?"
            raise ValueError(message) from None

    def category_list(self, text: str) -> list[Category]:
        # A file names the same few categories on most rows: each text is looked up once.
        if text not in self._category_lists:
            self._category_lists[text] = self._find_categories(text)
        return list(self._category_lists[text])

    def _find_categories(self, text: str) -> list[Category]:
        found = []
        for name in re.split(r"[,;|]", text):
            if not name.strip():
                continue
            try:
                found.append(self.categories[_category_key(name)])
            except KeyError:
                raise ValueError(f"onbekende categorie '{name.strip()}'.") from None
        return found

    def casemanager(self, name: str):
        try:
            return self.users[name.lower()]
        except KeyError:
            raise ValueError(
                f"onbekende casemanager '{name}' (gebruik de gebruikersnaam of het e-mailadres)."
            ) from None


def parse_row(number: int, values: dict, lookups: Lookups) -> ParsedRow:
    parsed = ParsedRow(row=number)
    register = parsed.register

    def take(column: str, convert):
        text = values.get(column, "")
        if text in ("", None):
            return None
        try:
            return convert(text)
        except ValueError as error:
            parsed.problems.append(f"{column}: {error}")
            return None

    def housing_type(text: str) -> str:
        if text.lower() not in _HOUSING_TYPES:
            raise ValueError(
                f"onbekend woningtype '{text}' (kies koop, corporatie of particulier)."
            )
        return text.lower()

    def house_number(text: str) -> tuple[int, str]:
        match = _HOUSE_NUMBER.match(text)
        if not match:
            raise ValueError(f"'{text}' is geen huisnummer.")
        return int(match[1]), match[2].upper()

    for column, value in values.items():
        if isinstance(value, str) and "\x00" in value:
            # Never storable (PostgreSQL refuses it) and never typed by a person.
            parsed.problems.append(f"{column}: bevat een ongeldig, onzichtbaar teken (NUL).")
            return parsed
        if isinstance(value, str) and len(value) > FREE_TEXT_MAX_LENGTH:
            parsed.problems.append(
                f"{column}: te lang ({len(value)} tekens; hoogstens {FREE_TEXT_MAX_LENGTH})."
            )
    for column in REQUIRED_COLUMNS:
        if values.get(column) in ("", None):
            parsed.problems.append(f"{column}: dit veld is verplicht.")
    register["reference"] = values.get("referentie", "")
    register["district"] = take("wijk", lookups.district)
    register["housing_type"] = take("woningtype", housing_type)
    register["registered_on"] = take("geregistreerd_op", parse_date)
    parsed.closed_on = take("afgerond_op", parse_date)
    register["categories"] = take("categorie", lookups.category_list) or []
    register["description"] = values.get("omschrijving", "")
    register["casemanager"] = take("casemanager", lookups.casemanager)
    register["street"] = values.get("straat", "")
    number_and_addition = take("huisnummer", house_number)
    if number_and_addition:
        register["house_number"], register["house_number_addition"] = number_and_addition
    if values.get("toevoeging"):
        register["house_number_addition"] = values["toevoeging"]
    register["postcode"] = values.get("postcode", "")
    return parsed


def _service_problems(error: ValidationError) -> list[str]:
    messages = []
    for argument, errors in error.message_dict.items():
        column = COLUMN_OF_ARGUMENT.get(argument)
        for message in errors:
            prefix = f"{column}: " if column and argument != NON_FIELD_ERRORS else ""
            messages.append(f"{prefix}{message}")
    return messages


# -- importing -------------------------------------------------------------------------------


def import_cases(path: Path, *, by=None, commit: bool = True) -> list[Case]:
    """Import every row of the file, or nothing. Raises ImportFailed with all problems.

    With commit=False the rows are checked completely (the services included) and rolled
    back, so a user can check a file before importing it.
    """
    with collector_paused():
        return _import_cases(Path(path), by=by, commit=commit)


def _import_cases(path: Path, *, by, commit: bool) -> list[Case]:
    rows = read_rows(path)
    if not rows:
        raise ImportFailed([ImportProblem(None, "Het bestand bevat geen rijen met casussen.")])
    lookups = Lookups()
    parsed_rows = [parse_row(number, values, lookups) for number, values in rows]

    first_row_of_reference: dict[str, int] = {}
    for parsed in parsed_rows:
        reference = parsed.register.get("reference", "").lower()
        if not reference:
            continue
        if reference in first_row_of_reference:
            parsed.problems.append(
                f"referentie: {parsed.register['reference']} staat ook al in rij "
                f"{first_row_of_reference[reference]}."
            )
        else:
            first_row_of_reference[reference] = parsed.row

    clean = [parsed for parsed in parsed_rows if not parsed.problems]
    problems_of_row = {parsed.row: parsed.problems for parsed in parsed_rows if parsed.problems}
    cases: list[Case] = []
    try:
        with audit_context(route=AuditRoute.IMPORT), transaction.atomic():
            try:
                # In bulk, by the services' rules: every row is checked (and reported) first;
                # the rows are written only when the file has no problem at all.
                cases = services.cases_register_many(
                    [
                        services.NewCase(
                            register=parsed.register,
                            close_on=parsed.closed_on,
                            close_reason=ClosingReason.OTHER,
                        )
                        for parsed in clean
                    ],
                    by=by,
                    check_only=bool(problems_of_row),
                )
            except services.CasesRefused as refused:
                for position, error in refused.errors.items():
                    problems_of_row[clean[position].row] = _service_problems(error)
            if problems_of_row or not commit:
                raise _RollBack
    except _RollBack:
        pass
    if problems_of_row:
        raise ImportFailed(
            [
                ImportProblem(row, message)
                for row in sorted(problems_of_row)
                for message in problems_of_row[row]
            ]
        )
    return cases


class _RollBack(Exception):
    """Leaves the import's transaction without keeping anything."""
