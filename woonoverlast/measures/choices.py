"""Closed lists of the maatregelen. Stored values are fixed (issue 13); labels are Dutch."""

from django.db import models


class MeasureKind(models.TextChoices):
    BEHAVIOURAL_ORDER_PENALTY = (
        "gedragsaanwijzing_dwangsom",
        "Gedragsaanwijzing (last onder dwangsom)",
    )
    BEHAVIOURAL_ORDER_ENFORCEMENT = (
        "gedragsaanwijzing_bestuursdwang",
        "Gedragsaanwijzing (last onder bestuursdwang)",
    )
    CLOSURE = "sluiting", "Sluiting woning (art. 174a Gemeentewet)"
    OTHER = "overig", "Overige maatregel"


BEHAVIOURAL_ORDERS = (
    MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
    MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT,
)


class Step(models.TextChoices):
    INVESTIGATION_REPORT = "onderzoeksverslag", "Onderzoeksverslag opgesteld"
    WEIGHING = "belangenafweging", "Belangenafweging vastgelegd"
    WARNING_SENT = "waarschuwing_verzonden", "Waarschuwing verzonden"
    INTENTION_SENT = "voornemen_verzonden", "Voornemen verzonden"
    VIEW_RECEIVED = "zienswijze_ontvangen", "Zienswijze ontvangen"
    VIEW_WAIVED = "zienswijze_afgezien", "Afgezien van zienswijze"
    DECISION = "besluit_genomen", "Besluit genomen"
    NOTIFIED = "bekendgemaakt", "Besluit bekendgemaakt"
    OBJECTION_RECEIVED = "bezwaar_ontvangen", "Bezwaar ontvangen"
    OBJECTION_ADJOURNED = "beslistermijn_verdaagd", "Beslissing op bezwaar verdaagd"
    OBJECTION_DECIDED = "beslissing_op_bezwaar", "Beslissing op bezwaar"
    APPEAL_FILED = "beroep_ingesteld", "Beroep ingesteld"
    CHECK = "controle", "Controle"
    PENALTY_INCURRED = "dwangsom_verbeurd", "Dwangsom verbeurd"
    # Replaced by the collection steps below; kept readable for existing rows, not offered.
    COLLECTION = "invordering", "Invordering (oud)"
    COLLECTION_ORDER = "invorderingsbeschikking", "Invorderingsbeschikking"
    PAYMENT_RECEIVED = "betaling_ontvangen", "Betaling ontvangen"
    REMINDER = "aanmaning", "Aanmaning verzonden"
    WRIT = "dwangbevel", "Dwangbevel uitgevaardigd"
    COST_ORDER = "kostenbeschikking", "Kostenbeschikking"
    ENFORCEMENT_APPLIED = "bestuursdwang_toegepast", "Bestuursdwang toegepast"
    WITHDRAWN = "ingetrokken", "Besluit ingetrokken"
    EXPIRED = "afgelopen", "Afgelopen"
    ENDED = "beeindigd", "Beëindigd"


TERMINAL_STEPS = frozenset({Step.WITHDRAWN, Step.EXPIRED, Step.ENDED})
# Collecting what was forfeited or spent goes on after the order ended (afgelopen, beëindigd).
COLLECTION_STEPS = frozenset(
    {Step.COLLECTION_ORDER, Step.PAYMENT_RECEIVED, Step.REMINDER, Step.WRIT, Step.COST_ORDER}
)
# Besluiten other than the order itself: each gets its own bekendmaking and bezwaartermijn.
COLLECTION_DECISIONS = frozenset({Step.COLLECTION_ORDER, Step.COST_ORDER})


class Outcome(models.TextChoices):
    WELL_FOUNDED = "gegrond", "Gegrond"
    PARTLY_WELL_FOUNDED = "gedeeltelijk_gegrond", "Gedeeltelijk gegrond"
    UNFOUNDED = "ongegrond", "Ongegrond"
    INADMISSIBLE = "niet_ontvankelijk", "Niet-ontvankelijk"
    OBJECTION_WITHDRAWN = "ingetrokken", "Bezwaar ingetrokken"
    COMPLIED = "nageleefd", "Nageleefd"
    BREACHED = "overtreden", "Overtreden"


OBJECTION_OUTCOMES = (
    Outcome.WELL_FOUNDED,
    Outcome.PARTLY_WELL_FOUNDED,
    Outcome.UNFOUNDED,
    Outcome.INADMISSIBLE,
    Outcome.OBJECTION_WITHDRAWN,
)
# A (partly) well-founded bezwaar revokes the besluit (art. 7:11 lid 2 Awb): no enforcement
# until a new besluit is taken.
REVOKING_OUTCOMES = (Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED)
CHECK_OUTCOMES = (Outcome.COMPLIED, Outcome.BREACHED)
