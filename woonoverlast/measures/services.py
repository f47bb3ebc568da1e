"""The writes of the maatregelen: starting a measure and recording its steps.

Views, the API, the demo loader and the tests call these; every rule lives here. A refused
write raises ValidationError with Dutch messages keyed by argument name and these codes:

- ``role``: the user may not do this (only a team leader records besluit_genomen and
  ingetrokken, or a step whose precondition is not met);
- ``transition``: the step cannot follow the measure's latest step (ALLOWED_STEPS), or the
  measure has ended;
- ``precondition``: a precondition is not met (no onderzoeksverslag and waarschuwing before
  a voornemen tot gedragsaanwijzing; no voornemen, or the zienswijze term still running,
  before a besluit); a team leader may pass ``skip_reason`` to record it anyway;
- ``looptijd``: a gedragsaanwijzing's besluit without a looptijd and not explicitly
  onbepaald with a reason;
- ``weighing``: a besluit restricting a person (151d, 174a Gemeentewet) without a recorded
  belangenafweging before it (3:4 lid 2 Awb); never skippable;
- ``extension``: last_verlengd that does not extend a term of a last in force (new end not
  after the current one, beyond the looptijd, or after enforcement began);
- ``sequence``: an order the law requires (a beslissing op bezwaar needs a bezwaar, beroep a
  beslissing op bezwaar, a dwangsom verbeurd or bestuursdwang a controle that found the order
  overtreden, invordering a dwangsom verbeurd or bestuursdwang, one verdaging per bezwaar);
- ``late``: verdaging after the beslistermijn ended;
- ``enforcement``: a dwangsom verbeurd, bestuursdwang or a controle that finds a breach before
  the begunstigingstermijn ended (before bekendmaking without a term), after the looptijd, or
  after a (partly) well-founded bezwaar until a new besluit (5:32a, 5:24, 3:40, 7:11 Awb);
  never skippable;
- ``over_maximum``: the dwangsommen verbeurd would exceed the maximum of the besluit;
- ``required``, ``future``, ``before_start``, ``before_previous``, ``before_registration``,
  ``before_step``, ``not_applicable`` (step data the step does not carry), ``invalid``;
- ``respondent`` (not a veroorzaker of this case), ``case_closed``, ``duplicate`` (already a
  running measure of this kind against this person).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from woonoverlast.accounts.access import check_case_write
from woonoverlast.accounts.roles import can_lead_team, can_work_cases
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import MASKED, record
from woonoverlast.cases.choices import Status
from woonoverlast.cases.models import Case, Party
from woonoverlast.cases.services.last_activity import case_refresh_last_activity
from woonoverlast.common.calendar import DAY, AtwCalendar
from woonoverlast.common.validation import Errors, format_date, today

from .choices import (
    BEHAVIOURAL_ORDERS,
    CHECK_OUTCOMES,
    HEARING_OUTCOMES,
    INTERIM_OUTCOMES,
    OBJECTION_OUTCOMES,
    POSTPONE_OUTCOMES,
    REQUEST_OUTCOMES,
    RULING_OUTCOMES,
    TERMINAL_STEPS,
    WEIGHED_KINDS,
    MeasureKind,
    Outcome,
    Step,
)
from .models import Measure, MeasureAddressee, MeasureStep
from .money import format_euro
from .rules import (
    ADDRESSEE_ROLES,
    ENFORCEMENT_STEPS,
    STEP_DATA_FIELDS,
    STEP_FIELDS,
    TEAM_LEADER_STEPS,
    MeasureState,
    precondition_problems,
)


def zienswijze_default_days() -> int:
    """The zienswijze term a voornemen gets unless the user states another (setting)."""
    return settings.MEASURES_ZIENSWIJZE_DAYS


@transaction.atomic
def measure_start(
    *, case: Case, respondent: Party, kind: str, by, on: datetime.date | None = None
) -> Measure:
    """Start a maatregel of `kind` against `respondent`, a party of `case` the kind may be
    addressed to (rules.ADDRESSEE_ROLES: the veroorzaker; a gedragsaanwijzing also the
    verhuurder, art. 151d lid 2 Gemeentewet), on `on` (default today)."""
    errors = Errors()
    if not can_work_cases(by):
        errors.add(None, "Alleen casemanagers en teamleiders starten een maatregel.", code="role")
        errors.raise_if_any()
    # Lock the case: two people starting the same measure at once are serialised.
    case_row = Case.objects.select_for_update().get(pk=case.pk)
    # Before anything about the case is checked: a refusal must not tell who its
    # veroorzaker is or whether it was open on a date (the closed-case rule, accounts.roles).
    check_case_write(case_row, by)
    on = on or today()
    if kind not in MeasureKind.values:
        errors.add("kind", "Kies een soort maatregel.", code="required")
    if respondent is None or respondent.case_id != case_row.pk:
        errors.add("respondent", "Kies een veroorzaker van deze casus.", code="respondent")
    elif kind in ADDRESSEE_ROLES and respondent.role not in ADDRESSEE_ROLES[kind]:
        errors.add("respondent", _addressee_refusal(kind), code="respondent")
    errors.check_not_in_future("on", on)
    if on < case_row.registered_on:
        errors.add(
            "on",
            f"De datum mag niet voor de registratiedatum ({format_date(case_row.registered_on)}) "
            "liggen.",
            code="before_registration",
        )
    elif not case_row.status_changes.in_effect_on(on).filter(status=Status.OPEN).exists():
        # The case's status on that date (its history), so an old measure can be entered.
        errors.add(
            "on",
            f"De casus was op {format_date(on)} niet lopend; een maatregel hoort bij een "
            "lopende casus.",
            code="case_closed",
        )
    errors.raise_if_any()
    if Measure.objects.running().filter(respondent=respondent, kind=kind).exists():
        errors.add(
            "kind",
            "Er loopt al een maatregel van deze soort tegen deze veroorzaker.",
            code="duplicate",
        )
        errors.raise_if_any()
    measure = Measure.objects.create(
        case=case_row, respondent=respondent, kind=kind, started_on=on, created_by=by
    )
    record(
        AuditAction.CREATE,
        by=by,
        obj=measure,
        case=case_row,
        changes={"soort": kind, "gestart op": on.isoformat(), "veroorzaker": respondent.pk},
    )
    return measure


@transaction.atomic
def measure_addressee_add(
    *, measure: Measure, party: Party, by, on: datetime.date | None = None
) -> MeasureAddressee:
    """Address `measure` also to `party`, a rechthebbende of the case (eigenaar, verhuurder,
    corporatie) the kind may be addressed to (rules.ADDRESSEE_ROLES), before the besluit is
    taken: the besluit is then made known to him as well (art. 3:41 lid 1 Awb: toezending
    to each addressee), takes effect for him from that bekendmaking (art. 3:40) and gives him
    his own bezwaartermijn from the day after it (art. 6:7 and 6:8 Awb). Art. 151d lid 2
    Gemeentewet lets the last go to the one who gives the home in use; art. 174a concerns the
    rechthebbende of the home closed."""
    errors = Errors()
    if not can_work_cases(by):
        errors.add(None, "Alleen casemanagers en teamleiders wijzigen een maatregel.", code="role")
        errors.raise_if_any()
    measure_row = Measure.objects.select_for_update().select_related("case").get(pk=measure.pk)
    check_case_write(measure_row.case, by)  # before anything about the case is told
    on = on or today()
    if party is None or party.case_id != measure_row.case_id:
        errors.add("party", "Kies een betrokkene van deze casus.", code="respondent")
    elif party.pk == measure_row.respondent_id:
        errors.add("party", "De maatregel is al tot deze betrokkene gericht.", code="duplicate")
    elif party.role not in ADDRESSEE_ROLES.get(measure_row.kind, frozenset()):
        errors.add("party", _addressee_refusal(measure_row.kind), code="respondent")
    elif measure_row.addressees.filter(party=party).exists():
        errors.add("party", "De maatregel is al tot deze betrokkene gericht.", code="duplicate")
    errors.check_not_in_future("on", on)
    if on < measure_row.started_on:
        errors.add(
            "on",
            "De datum mag niet voor de start van de maatregel "
            f"({format_date(measure_row.started_on)}) liggen.",
            code="before_start",
        )
    steps = list(measure_row.steps.order_by("occurred_on", "id"))
    state = MeasureState(measure_row, steps, AtwCalendar())
    if state.is_ended:
        errors.add(None, "Deze maatregel is afgesloten.", code="transition")
    elif state.decision is not None and state.herroeping_of_schorsing is None:
        errors.add(
            None,
            "Het besluit is al genomen: een geadresseerde wordt vóór het besluit toegevoegd.",
            code="sequence",
        )
    errors.raise_if_any()
    addressee = MeasureAddressee.objects.create(
        measure=measure_row, party=party, added_on=on, created_by=by
    )
    measure_row.addressee_count = measure_row.addressees.count()
    measure_row.save(update_fields=["addressee_count"])
    measure.addressee_count = measure_row.addressee_count
    record(
        AuditAction.CREATE,
        by=by,
        obj=addressee,
        case=measure_row.case,
        changes={"maatregel": measure_row.pk, "betrokkene": party.pk, "rol": party.role},
    )
    return addressee


def _addressee_refusal(kind: str) -> str:
    """Why a party of this role cannot be the addressee of a measure of `kind`
    (rules.ADDRESSEE_ROLES)."""
    if kind in BEHAVIOURAL_ORDERS:
        return (
            "Een gedragsaanwijzing richt zich tot de veroorzaker (art. 151d lid 1 "
            "Gemeentewet) of tot de verhuurder of woningcorporatie (lid 2)."
        )
    if kind == MeasureKind.PRESENCE_BAN:
        return (
            "Een verbod om aanwezig te zijn richt zich tot de veroorzaker (art. 151d lid 3 "
            "Gemeentewet)."
        )
    return "Kies de veroorzaker of een rechthebbende (eigenaar, verhuurder, corporatie)."


def _decimal(errors: Errors, name: str, value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.add(name, "Vul een bedrag in euro's in.", code="invalid")
        return None


def _check_dates(errors: Errors, state: MeasureState, measure: Measure, on, data) -> None:
    if on is None:
        errors.add("on", "Vul een datum in.", code="required")
        return
    errors.check_not_in_future("on", on)
    if on < measure.started_on:
        errors.add(
            "on",
            f"De datum mag niet voor de start van de maatregel ({format_date(measure.started_on)}) "
            "liggen.",
            code="before_start",
        )
    elif state.latest is not None and on < state.latest.occurred_on:
        errors.add(
            "on",
            "De datum mag niet voor de vorige stap "
            f"({format_date(state.latest.occurred_on)}) liggen.",
            code="before_previous",
        )
    if data.get("next_check_on") and data["next_check_on"] < on:
        errors.add(
            "next_check_on",
            "De volgende controle mag niet voor de datum van de stap liggen.",
            code="before_step",
        )


def _check_step_data(errors: Errors, state: MeasureState, step: str, data: dict) -> None:
    """Fill the step's defaults in `data` and check its own fields."""
    carried = STEP_FIELDS.get(step, frozenset())
    for name in STEP_DATA_FIELDS:
        value = data.get(name)
        if name not in carried and value not in (None, "", False):
            errors.add(name, "Dit gegeven hoort niet bij deze stap.", code="not_applicable")
    for name in ("penalty_amount", "penalty_maximum", "amount"):
        data[name] = _decimal(errors, name, data.get(name))
    addressee = data.get("addressee")
    if addressee is not None and (
        not isinstance(addressee, MeasureAddressee) or addressee.measure_id != state.measure.pk
    ):
        errors.add("addressee", "Kies een geadresseerde van deze maatregel.", code="invalid")
        data["addressee"] = None
    kind = state.measure.kind
    if step == Step.INTENTION_SENT and data.get("zienswijze_days") is None:
        data["zienswijze_days"] = zienswijze_default_days()
    if step == Step.DECISION:
        penalty = kind in (MeasureKind.BEHAVIOURAL_ORDER_PENALTY,)
        if penalty:
            for name, label in (
                ("penalty_amount", "het bedrag per overtreding"),
                ("penalty_maximum", "het maximum"),
            ):
                if data.get(name) is None:
                    errors.add(name, f"Vul {label} van de dwangsom in.", code="required")
            if (
                data.get("penalty_amount") is not None
                and data.get("penalty_maximum") is not None
                and data["penalty_maximum"] < data["penalty_amount"]
            ):
                errors.add(
                    "penalty_maximum",
                    "Het maximum mag niet lager zijn dan het bedrag per overtreding.",
                    code="invalid",
                )
        elif kind != MeasureKind.OTHER:
            for name in ("penalty_amount", "penalty_maximum"):
                if data.get(name) is not None:
                    errors.add(
                        name, "Een dwangsom hoort niet bij deze maatregel.", code="not_applicable"
                    )
        if kind == MeasureKind.CLOSURE and data.get("duration_months") is None:
            errors.add(
                "duration_months",
                "Vul de duur van de sluiting in (art. 174a lid 3 Gemeentewet).",
                code="required",
            )
        _check_duration(errors, kind, data)
    if step == Step.OBJECTION_DECIDED and data.get("outcome") not in OBJECTION_OUTCOMES:
        errors.add(
            "outcome",
            "Kies gegrond, gedeeltelijk gegrond, ongegrond, niet-ontvankelijk of ingetrokken.",
            code="required",
        )
    for needing, outcomes, text in (
        (Step.HEARING, HEARING_OUTCOMES, "Kies gehoord of de grond om van horen af te zien."),
        (Step.DECISION_POSTPONED, POSTPONE_OUTCOMES, "Kies de grond van het uitstel."),
        (Step.INTERIM_RULING, INTERIM_OUTCOMES, "Kies toegewezen of afgewezen."),
        (Step.APPEAL_RULING, RULING_OUTCOMES, "Kies de uitkomst van de uitspraak."),
        (Step.HIGHER_APPEAL_RULING, RULING_OUTCOMES, "Kies de uitkomst van de uitspraak."),
    ):
        if step == needing and data.get("outcome") not in outcomes:
            errors.add("outcome", text, code="required")
    if step == Step.REQUEST_DECIDED and data.get("outcome") not in REQUEST_OUTCOMES:
        errors.add("outcome", "Kies toegewezen of afgewezen.", code="required")
    if step == Step.TERM_EXTENDED and not data.get("until_on"):
        errors.add(
            "until_on",
            "Vul de nieuwe laatste dag van de begunstigingstermijn in.",
            code="required",
        )
    if step in (Step.DECISION_SUSPENDED, Step.DECISION_POSTPONED) and not data.get("until_on"):
        errors.add("until_on", "Vul de datum in tot en met wanneer.", code="required")
    if step == Step.CHECK and data.get("outcome") not in CHECK_OUTCOMES:
        errors.add("outcome", "Kies nageleefd of overtreden.", code="required")
    if step in (Step.COLLECTION_ORDER, Step.PAYMENT_RECEIVED, Step.COST_ORDER) and not data.get(
        "amount"
    ):
        errors.add("amount", "Vul het bedrag in.", code="required")
    if step == Step.PENALTY_INCURRED:
        decision = state.decision
        if data.get("amount") is None and decision is not None:
            data["amount"] = decision.penalty_amount
        if not data.get("amount"):
            errors.add("amount", "Vul het verbeurde bedrag in.", code="required")
        elif (
            decision is not None
            and decision.penalty_maximum is not None
            and (state.dwangsommen_verbeurd + data["amount"] > decision.penalty_maximum)
        ):
            errors.add(
                "amount",
                "Daarmee komt het verbeurde bedrag boven het maximum van de dwangsom "
                f"({format_euro(decision.penalty_maximum)}).",
                code="over_maximum",
            )


