"""Maatregelen: start one on a case, read it with its steps and computed deadlines, record a
step; all through woonoverlast.measures.services (the same rules as the screens: a refused
step is a 400 whose `code` names the rule). And the yearly figures of the maatregelen."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from reports.period import check_year
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.common.calendar import AtwCalendar
from woonoverlast.common.validation import Errors
from woonoverlast.measures import services
from woonoverlast.measures.choices import MeasureKind, Outcome, Step
from woonoverlast.measures.models import Measure, MeasureAddressee, MeasureStep
from woonoverlast.measures.reports import measures_per_year
from woonoverlast.measures.rules import ADDRESSEE_ROLES_ANY, MeasureState

from ..idempotency import idempotent
from ..permissions import CanViewReports, CanWorkCases
from .base import ApiView, CaseApiView
from .cases import refuse_hidden_personal_data, refuse_write

MAX_ID = 2**63 - 1
# API field -> the service's step-data argument (rules.STEP_DATA_FIELDS).
STEP_DATA = {
    "zienswijze_dagen": "zienswijze_days",
    "begunstigingstermijn_dagen": "begunstigingstermijn_days",
    "looptijd_maanden": "duration_months",
    "looptijd_onbepaald": "duration_indefinite",
    "reden_onbepaald": "indefinite_reason",
    "dwangsom_bedrag": "penalty_amount",
    "dwangsom_maximum": "penalty_maximum",
    "uitkomst": "outcome",
    "adviescommissie": "advisory_committee",
    "bedrag": "amount",
    "volgende_controle": "next_check_on",
    "tot_en_met": "until_on",
}
STEP_FIELD_NAMES = {
    "step": "stap",
    "on": "datum",
    "note": "toelichting",
    "skip_reason": "reden_afwijking",
    "addressee": "geadresseerde",
    **{argument: name for name, argument in STEP_DATA.items()},
}


def _amount(**kwargs):
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, min_value=0, **kwargs
    )


class StepSerializer(serializers.ModelSerializer):
    stap = serializers.ChoiceField(source="step", choices=Step.choices)
    datum = serializers.DateField(source="occurred_on")
    toelichting = serializers.CharField(source="note")
    reden_afwijking = serializers.CharField(source="skip_reason")
    zienswijze_dagen = serializers.IntegerField(source="zienswijze_days", allow_null=True)
    begunstigingstermijn_dagen = serializers.IntegerField(
        source="begunstigingstermijn_days", allow_null=True
    )
    looptijd_maanden = serializers.IntegerField(source="duration_months", allow_null=True)
    looptijd_onbepaald = serializers.BooleanField(source="duration_indefinite")
    reden_onbepaald = serializers.CharField(source="indefinite_reason")
    dwangsom_bedrag = _amount(source="penalty_amount", allow_null=True)
    dwangsom_maximum = _amount(source="penalty_maximum", allow_null=True)
    uitkomst = serializers.CharField(source="outcome")
    adviescommissie = serializers.BooleanField(source="advisory_committee")
    bedrag = _amount(source="amount", allow_null=True)
    volgende_controle = serializers.DateField(source="next_check_on", allow_null=True)
    tot_en_met = serializers.DateField(source="until_on", allow_null=True)
    geadresseerde = serializers.IntegerField(
        source="addressee_id",
        allow_null=True,
        help_text="bekendgemaakt en bezwaar_ontvangen: het id van de verdere geadresseerde "
        "(geadresseerden[].id); null: de veroorzaker.",
    )
    vastgelegd_door = serializers.CharField(
        source="recorded_by.username", allow_null=True, default=None
    )

    class Meta:
        model = MeasureStep
        fields = [
            "id",
            "stap",
            "datum",
            "toelichting",
            "reden_afwijking",
            *STEP_DATA,
            "geadresseerde",
            "vastgelegd_door",
        ]
        read_only_fields = fields


class TermsSerializer(serializers.Serializer):
    zienswijze_termijn_tot = serializers.DateField(allow_null=True)
    bezwaartermijn_tot = serializers.DateField(allow_null=True)
    beslistermijn_bezwaar_tot = serializers.DateField(allow_null=True)
    beroepstermijn_tot = serializers.DateField(allow_null=True)
    begunstigingstermijn_tot = serializers.DateField(allow_null=True)
    looptijd_tot = serializers.DateField(allow_null=True)
    beslistermijn_aanvraag_tot = serializers.DateField(
        allow_null=True,
        help_text="Handhavingsverzoek: de laatste dag om te beslissen (art. 4:13 Awb).",
    )
    verjaring_tot = serializers.DateField(
        allow_null=True,
        help_text="De eerste verjaring (art. 5:35 Awb) van een verbeurde dwangsom die nog "
        "openstaat: de laatste dag om in te vorderen; null als er niets openstaat of zolang "
        "bezwaar of beroep tegen de last loopt.",
    )


class AddresseeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    betrokkene = serializers.IntegerField(help_text="Id van de betrokkene (betrokkenen/).")
    rol = serializers.CharField(help_text="eigenaar, verhuurder of corporatie.")
    toegevoegd_op = serializers.DateField()


class ObjectionTermSerializer(serializers.Serializer):
    geadresseerde = serializers.IntegerField(
        allow_null=True, help_text="Id van de verdere geadresseerde; null: de veroorzaker."
    )
    rol = serializers.CharField(help_text="De rol van wie de termijn is.")
    bekendgemaakt_op = serializers.DateField()
    tot = serializers.DateField(
        help_text="Laatste dag van zijn bezwaartermijn (art. 6:7/6:8 Awb, na de Algemene "
        "termijnenwet)."
    )


def _addressees(measure) -> list[dict]:
    if not measure.addressee_count:  # no query for a measure with one addressee
        return []
    return [
        {
            "id": row.pk,
            "betrokkene": row.party_id,
            "rol": row.party.role,
            "toegevoegd_op": row.added_on,
        }
        for row in measure.addressees.select_related("party")
    ]


def _objection_terms(state: MeasureState) -> list[dict]:
    return [
        {
            "geadresseerde": addressee_id,
            "rol": state.measure.respondent.role
            if addressee_id is None
            else known_on.addressee.party.role,
            "bekendgemaakt_op": known_on.occurred_on,
            "tot": term.ends_on,
        }
        for addressee_id, _, known_on, term in state.bezwaartermijnen
    ]


def _terms(state: MeasureState) -> dict:
    """The computed deadlines (after the Algemene termijnenwet where it applies), or None."""

    def end(term):
        return term.ends_on if term is not None else None

    return {
        "zienswijze_termijn_tot": end(state.zienswijze_term),
        "bezwaartermijn_tot": end(state.bezwaartermijn),
        "beslistermijn_bezwaar_tot": end(state.beslistermijn),
        "beroepstermijn_tot": end(state.beroepstermijn),
        "begunstigingstermijn_tot": end(state.begunstigingstermijn),
        "looptijd_tot": end(state.looptijd_end),
        "beslistermijn_aanvraag_tot": end(state.request_beslistermijn),
        "verjaring_tot": verjaring.ends_on if (verjaring := state.next_verjaring) else None,
    }


class MeasureSerializer(serializers.ModelSerializer):
    # A measure with its steps in order; the state (MeasureState) comes in the context.

    referentie = serializers.CharField(source="case.reference")
    soort = serializers.ChoiceField(source="kind", choices=MeasureKind.choices)
    betrokkene = serializers.IntegerField(source="respondent_id")
    gestart_op = serializers.DateField(source="started_on")
    huidige_stap = serializers.CharField(source="current_step")
    huidige_stap_op = serializers.DateField(source="current_step_on", allow_null=True)
    afgesloten_op = serializers.DateField(source="ended_on", allow_null=True)
    stappen = serializers.SerializerMethodField()
    termijnen = serializers.SerializerMethodField()
    geadresseerden = serializers.SerializerMethodField()
    bezwaartermijnen = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "referentie",
            "soort",
            "betrokkene",
            "gestart_op",
            "huidige_stap",
            "huidige_stap_op",
            "afgesloten_op",
            "stappen",
            "termijnen",
            "geadresseerden",
            "bezwaartermijnen",
        ]
        read_only_fields = fields

    def _state(self, measure) -> MeasureState:
        calendar = self.context["calendar"]
        return MeasureState(measure, measure.steps.all(), calendar)

    @extend_schema_field(StepSerializer(many=True))
    def get_stappen(self, measure):
        return StepSerializer(measure.steps.all(), many=True).data

    @extend_schema_field(TermsSerializer)
    def get_termijnen(self, measure):
        return _terms(self._state(measure))

    @extend_schema_field(AddresseeSerializer(many=True))
    def get_geadresseerden(self, measure):
        """The further addressees beside the veroorzaker (`betrokkene`)."""
        return _addressees(measure)

    @extend_schema_field(ObjectionTermSerializer(many=True))
    def get_bezwaartermijnen(self, measure):
        """One bezwaartermijn per addressee the besluit was made known to (bezwaartermijn_tot
        in `termijnen` is the veroorzaker's)."""
        return _objection_terms(self._state(measure))


def _measure_body(measure_id: int) -> dict:
    measure = Measure.objects.with_steps().get(pk=measure_id)
    return MeasureSerializer(measure, context={"calendar": AtwCalendar.load()}).data


class MeasureStartSerializer(serializers.Serializer):
    soort = serializers.ChoiceField(choices=MeasureKind.choices)
    betrokkene = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="Id van een veroorzaker van deze casus."
    )
    datum = serializers.DateField(required=False, allow_null=True, help_text="Leeg: vandaag.")


