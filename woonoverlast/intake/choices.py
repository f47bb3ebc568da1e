"""Closed lists of the intake. Stored values are short and stable; labels are Dutch."""

from django.db import models

from woonoverlast.cases.choices import MeldingSource


class IntakeSource(models.TextChoices):
    """Where a binnengekomen melding came from."""

    FORM = "formulier", "Meldformulier (inwoner)"
    CORPORATION = "corporatie", "Woningcorporatie"
    POLICE = "politie", "Politie"
    MELDINGEN_SYSTEM = "meldingensysteem", "Meldingensysteem gemeente"
    PHONE = "telefoon", "Telefoon"
    OTHER = "overig", "Overig"


# The source a melding gets when it becomes a Melding of a case. A form without a name is
# anonymous.
MELDING_SOURCE = {
    IntakeSource.FORM: MeldingSource.RESIDENT,
    IntakeSource.CORPORATION: MeldingSource.CORPORATION,
    IntakeSource.POLICE: MeldingSource.POLICE,
    IntakeSource.MELDINGEN_SYSTEM: MeldingSource.MUNICIPALITY,
    IntakeSource.PHONE: MeldingSource.RESIDENT,
    IntakeSource.OTHER: MeldingSource.OTHER,
}

# What a koppeling (partner system) may send as `bron`: not the public form.
PARTNER_SOURCES = [
    IntakeSource.CORPORATION,
    IntakeSource.POLICE,
    IntakeSource.MELDINGEN_SYSTEM,
    IntakeSource.OTHER,
]


class IntakeStatus(models.TextChoices):
    RECEIVED = "ontvangen", "Ontvangen"
    IN_PROGRESS = "in_behandeling", "In behandeling"
    HANDLED = "afgehandeld", "Afgehandeld"


OPEN_STATUSES = (IntakeStatus.RECEIVED, IntakeStatus.IN_PROGRESS)


class Outcome(models.TextChoices):
    ADDED = "toegevoegd", "Toegevoegd aan casus"
    NEW_CASE = "nieuwe_casus", "Nieuwe casus"
    NO_NUISANCE = "geen_woonoverlast", "Geen woonoverlast"
    REFERRED = "doorverwezen", "Doorverwezen"


CLOSING_OUTCOMES = [Outcome.NO_NUISANCE, Outcome.REFERRED]


class TalkedToNeighbour(models.TextChoices):
    YES = "ja", "Ja"
    NO = "nee", "Nee"
    UNKNOWN = "onbekend", "Zeg ik liever niet"


class FeedbackKind(models.TextChoices):
    """The messages a melder gets (terugkoppeling)."""

    RECEIVED = "ontvangen", "Bevestiging van ontvangst"
    ADDED = "toegevoegd", "Melding is bij een casus gevoegd"
    NEW_CASE = "nieuwe_casus", "Melding heeft geleid tot een casus"
    CLOSED = "afgesloten", "Casus is afgesloten"
    NOT_TAKEN = "niet_opgepakt", "Melding is afgehandeld zonder casus"
