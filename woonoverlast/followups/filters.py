"""The filters of the team's Termijnen: by casemanager and by kind."""

import django_filters
from django import forms

from woonoverlast.cases.filters import UNASSIGNED, casemanager_choices
from woonoverlast.cases.models import Case

from .selection import NOBODY, DueList, Kind, Urgency


class DueFilter(django_filters.FilterSet):
    """The filters of the team's DueList: the casemanager narrows the selection itself
    (`selected_casemanager`), the kinds are applied to its items (`apply`). The parameters:
    casemanager (a user id, or "geen" for unassigned), soort (repeatable) and urgentie
    (te_laat, vandaag, deze_week: deadlines only)."""

    casemanager = django_filters.ChoiceFilter(
        label="Casemanager", choices=[], empty_label="Iedereen"
    )
    soort = django_filters.MultipleChoiceFilter(
        label="Soort",
        choices=list(Kind.LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    # The columns Te laat, Vandaag and Deze week of the team table link here.
    urgentie = django_filters.ChoiceFilter(
        label="Termijn", choices=list(Urgency.LABELS.items()), empty_label="Alle termijnen"
    )

    class Meta:
        model = Case  # django-filter wants one; the filtering is `apply`, on the DueList
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["casemanager"].extra["choices"] = casemanager_choices()

    @property
    def selected_casemanager(self):
        """The selection's `casemanager` (selection.due_for_team): a user id, NOBODY, or None
        for everyone. The team's list is limited to its most urgent signals, so one
        casemanager's list is selected on its own, not cut from the team's."""
        if not self.is_valid() or not self.form.cleaned_data.get("casemanager"):
            return None
        value = self.form.cleaned_data["casemanager"]
        return NOBODY if value == UNASSIGNED else int(value)

    def apply(self, due: DueList) -> DueList:
        """The items (and counts) of `due` of the kinds asked for; all of them when the form
        is not valid. `due` is selected for self.selected_casemanager already."""
        if not self.is_valid():
            return due
        kinds, urgency = self.form.cleaned_data.get("soort"), self.form.cleaned_data.get("urgentie")
        if not kinds and not urgency:
            return due
        return due.select(kinds=set(kinds) if kinds else None, urgency=urgency or None)

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.form.cleaned_data.get(name) for name in self.filters)
