"""The intake's reactions to the case domain."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from woonoverlast.cases.signals import case_closed


@receiver(case_closed, dispatch_uid="intake_inform_case_closed")
def inform_reporters_of_closed_case(sender, *, case, status_change, **kwargs):
    """After the commit (never for a rolled-back closing), tell the case's melders."""
    from .tasks import inform_case_closed

    transaction.on_commit(partial(inform_case_closed.delay, case.pk, status_change.pk))