class StepCreateSerializer(serializers.Serializer):
    stap = serializers.ChoiceField(choices=Step.choices)
    datum = serializers.DateField()
    toelichting = serializers.CharField(required=False, default="", allow_blank=True)
    reden_afwijking = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="Alleen een teamleider: waarom een voorwaarde wordt overgeslagen.",
    )
    zienswijze_dagen = serializers.IntegerField(required=False, min_value=1, max_value=365)
    begunstigingstermijn_dagen = serializers.IntegerField(
        required=False, min_value=0, max_value=3650
    )
    looptijd_maanden = serializers.IntegerField(required=False, min_value=1, max_value=120)
    looptijd_onbepaald = serializers.BooleanField(
        required=False,
        help_text="besluit_genomen van een gedragsaanwijzing: zonder looptijd_maanden alleen "
        "met looptijd_onbepaald en reden_onbepaald.",
    )
    reden_onbepaald = serializers.CharField(required=False, allow_blank=True)
    dwangsom_bedrag = _amount(required=False, help_text="In euro's.")
    dwangsom_maximum = _amount(required=False, help_text="In euro's.")
    uitkomst = serializers.ChoiceField(choices=Outcome.choices, required=False)
    adviescommissie = serializers.BooleanField(required=False)
    bedrag = _amount(required=False, help_text="In euro's.")
    volgende_controle = serializers.DateField(required=False)
    tot_en_met = serializers.DateField(
        required=False,
        help_text="beslistermijn_opgeschort (art. 7:10 lid 2 Awb) en beslistermijn_uitgesteld "
        "(lid 4): tot en met welke dag; last_verlengd: de nieuwe laatste dag van de "
        "begunstigingstermijn.",
    )
    geadresseerde = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="bekendgemaakt en bezwaar_ontvangen: het id van de verdere geadresseerde "
        "(geadresseerden[].id) aan wie het besluit is bekendgemaakt of van wie het bezwaar "
        "is; leeg: de veroorzaker.",
    )

    def service_arguments(self) -> dict:
        data = self.validated_data
        arguments = {
            "step": data["stap"],
            "on": data["datum"],
            "note": data["toelichting"],
            "skip_reason": data["reden_afwijking"],
        }
        for name, argument in STEP_DATA.items():
            if name in data:
                arguments[argument] = data[name]
        return arguments

    def addressee(self, measure):
        """The further addressee named, of this measure; None if none is named. An id of
        another measure's addressee is refused by the service."""
        addressee_id = self.validated_data.get("geadresseerde")
        if addressee_id is None:
            return None
        found = MeasureAddressee.objects.filter(pk=addressee_id).first()
        if found is None:
            raise ValidationError(
                {"addressee": "Kies een geadresseerde van deze maatregel."}, code="invalid"
            )
        return found


