"""Casussen: the list with the case list's filters, the case file, and every write through the
services of woonoverlast.cases.services (the same rules and audit events as the screens)."""

import functools

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response

from woonoverlast.accounts.roles import can_see_parties, can_write_case
from woonoverlast.audit.models import AuditAction
from woonoverlast.audit.recorder import record, record_view
from woonoverlast.cases import services
from woonoverlast.cases.filters import CaseFilter
from woonoverlast.cases.models import Case

from .. import serializers as s
from ..idempotency import idempotent
from ..pagination import SORTS, CaseCursorPagination
from ..permissions import CanWorkCases
from .base import ApiView, CaseApiView

CASEMANAGER_PARAMETER = OpenApiParameter(
    "casemanager",
    str,
    description="Id van een casemanager, of 'geen' voor niet toegewezen casussen.",
)
SORT_PARAMETER = OpenApiParameter("sorteer", str, enum=list(SORTS), description="Volgorde.")


def _own(method):
    """A copy of an inherited view method, so that @extend_schema on one subclass does not
    change the schema of its siblings (it annotates the function object)."""

    @functools.wraps(method, updated=())
    def own(self, *args, **kwargs):
        return method(self, *args, **kwargs)

    own.idempotent = getattr(method, "idempotent", False)
    return own


def refuse_hidden_personal_data(user, case) -> None:
    """403 when accounts.roles hides the personal data of `case` from `user` (a closed case
    they have no access to)."""
    if not can_see_parties(user, case):
        raise exceptions.PermissionDenied(
            "De persoonsgegevens van deze casus zijn afgeschermd: de casus is afgerond en u "
            "hebt er geen toegang toe. Vraag uw teamleider om toegang."
        )


def refuse_write(user, case) -> None:
    """403 when `user` may not write to `case` (accounts.roles.can_write_case), before the
    body is read: an answer about the body could tell something about the case (the service
    checks it again)."""
    if not can_write_case(user, case):
        raise exceptions.PermissionDenied(
            "U mag deze casus niet wijzigen: de casus is afgerond en u hebt er geen toegang "
            "toe. Vraag uw teamleider om toegang."
        )


def _record_read(request, case, part: str) -> None:
    """A read of a case's personal data through the API (meldingen, acties, betrokkenen)."""
    record(AuditAction.VIEW, by=request.user, obj=case, case=case, changes={"onderdeel": part})


class CaseList(ApiView, generics.GenericAPIView):
    permission_classes = [CanWorkCases]
    queryset = Case.objects.for_list()
    serializer_class = s.CaseListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter
    pagination_class = CaseCursorPagination
    field_names = s.CASE_FIELDS

    @extend_schema(
        summary="Casussen zoeken",
        description="De filters van de casuslijst als query-parameters (dezelfde namen en "
        "waarden), met cursor-paginering: volg `next`.",
        parameters=[CASEMANAGER_PARAMETER, SORT_PARAMETER],
        responses=s.CaseListSerializer(many=True),
        operation_id="casussen_list",
    )
    def get(self, request):
        cases = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(cases)
        if (request.query_params.get("q") or "").strip():
            # A search finds cases by a party's name or an address: which cases a person or an
            # address is in is personal data, though a row shows neither (as the screen's
            # list logs the addresses it showed). The search text itself is not logged.
            record(
                AuditAction.VIEW,
                by=request.user,
                changes={
                    "pagina": "API casussen",
                    "gezocht": "q",
                    "casussen": sorted(case.reference for case in page),
                },
            )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Casus registreren",
        description="Registreert een casus met dezelfde regels als het scherm en de import "
        "(veldnamen als de kolommen van de import). Antwoordt 201 met de `referentie`.",
        request=s.CaseCreateSerializer,
        responses={201: s.CaseDetailSerializer},
    )
    @idempotent
    def post(self, request):
        data = s.CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # One rule with the screen: a casemanager registers for themselves (403 otherwise,
        # with the service's reason).
        try:
            casemanager = services.registration_casemanager(
                chosen=data.validated_data["casemanager"], by=request.user
            )
        except DjangoPermissionDenied as refused:
            raise exceptions.PermissionDenied(str(refused)) from refused
        case = services.case_register(
            by=request.user, casemanager=casemanager, **data.service_arguments()
        )
        body = s.CaseDetailSerializer(case, context={"show_personal_data": True}).data
        location = f"{request.path}{case.reference}/"
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class CaseDetail(CaseApiView):
    permission_classes = [CanWorkCases]
    field_names = s.CASE_FIELDS

    @extend_schema(
        summary="Casus",
        description="De gegevens van de casus. Adres, omschrijving en betrokkenen alleen als "
        "het scherm ze ook zou tonen (anders null). Wordt gelogd in het auditlog.",
        responses=s.CaseDetailSerializer,
    )
    def get(self, request, referentie):
        case = self.get_case(Case.objects.for_file())
        shown = can_see_parties(request.user, case)
        record_view(request, case, with_parties=shown)
        return Response(s.CaseDetailSerializer(case, context={"show_personal_data": shown}).data)

    @extend_schema(
        summary="Casus wijzigen",
        description="Verbetert de gegevens. Stuur `versie` mee uit GET: is de casus intussen "
        "gewijzigd, dan volgt 409 en is er niets opgeslagen.",
        request=s.CaseUpdateSerializer,
        responses=s.CaseDetailSerializer,
    )
    def patch(self, request, referentie):
        case = self.get_case()
        refuse_write(request.user, case)
        data = s.CaseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_update(case, by=request.user, **data.service_arguments())
        case = self.get_case(Case.objects.for_file())
        shown = can_see_parties(request.user, case)
        return Response(s.CaseDetailSerializer(case, context={"show_personal_data": shown}).data)


