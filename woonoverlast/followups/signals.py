"""Termijnbewaking's reactions to the case domain."""

from django.dispatch import receiver

from woonoverlast.cases.signals import case_reassigned


@receiver(case_reassigned, dispatch_uid="followups_notify_reassigned")
def notify_new_casemanager(sender, *, reassignment, **kwargs):
    """Inside the reassignment's transaction: the bericht to the new casemanager."""
    from .services import notification_assigned

    notification_assigned(reassignment)
