from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class FormSubmission(models.Model):
    """One saved form page: its one-time token and what saving it created.

    Written in the same transaction as the service's write (submissions.views.OnceViewMixin),
    so a token is recorded exactly when its write is; the unique token makes a second, even
    simultaneous, submit of the same page find the first instead of writing again. Holds no
    personal data: a token, a user, an object id and the page to return to.
    """

    token = models.CharField("token", max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="gebruiker",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField("object", max_length=64, blank=True)
    result_url = models.CharField("resultaat", max_length=500)
    # What was submitted (services.fingerprint: the user, the page and the form's values,
    # hashed): the same form sent again from a page the browser loaded anew after Back, which
    # carries a new token, is recognised by it for a short while.
    fingerprint = models.CharField("vingerafdruk", max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField("opgeslagen op", auto_now_add=True)

    class Meta:
        verbose_name = "formulierinzending"
        verbose_name_plural = "formulierinzendingen"

    def __str__(self):
        return f"{self.token} ({self.created_at:%d-%m-%Y %H:%M})"
