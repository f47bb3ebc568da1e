"""Filter fields every list uses (django-filter)."""

import django_filters

from .forms import DateField


class DayFilter(django_filters.DateFilter):
    """A date filter with the app's date field: dd-mm-jjjj or ISO, within a sane range."""

    field_class = DateField
