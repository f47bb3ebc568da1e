import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.utils import timezone

from woonoverlast.common.filters import DayFilter

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
    van = DayFilter(label="Van", method="filter_from")
    tot = DayFilter(label="Tot en met", method="filter_through")

    class Meta:
        model = AuditEvent
        fields = []

    # Compared with the moments the days begin (in TIME_ZONE), not with at's date: a range on
    # `at` itself can use its index.
    def filter_from(self, queryset, name, value):
        return queryset.filter(at__gte=_start_of(value))

    def filter_through(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of(value + datetime.timedelta(days=1)))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
