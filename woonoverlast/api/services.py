"""Issuing and revoking API tokens: the only writes of ApiToken (command and admin use them)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record

from .models import ApiToken, hash_key

KEY_PREFIX = "wo_"
PREFIX_SHOWN = 8


def _check_second_factor(user, otp_token: str | None) -> bool:
    """Whether the token is made with the user's second factor; refused when the user logs in
    with one (a device) or must (a team leader when TWO_FACTOR_REQUIRED_FOR_TEAMLEIDER) and
    `otp_token` is not a valid code of theirs. A token is a log-in that lasts: it asks what
    the log-in asks."""
    from django_otp import match_token, user_has_device

    from woonoverlast.accounts.roles import two_factor_required

    if not (two_factor_required(user) or user_has_device(user)):
        return False
    if not user_has_device(user):
        raise ValidationError(
            {"otp_token": "Stel eerst tweestapsverificatie in (Account), dan kan een token."}
        )
    if not otp_token or match_token(user, otp_token.strip()) is None:
        raise ValidationError(
            {"otp_token": "Geef de verificatiecode uit de authenticator-app van de gebruiker."}
        )
    return True


@transaction.atomic
def token_issue(*, user, by=None, otp_token: str | None = None) -> tuple[ApiToken, str]:
    """Create `user`'s token, replacing (and so invalidating) any earlier one. A user with
    two-factor verification (or who must use it) gives a current code (`otp_token`).

    Returns the token and its key: the key exists only in this return value; it is not
    stored and cannot be shown again.
    """
    second_factor = _check_second_factor(user, otp_token)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    replaced = ApiToken.objects.filter(user=user).delete()[0] > 0
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_key(key),
        prefix=key[: len(KEY_PREFIX) + PREFIX_SHOWN],
        second_factor=second_factor,
    )
    record(
        AuditAction.CREATE,
        by=by,
        obj=token,
        changes={
            "gebruiker": user.get_username(),
            "vervangt vorige": replaced,
            "tweede factor": second_factor,
        },
    )
    return token, key


def tokens_revoke_all(*, user, by) -> int:
    """Revoke every active token of `user` (a password reset); returns how many."""
    revoked = 0
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        token_revoke(token, by=by)
        revoked += 1
    return revoked


def idempotent_requests_purge(*, now=None) -> int:
    """Delete the remembered answers older than IDEMPOTENCY_HOURS (daily job): after that a
    key is not replayed any more, and an answer holds personal data (a case's address, a
    party's name) that has no reason to stay. Returns how many were deleted."""
    import datetime

    from django.conf import settings

    from .models import IdempotentRequest

    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.IDEMPOTENCY_HOURS)
    return IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()[0]


@transaction.atomic
def token_revoke(token: ApiToken, *, by) -> ApiToken:
    """Revoke a token: from now on it is refused (401). Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            AuditAction.UPDATE,
            by=by,
            obj=token,
            changes={"gebruiker": token.user.get_username(), "ingetrokken": True},
        )
    return token
