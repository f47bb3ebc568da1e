from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "Aangemaakt"
    UPDATE = "update", "Gewijzigd"
    VIEW = "view", "Bekeken"
    CLOSE = "close", "Afgesloten"
    REOPEN = "reopen", "Heropend"
    REASSIGN = "reassign", "Toegewezen"
    EXPORT = "export", "Geëxporteerd"
    GRANT = "grant", "Toegang verleend"
    ANONYMISE = "anonymise", "Geanonimiseerd"
    LOGIN = "login", "Ingelogd"
    LOGOUT = "logout", "Uitgelogd"
    LOGIN_FAILED = "login_failed", "Mislukte inlogpoging"
    DENIED = "denied", "Toegang geweigerd"


class AuditRoute(models.TextChoices):
    SCREEN = "scherm", "Scherm"
    ADMIN = "beheer", "Beheer"
    IMPORT = "import", "Import"
    JOB = "taak", "Achtergrondtaak"
    COMMAND = "opdracht", "Opdrachtregel"
    API = "api", "API"


def _shown(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One entry of the audit log: who did or saw what, when, and through which route.

    Append-only: the model, its queryset, the admin and (in the database) a trigger refuse
    changes. Values of personal-data fields are never stored here, only that they changed,
    so the log does not outlive the bewaartermijn of the data it describes.
    """

    at = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # audit_actor_idx begins with it
        related_name="audit_events",
        verbose_name="gebruiker",
    )
    # The user name as typed or as it was then: kept for failed log-ins and renamed users.
    actor_name = models.CharField("gebruikersnaam", max_length=150, blank=True)
    action = models.CharField("handeling", max_length=20, choices=AuditAction.choices)
    route = models.CharField("route", max_length=10, choices=AuditRoute.choices)
    object_type = models.CharField("soort", max_length=30, blank=True)
    object_id = models.CharField("object", max_length=40, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # audit_case_idx begins with it
        related_name="audit_events",
        verbose_name="casus",
    )
    changes = models.JSONField("wijzigingen", default=dict, blank=True)
    path = models.CharField("adres", max_length=300, blank=True)
    ip_address = models.GenericIPAddressField("IP-adres", null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "auditregel"
        verbose_name_plural = "auditlog"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "at"], name="audit_case_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
            models.Index(fields=["action", "at"], name="audit_action_idx"),
        ]

    def __str__(self):
        return f"{self.at:%d-%m-%Y %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def change_lines(self) -> list[tuple[str, str]]:
        """The changes as (field, "old → new") lines for the screen."""
        lines = []
        for name, change in self.changes.items():
            if isinstance(change, dict) and set(change) == {"oud", "nieuw"}:
                old, new = (_shown(change[key]) for key in ("oud", "nieuw"))
                lines.append((name, f"{old} → {new}"))
            else:
                lines.append((name, _shown(change)))
        return lines