def _check_duration(errors: Errors, kind: str, data: dict) -> None:
    """The looptijd of the besluit. A gedragsaanwijzing (and any other last onder dwangsom)
    states it, or is explicitly
    onbepaald with a reason (legal certainty, art. 3:46 Awb; without a looptijd the person can
    only ask to lift it after a year without forfeiture, art. 5:34 lid 2 Awb). A verbod om
    aanwezig te zijn lasts ten days by law (art. 151d lid 3 Gemeentewet): nothing to type."""
    months, indefinite = data.get("duration_months"), bool(data.get("duration_indefinite"))
    reason = (data.get("indefinite_reason") or "").strip()
    data["indefinite_reason"] = reason
    if kind == MeasureKind.PRESENCE_BAN:
        for name in ("duration_months", "duration_indefinite", "begunstigingstermijn_days"):
            if data.get(name) not in (None, "", False):
                errors.add(
                    name,
                    "Het verbod geldt tien dagen vanaf de bekendmaking (art. 151d lid 3 "
                    "Gemeentewet); duur en termijn worden niet ingevuld.",
                    code="not_applicable",
                )
        return
    if indefinite and months is not None:
        errors.add(
            "duration_indefinite",
            "Vul een looptijd in óf kies 'onbepaald', niet allebei.",
            code="invalid",
        )
    elif indefinite and not reason:
        errors.add(
            "indefinite_reason",
            "Geef de reden waarom de looptijd onbepaald is.",
            code="required",
        )
    elif (
        (
            kind in BEHAVIOURAL_ORDERS
            or (kind == MeasureKind.OTHER and data.get("penalty_amount") is not None)
        )
        and months is None
        and not indefinite
    ):
        errors.add(
            "duration_months",
            "Vul de looptijd van de last in, of kies 'onbepaald' met een reden.",
            code="looptijd",
        )
    if reason and not indefinite:
        errors.add(
            "indefinite_reason",
            "Een reden hoort alleen bij een onbepaalde looptijd.",
            code="not_applicable",
        )


