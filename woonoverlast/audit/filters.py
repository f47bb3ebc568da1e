import django_filters
from django import forms
from django.contrib.auth import get_user_model

from .models import AuditAction, AuditEvent, AuditRoute


class AuditEventFilter(django_filters.FilterSet):
    gebruiker = django_filters.ModelChoiceFilter(
        field_name="actor",
        queryset=get_user_model().objects.all(),
        label="Gebruiker",
        empty_label="Alle gebruikers",
    )
    casus = django_filters.CharFilter(
        field_name="case__reference", lookup_expr="iexact", label="Casus (referentie)"
    )
    handeling = django_filters.ChoiceFilter(
        field_name="action", choices=AuditAction.choices, label="Handeling", empty_label="Alle"
    )
    route = django_filters.ChoiceFilter(
        choices=AuditRoute.choices, label="Route", empty_label="Alle"
    )
    van = django_filters.DateFilter(
        field_name="at__date",
        lookup_expr="gte",
        label="Van",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tot = django_filters.DateFilter(
        field_name="at__date",
        lookup_expr="lte",
        label="Tot en met",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = AuditEvent
        fields = []
