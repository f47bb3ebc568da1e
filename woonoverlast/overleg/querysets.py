import datetime

from django.db import models
from django.db.models import Q


class CovenantQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day
        )


class MeetingQuerySet(models.QuerySet):
    def with_partner_user(self, user):
        """The overleggen `user` (a ketenpartner account) takes part in."""
        return self.filter(partner_contacts__user=user, partner_contacts__is_active=True)

    def within_window(self, today: datetime.date, *, before_days: int, after_days: int):
        """Meetings whose partner window holds `today`: from `before_days` before the meeting
        up to and including `after_days` after it."""
        return self.filter(
            held_on__gte=today - datetime.timedelta(days=after_days),
            held_on__lte=today + datetime.timedelta(days=before_days),
        )

    def before(self, meeting):
        return self.filter(
            Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, pk__lt=meeting.pk)
        )


class AgreementQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue_on(self, day: datetime.date):
        return self.open().filter(due_on__lt=day)

    def of_organisation(self, organisation):
        return self.filter(owner_organisation=organisation)

    def for_list(self):
        return self.select_related(
            "case", "owner_user", "owner_organisation", "owner_contact", "item__meeting", "done_by"
        )


class DisclosureQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("case", "organisation", "contact", "user", "covenant", "meeting")

    def between(self, start: datetime.date | None, end: datetime.date | None):
        qs = self
        if start:
            qs = qs.filter(disclosed_at__date__gte=start)
        if end:
            qs = qs.filter(disclosed_at__date__lte=end)
        return qs
