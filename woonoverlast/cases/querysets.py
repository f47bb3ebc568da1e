"""Named reads of the case domain. Reports and views build on these, not on raw filters."""

import datetime

from django.db import models
from django.db.models import FilteredRelation, Q, Value
from django.db.models.functions import Coalesce

from .choices import Status


def _in_effect_on(prefix: str, as_of: datetime.date) -> Q:
    """Status rows in effect on `as_of`: effective_on <= as_of < ended_on (open-ended)."""
    return Q(**{f"{prefix}effective_on__lte": as_of}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": as_of})
    )


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Status.OPEN)

    def closed(self):
        return self.filter(status=Status.CLOSED)

    def registered_between(self, first: datetime.date, last: datetime.date):
        """Cases registered from `first` up to and including `last`."""
        return self.filter(registered_on__gte=first, registered_on__lte=last)

    def with_status_on(self, as_of: datetime.date):
        """Annotate `status_on`: the case's status as it stood on `as_of`.

        One LEFT JOIN on the status row in effect that day. A case with no row in effect
        (registered after `as_of`) counts as open; callers filter on registration first.
        """
        return self.annotate(
            status_row_on=FilteredRelation(
                "status_changes", condition=_in_effect_on("status_changes__", as_of)
            ),
            status_on=Coalesce("status_row_on__status", Value(Status.OPEN)),
        )

    def open_on(self, as_of: datetime.date):
        """Cases whose status on `as_of` (at the end of that day) was open.

        One join on the status row in effect that day; at most one row is in effect on a
        date, so no case is counted twice. A case registered after `as_of` has no such row.
        """
        return self.filter(
            _in_effect_on("status_changes__", as_of), status_changes__status=Status.OPEN
        )

    def for_list(self):
        """What a case list row shows, without a query per row."""
        return self.select_related("district", "casemanager", "corporation")


class StatusChangeQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)

    def in_effect_on(self, as_of: datetime.date):
        return self.filter(_in_effect_on("", as_of))