def _check_sequence(
    errors: Errors,
    state: MeasureState,
    step: str,
    on,
    outcome: str | None = None,
    amount: Decimal | None = None,
    until_on: datetime.date | None = None,
    addressee: MeasureAddressee | None = None,
) -> None:
    """The orders the law requires; never skippable."""
    if (
        step == Step.DECISION
        and state.decision is not None
        and state.herroeping_of_schorsing is None
    ):
        errors.add(
            None,
            "Een nieuw besluit volgt alleen op een bezwaar dat (gedeeltelijk) gegrond is "
            "verklaard of op een uitspraak die het besluit vernietigt.",
            code="sequence",
        )
    if (
        step == Step.DECISION
        and state.measure.kind in WEIGHED_KINDS
        and not state.has(Step.WEIGHING)
    ):
        # Art. 3:4 lid 2 Awb (evenredigheid) and 151d Gemeentewet (only when the hinder cannot
        # reasonably be stopped another way): the law, not policy.
        errors.add(
            None,
            "Leg eerst de belangenafweging vast (evenredigheid en subsidiariteit, art. 3:4 "
            "lid 2 Awb en art. 151d Gemeentewet); zonder afweging kan geen besluit worden "
            "genomen.",
            code="weighing",
        )
    if step == Step.TERM_EXTENDED:
        _check_extension(errors, state, on, until_on)
    if step in ENFORCEMENT_STEPS or (step == Step.CHECK and outcome == Outcome.BREACHED):
        # Art. 5:32a lid 2, 5:24 lid 2, 3:40 and 7:11 lid 2 Awb: the law, not policy.
        refusal = state.enforcement_refusal(on)
        if refusal:
            errors.add("on", refusal, code="enforcement")
    addressee_id = addressee.pk if addressee is not None else None
    if step == Step.OBJECTION_RECEIVED and any(
        row.addressee_id == addressee_id for row in state.open_bezwaren
    ):
        errors.add(None, "Er is al een bezwaar in behandeling.", code="sequence")
    if step in (Step.OBJECTION_DECIDED, Step.OBJECTION_ADJOURNED) and state.open_bezwaar is None:
        errors.add(None, "Er is geen bezwaar in behandeling.", code="sequence")
    if step == Step.OBJECTION_ADJOURNED and state.open_bezwaar is not None:
        if state.beslistermijn_verdaagd:
            errors.add(None, "De beslissing op dit bezwaar is al verdaagd.", code="sequence")
        elif on is not None and state.beslistermijn and on > state.beslistermijn.ends_on:
            errors.add(
                "on",
                "Verdagen kan alleen binnen de beslistermijn (tot en met "
                f"{format_date(state.beslistermijn.ends_on)}).",
                code="late",
            )
    if step == Step.APPEAL_FILED and not state.has(Step.OBJECTION_DECIDED):
        errors.add(None, "Beroep volgt op een beslissing op bezwaar.", code="sequence")
    if step in (Step.PENALTY_INCURRED, Step.ENFORCEMENT_APPLIED):
        check = state.last(Step.CHECK)
        if check is None or check.outcome != Outcome.BREACHED:
            errors.add(
                None,
                "Leg eerst een controle vast waarbij de last is overtreden.",
                code="sequence",
            )
    if step == Step.COLLECTION and not (
        state.has(Step.PENALTY_INCURRED) or state.has(Step.ENFORCEMENT_APPLIED)
    ):
        errors.add(
            None,
            "Invordering volgt op een verbeurde dwangsom of toegepaste bestuursdwang.",
            code="sequence",
        )
    _check_protection(errors, state, step, on, outcome)
    if step == Step.NOTIFIED and addressee is not None:
        _check_addressee_notice(errors, state, addressee)
    elif (
        step == Step.NOTIFIED
        and state.decision is not None
        and state.niet_bekendgemaakt_besluit is None
    ):
        errors.add(None, "Er is geen besluit dat nog bekend moet worden gemaakt.", code="sequence")
    _check_collection(errors, state, step, on, amount)


