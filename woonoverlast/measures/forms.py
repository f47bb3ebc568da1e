"""Forms of the maatregelen screens. They only parse input: the services decide. Field names
are the services' argument names (see common.views.add_service_errors)."""

import re

from django import forms

from woonoverlast.cases.validators import FREE_TEXT_MAX_LENGTH
from woonoverlast.common.forms import DateField
from woonoverlast.common.validation import today
from woonoverlast.submissions.forms import OnceFormMixin

from .choices import (
    CHECK_OUTCOMES,
    HEARING_OUTCOMES,
    INTERIM_OUTCOMES,
    OBJECTION_OUTCOMES,
    POSTPONE_OUTCOMES,
    REQUEST_OUTCOMES,
    RULING_OUTCOMES,
    MeasureKind,
    Outcome,
    Step,
)
from .rules import ADDRESSEE_ROLES, ADDRESSEE_ROLES_ANY, STEP_FIELDS
from .services import zienswijze_default_days


class MeasureStartForm(OnceFormMixin, forms.Form):
    respondent = forms.ModelChoiceField(
        label="Gericht tot",
        help_text="De veroorzaker; een gedragsaanwijzing kan ook de verhuurder of "
        "woningcorporatie gelden (art. 151d lid 2 Gemeentewet).",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies de veroorzaker tegen wie de maatregel is gericht."},
    )
    kind = forms.ChoiceField(
        label="Soort maatregel",
        choices=MeasureKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies een soort maatregel."},
    )
    on = DateField(label="Gestart op", initial=today)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # Whom the kind may be addressed to is the service's rule (rules.ADDRESSEE_ROLES).
        self.fields["respondent"].queryset = case.parties.filter(role__in=ADDRESSEE_ROLES_ANY)


class MeasureAddresseeForm(OnceFormMixin, forms.Form):
    """A further addressee of a measure: a rechthebbende of the case."""

    party = forms.ModelChoiceField(
        label="Ook gericht tot",
        help_text="Het besluit wordt ook aan deze betrokkene bekendgemaakt; hij krijgt een "
        "eigen bezwaartermijn vanaf de dag na zijn bekendmaking (art. 6:8 Awb).",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies de betrokkene tot wie de maatregel ook is gericht."},
    )
    on = DateField(label="Toegevoegd op", initial=today)

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        # Whom the kind may be addressed to is the service's rule (rules.ADDRESSEE_ROLES).
        self.fields["party"].queryset = measure.case.parties.filter(
            role__in=ADDRESSEE_ROLES.get(measure.kind, frozenset())
        ).exclude(pk__in=[measure.respondent_id, *measure.addressees.values("party")])


_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


