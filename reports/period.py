"""Which year and peildatum a report may be asked for: one rule for the page, the command, the
exports and freezing, with the same Dutch messages everywhere."""

import datetime

from woonoverlast.common.validation import Errors, format_date, today

from .tabel51 import year_start

FIRST_YEAR = 2000
# Parsing of dates typed by people: ISO (the date picker, links) or dd-mm-jjjj.
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")


def parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def check_year(errors: Errors, field: str | None, year: int | None) -> None:
    if year is None:
        return
    if year < FIRST_YEAR:
        errors.add(field, f"Kies een jaar vanaf {FIRST_YEAR}.", code="year_too_early")
    elif year > today().year:
        errors.add(field, f"Het jaar {year} is nog niet begonnen.", code="year_in_future")


def check_as_of(
    errors: Errors, field: str | None, year: int | None, as_of: datetime.date | None
) -> None:
    if year is None or as_of is None or not FIRST_YEAR <= year <= today().year:
        return
    if as_of < year_start(year):
        errors.add(
            field,
            f"De peildatum mag niet voor 1 januari {year} liggen (u koos {format_date(as_of)}).",
            code="as_of_before_year",
        )


def check_period(
    errors: Errors,
    year: int | None,
    as_of: datetime.date | None,
    *,
    year_field: str | None = "year",
    as_of_field: str | None = "as_of",
) -> None:
    check_year(errors, year_field, year)
    check_as_of(errors, as_of_field, year, as_of)
