"""Forms of the reports: they parse input; the period rule lives in reports.period and the
writes in reports.services."""

from django import forms
from django.core.exceptions import ValidationError

from woonoverlast.common.forms import DateInput, validate_date_in_range
from woonoverlast.common.validation import Errors
from woonoverlast.submissions.required import SpecificRequiredMixin

from .models import ExportJob
from .period import DATE_FORMATS, check_period


def _raise_period_errors(year, as_of, *, year_field: str, as_of_field: str) -> None:
    errors = Errors()
    check_period(errors, year, as_of, year_field=year_field, as_of_field=as_of_field)
    errors.raise_if_any()


class PeriodForm(SpecificRequiredMixin, forms.Form):
    """Year and peildatum of Tabel 5.1 (a GET form: the URL can be shared and bookmarked)."""

    jaar = forms.IntegerField(
        label="Jaar",
        help_text="Het jaar waarin de casussen geregistreerd zijn.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    peildatum = forms.DateField(
        label="Peildatum",
        required=False,
        input_formats=DATE_FORMATS,
        validators=[validate_date_in_range],
        widget=DateInput,
        help_text="De status van elke casus op deze datum telt. Leeg: 31 december van het jaar.",
    )
    doorlopend = forms.BooleanField(
        label="Ook de doorlopende casussen (geregistreerd vóór het jaar, op 1 januari nog open)",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if "jaar" in cleaned:
            try:
                _raise_period_errors(
                    cleaned["jaar"],
                    cleaned.get("peildatum"),
                    year_field="jaar",
                    as_of_field="peildatum",
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class FreezeForm(SpecificRequiredMixin, forms.Form):
    """Confirm freezing a year's table as published."""

    jaar = forms.IntegerField(widget=forms.HiddenInput)
    peildatum = forms.DateField(
        input_formats=DATE_FORMATS, validators=[validate_date_in_range], widget=forms.HiddenInput
    )
    toelichting = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=300,
        help_text="Bijvoorbeeld: zoals gepubliceerd in het jaarverslag.",
    )
    bevestig = forms.BooleanField(
        label="Ik bevestig dat deze cijfers worden vastgesteld. Dit kan niet ongedaan worden "
        "gemaakt.",
        error_messages={"required": "Vink aan dat u de tabel wilt vaststellen."},
    )


class ExportForm(SpecificRequiredMixin, forms.Form):
    van_jaar = forms.IntegerField(label="Van jaar")
    tot_jaar = forms.IntegerField(label="Tot en met jaar")
    formaat = forms.ChoiceField(
        label="Formaat",
        choices=ExportJob.Format.choices,
        initial=ExportJob.Format.XLSX,
        widget=forms.RadioSelect,
    )
    doorlopend = forms.BooleanField(label="Met de doorlopende casussen per jaar", required=False)


# Service argument -> form field, for mapping a service's ValidationError onto the form.
FREEZE_FIELDS = {"year": "jaar", "as_of": "peildatum", "note": "toelichting"}
EXPORT_FIELDS = {
    "year_from": "van_jaar",
    "year_to": "tot_jaar",
    "file_format": "formaat",
    "carried_over": "doorlopend",
}
