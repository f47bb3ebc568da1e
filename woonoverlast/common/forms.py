"""Form fields every app uses: the date field (dd-mm-jjjj or the browser's date picker) and
its range check."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

DATE_HELP = "Als dd-mm-jjjj of met de datumkiezer."


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (or empty): typed input that was
    re-shown after an error is converted, so the picker shows it instead of dropping it."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = forms.DateField().to_python(value)
            except ValidationError:
                # Not a date: the error message repeats what was typed.
                return None
        return super().format_value(value)


# Dates outside this range are typing errors, and near the ends of Python's calendar a day
# more or less overflows (/audit/?tot=31-12-9999 was a 500).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


def validate_date_in_range(value: datetime.date) -> None:
    if value and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            "Vul een datum in tussen %(first)s en %(last)s.",
            code="out_of_range",
            params={
                "first": EARLIEST_DATE.strftime("%d-%m-%Y"),
                "last": LATEST_DATE.strftime("%d-%m-%Y"),
            },
        )


class DateField(forms.DateField):
    """A date typed as dd-mm-jjjj or picked with the browser's date picker (ISO), between
    EARLIEST_DATE and LATEST_DATE. Every date field and date filter of the app uses it."""

    widget = DateInput
    default_validators = [validate_date_in_range]

    def __init__(self, *, help_text: str = "", **kwargs):
        if DATE_HELP not in help_text:
            help_text = f"{help_text} {DATE_HELP}".strip()
        super().__init__(help_text=help_text, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                "“%(value)s” is geen geldige datum. Vul een datum in als dd-mm-jjjj, "
                "bijvoorbeeld 31-12-2023.",
                code="invalid",
                params={"value": str(value).strip()},
            ) from None