class CaseMeasures(CaseApiView):
    permission_classes = [CanWorkCases]
    field_names = {"kind": "soort", "respondent": "betrokkene", "on": "datum"}

    @extend_schema(
        summary="Maatregelen van een casus",
        description="De maatregelen met hun stappen en berekende termijnen; wordt gelogd in "
        "het auditlog.",
        responses=MeasureSerializer(many=True),
    )
    def get(self, request, referentie):
        case = self.get_case()
        refuse_hidden_personal_data(request.user, case)
        measures = Measure.objects.filter(case=case).with_steps().order_by("started_on", "id")
        record(
            AuditAction.VIEW,
            by=request.user,
            obj=case,
            case=case,
            changes={"onderdeel": "maatregelen"},
        )
        context = {"calendar": AtwCalendar.load()}
        return Response(MeasureSerializer(measures, many=True, context=context).data)

    @extend_schema(
        summary="Maatregel starten",
        description="Start een maatregel tegen een veroorzaker (`betrokkene`: het id uit "
        "betrokkenen/); een gedragsaanwijzing kan ook de verhuurder of corporatie gelden "
        "(art. 151d lid 2 Gemeentewet), een sluiting of handhavingsverzoek ook de eigenaar. "
        "Antwoordt 201 met het `id` van de maatregel.",
        request=MeasureStartSerializer,
        responses={201: MeasureSerializer},
    )
    @idempotent
    def post(self, request, referentie):
        case = self.get_case()
        refuse_write(request.user, case)
        data = MeasureStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        respondent = case.parties.filter(
            pk=data.validated_data["betrokkene"], role__in=ADDRESSEE_ROLES_ANY
        ).first()
        measure = services.measure_start(
            case=case,
            respondent=respondent,
            kind=data.validated_data["soort"],
            on=data.validated_data.get("datum"),
            by=request.user,
        )
        return Response(_measure_body(measure.pk), status=status.HTTP_201_CREATED)