def _check_addressee_notice(errors: Errors, state: MeasureState, addressee) -> None:
    """The bekendmaking of the order's besluit to a further addressee (art. 3:41 Awb): only
    of a besluit taken, once per addressee and besluit. Invorderings- and kostenbeschikkingen
    go to the veroorzaker, whom the dwangsom and the costs bind."""
    if state.decision is None:
        errors.add(None, "Er is nog geen besluit om bekend te maken.", code="sequence")
    elif addressee.pk in state.addressee_bekendmakingen:
        errors.add(
            "addressee",
            "Het besluit is al aan deze geadresseerde bekendgemaakt.",
            code="sequence",
        )


def _check_extension(errors: Errors, state: MeasureState, on, until_on) -> None:
    """last_verlengd: a besluit extending the begunstigingstermijn of a last in force (the
    burgemeester may grant more time, art. 4:81 Awb and the power to set the term of 5:24
    lid 2 / 5:32a lid 2). Only a last bekendgemaakt and not revoked, before any enforcement,
    to a later day within the looptijd."""
    refusal = state.enforcement_refusal(None)
    if refusal:
        errors.add(None, refusal, code="extension")
        return
    decision = state.last(Step.DECISION)
    if any(state.after(decision, step) for step in ENFORCEMENT_STEPS):
        errors.add(
            None,
            "Er is al een dwangsom verbeurd of bestuursdwang toegepast; de begunstigingstermijn "
            "kan niet meer worden verlengd.",
            code="extension",
        )
        return
    if until_on is None:
        return
    current = state.begunstigingstermijn
    floor = current.ends_on if current is not None else state.bekendmaking.occurred_on
    if until_on <= floor:
        errors.add(
            "until_on",
            f"De nieuwe laatste dag moet na {format_date(floor)} liggen, de huidige "
            + ("laatste dag van de begunstigingstermijn." if current else "bekendmaking."),
            code="extension",
        )
    elif on is not None and until_on < on:
        errors.add(
            "until_on",
            "De nieuwe laatste dag ligt voor de datum van het besluit.",
            code="extension",
        )
    if state.looptijd_end is not None and until_on > state.looptijd_end.ends_on:
        errors.add(
            "until_on",
            "De nieuwe laatste dag ligt na het einde van de looptijd "
            f"({format_date(state.looptijd_end.ends_on)}).",
            code="extension",
        )


