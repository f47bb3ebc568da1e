from django.db import models


class PartnerKind(models.TextChoices):
    CORPORATIE = "corporatie", "Woningcorporatie"
    POLITIE = "politie", "Politie"
    ZORG = "zorg", "Zorg (GGZ, verslavingszorg, GGD)"
    WELZIJN = "welzijn", "Welzijn / wijkteam"
    VEILIGHEIDSHUIS = "veiligheidshuis", "Zorg- en Veiligheidshuis"
    OVERIG = "overig", "Overig"


class DataCategory(models.TextChoices):
    """The kinds of data a convenant may allow an organisation to receive (doelbinding and
    dataminimalisatie, AVG art. 5 lid 1 sub b and c). Nothing outside these ever reaches a
    partner; the question on the agenda and the case's reference always do."""

    ADDRESS = "adres", "Adres en samenvatting van de overlast"
    COURSE = "verloop", "Verloop van de casus"
    MEASURES = "maatregelen", "Maatregelen en hun status"
    # Data concerning health: a special category (AVG art. 9 lid 1), only where the convenant
    # names it explicitly.
    CARE = "zorg", "Zorginformatie (bijzonder persoonsgegeven)"


class ItemState(models.TextChoices):
    PROPOSED = "voorgesteld", "Voorgesteld"
    ACCEPTED = "geagendeerd", "Geagendeerd"
    DECLINED = "niet_geagendeerd", "Niet geagendeerd"


class DisclosureChannel(models.TextChoices):
    VIEW = "bekeken", "Bekeken op /partner/"
    PDF = "pdf", "Agenda als PDF"
    DOWNLOAD = "download", "Gedownload"
