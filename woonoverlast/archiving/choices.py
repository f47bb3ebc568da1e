"""Closed lists of archiving. Stored values are the ZGW API's (Catalogi: archiefnominatie)."""

from django.db import models


class Waardering(models.TextChoices):
    """The Selectielijst's waardering, stored as ZGW's `archiefnominatie` values."""

    DESTROY = "vernietigen", "Vernietigen"
    KEEP = "blijvend_bewaren", "Blijvend bewaren"


class AppliesTo(models.TextChoices):
    CASE = "casus", "Casus"
    MEASURE = "maatregel", "Maatregel"
    BOTH = "beide", "Casus en maatregel"


class ListStatus(models.TextChoices):
    """A vernietigingslijst: proposed, reviewed by a team leader, approved by the archivaris,
    destroyed by the background job (Archiefbesluit 1995 art. 6-8)."""

    PROPOSED = "voorgesteld", "Voorgesteld"
    REVIEWED = "beoordeeld", "Beoordeeld door teamleider"
    APPROVED = "goedgekeurd", "Goedgekeurd door archivaris"
    DESTROYED = "vernietigd", "Vernietigd"


class ListKind(models.TextChoices):
    CASES = "casussen", "Casussen"
    LOGINS = "inloggegevens", "Inloggegevens auditlog"
