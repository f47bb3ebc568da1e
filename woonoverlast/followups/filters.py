"""The filters of the team's Termijnen: by casemanager and by kind."""

import django_filters
from django import forms

from woonoverlast.cases.filters import UNASSIGNED, casemanager_choices
from woonoverlast.cases.models import Case

from .selection import DueList, Kind


class DueFilter(django_filters.FilterSet):
    """Filters a DueList (the selection is one pass over the team's cases, made in Python;
    see selection.py), so the filters apply to its items rather than to a queryset. The
    parameters: casemanager (a user id, or "geen" for unassigned) and soort (repeatable)."""

    casemanager = django_filters.ChoiceFilter(
        label="Casemanager", choices=[], empty_label="Iedereen"
    )
    soort = django_filters.MultipleChoiceFilter(
        label="Soort",
        choices=list(Kind.LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case  # django-filter wants one; the filtering is `apply`, on the DueList
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["casemanager"].extra["choices"] = casemanager_choices()

    def apply(self, due: DueList) -> DueList:
        """The items of `due` that match; all of them when the form is not valid."""
        if not self.is_valid():
            return due
        data = self.form.cleaned_data
        items = due.items
        if data.get("casemanager"):
            wanted = None if data["casemanager"] == UNASSIGNED else int(data["casemanager"])
            items = [item for item in items if item.casemanager_id == wanted]
        if data.get("soort"):
            items = [item for item in items if item.kind in data["soort"]]
        return DueList(period=due.period, items=items)

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.form.cleaned_data.get(name) for name in self.filters)