class _StatusChangeView(CaseApiView):
    """Close or reopen: parse the body, call the status service, answer 201 with the new
    status row. Subclasses set the serializer and `change(case, data, user)`."""

    permission_classes = [CanWorkCases]
    serializer_class = None

    def change(self, case, data: dict, user):
        raise NotImplementedError

    @idempotent
    def post(self, request, referentie):
        case = self.get_case()
        refuse_write(request.user, case)
        data = self.serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        row = self.change(case, data.validated_data, request.user)
        return Response(s.StatusChangeSerializer(row).data, status=status.HTTP_201_CREATED)


def _status_schema(summary: str, serializer):
    def decorate(view):
        view.post = extend_schema(
            summary=summary,
            description=summary + ". Antwoordt 201 met de nieuwe status.",
            request=serializer,
            responses={201: s.StatusChangeSerializer},
        )(_own(view.post))
        return view

    return decorate


@_status_schema("Casus afsluiten", s.CloseSerializer)
class CaseClose(_StatusChangeView):
    serializer_class = s.CloseSerializer
    field_names = {"on": "datum", "reason": "reden", "note": "toelichting"}

    def change(self, case, data, user):
        return services.case_close(
            case, on=data["datum"], reason=data["reden"], note=data["toelichting"], by=user
        )


@_status_schema("Casus heropenen", s.ReopenSerializer)
class CaseReopen(_StatusChangeView):
    serializer_class = s.ReopenSerializer
    field_names = {"on": "datum", "reason": "reden", "note": "reden"}

    def change(self, case, data, user):
        return services.case_reopen(case, on=data["datum"], reason=data["reden"], by=user)


class _CasePartList(CaseApiView):
    """GET the items of one kind on a case (audited: they hold personal data); POST one new
    item through its service. Subclasses set the serializer, the related name and the
    service."""

    permission_classes = [CanWorkCases]
    part = ""  # the related name on Case, and the audit's description
    serializer_class = None
    select = ()

    def items(self, case):
        # Not what was withdrawn as entered in error (cases.services.corrections): the
        # screens show it struck through, no count or list uses it.
        return (
            getattr(case, self.part).filter(withdrawn_at__isnull=True).select_related(*self.select)
        )

    def get(self, request, referentie):
        case = self.get_case()
        # Their texts are personal data: the rule of the case file's personal data.
        refuse_hidden_personal_data(request.user, case)
        _record_read(request, case, self.part)
        return Response(self.serializer_class(self.items(case), many=True).data)

    def create(self, case, request, data: dict):
        raise NotImplementedError

    @idempotent
    def post(self, request, referentie):
        case = self.get_case()
        refuse_write(request.user, case)
        data = self.serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        item = self.create(case, request, data.validated_data)
        return Response(self.serializer_class(item).data, status=status.HTTP_201_CREATED)


def _part_schema(summary_get: str, summary_post: str, serializer):
    def decorate(view):
        view.get = extend_schema(
            summary=summary_get,
            description=summary_get + "; wordt gelogd in het auditlog.",
            responses=serializer(many=True),
        )(_own(view.get))
        view.post = extend_schema(
            summary=summary_post,
            description=summary_post + ". Antwoordt 201 met het nieuwe `id`.",
            request=serializer,
            responses={201: serializer},
        )(_own(view.post))
        return view

    return decorate


@_part_schema("Meldingen van een casus", "Melding toevoegen", s.MeldingSerializer)
class CaseMeldingen(_CasePartList):
    part = "meldingen"
    serializer_class = s.MeldingSerializer
    select = ("created_by",)
    field_names = {"received_on": "datum", "source": "bron", "text": "tekst"}

    def create(self, case, request, data):
        return services.melding_add(case, by=request.user, **data)


@_part_schema("Acties van een casus", "Actie vastleggen", s.ActionSerializer)
class CaseActions(_CasePartList):
    part = "actions"
    serializer_class = s.ActionSerializer
    select = ("performed_by",)
    field_names = {
        "action_type": "soort",
        "performed_on": "datum",
        "notes": "notities",
        "follow_up_on": "vervolgdatum",
        "present": "aanwezig",
        "findings": "bevindingen",
    }

    def create(self, case, request, data):
        return services.action_log(case, by=request.user, **data)


@_part_schema("Betrokkenen van een casus", "Betrokkene toevoegen", s.PartySerializer)
class CaseParties(_CasePartList):
    part = "parties"
    serializer_class = s.PartySerializer
    field_names = {
        "role": "rol",
        "name": "naam",
        "phone": "telefoon",
        "email": "email",
        "address": "adres",
        "notes": "notities",
    }

    def create(self, case, request, data):
        return services.party_add(case, by=request.user, **data)
