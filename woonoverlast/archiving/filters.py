"""The archiving filters of the case list (cases.filters.register_case_filters): on the indexed
archive table of this app (Selectielijst 2020)."""

import django_filters

from woonoverlast.common.filters import DayFilter
from woonoverlast.common.forms import DATE_HELP, DateInput

from .choices import Waardering
from .models import ResultType


def case_filters() -> dict[str, django_filters.Filter]:
    """archiefnominatie, archiefactiedatum_tot and resultaat: query parameters of the case list
    (a contract, see cases.filters)."""
    return {
        "archiefnominatie": django_filters.ChoiceFilter(
            label="Archiefnominatie",
            field_name="archive__archiefnominatie",
            choices=Waardering.choices,
            empty_label="Alle",
        ),
        "archiefactiedatum_tot": DayFilter(
            label="Archiefactiedatum tot en met",
            field_name="archive__archiefactiedatum",
            lookup_expr="lte",
            # The browser's date picker sends ISO; typed dd-mm-jjjj is accepted too.
            widget=DateInput(),
            help_text=DATE_HELP,
        ),
        "resultaat": django_filters.ModelChoiceFilter(
            label="Resultaat",
            field_name="archive__result_type",
            queryset=ResultType.objects.all(),
            empty_label="Alle resultaten",
        ),
    }
