"""The filters of the case list (cases:list) and its export.

The query parameter names and values are a contract: the team leader's start page, Tabel 5.1
and the live overview link to the list with them (wijk, woningtype, status, peildatum,
geregistreerd_van/_tot, categorie, casemanager, complexiteit, geen_actie_sinds,
actie_soort/_van/_tot, q, sorteer, pagina). Do not rename them.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Case as Cases
from django.db.models import F, Q, When
from django.urls import reverse

from woonoverlast.accounts.roles import (
    can_see_past_working_term,
    case_workers,
    cases_with_visible_parties,
)
from woonoverlast.common.filters import DayFilter
from woonoverlast.common.forms import DATE_HELP, DateInput

from .choices import ActionType, Complexity, HousingType, Status
from .models import Category, District
from .services.retention import within_working_term

UNASSIGNED = "geen"


def list_url(**params) -> str:
    """The case list filtered by `params`, named as this module's filters (None values are
    left out; dates come out as ISO, lists as repeated parameters)."""
    query = urlencode({key: value for key, value in params.items() if value is not None}, True)
    return f"{reverse('cases:list')}?{query}" if query else reverse("cases:list")


# sorteer parameter -> the order_by fields it stands for. The reference breaks ties so that
# pages never overlap.
SORTS = {
    "referentie": ("reference",),
    "wijk": ("district__display_order", "district__name"),
    "woningtype": ("housing_type",),
    "adres": ("street", "house_number", "house_number_addition"),
    "casemanager": ("casemanager__first_name", "casemanager__last_name"),
    "geregistreerd": ("registered_on",),
    "afgerond": ("closed_on",),
    "status": ("status",),
}
SORT_LABELS = {
    "referentie": "Referentie",
    "wijk": "Wijk",
    "woningtype": "Woningtype",
    "adres": "Adres",
    "casemanager": "Casemanager",
    "geregistreerd": "Registratiedatum",
    "afgerond": "Afsluitdatum",
    "status": "Status",
}
DEFAULT_SORT = "-geregistreerd"


# How people write an address: "2712ZD 154", "2712 zd 154-a"; "Lucypad 154", "Van
# Leeuwenhoeklaan 7B", "Dorpsstraat 12 bis". The addition is what the model allows (up to six
# letters or digits), optionally after a space or a hyphen.
_NUMBER = r"(?P<number>[0-9]{1,5})(?:\s*-?\s*(?P<addition>[A-Za-z0-9]{1,6}))?"
_POSTCODE_NUMBER = re.compile(
    rf"^(?P<digits>[1-9][0-9]{{3}})\s*(?P<letters>[A-Za-z]{{2}})\s+{_NUMBER}$"
)
_POSTCODE_NUMBER_TIGHT = re.compile(
    rf"^(?P<digits>[1-9][0-9]{{3}})(?P<letters>[A-Za-z]{{2}}){_NUMBER}$"
)
_STREET_NUMBER = re.compile(rf"^(?P<street>.*[^\W\d_].*?),?\s+{_NUMBER}$")
# The address as the app prints it (Case.address): "Stenpad 108, 2711 DM", and as it is
# copied from a letter: "Stenpad 108A 2711DM", "Stenpad 108, 2711 DM Zoetermeer".
_STREET_NUMBER_POSTCODE = re.compile(
    rf"^(?P<street>.*[^\W\d_].*?),?\s+{_NUMBER}\s*,?\s*"
    r"(?P<digits>[1-9][0-9]{3})\s*(?P<letters>[A-Za-z]{2})(?:\s*,?\s+[^\W\d_][\w' -]*)?$"
)


@dataclass(frozen=True)
class SearchTerms:
    """What a search box query says: an address (postcode or street with a house number and
    maybe an addition), or free text (a reference, part of a street or postcode, a name)."""

    text: str
    postcode: str = ""
    street: str = ""
    house_number: int | None = None
    house_number_addition: str = ""


def parse_search(text: str) -> SearchTerms:
    text = " ".join(text.split())
    match = _STREET_NUMBER_POSTCODE.match(text)
    if match:
        return SearchTerms(
            text=text,
            street=match["street"].strip(),
            postcode=f"{match['digits']} {match['letters'].upper()}",
            house_number=int(match["number"]),
            house_number_addition=match["addition"] or "",
        )
    match = _POSTCODE_NUMBER.match(text) or _POSTCODE_NUMBER_TIGHT.match(text)
    if match:
        return SearchTerms(
            text=text,
            postcode=f"{match['digits']} {match['letters'].upper()}",
            house_number=int(match["number"]),
            house_number_addition=match["addition"] or "",
        )
    match = _STREET_NUMBER.match(text)
    if match:
        return SearchTerms(
            text=text,
            street=match["street"].strip(),
            house_number=int(match["number"]),
            house_number_addition=match["addition"] or "",
        )
    return SearchTerms(text=text)


def _sort_choices():
    choices = []
    for key, label in SORT_LABELS.items():
        choices.append((key, f"{label} (oplopend)"))
        choices.append((f"-{key}", f"{label} (aflopend)"))
    return choices


def _date_widget():
    # The browser's date picker sends ISO; typed dd-mm-jjjj is accepted too (Dutch formats).
    return DateInput()


def casemanager_choices():
    """Everyone who works or worked cases, by name (read as values: the choices are made on
    every list request)."""
    from woonoverlast.accounts.models import User

    users = case_workers(active_only=False).values_list(
        "pk", "first_name", "last_name", "username", "is_active"
    )
    return [(UNASSIGNED, "Niet toegewezen")] + [
        (str(pk), User.name_of(first, last, username) + ("" if active else " (uit dienst)"))
        for pk, first, last, username, active in users
    ]


# The largest id a database integer column holds (PostgreSQL's bigint; SQLite's INTEGER).
_MAX_ID = 2**63 - 1


class IdsInRangeField(django_filters.fields.ModelMultipleChoiceField):
    """A choice of objects by id that refuses an id too large for the database as invalid,
    instead of letting the query overflow (a 500 on /casussen/?wijk=99999999999999999999)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if text.isdigit() and int(text) > _MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class IdsInRangeFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IdsInRangeField


class CaseFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        for first, last, label in (
            ("geregistreerd_van", "geregistreerd_tot", "registratieperiode"),
            ("actie_van", "actie_tot", "actieperiode"),
        ):
            if data.get(first) and data.get(last) and data[first] > data[last]:
                self.add_error(last, f"Het einde van de {label} ligt voor het begin.")
        return data


class CaseFilter(django_filters.FilterSet):
    """Filters of the case list; the parameters are fixed by the list-filters contract.

    `peildatum` P makes `status` mean the status on P, and limits the list to the cases that
    existed on P (registered on or before P), as Tabel 5.1 counts them.
    """

    q = django_filters.CharFilter(
        label="Zoeken",
        method="filter_text",
        help_text=(
            "Referentie, adres (straat en huisnummer, of postcode en huisnummer) of naam van "
            "een betrokkene."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    wijk = IdsInRangeFilter(
        label="Wijk",
        field_name="district",
        queryset=District.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        # A case has one wijk, so no duplicates to remove; django-filter's default DISTINCT
        # sorts every matching case on all columns (docs/performance.md).
        distinct=False,
    )
    woningtype = django_filters.ChoiceFilter(
        label="Woningtype",
        field_name="housing_type",
        choices=HousingType.choices,
        empty_label="Alle",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=Status.choices,
        empty_label="Alle",
        method="filter_status",
    )
    peildatum = DayFilter(
        label="Status op peildatum",
        method="filter_applied_in_filter_queryset",
        widget=_date_widget(),
        help_text="Leeg: de status van vandaag. " + DATE_HELP,
    )
    categorie = django_filters.ModelChoiceFilter(
        label="Categorie",
        field_name="categories",
        to_field_name="code",
        queryset=Category.objects.all(),
        empty_label="Alle",
    )
    casemanager = django_filters.ChoiceFilter(
        label="Casemanager",
        choices=[],  # filled per request in __init__
        empty_label="Alle",
        method="filter_casemanager",
    )
    complexiteit = django_filters.ChoiceFilter(
        label="Complexiteit",
        field_name="complexity",
        choices=Complexity.choices,
        empty_label="Alle",
    )
    geregistreerd_van = DayFilter(
        label="Geregistreerd vanaf",
        field_name="registered_on",
        lookup_expr="gte",
        widget=_date_widget(),
        help_text=DATE_HELP,
    )
    geregistreerd_tot = DayFilter(
        label="Geregistreerd tot en met",
        field_name="registered_on",
        lookup_expr="lte",
        widget=_date_widget(),
        help_text=DATE_HELP,
    )
    geen_actie_sinds = DayFilter(
        label="Geen actie sinds",
        method="filter_no_action_since",
        widget=_date_widget(),
        help_text="Casussen zonder actie op of na deze datum. " + DATE_HELP,
    )
    actie_soort = django_filters.ChoiceFilter(
        label="Met actie van soort",
        choices=ActionType.choices,
        empty_label="Alle soorten",
        method="filter_applied_in_filter_queryset",
    )
    actie_van = DayFilter(
        label="Actie uitgevoerd vanaf",
        method="filter_applied_in_filter_queryset",
        widget=_date_widget(),
        help_text=DATE_HELP,
    )
    actie_tot = DayFilter(
        label="Actie uitgevoerd tot en met",
        method="filter_applied_in_filter_queryset",
        widget=_date_widget(),
        help_text=DATE_HELP,
    )
    # RETENTION_MONTHS: a case closed longer ago is left out unless a team leader asks for it
    # (the filter exists only for them, see __init__).
    ook_archief = django_filters.BooleanFilter(
        label="Ook casussen die langer geleden zijn afgerond",
        method="filter_applied_in_filter_queryset",
        widget=forms.CheckboxInput,
        help_text="Alleen voor teamleiders: ook de casussen die langer dan de bewaartermijn "
        "van de werkschermen (RETENTION_MONTHS) geleden zijn afgerond.",
    )
    sorteer = django_filters.ChoiceFilter(
        label="Sorteren op",
        choices=_sort_choices(),
        empty_label="Registratiedatum (nieuwste eerst)",
        method="filter_sort",
    )

    # Shown in the collapsible "more filters" part of the form (with those of the apps built
    # on cases: register_case_filters).
    ADVANCED = (
        "geen_actie_sinds",
        "actie_soort",
        "actie_van",
        "actie_tot",
        "ook_archief",
    )

    class Meta:
        form = CaseFilterForm
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated once per request (a callable would query each time it is iterated).
        casemanager = self.filters["casemanager"]
        casemanager.extra["choices"] = casemanager_choices()
        # A form field built earlier on the class's own filter (the API schema reads them)
        # is copied along with it and would keep that moment's choices: build it anew.
        casemanager.__dict__.pop("_field", None)
        user = getattr(self.request, "user", None)
        if user is None or not can_see_past_working_term(user):
            del self.filters["ook_archief"]
        else:
            self.filters["ook_archief"].extra["help_text"] = (
                f"Afgerond meer dan {settings.RETENTION_MONTHS} maanden geleden: die staan "
                "normaal niet in de lijst en de zoekresultaten (bewaartermijn werkschermen)."
            )
            self.filters["ook_archief"].__dict__.pop("_field", None)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        as_of = data.get("peildatum")
        if as_of:
            queryset = queryset.with_status_on(as_of).filter(registered_on__lte=as_of)
        queryset = super().filter_queryset(queryset)
        working_term = self._working_term()
        if working_term is not None:
            queryset = queryset.filter(working_term)
        action_type, first, last = (
            data.get(name) for name in ("actie_soort", "actie_van", "actie_tot")
        )
        if action_type or first or last:
            queryset = queryset.with_action(action_type=action_type, first=first, last=last)
        return queryset

    def filter_applied_in_filter_queryset(self, queryset, name, value):
        return queryset  # combined with other parameters in filter_queryset

    def filter_text(self, queryset, name, value):
        """An address finds the cases at that address (a street whose name holds a number,
        when nothing is at the address, as plain text); otherwise reference, street,
        postcode, and the names of the parties the user may see. Every branch but the
        reference (no personal data) keeps to the cases whose personal data the user may see
        (accounts.roles: the closed-case rule), one condition for all of them."""
        terms = parse_search(value)
        if not terms.text:
            return queryset
        visible = self._visible()
        if terms.house_number is not None:
            at_address = queryset.at_address_search(
                street=terms.street,
                postcode=terms.postcode,
                house_number=terms.house_number,
                house_number_addition=terms.house_number_addition or None,
                visible=visible,
            )
            # Only when no case is at that address, the text as it was typed ("Laan van
            # 1940" is a street, not number 1940 in "Laan van"). An OR of the two in one query
            # made PostgreSQL expect hundreds of rows and walk the whole list in date order
            # for a page of one (docs/performance.md).
            if terms.postcode or at_address.exists():
                return at_address
            return queryset.search(terms.text, visible=visible)
        if visible is None:
            return queryset.search(terms.text)
        return queryset.search_with_parties(
            terms.text, visible=visible, within=self._working_term()
        )

    def _working_term(self) -> Q | None:
        """The working term when the list keeps to it (unless a team leader asks for "ook
        archief"), else None: the list's condition, and the search's on the parties' cases.

        A list of the cases open today keeps to it by definition (an open case has no closing
        date): its condition is then the open status itself, which the status index answers.
        With the closing date's comparison PostgreSQL read the 258,000 entries of the working
        term in the street's index to find a wijk's 5,000 open cases (docs/performance.md)."""
        data = self.form.cleaned_data
        if data.get("ook_archief"):
            return None
        if data.get("status") == Status.OPEN and not data.get("peildatum"):
            return Q(status=Status.OPEN)
        return within_working_term()

    def _visible(self):
        """The cases whose personal data the request's user may see, as a condition (Q() for
        all of them); None outside a request (a script: no names are searched)."""
        user = getattr(self.request, "user", None)
        if user is None:
            return None
        visible = cases_with_visible_parties(user)
        return Q(pk__in=[]) if visible is None else visible

    def filter_status(self, queryset, name, value):
        if self.form.cleaned_data.get("peildatum"):
            return queryset.filter(status_on=value)
        return queryset.filter(status=value)

    def filter_casemanager(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(casemanager__isnull=True)
        return queryset.filter(casemanager_id=int(value))

    def filter_no_action_since(self, queryset, name, value: datetime.date):
        return queryset.without_action_since(value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*sort_fields(value, visible=self._visible()))

    # -- for the template ---------------------------------------------------------------

    def used_for_audit(self) -> str:
        """Which filters were used, for the audit log: the values of structured filters
        (wijk, status, dates: no personal data), only the name of free-text filters (a search
        text is often a street or postcode) and of parameters this filter set does not know."""
        used = []
        for name in sorted(set(self.data)):
            values = [value for value in self.data.getlist(name) if value]
            if not values:
                continue
            known = self.filters.get(name)
            if known is None or isinstance(known, django_filters.CharFilter):
                used.append(name)
            else:
                used.append(f"{name}={','.join(values)}")
        return ", ".join(used)

    @property
    def sort(self) -> str:
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("sorteer"):
            return self.form.cleaned_data["sorteer"]
        return DEFAULT_SORT

    def active(self) -> list[tuple[str, str]]:
        """The filters in effect as (label, value) in words, for the summary and the empty
        state. Empty when the form is not valid."""
        if not (self.is_bound and self.form.is_valid()):
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if name == "sorteer" or _is_empty(value):
                continue
            field = self.form.fields[name]
            if isinstance(value, bool):
                shown = "ja"
            elif isinstance(value, datetime.date):
                shown = value.strftime("%d-%m-%Y")
            elif hasattr(value, "__iter__") and not isinstance(value, str):
                shown = ", ".join(str(item) for item in value)
            elif hasattr(field, "choices") and not hasattr(value, "pk"):
                shown = dict(field.choices).get(value, value)
            else:
                shown = str(value)
            active.append((str(field.label), str(shown)))
        return active


def _is_empty(value) -> bool:
    if isinstance(value, bool):
        return not value
    if value is None or isinstance(value, str):
        return not value
    return hasattr(value, "__len__") and len(value) == 0


# Sorts on personal data: a case whose address the user may not see sorts as if it had none
# (last), or its place among the others would tell its street.
PERSONAL_SORTS = {"adres"}


def sort_fields(sort: str, *, visible: Q | None = None) -> list:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    fields = [F(field) for field in SORTS[key]]
    if visible and key in PERSONAL_SORTS:
        fields = [Cases(When(visible, then=field), default=None) for field in fields]
    ordering = [
        field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        for field in fields
    ]
    return [*ordering, "-reference" if descending else "reference"]


def register_case_filters(filters: dict[str, django_filters.Filter]) -> None:
    """Add the filters of an app built on cases to CaseFilter (its AppConfig.ready calls
    this): in the "more filters" part, before the sort order. The list, its export and the
    API filter with them like with CaseFilter's own; the list's template places them."""
    declared = {name: f for name, f in CaseFilter.base_filters.items() if name != "sorteer"}
    declared.update(filters)
    declared["sorteer"] = CaseFilter.base_filters["sorteer"]
    CaseFilter.base_filters = declared
    CaseFilter.declared_filters = {**declared}
    CaseFilter.ADVANCED = (
        *CaseFilter.ADVANCED,
        *(name for name in filters if name not in CaseFilter.ADVANCED),
    )
