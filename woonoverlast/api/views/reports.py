"""Figures: Tabel 5.1 (every role, rapportage included; no personal data)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from reports import exports, tabel51
from reports.period import check_period
from reports.stored import StoredTables
from woonoverlast.common.validation import Errors

from ..permissions import CanViewReports
from .base import ApiView


class Tabel51Query(serializers.Serializer):
    jaar = serializers.IntegerField(help_text="Het jaar waarin de casussen geregistreerd zijn.")
    peildatum = serializers.DateField(
        required=False,
        help_text="JJJJ-MM-DD; de status van elke casus op deze datum telt. Leeg: 31 december.",
    )


def _row_serializer():
    fields = {name: serializers.IntegerField() for name in exports.CSV_HEADER if name != "wijk"}
    return type(
        "Tabel51Row", (serializers.Serializer,), {"wijk": serializers.CharField(), **fields}
    )


Tabel51Row = _row_serializer()


class Tabel51Serializer(serializers.Serializer):
    jaar = serializers.IntegerField()
    peildatum = serializers.DateField()
    rijen = Tabel51Row(many=True)


def table_rows(table: tabel51.Table) -> list[dict]:
    """The rows of the CSV (exports.csv_rows) under the CSV's own column names."""
    return [dict(zip(exports.CSV_HEADER, row, strict=True)) for row in exports.csv_rows(table)]


class Tabel51View(ApiView):
    permission_classes = [CanViewReports]

    @extend_schema(
        summary="Tabel 5.1",
        description="Tabel 5.1 van het jaarverslag: de casussen geregistreerd in `jaar` "
        "per wijk en woningtype, lopend of afgerond op de peildatum. Dezelfde rijen en "
        "getallen als de CSV, met Totaal als laatste rij.",
        parameters=[Tabel51Query],
        responses=Tabel51Serializer,
    )
    def get(self, request):
        query = Tabel51Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        year, as_of = query.validated_data["jaar"], query.validated_data.get("peildatum")
        errors = Errors()
        check_period(errors, year, as_of, year_field="jaar", as_of_field="peildatum")
        errors.raise_if_any()
        stored = StoredTables()
        table = stored.compute(year, as_of)
        stored.save()
        return Response({"jaar": table.year, "peildatum": table.as_of, "rijen": table_rows(table)})
