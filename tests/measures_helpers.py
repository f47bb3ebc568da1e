"""The set-up the maatregel tests share: recording steps through the service as the team
does, reading the errors a refusal gives, a measure's state as the screens read it, and a
last ordered and bekendgemaakt."""

import datetime
from decimal import Decimal

from tests.factories import CaseFactory, measure, with_looptijd
from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.measures.choices import MeasureKind, Step
from woonoverlast.measures.models import Measure
from woonoverlast.measures.rules import MeasureState
from woonoverlast.measures.services import measure_step_record

D = datetime.date


def record(m, step, on, by, **data):
    """One step through the service; a besluit that states no looptijd is explicitly
    onbepaald (factories.with_looptijd), for tests that are not about the looptijd."""
    return measure_step_record(m, step=step, on=on, by=by, **with_looptijd(m, step, data))


def codes(excinfo) -> set[str]:
    """The error codes of a refusal (pytest.raises(ValidationError) as excinfo)."""
    return {error.code for errors in excinfo.value.error_dict.values() for error in errors}


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def state_of(m) -> MeasureState:
    m = Measure.objects.get(pk=m.pk)
    return MeasureState(m, m.steps.order_by("occurred_on", "id"), AtwCalendar.load())


def ordered(cm, tl, *, notified_on, kind=MeasureKind.BEHAVIOURAL_ORDER_PENALTY, **decision):
    """A measure of `kind` taken through its preparation (onderzoeksverslag, belangenafweging,
    waarschuwing, voornemen, zienswijze afgezien), the besluit (`decision`'s data; a dwangsom
    of € 250 up to € 2.500 for a last onder dwangsom unless given) and its bekendmaking on
    `notified_on`."""
    m = measure(CaseFactory(registered_on=D(2026, 1, 5)), by=cm, kind=kind)
    record(m, Step.INVESTIGATION_REPORT, D(2026, 1, 5), cm)
    record(m, Step.WEIGHING, D(2026, 1, 5), cm, note="Afweging vastgelegd")
    record(m, Step.WARNING_SENT, D(2026, 1, 6), cm)
    record(m, Step.INTENTION_SENT, D(2026, 1, 7), cm)
    record(m, Step.VIEW_WAIVED, D(2026, 1, 8), cm)
    if kind == MeasureKind.BEHAVIOURAL_ORDER_PENALTY:
        decision.setdefault("penalty_amount", Decimal("250"))
        decision.setdefault("penalty_maximum", Decimal("2500"))
    record(m, Step.DECISION, D(2026, 1, 9), tl, **decision)
    record(m, Step.NOTIFIED, notified_on, cm)
    return m
