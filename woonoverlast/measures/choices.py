"""Closed lists of the maatregelen. Stored values are fixed (exports and the API use them);
labels are Dutch."""

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
    PRESENCE_BAN = (
        "verbod_aanwezig",
        "Verbod om in of bij de woning aanwezig te zijn (art. 151d lid 3 Gemeentewet)",
    )
    ENFORCEMENT_REQUEST = "handhavingsverzoek", "Handhavingsverzoek (aanvraag om te handhaven)"
    OTHER = "overig", "Overige maatregel"


BEHAVIOURAL_ORDERS = (
    MeasureKind.BEHAVIOURAL_ORDER_PENALTY,
    MeasureKind.BEHAVIOURAL_ORDER_ENFORCEMENT,
)
# The besluiten that restrict a person (151d, 174a Gemeentewet): the belangenafweging
# (subsidiariteit, 151d lid 2; evenredigheid, art. 3:4 lid 2 Awb) must precede them.
WEIGHED_KINDS = (*BEHAVIOURAL_ORDERS, MeasureKind.CLOSURE, MeasureKind.PRESENCE_BAN)


class Step(models.TextChoices):
    INVESTIGATION_REPORT = "onderzoeksverslag", "Onderzoeksverslag opgesteld"
    WEIGHING = "belangenafweging", "Belangenafweging vastgelegd"
    WARNING_SENT = "waarschuwing_verzonden", "Waarschuwing verzonden"
    INTENTION_SENT = "voornemen_verzonden", "Voornemen verzonden"
    VIEW_RECEIVED = "zienswijze_ontvangen", "Zienswijze ontvangen"
    VIEW_WAIVED = "zienswijze_afgezien", "Afgezien van zienswijze"
    DECISION = "besluit_genomen", "Besluit genomen"
    NOTIFIED = "bekendgemaakt", "Besluit bekendgemaakt"
    TERM_EXTENDED = "last_verlengd", "Begunstigingstermijn verlengd (besluit)"
    REQUEST_RECEIVED = "aanvraag_ontvangen", "Handhavingsverzoek ontvangen"
    REQUEST_DECIDED = "besluit_op_aanvraag", "Besluit op het handhavingsverzoek"
    OBJECTION_RECEIVED = "bezwaar_ontvangen", "Bezwaar ontvangen"
    OBJECTION_ADJOURNED = "beslistermijn_verdaagd", "Beslissing op bezwaar verdaagd"
    HEARING = "hoorzitting", "Hoorzitting (of afgezien van horen)"
    DECISION_SUSPENDED = "beslistermijn_opgeschort", "Beslistermijn opgeschort (herstel verzuim)"
    DECISION_POSTPONED = "beslistermijn_uitgesteld", "Beslistermijn verder uitgesteld"
    OBJECTION_DECIDED = "beslissing_op_bezwaar", "Beslissing op bezwaar"
    DIRECT_APPEAL = "rechtstreeks_beroep", "Ingestemd met rechtstreeks beroep"
    APPEAL_FILED = "beroep_ingesteld", "Beroep ingesteld"
    INTERIM_REQUEST = "verzoek_voorlopige_voorziening", "Verzoek voorlopige voorziening"
    INTERIM_RULING = "uitspraak_voorlopige_voorziening", "Uitspraak voorlopige voorziening"
    APPEAL_RULING = "uitspraak_beroep", "Uitspraak beroep"
    HIGHER_APPEAL_FILED = "hoger_beroep_ingesteld", "Hoger beroep ingesteld"
    HIGHER_APPEAL_RULING = "uitspraak_hoger_beroep", "Uitspraak hoger beroep"
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
    # hoorzitting: heard, or the ground of art. 7:3 Awb on which hearing was waived.
    HEARD = "gehoord", "Gehoord"
    WAIVED_INADMISSIBLE = "afzien_a", "Afgezien: bezwaar kennelijk niet-ontvankelijk (7:3 a)"
    WAIVED_UNFOUNDED = "afzien_b", "Afgezien: bezwaar kennelijk ongegrond (7:3 b)"
    WAIVED_DECLINED = "afzien_c", "Afgezien: wil niet gehoord worden (7:3 c)"
    WAIVED_NO_ANSWER = "afzien_d", "Afgezien: niet binnen de gestelde termijn gereageerd (7:3 d)"
    WAIVED_MET = "afzien_e", "Afgezien: volledig tegemoetgekomen (7:3 e)"
    # beslistermijn_uitgesteld: the ground of art. 7:10 lid 4 Awb.
    POSTPONED_ALL_AGREE = "instemming_allen", "Alle belanghebbenden stemmen in (7:10 lid 4 a)"
    POSTPONED_APPLICANT_AGREES = (
        "instemming_indiener",
        "De indiener stemt in, anderen niet geschaad (7:10 lid 4 b)",
    )
    POSTPONED_PROCEDURE = "procedure", "Nodig voor wettelijke procedurevoorschriften (7:10 lid 4 c)"
    # uitspraak voorlopige voorziening (art. 8:81 Awb).
    GRANTED = "toegewezen", "Toegewezen: besluit geschorst"
    REFUSED = "afgewezen", "Afgewezen"
    # besluit op een handhavingsverzoek (art. 4:13 Awb).
    REQUEST_GRANTED = "aanvraag_toegewezen", "Toegewezen: er wordt gehandhaafd"
    REQUEST_REFUSED = "aanvraag_afgewezen", "Afgewezen: er wordt niet gehandhaafd"


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
HEARING_OUTCOMES = (
    Outcome.HEARD,
    Outcome.WAIVED_INADMISSIBLE,
    Outcome.WAIVED_UNFOUNDED,
    Outcome.WAIVED_DECLINED,
    Outcome.WAIVED_NO_ANSWER,
    Outcome.WAIVED_MET,
)
POSTPONE_OUTCOMES = (
    Outcome.POSTPONED_ALL_AGREE,
    Outcome.POSTPONED_APPLICANT_AGREES,
    Outcome.POSTPONED_PROCEDURE,
)
INTERIM_OUTCOMES = (Outcome.GRANTED, Outcome.REFUSED)
REQUEST_OUTCOMES = (Outcome.REQUEST_GRANTED, Outcome.REQUEST_REFUSED)
# A court's uitspraak: gegrond (the besluit is vernietigd), or it stands.
RULING_OUTCOMES = (
    Outcome.WELL_FOUNDED,
    Outcome.PARTLY_WELL_FOUNDED,
    Outcome.UNFOUNDED,
    Outcome.INADMISSIBLE,
)
RULING_STEPS = (Step.APPEAL_RULING, Step.HIGHER_APPEAL_RULING)