class MeasureApiView(ApiView):
    permission_classes = [CanWorkCases]
    field_names = STEP_FIELD_NAMES

    def get_measure(self) -> Measure:
        if self.kwargs["pk"] > MAX_ID:  # would overflow the query: no such measure
            raise Http404
        return get_object_or_404(Measure.objects.select_related("case"), pk=self.kwargs["pk"])


class MeasureDetail(MeasureApiView):
    @extend_schema(
        summary="Maatregel",
        description="De stappen en de berekende termijnen (na de Algemene termijnenwet waar "
        "die geldt), elk een datum of null.",
        responses=MeasureSerializer,
    )
    def get(self, request, pk):
        measure = self.get_measure()
        refuse_hidden_personal_data(request.user, measure.case)
        record(
            AuditAction.VIEW,
            by=request.user,
            obj=measure,
            case=measure.case,
            changes={"onderdeel": "maatregel"},
        )
        return Response(_measure_body(measure.pk))


class MeasureSteps(MeasureApiView):
    @extend_schema(
        summary="Stap vastleggen",
        description="Legt een stap vast met dezelfde regels als het scherm. Een geweigerde "
        "stap geeft 400; `invalid_params[].code` noemt de regel (transition, precondition, "
        "sequence, role, late, over_maximum, ...).",
        request=StepCreateSerializer,
        responses={201: MeasureSerializer},
    )
    @idempotent
    def post(self, request, pk):
        measure = self.get_measure()
        refuse_write(request.user, measure.case)
        data = StepCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = data.service_arguments()
        addressee = data.addressee(measure)
        if addressee is not None:
            arguments["addressee"] = addressee
        services.measure_step_record(measure, by=request.user, **arguments)
        return Response(_measure_body(measure.pk), status=status.HTTP_201_CREATED)


