"""A colleague's afspraak is a follow-up: settling it in Termijnen settles the afspraak."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from woonoverlast.cases.models import Action


@receiver(post_save, sender=Action, dispatch_uid="overleg_agreement_follow_up_done")
def follow_up_done(sender, instance, update_fields=None, **kwargs):
    if instance.follow_up_done_on is None:
        return
    if update_fields is not None and "follow_up_done_on" not in update_fields:
        return
    from .services import agreement_sync_from_follow_up

    agreement_sync_from_follow_up(instance)
