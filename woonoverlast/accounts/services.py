"""Writes of the accounts app: granting access to the personal data of a closed case, and
switching two-factor verification on and off."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.common.validation import Errors, today

from .models import CaseAccessGrant
from .roles import can_lead_team, can_work_cases, two_factor_required

GRANT_DAYS = 30


@transaction.atomic
def case_access_grant(case, *, user, reason: str, by) -> CaseAccessGrant:
    """Let `user` see the parties of closed `case` for GRANT_DAYS days; only a team leader
    may grant it (the view refuses others too, before showing the form)."""
    errors = Errors()
    if not can_lead_team(by):
        errors.add(None, "Alleen een teamleider kan toegang verlenen.", code="permission")
        errors.raise_if_any()
    if user is None or not (user.is_active and can_work_cases(user)):
        errors.add("user", "Kies een actieve casemanager.", code="user")
    if not reason.strip():
        errors.add("reason", "Geef aan waarom toegang nodig is.", code="required")
    if case.is_open:
        errors.add(
            None,
            "Deze casus is lopend: het team ziet de betrokkenen al.",
            code="open",
        )
    errors.raise_if_any()
    grant = CaseAccessGrant.objects.create(
        case=case,
        user=user,
        reason=reason.strip()[:300],
        valid_until=today() + datetime.timedelta(days=GRANT_DAYS),
        granted_by=by,
    )
    record(
        AuditAction.GRANT,
        by=by,
        obj=grant,
        case=case,
        changes={"medewerker": user.get_username(), "tot en met": grant.valid_until.isoformat()},
    )
    return grant


@transaction.atomic
def two_factor_enable(device: TOTPDevice, *, by) -> None:
    """Confirm `device` (its code was verified): from now on it is asked at log-in."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(
        AuditAction.UPDATE, by=by, obj=device.user, changes={"tweestapsverificatie": "ingeschakeld"}
    )


def two_factor_disable(*, user, by, password: str, otp_token: str) -> None:
    """Remove `user`'s devices; refused where two-factor verification is required, and
    unless `password` is the user's and `otp_token` a fresh code of the user's device."""
    if two_factor_required(user):
        raise ValidationError(
            "Voor teamleiders is tweestapsverificatie verplicht.", code="required"
        )
    errors = Errors()
    if not user.check_password(password or ""):
        errors.add("password", "Dit wachtwoord klopt niet.", code="password")
        errors.raise_if_any()  # the code is only tried (and used up) with the right password
    # Outside the atomic block below: a wrong code must count towards django-otp's
    # throttling even though the switch-off is refused.
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            errors.add(
                "otp_token", "Te veel verkeerde codes. Wacht even en probeer opnieuw.", code="otp"
            )
        elif not device.verify_token((otp_token or "").strip()):
            errors.add(
                "otp_token",
                "Deze code klopt niet. Vul de code in die de app nu toont.",
                code="otp",
            )
    errors.raise_if_any()
    _two_factor_remove(user=user, by=by)


@transaction.atomic
def _two_factor_remove(*, user, by) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    record(AuditAction.UPDATE, by=by, obj=user, changes={"tweestapsverificatie": "uitgeschakeld"})