class AddresseeCreateSerializer(serializers.Serializer):
    betrokkene = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="Id van een eigenaar, verhuurder of corporatie van deze casus.",
    )
    datum = serializers.DateField(required=False, allow_null=True, help_text="Leeg: vandaag.")


class MeasureAddressees(MeasureApiView):
    field_names = {"party": "betrokkene", "on": "datum"}

    @extend_schema(
        summary="Geadresseerde toevoegen",
        description="Richt de maatregel vóór het besluit ook tot een rechthebbende (eigenaar, "
        "verhuurder, corporatie; art. 151d lid 2 en 174a Gemeentewet). Het besluit wordt ook "
        "aan hem bekendgemaakt (stap bekendgemaakt met `geadresseerde`) en hij krijgt een "
        "eigen bezwaartermijn (art. 6:7/6:8 Awb).",
        request=AddresseeCreateSerializer,
        responses={201: MeasureSerializer},
    )
    @idempotent
    def post(self, request, pk):
        measure = self.get_measure()
        refuse_write(request.user, measure.case)
        data = AddresseeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        party = measure.case.parties.filter(pk=data.validated_data["betrokkene"]).first()
        services.measure_addressee_add(
            measure=measure, party=party, on=data.validated_data.get("datum"), by=request.user
        )
        return Response(_measure_body(measure.pk), status=status.HTTP_201_CREATED)


# -- figures -----------------------------------------------------------------------------------


class MeasureYearQuery(serializers.Serializer):
    jaar = serializers.IntegerField()


class MeasureYearRow(serializers.Serializer):
    soort = serializers.CharField(help_text="Soort maatregel, of 'totaal'.")
    gestart = serializers.IntegerField()
    besluiten = serializers.IntegerField(help_text="Maatregelen met een besluit in het jaar.")
    afgesloten = serializers.IntegerField()
    lopend_op_31_december = serializers.IntegerField()


class MeasureYearSerializer(serializers.Serializer):
    jaar = serializers.IntegerField()
    rijen = MeasureYearRow(many=True)


def measure_year_rows(year: int) -> list[dict]:
    """Per kind: measures started in `year`, with a besluit in it, ended in it, and still
    running at its end; with a total. The figures of the Maatregelen page
    (measures.reports.measures_per_year), so the two can never differ. No personal data."""
    report = measures_per_year(year)
    rows = []
    for row in report.rows:
        rows.append(
            {
                "soort": row.kind_value or "totaal",
                "gestart": row.figure("gestart"),
                "besluiten": row.figure("besluit"),
                "afgesloten": row.figure("beeindigd"),
                "lopend_op_31_december": row.running,
            }
        )
    return rows


class MeasureYearView(ApiView):
    permission_classes = [CanViewReports]

    @extend_schema(
        summary="Maatregelen per jaar",
        description="Per soort maatregel: gestart, besluiten genomen en afgesloten in `jaar`, "
        "en lopend op 31 december; met een totaal. Geen persoonsgegevens.",
        parameters=[MeasureYearQuery],
        responses=MeasureYearSerializer,
    )
    def get(self, request):
        query = MeasureYearQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data["jaar"]
        errors = Errors()
        check_year(errors, "jaar", year)
        errors.raise_if_any()
        return Response({"jaar": year, "rijen": measure_year_rows(year)})
