"""Filters of the team's maatregelen list (and its export)."""

import django_filters
from django import forms

from woonoverlast.cases.filters import UNASSIGNED, casemanager_choices
from woonoverlast.cases.models import District

from .choices import MeasureKind, Step
from .models import Measure


class MeasureFilter(django_filters.FilterSet):
    soort = django_filters.ChoiceFilter(
        label="Soort maatregel", field_name="kind", choices=MeasureKind.choices, empty_label="Alle"
    )
    stap = django_filters.ChoiceFilter(
        label="Huidige stap", field_name="current_step", choices=Step.choices, empty_label="Alle"
    )
    wijk = django_filters.ModelChoiceFilter(
        label="Wijk",
        field_name="case__district",
        queryset=District.objects.all(),
        empty_label="Alle",
    )
    casemanager = django_filters.ChoiceFilter(
        label="Casemanager", choices=[], empty_label="Alle", method="filter_casemanager"
    )

    class Meta:
        model = Measure
        fields = []
        form = forms.Form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["casemanager"].extra["choices"] = casemanager_choices()

    def filter_casemanager(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(case__casemanager__isnull=True)
        return queryset.filter(case__casemanager_id=int(value))
