"""The vernietigingslijsten and their verklaringen van vernietiging, read-only, for the
archivaris's systems (Archiefbesluit 1995 art. 6-8: the list that was approved and the
statement of what was destroyed). References, resultaten, dates and counts only: no case
content, as on the archivaris's screens. Reviewing and approving stay on those screens."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from woonoverlast.archiving.choices import ListKind, ListStatus
from woonoverlast.archiving.models import DestructionList, DestructionListItem

from ..permissions import CanReadDestructionLists
from .base import ApiView


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    opgemaakt_op = serializers.DateTimeField(source="made_at")
    goedgekeurd_door = serializers.CharField(source="approved_by_name")
    beoordeeld_door = serializers.CharField(source="reviewed_by_name")
    inhoud = serializers.JSONField(
        source="content",
        help_text="Wat vernietigd is: referenties, resultaat, periode, aantal bestanden.",
    )


class DestructionListSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    soort = serializers.ChoiceField(source="kind", choices=ListKind.choices)
    status = serializers.ChoiceField(choices=ListStatus.choices)
    voorgesteld_op = serializers.DateField(source="proposed_on")
    beoordeeld_door = serializers.SerializerMethodField()
    beoordeeld_op = serializers.DateTimeField(source="reviewed_at", allow_null=True)
    goedgekeurd_door = serializers.SerializerMethodField()
    goedgekeurd_op = serializers.DateTimeField(source="approved_at", allow_null=True)
    vernietigd_op = serializers.DateTimeField(source="destroyed_at", allow_null=True)
    inloggegevens_voor = serializers.DateTimeField(
        source="cutoff_at",
        allow_null=True,
        help_text="Alleen bij soort inloggegevens: de gebeurtenissen van voor dit moment "
        "(Selectielijst 2020, 19.1.24).",
    )
    aantal_casussen = serializers.IntegerField(
        source="listed", help_text="Casussen op de lijst, zonder de uitgezonderde."
    )
    aantal_uitgezonderd = serializers.IntegerField(source="excluded")
    verklaring = serializers.SerializerMethodField()

    def get_beoordeeld_door(self, obj) -> str | None:
        return _name(obj.reviewed_by)

    def get_goedgekeurd_door(self, obj) -> str | None:
        return _name(obj.approved_by)

    def get_verklaring(self, obj) -> int | None:
        """The id of the verklaring van vernietiging, once the list is destroyed."""
        statement = getattr(obj, "statement", None)
        return statement.pk if statement else None


class ItemSerializer(serializers.Serializer):
    referentie = serializers.CharField(source="reference")
    resultaat = serializers.CharField(source="result_type.number")
    resultaat_omschrijving = serializers.CharField(source="result_type.description")
    brondatum = serializers.DateField()
    archiefactiedatum = serializers.DateField()
    uitgezonderd = serializers.BooleanField(source="excluded")


class DestructionListDetailSerializer(DestructionListSerializer):
    casussen = ItemSerializer(source="items.all", many=True)
    verklaring = serializers.SerializerMethodField()

    @extend_schema_field(StatementSerializer(allow_null=True))
    def get_verklaring(self, obj):
        statement = getattr(obj, "statement", None)
        return StatementSerializer(statement).data if statement else None


def _lists():
    return (
        DestructionList.objects.select_related("reviewed_by", "approved_by", "statement")
        .annotate(
            listed=Count("items", filter=Q(items__excluded_reason="")),
            excluded=Count("items", filter=~Q(items__excluded_reason="")),
        )
        .order_by("-proposed_on", "-id")
    )


class DestructionLists(ApiView):
    permission_classes = [CanReadDestructionLists]

    @extend_schema(
        summary="Vernietigingslijsten",
        description="Alle vernietigingslijsten, nieuwste eerst: status, wie beoordeelde en "
        "goedkeurde, aantallen. Alleen voor de archivaris; geen inhoud van casussen.",
        responses=DestructionListSerializer(many=True),
        operation_id="vernietigingslijsten_list",
    )
    def get(self, request):
        return Response(DestructionListSerializer(_lists(), many=True).data)


class DestructionListDetail(ApiView):
    permission_classes = [CanReadDestructionLists]

    @extend_schema(
        summary="Vernietigingslijst",
        description="Eén vernietigingslijst met haar casussen (referentie, resultaat van de "
        "Selectielijst 2020, brondatum, archiefactiedatum, uitgezonderd) en, na de "
        "vernietiging, de verklaring van vernietiging. Alleen voor de archivaris.",
        responses=DestructionListDetailSerializer,
    )
    def get(self, request, pk):
        items = DestructionListItem.objects.select_related("result_type")
        destruction_list = get_object_or_404(
            _lists().prefetch_related(Prefetch("items", queryset=items)), pk=pk
        )
        return Response(DestructionListDetailSerializer(destruction_list).data)
