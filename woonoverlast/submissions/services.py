"""Recording and finding saved form pages by their one-time token."""

import re
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import FormSubmission

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def new_token() -> str:
    """A fresh one-time token for a rendered form page."""
    return uuid.uuid4().hex


def valid_token(value) -> str:
    """`value` when it is a well-formed token, else "" (then the submit is not idempotent)."""
    value = (value or "").strip()
    return value if _TOKEN.match(value) else ""


def submission_find(*, token: str, user) -> FormSubmission | None:
    """The earlier save of the form page with `token` by `user`, if any."""
    token = valid_token(token)
    if not token or not user.is_authenticated:
        return None
    return FormSubmission.objects.filter(token=token, user=user).first()


def token_taken(token: str) -> bool:
    """Has the form page with `token` been saved (by anyone)?"""
    token = valid_token(token)
    return bool(token) and FormSubmission.objects.filter(token=token).exists()


def submission_record(
    *, token: str, user, result: models.Model | None, result_url: str
) -> FormSubmission:
    """Record that the form page with `token` was saved, creating `result`. Call it inside the
    transaction of the write; a second record of the same token raises IntegrityError (and so
    rolls that transaction back)."""
    is_model = isinstance(result, models.Model)
    return FormSubmission.objects.create(
        token=token,
        user=user,
        content_type=ContentType.objects.get_for_model(result) if is_model else None,
        object_id=str(result.pk) if is_model else "",
        result_url=result_url[:500],
    )