def _check_protection(errors: Errors, state: MeasureState, step: str, on, outcome) -> None:
    """Bezwaar and beroep in the order the Awb sets them; never skippable."""
    bezwaar = state.open_bezwaar
    bezwaar_steps = (
        Step.HEARING,
        Step.DECISION_SUSPENDED,
        Step.DECISION_POSTPONED,
        Step.DIRECT_APPEAL,
    )
    if step in bezwaar_steps and bezwaar is None:
        errors.add(None, "Er is geen bezwaar in behandeling.", code="sequence")
        return
    if (
        step == Step.OBJECTION_DECIDED
        and bezwaar is not None
        and outcome != Outcome.OBJECTION_WITHDRAWN
        and not state.after(bezwaar, Step.HEARING)
    ):
        # Art. 7:2 Awb: hear before deciding, unless a ground of art. 7:3 is recorded.
        errors.add(
            None,
            "Leg eerst de hoorzitting vast, of op welke grond van art. 7:3 Awb van horen is "
            "afgezien.",
            code="hearing",
        )
    if step == Step.APPEAL_FILED and state.has(Step.OBJECTION_DECIDED):
        if state.bekendmaking_beslissing_op_bezwaar is None:
            errors.add(
                None,
                "Beroep volgt op de bekendmaking van de beslissing op bezwaar.",
                code="sequence",
            )
        elif state.open_beroep is not None:
            errors.add(None, "Er loopt al een beroep.", code="sequence")
    nothing_pending = (
        bezwaar is None and state.open_beroep is None and state.open_hoger_beroep is None
    )
    if step == Step.INTERIM_REQUEST and nothing_pending:
        errors.add(
            None,
            "Een voorlopige voorziening kan alleen worden gevraagd terwijl bezwaar of beroep "
            "loopt (art. 8:81 Awb).",
            code="sequence",
        )
    if step == Step.INTERIM_RULING and state.open_verzoek_voorlopige_voorziening is None:
        errors.add(None, "Er is geen verzoek om een voorlopige voorziening.", code="sequence")
    if step == Step.APPEAL_RULING and state.open_beroep is None:
        errors.add(None, "Er loopt geen beroep.", code="sequence")
    if step == Step.HIGHER_APPEAL_FILED and (
        not state.has(Step.APPEAL_RULING) or state.open_hoger_beroep is not None
    ):
        errors.add(None, "Hoger beroep volgt op een uitspraak in beroep.", code="sequence")
    if step == Step.HIGHER_APPEAL_RULING and state.open_hoger_beroep is None:
        errors.add(None, "Er loopt geen hoger beroep.", code="sequence")


