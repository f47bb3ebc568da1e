"""The reference lists: wijken and categorieën (no personal data: every role)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from woonoverlast.cases.models import Category, District

from ..permissions import CanViewReports
from .base import ApiView


class _ListItemSerializer(serializers.ModelSerializer):
    # The fields a wijk and a category share (both ordered lists a team leader keeps).

    naam = serializers.CharField(source="name")
    volgorde = serializers.IntegerField(source="display_order")
    actief = serializers.BooleanField(source="is_active")


class DistrictSerializer(_ListItemSerializer):
    class Meta:
        model = District
        fields = ["id", "naam", "volgorde", "actief"]


class CategorySerializer(_ListItemSerializer):
    class Meta:
        model = Category
        fields = ["code", "naam", "volgorde", "actief"]


class DistrictList(ApiView):
    permission_classes = [CanViewReports]

    @extend_schema(
        summary="Wijken",
        description="Alle wijken, ook niet-actieve, in de volgorde van Tabel 5.1.",
        responses=DistrictSerializer(many=True),
    )
    def get(self, request):
        return Response(DistrictSerializer(District.objects.all(), many=True).data)


class CategoryList(ApiView):
    permission_classes = [CanViewReports]

    @extend_schema(
        summary="Categorieën",
        description="Alle categorieën van overlast; `code` of `naam` gebruikt u bij het "
        "registreren van een casus.",
        responses=CategorySerializer(many=True),
    )
    def get(self, request):
        return Response(CategorySerializer(Category.objects.all(), many=True).data)
