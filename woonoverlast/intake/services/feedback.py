"""Terugkoppeling: the short messages a melder with an e-mail address gets.

They hold the melding's reference and what happened in general terms, never anything about
the other party (their name, address, what was done about them): the texts are the team
leaders' (FeedbackTemplate, in the admin), with these defaults when a text is missing.
Each message is sent once per melding, kind and occasion (ReporterMessage), so that the
Celery tasks that send them may run twice.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record

from ..choices import FeedbackKind
from ..models import FeedbackTemplate, IntakeMelding, ReporterMessage

SIGNATURE = "\n\nMet vriendelijke groet,\nTeam Woonoverlast\nGemeente Zoetermeer"

DEFAULT_TEXTS = {
    FeedbackKind.RECEIVED: (
        "Wij hebben uw melding ontvangen ({referentie})",
        "Bedankt voor uw melding over overlast. Wij hebben uw melding goed ontvangen. Het "
        "nummer van uw melding is {referentie}.\n\n"
        "Een medewerker van team Woonoverlast bekijkt uw melding binnen {werkdagen} werkdagen. Wij "
        "sturen u een bericht als wij uw melding in behandeling nemen.\n\n"
        "Is er gevaar? Bel dan 112. Bij overlast die nu gebeurt kunt u de politie bellen op "
        "0900-8844.",
    ),
    FeedbackKind.ADDED: (
        "Uw melding {referentie} is in behandeling",
        "Wij hebben uw melding {referentie} bekeken. Wij wisten al van deze overlast. Uw "
        "melding helpt ons bij de aanpak. Een casemanager van team Woonoverlast werkt eraan.\n\n"
        "Om de privacy van alle betrokkenen te beschermen, kunnen wij u niet vertellen wat "
        "wij precies doen. Wij laten het u weten als wij klaar zijn.",
    ),
    FeedbackKind.NEW_CASE: (
        "Uw melding {referentie} is in behandeling",
        "Wij hebben uw melding {referentie} bekeken. Een casemanager van team Woonoverlast "
        "gaat ermee aan de slag.\n\n"
        "Om de privacy van alle betrokkenen te beschermen, kunnen wij u niet vertellen wat "
        "wij precies doen. Wij laten het u weten als wij klaar zijn.",
    ),
    FeedbackKind.CLOSED: (
        "Wij zijn klaar met uw melding {referentie}",
        "Team Woonoverlast heeft de aanpak van de overlast uit uw melding {referentie} "
        "afgerond.\n\n"
        "Is er opnieuw overlast? Meld het dan opnieuw via het meldformulier op de website van "
        "de gemeente.",
    ),
    FeedbackKind.NOT_TAKEN: (
        "Uw melding {referentie} is bekeken",
        "Wij hebben uw melding {referentie} bekeken. Team Woonoverlast pakt deze melding niet "
        "zelf op. Soms past een melding beter bij een andere organisatie; dan hebben wij uw "
        "melding aan hen doorgegeven.\n\n"
        "Is er opnieuw overlast? Meld het dan opnieuw via het meldformulier op de website van "
        "de gemeente.",
    ),
}


def feedback_text(kind: str, reference: str) -> tuple[str, str]:
    """(subject, body) of a message of `kind` about the melding `reference`."""
    template = FeedbackTemplate.objects.filter(kind=kind).first()
    subject, body = (
        (template.subject, template.body) if template else DEFAULT_TEXTS[FeedbackKind(kind)]
    )
    # Only these are filled in; any other brace is kept as typed.
    values = {
        "{referentie}": reference,
        "{werkdagen}": str(settings.INTAKE_HANDLE_WITHIN_WORKDAYS),
    }
    for placeholder, value in values.items():
        subject, body = subject.replace(placeholder, value), body.replace(placeholder, value)
    return " ".join(subject.split()), body.rstrip() + SIGNATURE


def reporter_inform(melding_id: int, *, kind: str, occasion: int = 0) -> bool:
    """Send the message of `kind` to the melder of melding `melding_id`, once per occasion.
    Returns whether it was sent now. A failed send leaves nothing recorded, so a retry sends
    it."""
    with transaction.atomic():
        melding = IntakeMelding.objects.select_for_update().filter(pk=melding_id).first()
        if melding is None or not melding.can_be_informed:
            return False
        try:
            with transaction.atomic():
                ReporterMessage.objects.create(intake_melding=melding, kind=kind, occasion=occasion)
        except IntegrityError:
            return False  # sent before
        subject, body = feedback_text(kind, melding.reference)
        send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [melding.reporter_email],
            fail_silently=False,
        )
        melding.reporter_informed_at = timezone.now()
        melding.save(update_fields=["reporter_informed_at"])
        record(
            AuditAction.UPDATE,
            obj=melding,
            case=melding.case,
            changes={"melder geïnformeerd": FeedbackKind(kind).label},
        )
        return True
