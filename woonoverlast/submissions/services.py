"""Recording and finding saved form pages by their one-time token."""

import datetime
import hashlib
import json
import re
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import FormSubmission

_TOKEN = re.compile(r"^[0-9a-f]{32}$")

# How long the same values sent again to the same page count as the same submission. The
# browser's Back button can load a saved form page anew (a new token) and restore the typed
# values in it; saving that again within this window lands on the first result.
REPEAT_WINDOW = datetime.timedelta(minutes=30)
_NOT_CONTENT = {"csrfmiddlewaretoken", "submission_token"}


def fingerprint(*, user, path: str, data, files=None) -> str:
    """A hash of who sent which values (a QueryDict) and which files (a MultiValueDict of
    uploads, by their contents) to which page; no values are stored.

    The files count: two photos of one huisbezoek, uploaded one after the other with the same
    choices, are two submissions, not one sent twice.
    """
    values = {
        key: sorted(value.strip() for value in data.getlist(key))
        for key in sorted(data.keys())
        if key not in _NOT_CONTENT
    }
    uploads = {
        key: sorted(_file_hash(upload) for upload in files.getlist(key)) for key in files or {}
    }
    raw = json.dumps([user.pk, path, values, uploads], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _file_hash(upload) -> str:
    """The SHA-256 of an uploaded file's bytes, read in chunks; the file is left at its start
    for the form that reads it next."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def new_token() -> str:
    """A fresh one-time token for a rendered form page."""
    return uuid.uuid4().hex


def valid_token(value) -> str:
    """`value` when it is a well-formed token, else "" (then the submit is not idempotent)."""
    value = (value or "").strip()
    return value if _TOKEN.match(value) else ""


def submission_find(*, token: str, user, fingerprint: str = "") -> FormSubmission | None:
    """The earlier save of the form page with `token` by `user`, or else of the same values
    to the same page (`fingerprint`) within REPEAT_WINDOW; None when there is none."""
    if not user.is_authenticated:
        return None
    token = valid_token(token)
    if token:
        earlier = FormSubmission.objects.filter(token=token, user=user).first()
        if earlier is not None:
            return earlier
    if not fingerprint:
        return None
    return (
        FormSubmission.objects.filter(
            user=user, fingerprint=fingerprint, created_at__gte=timezone.now() - REPEAT_WINDOW
        )
        .order_by("-created_at")
        .first()
    )


def token_taken(token: str) -> bool:
    """Has the form page with `token` been saved (by anyone)?"""
    token = valid_token(token)
    return bool(token) and FormSubmission.objects.filter(token=token).exists()


def submission_record(
    *, token: str, user, result: models.Model | None, result_url: str, fingerprint: str = ""
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
        fingerprint=fingerprint,
    )
