"""The events app's reactions to the audit log."""

from django.dispatch import receiver

from woonoverlast.audit.recorder import audit_recorded


@receiver(audit_recorded, dispatch_uid="events_emit_for_audit")
def emit_for_audited_change(sender, *, action, obj, case, changes, **kwargs):
    """The changes other systems hear of (outbox.AUDIT_EVENTS), in the same transaction."""
    from .outbox import emit_for_audit

    emit_for_audit(action, obj=obj, case=case, changes=changes)
