"""The partners' endpoint: a koppeling sends meldingen and reads back the status
of its own ones. It never sees anything of a case: status and dates only."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record
from woonoverlast.cases.models import Category
from woonoverlast.intake import services
from woonoverlast.intake.choices import PARTNER_SOURCES, IntakeSource, TalkedToNeighbour
from woonoverlast.intake.models import TEXT_MAX_LENGTH, IntakeMelding

from ..idempotency import idempotent
from ..permissions import CanSendIntakeMeldingen
from .base import ApiView


# The schema keeps the component names it was published with: clients generated from it use them.
@extend_schema_serializer(component_name="IncomingReportIn")
class IntakeMeldingInSerializer(serializers.Serializer):
    bron = serializers.ChoiceField(
        choices=[(value, IntakeSource(value).label) for value in PARTNER_SOURCES]
    )
    extern_kenmerk = serializers.CharField(
        max_length=100,
        help_text="Uw eigen nummer van de melding. Tweemaal hetzelfde kenmerk slaat één "
        "melding op.",
    )
    straat = serializers.CharField(max_length=200)
    huisnummer = serializers.IntegerField(min_value=1, max_value=99_999)
    toevoeging = serializers.CharField(max_length=6, required=False, default="", allow_blank=True)
    postcode = serializers.CharField(max_length=7)
    categorieen = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
    )
    tekst = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    sinds = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    met_buren_gepraat = serializers.ChoiceField(
        choices=TalkedToNeighbour.choices, required=False, default=TalkedToNeighbour.UNKNOWN
    )
    melder_naam = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    melder_telefoon = serializers.CharField(
        max_length=30, required=False, default="", allow_blank=True
    )
    melder_email = serializers.EmailField(required=False, default="", allow_blank=True)

    NAMES = {
        "bron": "source",
        "extern_kenmerk": "external_reference",
        "straat": "street",
        "huisnummer": "house_number",
        "toevoeging": "house_number_addition",
        "postcode": "postcode",
        "categorieen": "categories",
        "tekst": "text",
        "sinds": "since",
        "met_buren_gepraat": "talked_to_neighbour",
        "melder_naam": "reporter_name",
        "melder_telefoon": "reporter_phone",
        "melder_email": "reporter_email",
    }

    def service_arguments(self) -> dict:
        return {self.NAMES[name]: value for name, value in self.validated_data.items()}


@extend_schema_serializer(component_name="IncomingReportOut")
class IntakeMeldingOutSerializer(serializers.ModelSerializer):
    """Status and dates only: never the case, the outcome or who handled it."""

    referentie = serializers.CharField(source="reference")
    extern_kenmerk = serializers.CharField(source="external_reference")
    ontvangen_op = serializers.DateTimeField(source="received_at")
    afgehandeld_op = serializers.DateTimeField(source="handled_at", allow_null=True)

    class Meta:
        model = IntakeMelding
        fields = ["referentie", "extern_kenmerk", "status", "ontvangen_op", "afgehandeld_op"]
        read_only_fields = fields


class IntakeMeldingList(ApiView):
    permission_classes = [CanSendIntakeMeldingen]
    field_names = {v: k for k, v in IntakeMeldingInSerializer.NAMES.items()}

    @extend_schema(
        summary="Melding indienen (koppeling)",
        description="Voor de systemen van partners (rol koppeling). Hetzelfde `extern_kenmerk` "
        "tweemaal van dezelfde koppeling slaat één melding op: de tweede keer antwoordt 200 "
        "met de eerste melding.",
        request=IntakeMeldingInSerializer,
        responses={201: IntakeMeldingOutSerializer, 200: IntakeMeldingOutSerializer},
    )
    @idempotent
    def post(self, request):
        data = IntakeMeldingInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        melding, created = services.intake_melding_receive(
            koppeling=request.user, **data.service_arguments()
        )
        body = IntakeMeldingOutSerializer(melding).data
        location = f"{request.path}{melding.reference}/"
        return Response(
            body,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": location},
        )


class IntakeMeldingDetail(ApiView):
    permission_classes = [CanSendIntakeMeldingen]

    @extend_schema(
        summary="Status van een eigen melding (koppeling)",
        responses={200: IntakeMeldingOutSerializer},
    )
    def get(self, request, referentie):
        # Another koppeling's melding is as unknown as one that does not exist.
        melding = (
            IntakeMelding.objects.of_koppeling(request.user).filter(reference=referentie).first()
        )
        if melding is None:
            raise exceptions.NotFound("Deze melding bestaat niet of is niet van u.")
        record(AuditAction.VIEW, by=request.user, obj=melding, changes={"onderdeel": "status"})
        return Response(IntakeMeldingOutSerializer(melding).data)