def _check_collection(errors: Errors, state: MeasureState, step: str, on, amount) -> None:
    """Collecting forfeited dwangsommen and the costs of bestuursdwang (art. 5:37, 5:35,
    5:37a, 4:106, 4:112, 4:114 and 5:25 Awb); never skippable."""
    if step == Step.COLLECTION_ORDER:
        if not state.verbeurde_dwangsommen:
            errors.add(
                None,
                "Een invorderingsbeschikking volgt op een verbeurde dwangsom.",
                code="sequence",
            )
            return
        collectable = state.collectable_on(on) if on else None
        if collectable is not None and not collectable:
            errors.add(
                None,
                "Er is geen verbeurde dwangsom meer die kan worden ingevorderd: alles is al "
                "ingevorderd of verjaard (art. 5:35 Awb).",
                code="prescribed",
            )
        elif collectable is not None and amount and amount > collectable:
            errors.add(
                "amount",
                f"Het bedrag ({format_euro(amount)}) is hoger dan wat verbeurd en nog niet "
                f"ingevorderd of verjaard is ({format_euro(collectable)}).",
                code="over_collectable",
            )
    if step == Step.COST_ORDER and not state.has(Step.ENFORCEMENT_APPLIED):
        errors.add(
            None, "Een kostenbeschikking volgt op toegepaste bestuursdwang.", code="sequence"
        )
    if step == Step.PAYMENT_RECEIVED:
        if not state.amount_due:
            errors.add(
                None,
                "Een betaling volgt op een verbeurde dwangsom of een kostenbeschikking.",
                code="sequence",
            )
        elif amount and amount > state.amount_outstanding:
            errors.add(
                "amount",
                f"Het bedrag ({format_euro(amount)}) is hoger dan wat nog openstaat "
                f"({format_euro(state.amount_outstanding)}).",
                code="over_outstanding",
            )
    if step in (Step.REMINDER, Step.WRIT):
        basis = [row for row in state.steps if row.step in (Step.COLLECTION_ORDER, Step.COST_ORDER)]
        label = Step(step).label.split()[0]
        if not basis:
            errors.add(
                None,
                f"{label} volgt op een invorderingsbeschikking (art. 5:37 en 4:112 Awb).",
                code="sequence",
            )
            return
        if all(state.bekendmaking_van(row) is None for row in basis):
            errors.add(
                None,
                "De invorderingsbeschikking is nog niet bekendgemaakt (art. 3:40 Awb).",
                code="sequence",
            )
        if not state.amount_outstanding:
            errors.add(None, "Er staat niets meer open.", code="sequence")
        costs = state.verjaringen_kosten
        if (
            on
            and costs
            and all(item.lapsed_on(on) for item in costs)
            and not state.verbeurde_dwangsommen
        ):
            last = max(item.ends_on for item in costs)
            errors.add(
                "on",
                f"De kosten van de bestuursdwang zijn verjaard sinds {format_date(last + DAY)} "
                "(art. 4:104 Awb): invorderen kan niet meer.",
                code="prescribed",
            )
        only_penalties = not state.has(Step.COST_ORDER)
        if (
            only_penalties
            and on
            and state.verjaringen
            and all(item.lapsed_on(on) for item in state.verjaringen)
        ):
            last = max(item.ends_on for item in state.verjaringen)
            errors.add(
                "on",
                f"De verbeurde dwangsommen zijn verjaard sinds {format_date(last + DAY)} "
                "(art. 5:35 Awb): invorderen kan niet meer.",
                code="prescribed",
            )