class EuroField(forms.DecimalField):
    """An amount as the team types it: 1500, 1.500, 1.500,00, 1500.50 or € 250."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.replace("€", "").replace(" ", "").strip()
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif _THOUSANDS.match(text):
                text = text.replace(".", "")
            value = text
        return super().to_python(value)


def _money(label: str) -> forms.DecimalField:
    return EuroField(
        label=label,
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text="In euro's, bijvoorbeeld 250 of 1.500,00.",
    )


def _days(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=3650,
        help_text=help_text,
        # Text, not number: a wrong value typed is shown again as typed (valid HTML).
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


_OUTCOMES = {
    Step.OBJECTION_DECIDED: OBJECTION_OUTCOMES,
    Step.CHECK: CHECK_OUTCOMES,
    Step.HEARING: HEARING_OUTCOMES,
    Step.DECISION_POSTPONED: POSTPONE_OUTCOMES,
    Step.INTERIM_RULING: INTERIM_OUTCOMES,
    Step.APPEAL_RULING: RULING_OUTCOMES,
    Step.HIGHER_APPEAL_RULING: RULING_OUTCOMES,
    Step.REQUEST_DECIDED: REQUEST_OUTCOMES,
}


class MeasureStepForm(OnceFormMixin, forms.Form):
    """The form of one step: the date, the step's own fields, a note and, for a team leader
    when a precondition fails, the reason to go ahead."""

    on = DateField(label="Datum", initial=today)

    def __init__(
        self,
        *args,
        step: str,
        needs_reason: bool,
        decision=None,
        kind=None,
        addressees=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        fields = STEP_FIELDS.get(step, frozenset())
        if "addressee" in fields and addressees:
            # Labelled by role: the form is shown to whoever records the step.
            self.fields["addressee"] = forms.ModelChoiceField(
                label="Bekendgemaakt aan" if step == Step.NOTIFIED else "Bezwaar van",
                queryset=addressees,
                required=False,
                blank=True,  # a radio button for the empty choice: the veroorzaker
                empty_label="De veroorzaker",
                widget=forms.RadioSelect,
                help_text="Elke geadresseerde heeft een eigen bekendmaking en bezwaartermijn.",
            )
        if "zienswijze_days" in fields:
            self.fields["zienswijze_days"] = _days(
                "Zienswijzetermijn (dagen)",
                "De termijn die in de brief staat; de standaard is "
                f"{zienswijze_default_days()} dagen.",
            )
            self.fields["zienswijze_days"].initial = zienswijze_default_days()
        if "begunstigingstermijn_days" in fields:
            self.fields["begunstigingstermijn_days"] = _days(
                "Begunstigingstermijn (dagen)",
                "Dagen na de bekendmaking om aan de last te voldoen. Leeg bij een last ter "
                "voorkoming van herhaling.",
            )
            self.fields["duration_months"] = forms.IntegerField(
                label="Looptijd (maanden)",
                required=False,
                min_value=1,
                max_value=120,
                help_text="Vanaf de bekendmaking. Verplicht bij een sluiting; bij een "
                "gedragsaanwijzing verplicht, tenzij u 'onbepaald' kiest.",
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
            self.fields["duration_indefinite"] = forms.BooleanField(
                label="Looptijd onbepaald", required=False
            )
            self.fields["indefinite_reason"] = forms.CharField(
                label="Reden looptijd onbepaald",
                required=False,
                max_length=FREE_TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Alleen bij een onbepaalde looptijd.",
            )
            self.fields["penalty_amount"] = _money("Dwangsom per overtreding")
            self.fields["penalty_maximum"] = _money("Maximum dwangsom")
            # What the service requires of this kind (services._check_step_data) is marked
            # required here too, so that the form does not call it "(optioneel)".
            if kind == MeasureKind.BEHAVIOURAL_ORDER_PENALTY:
                for name, label in (
                    ("penalty_amount", "het bedrag per overtreding"),
                    ("penalty_maximum", "het maximum"),
                ):
                    self.fields[name].required = True
                    self.fields[name].error_messages["required"] = (
                        f"Vul {label} van de dwangsom in."
                    )
            if kind == MeasureKind.CLOSURE:
                self.fields["duration_months"].required = True
                self.fields["duration_months"].error_messages["required"] = (
                    "Vul de duur van de sluiting in (art. 174a lid 3 Gemeentewet)."
                )
        if "outcome" in fields:
            self.fields["outcome"] = forms.ChoiceField(
                label="Uitkomst",
                choices=[(value, Outcome(value).label) for value in _OUTCOMES[step]],
                widget=forms.RadioSelect,
                error_messages={"required": "Kies de uitkomst."},
            )
        if "advisory_committee" in fields:
            self.fields["advisory_committee"] = forms.BooleanField(
                label="Een adviescommissie (art. 7:13 Awb) adviseert",
                required=False,
                help_text="Dan is de beslistermijn twaalf weken in plaats van zes.",
            )
        if "amount" in fields:
            self.fields["amount"] = _money("Bedrag")
            if step == Step.PENALTY_INCURRED and decision is not None:
                self.fields["amount"].initial = decision.penalty_amount
                self.fields["amount"].help_text = "Standaard het bedrag per overtreding."
        if "until_on" in fields:
            extended = step == Step.TERM_EXTENDED
            self.fields["until_on"] = DateField(
                label="Nieuwe laatste dag begunstigingstermijn" if extended else "Tot en met",
                required=False,
                help_text="Tot en met deze dag kan geen dwangsom worden verbeurd of "
                "bestuursdwang worden toegepast."
                if extended
                else "Opgeschort: tot het verzuim is hersteld of de hersteltermijn "
                "verstreek (art. 7:10 lid 2 Awb). Uitgesteld: de nieuwe laatste dag (lid 4).",
            )
        if "next_check_on" in fields:
            self.fields["next_check_on"] = DateField(
                label="Volgende controle", required=False, help_text="Wanneer u gaat controleren."
            )
        self.fields["note"] = forms.CharField(
            label="Afweging" if step == Step.WEIGHING else "Toelichting",
            required=step == Step.WEIGHING,
            error_messages={"required": "Leg de afweging vast."},
            help_text="Subsidiariteit: waarom lichtere middelen niet volstaan. Evenredigheid: "
            "waarom de maatregel in verhouding staat tot de overlast (art. 3:4 lid 2 Awb)."
            if step == Step.WEIGHING
            else "",
            max_length=FREE_TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        if needs_reason:
            self.fields["skip_reason"] = forms.CharField(
                label="Reden om af te wijken",
                max_length=FREE_TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Waarom deze stap zonder de voorwaarde nodig is (spoed).",
                error_messages={"required": "Geef een reden om van de voorwaarde af te wijken."},
            )

    def step_data(self) -> dict:
        """The cleaned values without the empty ones (the service fills defaults)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", False)
        }
