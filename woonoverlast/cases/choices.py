"""Closed lists of the case domain. Stored values are short and stable; labels are Dutch."""

from django.db import models


class HousingType(models.TextChoices):
    # The stored values are the names in the published Tabel 5.1.
    KOOP = "koop", "Koop"
    CORPORATIE = "corporatie", "Corporatie"
    PARTICULIER = "particulier", "Particulier"


class Complexity(models.TextChoices):
    SIMPLE = "enkelvoudig", "Enkelvoudig"
    COMPLEX = "complex", "Complex (meerdere partners nodig)"


class Status(models.TextChoices):
    OPEN = "open", "Lopend"
    CLOSED = "closed", "Afgerond"


class ClosingReason(models.TextChoices):
    RESOLVED = "opgelost", "Opgelost"
    REFERRED = "doorverwezen", "Doorverwezen"
    NO_NUISANCE = "geen_overlast", "Geen overlast vastgesteld"
    MOVED = "verhuisd", "Verhuisd"
    OTHER = "overig", "Overig"


class PartyRole(models.TextChoices):
    REPORTER = "melder", "Melder"
    RESPONDENT = "veroorzaker", "Veroorzaker"
    INVOLVED = "betrokkene", "Betrokkene"
    # Rechthebbenden (issue 24): a measure may be addressed to them (measures.rules).
    OWNER = "eigenaar", "Eigenaar"
    LANDLORD = "verhuurder", "Verhuurder"
    CORPORATION = "corporatie", "Woningcorporatie (verhuurder)"


class MeldingSource(models.TextChoices):
    RESIDENT = "buurtbewoner", "Buurtbewoner"
    CORPORATION = "corporatie", "Woningcorporatie"
    POLICE = "politie", "Politie"
    CARE_WORKER = "hulpverlener", "Hulpverlener"
    DISTRICT_TEAM = "wijkteam", "Wijkteam"
    MUNICIPALITY = "gemeente", "Gemeente"
    ANONYMOUS = "anoniem", "Anoniem"
    OTHER = "overig", "Overig"


class ActionType(models.TextChoices):
    CONVERSATION = "gesprek", "Gesprek"
    HOME_VISIT = "huisbezoek", "Huisbezoek"
    CARE = "zorg", "Zorg/hulpverlening geregeld"
    CLEANING = "schoonmaak", "Woning laten schoonmaken"
    SHELTER = "onderdak", "Tijdelijk onderdak geregeld"
    MEDIATION = "mediation", "Mediation/buurtbemiddeling"
    PARTNER_MEETING = "ketenoverleg", "Overleg met ketenpartner"
    WARNING = "waarschuwing", "Waarschuwing"
    BEHAVIOURAL_ORDER = "gedragsaanwijzing", "Gedragsaanwijzing"
    ENFORCEMENT = "dwangsom", "Last onder dwangsom/bestuursdwang"
    TEMPORARY_BAN = "huisverbod", "Tijdelijk huisverbod"
    # After a case is closed: the check that the nuisance has stayed away (termijnbewaking).
    AFTERCARE = "nazorg", "Nazorgcontact"
    OTHER = "overig", "Overig"