def steps_offered(state: MeasureState, *, user, on: datetime.date) -> list[tuple[str, bool]]:
    """The steps `user` may record next on `on`, in the order of Step, each with whether a
    precondition fails (a team leader then gives a reason). The screens offer only these."""
    if not state.allowed_next or not can_work_cases(user):
        return []
    leader = can_lead_team(user)
    offered = []
    for step in Step.values:
        if step not in state.allowed_next or (step in TEAM_LEADER_STEPS and not leader):
            continue
        errors = Errors()
        _check_sequence(errors, state, step, on)
        try:
            errors.raise_if_any()
        except ValidationError:
            if not (step == Step.NOTIFIED and state.addressees_niet_bekendgemaakt):
                continue
        needs_reason = bool(precondition_problems(state, step, on))
        if needs_reason and not leader:
            continue
        offered.append((step, needs_reason))
    return offered


def steps_unavailable(state: MeasureState, *, user, on: datetime.date) -> list[tuple[str, str]]:
    """The steps the table allows next that `user` cannot record on `on`, each with why in
    plain Dutch: another role records it, or a rule of the law is not met yet. The case file
    shows them greyed beside the steps offered."""
    if not state.allowed_next or not can_work_cases(user):
        return []
    leader = can_lead_team(user)
    offered = {step for step, _ in steps_offered(state, user=user, on=on)}
    found = []
    for step in Step.values:
        if step not in state.allowed_next or step in offered or step == Step.COLLECTION:
            continue
        errors = Errors()
        _check_sequence(errors, state, step, on)
        try:
            errors.raise_if_any()
            messages = []
        except ValidationError as error:
            messages = error.messages
        if messages:
            reason = messages[0]
            if reason.startswith("Kan vanaf "):
                # "kan vanaf 17-12-2026: begunstigingstermijn loopt nog ..."
                reason = "k" + reason[1:]
        elif step in TEAM_LEADER_STEPS and not leader:
            reason = "door een teamleider"
        elif precondition_problems(state, step, on) and not leader:
            reason = "door een teamleider (een voorwaarde ontbreekt)"
        else:
            continue
        found.append((step, reason))
    return found


