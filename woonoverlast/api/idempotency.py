"""`Idempotency-Key` on every POST: the same key from the same user within IDEMPOTENCY_HOURS
gets the first answer again, and nothing is written a second time.

Only successful answers (2xx) are kept: a refused request wrote nothing, so sending it again
(corrected) with the same key is allowed. The same key for a different request (another path
or body) is refused with 422.

Concurrency: the key is claimed by inserting its row (unique on user and key) in the same
transaction as the write itself. A second request with the same key waits on that row until
the first commits, then finds the first answer and replays it (or, when the first failed and
rolled back, goes ahead itself).
"""

import datetime
import functools
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .models import IdempotentRequest
from .problems import KeyReused

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _valid_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise serializers.ValidationError(
            {HEADER: [f"Een Idempotency-Key is 1 tot {MAX_KEY_LENGTH} leesbare tekens lang."]}
        )
    return key


def _replay(previous: IdempotentRequest, fingerprint: str) -> Response:
    if previous.fingerprint != fingerprint:
        raise KeyReused()
    headers = {REPLAYED_HEADER: "true"}
    if previous.location:
        headers["Location"] = previous.location
    return Response(previous.body, status=previous.status_code, headers=headers)


def idempotent(post):
    """Decorate a view's `post`: the API's route test requires it on every POST."""

    @functools.wraps(post)
    def wrapper(view, request, *args, **kwargs):
        raw_key = request.headers.get(HEADER)
        if raw_key is None:
            return post(view, request, *args, **kwargs)
        key = _valid_key(raw_key)
        fingerprint = _fingerprint(request)
        user = request.user
        cutoff = timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_HOURS)
        with transaction.atomic():
            IdempotentRequest.objects.filter(user=user, created_at__lt=cutoff).delete()
            try:
                with transaction.atomic():
                    claim = IdempotentRequest.objects.create(
                        user=user, key=key, fingerprint=fingerprint, status_code=0
                    )
            except IntegrityError:
                return _replay(IdempotentRequest.objects.get(user=user, key=key), fingerprint)
            response = post(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                claim.status_code = response.status_code
                claim.body = json.loads(JSONRenderer().render(response.data) or b"null")
                claim.location = response.get("Location", "")[:300]
                claim.save(update_fields=["status_code", "body", "location"])
            else:
                transaction.set_rollback(True)
            return response

    wrapper.idempotent = True
    return wrapper
