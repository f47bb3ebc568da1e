from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member of team Woonoverlast; what they may do follows from their role (group)."""

    class Meta(AbstractUser.Meta):
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.name_of(self.first_name, self.last_name, self.username)

    @staticmethod
    def name_of(first_name: str | None, last_name: str | None, username: str | None) -> str:
        """How a user is named everywhere (str(user)), from the columns alone: for lists that
        read them as values instead of making a User of each row."""
        return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


class CaseAccessGrant(models.Model):
    """A team leader lets a casemanager see the parties of a closed case they did not work on.

    Access to a closed case's personal data is otherwise limited to the people who worked on
    it (accounts.roles.can_see_parties). A grant lasts until `valid_until`.
    """

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="access_grants",
        verbose_name="casus",
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="access_grants", verbose_name="medewerker"
    )
    reason = models.CharField("reden", max_length=300)
    valid_until = models.DateField("geldig tot en met")
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="verleend door"
    )
    granted_at = models.DateTimeField("verleend op", auto_now_add=True)

    class Meta:
        verbose_name = "toegang tot betrokkenen"
        verbose_name_plural = "toegang tot betrokkenen"
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["case", "user", "valid_until"], name="grant_lookup_idx")]

    def __str__(self):
        return f"{self.user} – {self.case} t/m {self.valid_until:%d-%m-%Y}"


class SsoIdentity(models.Model):
    """Who a user is at the municipality's identity provider: the stable claim (`sub`, or the
    employee number: OIDC_USER_CLAIM) of one issuer. Users are found by this, never by
    e-mail address (which can be reused or changed by the user)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="sso_identity", verbose_name="gebruiker"
    )
    issuer = models.CharField("identiteitsprovider", max_length=300)
    subject = models.CharField("kenmerk bij de provider", max_length=255)
    created_at = models.DateTimeField("eerste keer ingelogd", auto_now_add=True)
    last_login_at = models.DateTimeField("laatst ingelogd", null=True, blank=True)

    class Meta:
        verbose_name = "SSO-identiteit"
        verbose_name_plural = "SSO-identiteiten"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]

    def __str__(self):
        return f"{self.user} ({self.subject})"