def _step_changes(step_row: MeasureStep, *, skipped: list[str]) -> dict:
    changes = {"stap": step_row.step, "datum": step_row.occurred_on.isoformat()}
    for name in STEP_DATA_FIELDS:
        value = getattr(step_row, name)
        if name in MeasureStep.PERSONAL_DATA_FIELDS and value:
            changes[name] = MASKED
        elif name == "addressee":
            if value is not None:
                changes[name] = value.pk
        elif value not in (None, "", False):
            changes[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    if step_row.note:
        changes["toelichting"] = MASKED
    if skipped:
        changes["afwijking"] = MASKED
    return changes


@transaction.atomic
def measure_step_record(
    measure: Measure,
    *,
    step: str,
    on: datetime.date | None,
    by,
    note: str = "",
    skip_reason: str = "",
    **step_data,
) -> MeasureStep:
    """Append `step` on date `on` to `measure`. `step_data` holds the step's own fields
    (rules.STEP_DATA_FIELDS); `skip_reason` lets a team leader record a step whose
    precondition is not met."""
    unknown = set(step_data) - set(STEP_DATA_FIELDS)
    if unknown:
        raise TypeError(f"Unknown step data: {', '.join(sorted(unknown))}")
    errors = Errors()
    if not can_work_cases(by):
        errors.add(None, "Alleen casemanagers en teamleiders leggen stappen vast.", code="role")
        errors.raise_if_any()
    if step not in Step.values:
        errors.add("step", "Kies een stap.", code="required")
        errors.raise_if_any()
    # Lock the measure: two people recording a step at once are serialised, and the second
    # is checked against the first one's step.
    measure_row = Measure.objects.select_for_update().select_related("case").get(pk=measure.pk)
    check_case_write(measure_row.case, by)  # the closed-case rule (accounts.roles)
    steps = list(measure_row.steps.select_related("addressee__party").order_by("occurred_on", "id"))
    state = MeasureState(measure_row, steps, AtwCalendar.load())

    if state.is_ended and step not in state.allowed_next:
        errors.add(None, "Deze maatregel is afgesloten.", code="transition")
        errors.raise_if_any()
    if step not in state.allowed_next:
        latest = Step(state.latest_step).label.lower() if state.latest_step else "de start"
        errors.add(
            "step",
            f"Na {latest} kan '{Step(step).label.lower()}' niet worden vastgelegd.",
            code="transition",
        )
        errors.raise_if_any()
    leader = can_lead_team(by)
    if step in TEAM_LEADER_STEPS and not leader:
        errors.add(
            "step",
            f"Alleen een teamleider legt '{Step(step).label.lower()}' vast.",
            code="role",
        )
    note, skip_reason = note.strip(), skip_reason.strip()
    _check_dates(errors, state, measure_row, on, step_data)
    _check_step_data(errors, state, step, step_data)
    _check_sequence(
        errors,
        state,
        step,
        on,
        step_data.get("outcome"),
        step_data.get("amount"),
        step_data.get("until_on"),
        step_data.get("addressee"),
    )
    if step == Step.WEIGHING and not note:
        errors.add(
            "note",
            "Leg de afweging vast: waarom lichtere middelen niet volstaan (subsidiariteit) en "
            "waarom de maatregel in verhouding staat tot de overlast (evenredigheid).",
            code="required",
        )
    problems = precondition_problems(state, step, on)
    if problems and not skip_reason:
        for problem in problems:
            errors.add(None, problem, code="precondition")
        if leader:
            errors.add(
                "skip_reason",
                "Geef als teamleider een reden (spoed) om toch door te gaan.",
                code="precondition",
            )
    elif skip_reason and not problems:
        errors.add("skip_reason", "Er wordt van geen voorwaarde afgeweken.", code="not_applicable")
    elif skip_reason and not leader:
        errors.add(
            "skip_reason",
            "Alleen een teamleider mag van een voorwaarde afwijken.",
            code="role",
        )
    errors.field(MeasureStep, "note", note)
    errors.field(MeasureStep, "skip_reason", skip_reason)
    errors.raise_if_any()

    values = {name: step_data.get(name) for name in STEP_DATA_FIELDS}
    values["outcome"] = values["outcome"] or ""
    values["advisory_committee"] = bool(values["advisory_committee"])
    values["duration_indefinite"] = bool(values["duration_indefinite"])
    values["indefinite_reason"] = values["indefinite_reason"] or ""
    step_row = MeasureStep(
        measure=measure_row,
        step=step,
        occurred_on=on,
        note=note,
        skip_reason=skip_reason,
        recorded_by=by,
        **values,
    )
    errors.model(step_row, exclude=["measure", "recorded_by"], rename={"occurred_on": "on"})
    errors.raise_if_any()
    step_row.save()

    measure_row.current_step = step
    measure_row.current_step_on = on
    # Collecting after the end does not reopen the measure.
    if step in TERMINAL_STEPS:
        measure_row.ended_on = on
    elif not state.is_ended:
        measure_row.ended_on = None
    measure_row.save(update_fields=["current_step", "current_step_on", "ended_on"])
    # A step is activity on the case: it is not stalled while its maatregel moves.
    case_refresh_last_activity(measure_row.case_id)
    record(
        AuditAction.CREATE,
        by=by,
        obj=step_row,
        case=measure_row.case,
        changes=_step_changes(step_row, skipped=problems if skip_reason else []),
    )
    measure.current_step, measure.current_step_on, measure.ended_on = (
        measure_row.current_step,
        measure_row.current_step_on,
        measure_row.ended_on,
    )
    return step_row
